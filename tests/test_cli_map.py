"""`borderrisk map`: the main job, and what happens to bad input (nothing is lost)."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_no_inputs_maps_the_default_scenario(tmp_path):
    out = tmp_path / "map.html"
    result = run("map", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Bolivia–Iran defence ties" in html
    assert "AMIA bombing" in html


def test_dash_writes_the_page_to_stdout():
    result = run("map", "--focus", "ARG,BOL", "--events", str(FIXTURES / "events_ok.csv"), "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_input_files_replace_the_scenario(tmp_path, fixtures):
    out = tmp_path / "m.html"
    result = run(
        "map",
        "--events",
        str(fixtures / "events_ok.csv"),
        "--agreements",
        str(fixtures / "agreements_ok.csv"),
        "--alliances",
        str(fixtures / "alliances_ok.csv"),
        "--focus",
        "Argentina,Bolivia",
        "--title",
        "Test map",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Ministers meet" in html and "AMIA" not in html


def test_bad_rows_exit_1_listing_every_problem_and_write_nothing(tmp_path, fixtures):
    out = tmp_path / "map.html"
    result = run("map", "--events", str(fixtures / "events_bad.csv"), "-o", str(out))
    assert result.exit_code == 1
    for where in ("line 2", "line 3", "line 4", "line 5", "line 6"):
        assert where in result.output
    assert "events_bad.csv" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_existing_output_survives_a_failed_run(tmp_path, fixtures):
    out = tmp_path / "map.html"
    out.write_text("the analyst's previous map", encoding="utf-8")
    result = run("map", "--events", str(fixtures / "broken.geojson"), "-o", str(out))
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "the analyst's previous map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--events", "no-such-file.csv"], "no-such-file.csv"),
        (["--focus", "ARG,Narnia"], "Narnia"),
        (["--as-of", "yesterday"], "yesterday"),
        (["--since", "2023-02-30"], "2023-02-30"),
    ],
)
def test_usage_errors_exit_2(args, named):
    result = run("map", *args, "-o", "-")
    assert result.exit_code == 2
    assert named in result.output


def test_an_unknown_tile_provider_is_a_usage_error():
    result = run("map", "--tiles", "NoSuchTiles", "-o", "-")
    assert result.exit_code == 2
    assert "NoSuchTiles" in result.output


def test_two_layers_of_the_same_name_are_both_kept_under_unique_names(tmp_path, fixtures):
    from borderrisk.recipes import Recipe, build

    second = tmp_path / "more_events.csv"
    second.write_text("date,title,type,lat,lon\n2023-01-02,Second file,attack,-21.1,-64.6\n")
    recipe = Recipe(events=[fixtures / "events_ok.csv"], layers=[("events", second)])
    m = build(recipe)
    assert [len(m.layers[name]) for name in ("Events", "Events 2")] == [3, 1]
    assert list(m.layers["Events 2"].frame.title) == ["Second file"]

    page = tmp_path / "map.html"
    result = run("map", "--events", str(fixtures / "events_ok.csv"), "--layer", f"events={second}", "-o", str(page))
    assert result.exit_code == 0, result.output
    assert f"{second}: a layer named 'Events' is already on the map; this one is 'Events 2'" in result.stderr
    assert page.read_text(encoding="utf-8").count('"Events 2"') >= 1
