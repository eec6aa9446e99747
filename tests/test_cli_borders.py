"""The CLI: `borderrisk borders` prints lengths, neighbours and GeoJSON; exit codes are pinned."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli


@pytest.fixture
def run():
    def invoke(*args):
        return CliRunner().invoke(cli, list(args))

    return invoke


def test_version_and_help(run):
    assert run("--version").exit_code == 0
    assert "0." in run("--version").output
    result = run("--help")
    assert result.exit_code == 0
    assert "borders" in result.output


def test_help_does_not_import_the_heavy_libraries():
    code = (
        "import sys; from click.testing import CliRunner; from borderrisk.cli.main import cli; "
        "r = CliRunner().invoke(cli, ['borders', '--help']); assert r.exit_code == 0, r.output; "
        "heavy = [m for m in ('geopandas', 'pandas', 'shapely', 'folium') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_geo_knows_nothing_of_maps_or_the_cli():
    code = (
        "import sys, borderrisk.geo.borders, borderrisk.geo.places, borderrisk.geo.countries, borderrisk.geo.geodesy; "
        "bad = [m for m in ('folium', 'click', 'layers') if m in sys.modules]; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_pair_as_text_names_both_lengths_and_their_sources(run):
    result = run("borders", "Argentina", "Bolivia")
    assert result.exit_code == 0
    assert "ARG-BOL: 716.8 km" in result.output
    assert "942 km (CIA World Factbook)" in result.output


def test_a_pair_as_json(run):
    result = run("borders", "bolivia", "ARG", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert (data["a"], data["b"]) == ("ARG", "BOL")
    assert data["length_km"] == pytest.approx(717, rel=0.01)
    assert data["survey_km"] == 942


def test_neighbours_as_json(run):
    data = json.loads(run("borders", "Argentina", "--json").output)
    assert {row["iso3"] for row in data} == {"BOL", "BRA", "CHL", "PRY", "URY"}
    assert all(set(row) >= {"iso3", "length_km"} for row in data)


def test_every_border_as_json(run):
    data = json.loads(run("borders", "--all", "--json").output)
    assert len(data) > 300
    assert set(data[0]) == {"a", "b", "length_km"}


def test_geojson_pipes_into_gis_tools(run):
    result = run("borders", "ARG", "BOL", "--geojson")
    collection = json.loads(result.output)
    assert collection["type"] == "FeatureCollection"
    feature = collection["features"][0]
    assert feature["geometry"]["type"] == "LineString"
    assert feature["properties"]["a"] == "ARG"


def test_segments_and_zones(run):
    segments = json.loads(run("borders", "ARG", "BOL", "--segments", "100", "--json").output)
    assert [s["start_km"] for s in segments[:3]] == [0, 100, 200]
    zone = json.loads(run("borders", "ARG", "BOL", "--zone", "25", "--side", "BOL", "--geojson").output)
    assert zone["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert zone["features"][0]["properties"]["area_km2"] > 10_000


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["borders", "Bolivai", "ARG"], "Bolivai"),
        (["borders", "ARG", "BOL", "--segments", "-5"], "-5"),
        (["borders", "ARG", "BOL", "--segments", "1e-9"], "a segment is at least 1 km long"),
        (["borders"], "name one or two countries"),
        (["borders", "ARG", "--all"], "--all"),
        (["borders", "ARG", "BOL", "--bogus"], "--bogus"),
        (["borders", "ARG", "BOL", "--zone", "10"], "--geojson"),
    ],
)
def test_usage_errors_exit_2_naming_the_bad_value(run, args, expected):
    result = run(*args)
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output


def test_runtime_failures_exit_1_without_a_traceback(run):
    result = run("borders", "Argentina", "Iran")
    assert result.exit_code == 1
    assert "share no land border" in result.output
    assert isinstance(result.exception, SystemExit)
