"""``borderrisk fetch``: events from ACLED, UCDP or GDELT into a GeoParquet events dataset."""

from __future__ import annotations

import click

from borderrisk.cli.options import FETCH_SOURCES, fetch_options


def ask(prompt: str, hide: bool) -> str:
    """Ask on the terminal (a password hidden); nothing to ask without one."""
    import sys

    if not sys.stdin.isatty():
        return ""
    return click.prompt(prompt, hide_input=hide, err=True)


@click.command(short_help="Fetch events from ACLED, UCDP or GDELT into a dataset.")
@click.argument("source", type=click.Choice(FETCH_SOURCES))
@fetch_options
def fetch(source, countries, since, base_url, release, output):
    """Fetch SOURCE's events (acled, ucdp or gdelt) into the GeoParquet events dataset DIR,
    the one `convert` writes and every command reads with --events DIR. Run again, it adds only
    what is new (and applies ACLED's deletions); killed, it leaves the dataset as it was.

    Credentials come from ACLED_EMAIL and ACLED_PASSWORD, or UCDP_ACCESS_TOKEN, or are asked.

    \b
    Example:
      borderrisk fetch acled --country Bolivia,Argentina --since 2023-01-01 -o events/
      borderrisk map --events events/ --focus ARG,BOL -o map.html
      borderrisk fetch acled -o events/          a week later: only what changed
    """
    from borderrisk.cli.errors import failures_as_click_errors
    from borderrisk.fetch import fetch as fetch_source

    def say(message: str) -> None:
        click.echo(message, err=True)

    names = [name.strip() for name in countries.split(",") if name.strip()]
    with failures_as_click_errors():
        outcome = fetch_source(
            source, output, countries=names, since=since, base_url=base_url, release=release, ask=ask, say=say
        )
    click.echo(outcome.summary(), err=True)
