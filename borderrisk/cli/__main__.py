"""``python -m borderrisk`` (and ``python -m borderrisk.cli``) is ``borderrisk``."""

from borderrisk.cli.main import cli

cli(prog_name="borderrisk")
