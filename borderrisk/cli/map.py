"""``borderrisk map``: render layers to an offline HTML map, and to PNG or PDF for briefings."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from borderrisk.cli.options import (
    INPUT_FILE,
    LAYER_FILE,
    OUTPUT_PATH,
    TEXT,
    TILES,
    annotations_option,
    compare_to_option,
    focus_option,
    input_files,
    lang_option,
    model_option,
    risk_config_option,
    share_option,
    time_options,
    view_option,
    where_option,
)
from borderrisk.recipes import IMAGE_RANGES

#: CLI option -> Recipe field, for options that may override a recipe.
RECIPE_FIELDS = {
    "output": "outputs",
    "events": "events",
    "agreements": "agreements",
    "alliances": "alliances",
    "annotations": "annotations",
    "extra_layers": "layers",
    "focus": "focus",
    "view": "view",
    "as_of": "as_of",
    "since": "since",
    "until": "until",
    "where": "where",
    "compare_to": "compare_to",
    "title": "title",
    "events_format": "events_format",
    "skip_bad_rows": "skip_bad_rows",
    "columns": "columns",
    "encoding": "encoding",
    "date_format": "date_format",
    "root_events_only": "root_events_only",
    "once_per_source": "once_per_source",
    "aggregate_above": "aggregate_above",
    "marking": "marking",
    "lang": "lang",
    "share": "share",
    "config_path": "risk_config",
    "model": "model",
    "tiles": "tiles",
    "width": "width",
    "height": "height",
    "dpi": "dpi",
}


@click.command("map", short_help="Render a map: offline HTML, or PNG/PDF for briefings.")
@click.argument("recipe", required=False, type=INPUT_FILE)
@click.option(
    "-o",
    "--output",
    multiple=True,
    type=OUTPUT_PATH,
    metavar="FILE",
    help="Output file, repeatable; .html (default map.html), .png or .pdf. '-' writes HTML to stdout.",
)
@input_files
@annotations_option
@click.option(
    "--layer",
    "extra_layers",
    multiple=True,
    type=LAYER_FILE,
    metavar="NAME=PATH",
    help="A layer of a registered type (see `borderrisk layers`) from a file; repeatable.",
)
@where_option
@focus_option
@view_option
@time_options
@click.option("--title", type=TEXT, metavar="TEXT", help="Title shown on the map.")
@click.option(
    "--marking",
    type=TEXT,
    metavar="TEXT",
    help='Handling marking at the top and bottom, e.g. "UNCLASSIFIED//FOR OFFICIAL USE ONLY".',
)
@lang_option
@share_option
@risk_config_option
@model_option
@compare_to_option
@click.option("--no-risk", is_flag=True, help="Leave out the risk layer (the scored focus borders).")
@click.option("--no-draw", is_flag=True, help="Leave out the draw tool.")
@click.option(
    "--aggregate-above",
    type=click.IntRange(min=0),
    default=50_000,
    show_default=True,
    metavar="N",
    help="Draw an events layer of more than N events as counts in grid cells.",
)
@click.option(
    "--tiles",
    type=TILES,
    help="Online background tiles, an xyzservices name (e.g. OpenStreetMap.Mapnik). "
    "Off by default: the map then makes no outside request.",
)
@click.option(
    "--width",
    type=click.IntRange(*IMAGE_RANGES["width"]),
    default=1600,
    show_default=True,
    help="PNG/PDF width, CSS pixels.",
)
@click.option(
    "--height",
    type=click.IntRange(*IMAGE_RANGES["height"]),
    default=1000,
    show_default=True,
    help="PNG/PDF height, CSS pixels.",
)
@click.option(
    "--dpi",
    type=click.IntRange(*IMAGE_RANGES["dpi"]),
    default=192,
    show_default=True,
    help="PNG/PDF resolution (96 = one image pixel per CSS pixel).",
)
@click.pass_context
def map_command(ctx, recipe, **options):
    """Render a border-risk map to one self-contained HTML file (and PNG or PDF).

    With no input files it maps the built-in scenario: Bolivia's 2023 defence MoU with Iran,
    the Argentina-Bolivia border, the Buenos Aires attacks of 1992 and 1994 and Iran's ties with
    the ALBA-TCP states. The focus borders are scored (see `borderrisk score`). The HTML opens
    in any browser, offline: every script is inlined and nothing is fetched unless --tiles asks
    for online tiles. PNG and PDF are the same map rendered by headless Chromium.

    RECIPE is a brief recipe (TOML) naming inputs, focus, title, marking and outputs; options
    given on the command line override it. See examples/brief.toml.

    \b
    Input files are CSV, GeoJSON, GeoPackage or GeoParquet:
      --events      date,title,type and lat,lon or place (a city or country)
      --agreements  parties (e.g. BOL;IRN),date,type,status
      --alliances   alliance,country
      --annotations the GeoJSON file kept by `borderrisk annotate`
    Optional columns (source, description, severity, actors, ...) show in popups.

    \b
    Examples:
      borderrisk map -o map.html
      borderrisk map --events events.csv --focus ARG,BOL -o arg-bol.html
      borderrisk map --focus ARG,BOL --view -66,-23,-64,-21.5 -o la-quiaca.png
      borderrisk map --as-of 2011-12-31 -o before-2012.html
      borderrisk map --events acled.csv --where 'type=battles' --focus ARG,BOL
      borderrisk map --events acled.csv --focus ARG,BOL --compare-to 2023-01-31   (a "Change" layer)
      borderrisk map --marking "UNCLASSIFIED" -o brief.html -o brief.png -o brief.pdf
      borderrisk map --lang es -o mapa.html
      borderrisk map --events acled/ --focus ARG,BOL --share -o to-share.html
      borderrisk map weekly-brief.toml
      borderrisk map -o - | gzip > map.html.gz
    """
    from borderrisk.cli.errors import failures_as_click_errors
    from borderrisk.cli.loading import report_learner
    from borderrisk.cli.progress import progress_bars, report_skipped
    from borderrisk.recipes import Recipe, build, load_recipe, save_outputs

    with failures_as_click_errors():
        plan = load_recipe(recipe) if recipe else Recipe()
        for option, field in RECIPE_FIELDS.items():
            if ctx.get_parameter_source(option) == ParameterSource.COMMANDLINE:
                setattr(plan, field, _recipe_value(field, options[option]))
        plan.risk = plan.risk and not options["no_risk"]
        plan.draw = plan.draw and not options["no_draw"]
        plan.outputs = plan.outputs or [Path("map.html")]
        plan.check(recipe)
        with progress_bars() as progress:
            m = build(plan, progress=progress)
        report_skipped(list(m.layers.values()))
        report_learner(m.assessment)
        written = save_outputs(m, plan)
    for path in written:
        if str(path) != "-":
            click.echo(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", err=True)


def _recipe_value(field, value):
    """A command-line value in the recipe's terms: paths as Paths, repeated options as lists."""
    if field in ("outputs", "events", "agreements", "alliances"):
        return [Path(v) for v in value]
    if field in ("annotations", "risk_config"):
        return Path(value)
    if field in ("focus", "layers"):
        return list(value)
    if field == "where":
        return [str(condition) for condition in value]
    return value
