"""``borderrisk borders``: border lengths, neighbours, segments and zones."""

from __future__ import annotations

import click

from borderrisk.cli.options import COUNTRY, SEGMENT_KM, ZONE_KM, geojson_output, json_output
from borderrisk.cli.output import echo_geojson, echo_json, echo_table


@click.command(short_help="Border lengths, neighbours, segments and zones.")
@click.argument("a", type=COUNTRY, required=False, metavar="[A]")
@click.argument("b", type=COUNTRY, required=False, metavar="[B]")
@click.option("--all", "all_pairs", is_flag=True, help="Every land border of the world.")
@click.option(
    "--segments",
    type=SEGMENT_KM,
    metavar="KM",
    help="Cut the border of A and B into pieces of KM kilometres.",
)
@click.option(
    "--zone",
    type=ZONE_KM,
    metavar="KM",
    help="The land within KM kilometres of the border of A and B (with --geojson).",
)
@click.option("--side", type=COUNTRY, help="With --zone: only the part inside this country.")
@json_output
@geojson_output
def borders(a, b, all_pairs, segments, zone, side, as_json, as_geojson):
    """Shared land borders from the built-in Natural Earth 1:10m countries.

    Lengths are geodesic (WGS84) lengths of the 1:10m lines. Generalised lines are shorter than
    surveyed ones: where a survey figure is known (CIA World Factbook) it is shown beside,
    never mixed in. Pairs are listed in alphabetical order of their codes and a border runs
    from its western end, so "km 200-250 of ARG-BOL" always names the same stretch.

    \b
    Examples:
      borderrisk borders Argentina Bolivia
      borderrisk borders ARG BOL --json
      borderrisk borders ARG BOL --segments 50 --geojson > arg-bol-segments.geojson
      borderrisk borders ARG BOL --zone 50 --side BOL --geojson
      borderrisk borders Argentina            (neighbours, longest border first)
      borderrisk borders --all --json
    """
    if as_json and as_geojson:
        raise click.UsageError("choose one of --json and --geojson")
    if all_pairs and a:
        raise click.UsageError("--all takes no countries")
    if not all_pairs and not a:
        raise click.UsageError("name one or two countries, or use --all")
    if (segments or zone) and not b:
        raise click.UsageError("--segments and --zone need two countries")
    if side and not zone:
        raise click.UsageError("--side goes with --zone")
    if zone and not as_geojson:
        raise click.UsageError("--zone writes an area: add --geojson")

    from borderrisk.cli.errors import failures_as_click_errors
    from borderrisk.geo import borders as geo_borders

    with failures_as_click_errors():
        if all_pairs:
            _all(geo_borders.all_borders(), as_json, as_geojson)
        elif b is None:
            _neighbours(geo_borders, a, as_json, as_geojson)
        elif zone:
            _zone(geo_borders, a, b, zone, side)
        elif segments:
            _segments(geo_borders.border_segments(a, b, km=segments), as_json, as_geojson)
        else:
            _pair(geo_borders.border(a, b), as_json, as_geojson)


def _all(frame, as_json, as_geojson):
    if as_geojson:
        echo_geojson(frame.round({"length_km": 3}))
        return
    rows = [{"a": r.a, "b": r.b, "length_km": round(r.length_km, 3)} for r in frame.itertuples()]
    echo_json(rows) if as_json else echo_table(rows, ["a", "b", "length_km"])


def _neighbours(geo_borders, country, as_json, as_geojson):
    table = geo_borders.neighbours(country)
    if as_geojson:
        frame = geo_borders.all_borders()
        echo_geojson(frame[(frame.a == country) | (frame.b == country)].round({"length_km": 3}))
        return
    rows = [{"iso3": r.code, "name": r.name, "length_km": round(r.length_km, 3)} for r in table.itertuples()]
    echo_json(rows) if as_json else echo_table(rows, ["iso3", "name", "length_km"])


def _pair(border, as_json, as_geojson):
    facts = {
        "a": border.a,
        "b": border.b,
        "length_km": round(border.length_km, 3),
        "length_method": border.length_method,
        "survey_km": border.survey_km,
        "survey_source": border.survey_source,
    }
    if as_geojson:
        import geopandas as gpd

        echo_geojson(gpd.GeoDataFrame([facts], geometry=[border.geometry], crs="EPSG:4326"))
    elif as_json:
        echo_json(facts)
    else:
        click.echo(f"{border.a}-{border.b}: {border.length_km:,.1f} km ({border.length_method})")
        if border.survey_km is not None:
            click.echo(
                f"survey figure: {border.survey_km:,.0f} km ({border.survey_source}); "
                "generalised lines measure shorter than surveyed ones"
            )


def _segments(frame, as_json, as_geojson):
    frame = frame.round({"start_km": 3, "end_km": 3, "length_km": 3})
    if as_geojson:
        echo_geojson(frame)
        return
    rows = frame.drop(columns="geometry").to_dict("records")
    echo_json(rows) if as_json else echo_table(rows, ["a", "b", "segment", "start_km", "end_km", "length_km"])


def _zone(geo_borders, a, b, km, side):
    import geopandas as gpd

    from borderrisk.geo.geodesy import area_km2

    area = geo_borders.border_zone(a, b, km, side=side)
    code_a, code_b = geo_borders.pair(a, b)
    facts = {"a": code_a, "b": code_b, "km": km, "side": side, "area_km2": round(area_km2(area), 1)}
    echo_geojson(gpd.GeoDataFrame([facts], geometry=[area], crs="EPSG:4326"))
