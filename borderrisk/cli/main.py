"""The ``borderrisk`` command group. Commands load on first use, so ``--help`` stays fast."""

from __future__ import annotations

import importlib

import click

#: Command name -> "module:attribute". Each module imports only click at import time.
COMMANDS = {
    "annotate": "borderrisk.cli.annotate:annotate",
    "backtest": "borderrisk.cli.backtest:backtest",
    "borders": "borderrisk.cli.borders:borders",
    "convert": "borderrisk.cli.convert:convert",
    "diff": "borderrisk.cli.diff:diff",
    "fetch": "borderrisk.cli.fetch:fetch",
    "layers": "borderrisk.cli.layers_command:layers_command",
    "map": "borderrisk.cli.map:map_command",
    "score": "borderrisk.cli.score:score",
    "trend": "borderrisk.cli.trend:trend",
}


class LazyGroup(click.Group):
    """A group whose commands are imported only when they are listed or run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *COMMANDS])

    def invoke(self, ctx: click.Context):
        """Run the command; an exception that is not a user error is reported as a bug."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            from borderrisk.cli.errors import reader_went_away

            reader_went_away(ctx)
        except Exception as error:
            from borderrisk.cli.errors import report_internal_error

            report_internal_error(error, ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            module, attribute = COMMANDS[name].split(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="borderrisk", prog_name="borderrisk")
@click.option(
    "-v", "--verbose", "verbosity", count=True, help="Say what is being done on stderr (-vv: more); show tracebacks."
)
@click.pass_context
def cli(ctx: click.Context, verbosity: int) -> None:
    """Border-risk maps from country borders, events, agreements and alliances.

    Works offline: the world's 1:10m borders and a gazetteer are built in.

    \b
    Examples:
      borderrisk map -o map.html                the built-in scenario, offline
      borderrisk map --events events.csv --focus ARG,BOL -o map.html
      borderrisk borders Argentina Bolivia      length of one border
      borderrisk borders ARG --json             neighbours of Argentina
      borderrisk borders --all --geojson > borders.geojson
    """
    from borderrisk.cli.errors import configure_logging

    ctx.meta["borderrisk.verbosity"] = verbosity
    configure_logging(verbosity)
