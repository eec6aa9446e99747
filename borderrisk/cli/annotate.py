"""``borderrisk annotate``: briefers' notes on border regions, kept safe in a GeoJSON file."""

from __future__ import annotations

import json

import click

from borderrisk.annotations.features import RISK_ADJUSTMENT_MAX
from borderrisk.cli.options import (
    BORDER,
    COUNTRY,
    INPUT_FILE,
    KM_FROM_ZERO,
    TEXT,
    ZONE_KM,
    FiniteFloat,
    store_option,
)
from borderrisk.cli.output import echo_json, echo_table, printable


def _properties(function):
    """The properties an annotation carries, for add and edit."""
    options = [
        click.option("--title", type=TEXT, help="One line: what this is."),
        click.option("--note", type=TEXT, help="The briefer's note."),
        click.option("--author", type=TEXT, help="Who wrote it (default: $BORDERRISK_AUTHOR or $USER)."),
        click.option("--severity", type=click.IntRange(1, 5), help="1 (minor) to 5 (grave)."),
        click.option(
            "--risk-adjustment",
            type=FiniteFloat(-RISK_ADJUSTMENT_MAX, RISK_ADJUSTMENT_MAX),
            help="Added to the risk score of the segments it touches.",
        ),
        click.option("--reason", type=TEXT, help="Why the risk adjustment (required with it)."),
        click.option("--marking", type=TEXT, help='Handling marking, e.g. "UNCLASSIFIED//FOR OFFICIAL USE ONLY".'),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.group(short_help="Annotate border regions (add, list, edit, remove, import, undo).")
def annotate():
    """Annotate border regions. Annotations live in a GeoJSON file you name; every change is
    locked, written atomically and undoable, so none is ever lost.

    \b
    Examples:
      borderrisk annotate add --border ARG-BOL --from-km 200 --to-km 350 --title "Smuggling route"
      borderrisk annotate add --border ARG-BOL --zone-km 50 --side BOL --title "Patrol zone"
      borderrisk annotate add --at "Villazón, BO" --title "Crossing" --risk-adjustment 1 --reason "reports"
      borderrisk annotate list
      borderrisk annotate import drawn.geojson     (shapes exported from the map's draw tool)
      borderrisk annotate undo
    """


@annotate.command(short_help="Add an annotation on a border stretch, zone, place or shape.")
@store_option
@click.option("--border", type=BORDER, help="A border, e.g. ARG-BOL; with --from-km/--to-km or --zone-km.")
@click.option("--from-km", type=KM_FROM_ZERO, help="Start of the stretch, km from the border's western end.")
@click.option("--to-km", type=KM_FROM_ZERO, help="End of the stretch.")
@click.option("--zone-km", type=ZONE_KM, help="The land within this many km of the border.")
@click.option("--side", type=COUNTRY, help="With --zone-km: only the part in this country.")
@click.option("--at", metavar="PLACE", help='A place, e.g. "Villazón, BO".')
@click.option("--lat", type=FiniteFloat(-90, 90), help="Latitude of a point.")
@click.option("--lon", type=FiniteFloat(-180, 180), help="Longitude of a point.")
@click.option(
    "--geometry",
    "geometry_file",
    type=INPUT_FILE,
    help="A GeoJSON file: its geometry (or its first feature's).",
)
@_properties
def add(annotations_path, border, from_km, to_km, zone_km, side, at, lat, lon, geometry_file, **properties):
    """Add one annotation and print its id."""
    from borderrisk.annotations.store import AnnotationStore, geometry_for
    from borderrisk.cli.errors import failures_as_click_errors

    _check_adjustment(properties)
    if (lat is None) != (lon is None):
        raise click.UsageError("give both --lat and --lon")
    with failures_as_click_errors():
        _check_store(annotations_path, geometry_file)
        if geometry_file is not None:
            geometry = _geometry_from_file(geometry_file)
        else:
            geometry = geometry_for(
                border=border, from_km=from_km, to_km=to_km, zone_km=zone_km, side=side, at=at, lat=lat, lon=lon
            )
        if border is not None and zone_km is None and not properties.get("title"):
            properties["title"] = f"{border[0]}-{border[1]} km {from_km:g}-{to_km:g}"
        feature = AnnotationStore(annotations_path).add(geometry, **properties)
    if geometry.get("type") == "Point" and properties.get("risk_adjustment") is not None:
        click.echo(
            "a point's risk adjustment applies to the border segments within the config's "
            "events.distance_km of it (100 km by default); each segment's explanation says how far",
            err=True,
        )
    click.echo(feature["id"])


@annotate.command("list", short_help="List annotations.")
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print the features as JSON.")
def list_command(annotations_path, as_json):
    """List the annotations in the file."""
    from borderrisk.annotations.store import AnnotationStore
    from borderrisk.cli.errors import failures_as_click_errors

    with failures_as_click_errors():
        features = AnnotationStore(annotations_path).features()
    if as_json:
        echo_json(features)
        return
    rows = []
    for feature in features:
        properties = feature.get("properties") or {}
        rows.append(
            {
                "id": feature.get("id", ""),
                "geometry": feature["geometry"]["type"],
                "title": _cut(properties.get("title")),
                "author": properties.get("author") or "",
                "risk": _number(properties.get("risk_adjustment")),
                "updated": properties.get("updated") or "",
            }
        )
    echo_table(rows, ["id", "geometry", "title", "author", "risk", "updated"])


@annotate.command(short_help="Change properties of an annotation.")
@click.argument("annotation_id", metavar="ID")
@store_option
@_properties
def edit(annotation_id, annotations_path, **properties):
    """Change some properties of annotation ID (the others stay as they are)."""
    from borderrisk.annotations.store import AnnotationStore
    from borderrisk.cli.errors import failures_as_click_errors

    changes = {k: v for k, v in properties.items() if v is not None}
    if not changes:
        raise click.UsageError("nothing to change: give --title, --note, ...")
    with failures_as_click_errors():
        _check_store(annotations_path)
        AnnotationStore(annotations_path).edit(annotation_id, **changes)
    click.echo(annotation_id)


@annotate.command(short_help="Remove an annotation (undo brings it back).")
@click.argument("annotation_id", metavar="ID")
@store_option
def remove(annotation_id, annotations_path):
    """Remove annotation ID. `borderrisk annotate undo` brings it back."""
    from borderrisk.annotations.store import AnnotationStore
    from borderrisk.cli.errors import failures_as_click_errors

    with failures_as_click_errors():
        _check_store(annotations_path)
        AnnotationStore(annotations_path).remove(annotation_id)


@annotate.command("import", short_help="Import shapes drawn on the map (GeoJSON).")
@click.argument("drawn", type=INPUT_FILE)
@store_option
def import_command(drawn, annotations_path):
    """Import the shapes exported from the map's draw tool (or any GeoJSON FeatureCollection):
    geometry and every property are kept."""
    from borderrisk.annotations.features import parse_collection
    from borderrisk.annotations.store import AnnotationStore
    from borderrisk.cli.errors import failures_as_click_errors
    from borderrisk.data.paths import read_input_text

    with failures_as_click_errors():
        _check_store(annotations_path, drawn)
        features = parse_collection(read_input_text(drawn), drawn)
        imported = AnnotationStore(annotations_path).add_features(features, drawn)
    click.echo(printable(f"imported {len(imported)} annotation(s) into {annotations_path}"), err=True)
    for feature in imported:
        click.echo(printable(str(feature["id"])))


@annotate.command(short_help="Undo the last change.")
@store_option
def undo(annotations_path):
    """Restore the annotations file as it was before the last change."""
    from borderrisk.annotations.store import AnnotationStore
    from borderrisk.cli.errors import failures_as_click_errors

    with failures_as_click_errors():
        _check_store(annotations_path)
        AnnotationStore(annotations_path).undo()
    click.echo(f"restored the previous version of {annotations_path}", err=True)


def _check_adjustment(properties):
    if properties.get("risk_adjustment") is not None and not properties.get("reason"):
        raise click.UsageError("--risk-adjustment needs a --reason")


def _check_store(store, source=None):
    """Every command that writes the store checks it as an output: a .geojson/.json file,
    writable where it is, and not the file an annotation comes from (see
    :func:`borderrisk.data.paths.check_outputs`)."""
    from borderrisk.data.paths import ANNOTATIONS_OUTPUT, check_outputs

    check_outputs([store], ANNOTATIONS_OUTPUT, [source])


def _geometry_from_file(path):
    """The geometry of a GeoJSON file: a geometry, a Feature's, or a FeatureCollection's first,
    checked as the store checks what goes in (:mod:`borderrisk.annotations.features`)."""
    from borderrisk.annotations.features import parse_collection
    from borderrisk.data.documents import load_json
    from borderrisk.data.errors import InputError, Problem
    from borderrisk.data.paths import read_input_text

    text = read_input_text(path)
    data = load_json(text, path)
    if not (isinstance(data, dict) and data.get("type") == "FeatureCollection"):
        feature = (
            data if isinstance(data, dict) and data.get("type") == "Feature" else {"type": "Feature", "geometry": data}
        )
        text = json.dumps({"type": "FeatureCollection", "features": [feature]})
    features = parse_collection(text, path)
    if not features:
        raise InputError([Problem(path, "", "", "is a FeatureCollection without features; give one shape")])
    return features[0]["geometry"]


def _cut(text, width=40):
    text = "" if text is None else str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _number(value):
    return "" if value is None else f"{value:+g}"
