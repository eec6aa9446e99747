"""``python -m layers.cli`` is ``borderrisk``."""

from layers.cli.main import cli

cli(prog_name="borderrisk")
