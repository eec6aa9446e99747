"""``borderrisk map``: render layers to one offline HTML map."""

from __future__ import annotations

import click

from layers.cli.options import COUNTRY_LIST, TILES, input_files, risk_config_option, time_options


@click.command("map", short_help="Render an offline HTML map (the built-in scenario by default).")
@click.option(
    "-o",
    "--output",
    default="map.html",
    show_default=True,
    metavar="FILE",
    help="Where to write the map; '-' writes to stdout.",
)
@input_files
@click.option(
    "--focus",
    type=COUNTRY_LIST,
    metavar="A,B",
    help="Countries to fit the view to; their shared borders are highlighted.",
)
@time_options
@click.option("--title", metavar="TEXT", help="Title shown on the map.")
@risk_config_option
@click.option("--no-risk", is_flag=True, help="Leave out the risk layer (the scored focus borders).")
@click.option(
    "--tiles",
    type=TILES,
    help="Online background tiles, an xyzservices name (e.g. OpenStreetMap.Mapnik). "
    "Off by default: the map then makes no outside request.",
)
def map_command(output, events, agreements, alliances, focus, as_of, since, until, title, config_path, no_risk, tiles):
    """Render a border-risk map to one self-contained HTML file.

    With no input files it maps the built-in scenario: Bolivia's 2023 defence MoU with Iran,
    the Argentina-Bolivia border, the Buenos Aires attacks of 1992 and 1994 and Iran's ties with
    the ALBA-TCP states. The focus borders are scored (see `borderrisk score`). The file opens
    in any browser, offline: every script is inlined and nothing is fetched unless --tiles asks
    for online tiles.

    \b
    Input files are CSV, GeoJSON, GeoPackage or GeoParquet:
      --events      date,title,type and lat,lon or place (a city or country)
      --agreements  parties (e.g. BOL;IRN),date,type,status
      --alliances   alliance,country
    Optional columns (source, description, severity, actors, ...) show in popups.

    \b
    Examples:
      borderrisk map -o map.html
      borderrisk map --events events.csv --focus ARG,BOL -o arg-bol.html
      borderrisk map --as-of 2011-12-31 -o before-2012.html
      borderrisk map -o - | gzip > map.html.gz
    """
    from layers.cli.loading import build_map, failures_as_click_errors
    from layers.files import atomic_write

    with failures_as_click_errors():
        m = build_map(
            events=events,
            agreements=agreements,
            alliances=alliances,
            focus=focus,
            as_of=as_of,
            since=since,
            until=until,
            title=title,
            tiles=tiles,
        )
        if m.focus and not no_risk:
            _add_risk(m, config_path)
        html = m.to_html().encode("utf-8")
        atomic_write(output, html)
    if output != "-":
        click.echo(f"wrote {output} ({len(html) / 1e6:.1f} MB)", err=True)


def _add_risk(m, config_path) -> None:
    """Score the focus borders onto the map; focus countries without a shared border get none."""
    from layers.risk import RiskConfig

    try:
        m.add_risk(RiskConfig.load(config_path))
    except ValueError as error:
        if "share no land border" not in str(error):
            raise
        click.echo(f"no risk layer: {error}", err=True)
