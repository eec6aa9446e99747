"""``python -m borderrisk`` is the ``borderrisk`` command."""

from borderrisk.cli.main import cli

cli(prog_name="borderrisk")
