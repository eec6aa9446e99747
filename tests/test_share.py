"""Sharing within the licence: every map names its sources' terms, a map holding ACLED's raw
rows says so when written, and a ``--share`` map (CLI option, recipe key, Python argument)
carries no event's own row: read in the HTML itself."""

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.recipes import load_recipe
from borderrisk.render.mapping import BorderRiskMap
from borderrisk.scenarios.synthetic import ACLED_COLUMNS

from exports import acled_row, table

#: Each event's own values, which a shared map must not carry.
RAW = ["Secret Actor Name", "Very private note text", "Hidden Source Daily", "Armed clash: Villazon"]


@pytest.fixture
def export(tmp_path):
    rows = [
        acled_row(
            event_id_cnty=f"BOL{n}",
            event_date=f"2023-0{n}-01",
            actor1="Secret Actor Name",
            notes="Very private note text",
            source="Hidden Source Daily",
        )
        for n in range(1, 6)
    ]
    path = tmp_path / "acled.csv"
    path.write_text(table(ACLED_COLUMNS, rows), encoding="utf-8")
    return path


def test_a_shared_map_carries_counts_and_the_terms_but_no_raw_row(export, tmp_path):
    runner = CliRunner()
    raw = runner.invoke(cli, ["map", "--events", str(export), "--focus", "ARG,BOL", "-o", str(tmp_path / "raw.html")])
    assert raw.exit_code == 0, raw.output
    assert "raw.html holds ACLED's raw event rows" in raw.output and "--share" in raw.output
    page = (tmp_path / "raw.html").read_text(encoding="utf-8")
    assert all(value in page for value in RAW)  # the check below can fail
    shared = runner.invoke(
        cli, ["map", "--events", str(export), "--focus", "ARG,BOL", "--share", "-o", str(tmp_path / "share.html")]
    )
    assert shared.exit_code == 0, shared.output
    assert "raw event rows" not in shared.output
    page = (tmp_path / "share.html").read_text(encoding="utf-8")
    assert [value for value in RAW if value in page] == []
    assert "5 event(s) within 100 km" in page
    assert "Event Data (ACLED), acleddata.com (https://acleddata.com/terms-of-use/)" in page
    assert "events as counts only" in page


def test_share_is_a_recipe_key_and_a_python_argument(export, tmp_path):
    recipe = tmp_path / "brief.toml"
    recipe.write_text(f'events = ["{export}"]\nfocus = ["ARG", "BOL"]\nshare = true\n', encoding="utf-8")
    assert load_recipe(recipe).share is True
    m = BorderRiskMap(focus=["ARG", "BOL"], share=True)
    assert m.share and [licence.source for licence in m.licences()] == []


def spread_export(tmp_path):
    """Events each alone in its grid cell, at coordinates of five decimals found nowhere else."""
    rows = [
        acled_row(
            event_id_cnty=f"BOLQ{n}7",
            event_date=f"2023-0{n}-1{n}",
            latitude=f"-2{n}.0{n}731",
            longitude=f"-6{n}.5{n}917",
            actor1="Secret Actor Name",
            notes="Very private note text",
            source="Hidden Source Daily",
        )
        for n in range(1, 6)
    ]
    path = tmp_path / "spread.csv"
    path.write_text(table(ACLED_COLUMNS, rows), encoding="utf-8")
    places = [(f"-2{n}.0{n}7", f"-6{n}.5{n}9") for n in range(1, 6)]  # rounded as a page would write them
    return path, [value for pair in places for value in pair], [f"BOLQ{n}7" for n in range(1, 6)]


def test_a_shared_map_does_not_place_a_single_event_where_it_happened(tmp_path):
    """A cell holding one event drawn at the mean of its events is that event's own place."""
    export, places, ids = spread_export(tmp_path)
    recipe = tmp_path / "brief.toml"
    out = tmp_path / "share.html"
    recipe.write_text(
        f'events = ["{export}"]\nfocus = ["ARG", "BOL"]\nshare = true\noutputs = ["{out}"]\n', encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["map", str(recipe), "--compare-to", "2023-03-01"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert [value for value in [*places, *ids, *RAW[:3]] if value in page] == []


def test_a_shared_map_refuses_a_layer_that_would_draw_restricted_rows(export, tmp_path):
    """Through the Python API a GeoDataFrame of ACLED rows becomes a layer drawing each row: a
    shared map cannot hold it (its events go in as an EventsLayer, drawn as counts)."""
    from borderrisk.data.errors import UserError
    from borderrisk.data.formats import read_export
    from borderrisk.layers.events import EventsLayer

    frame, _ = read_export(export)
    m = BorderRiskMap(focus=["ARG", "BOL"], share=True).add_layer(EventsLayer(frame))
    assert [value for value in RAW[:3] if value in m.to_html()] == []
    m.add_layer(frame, name="Raw", popup=["title", "actors", "date"])
    with pytest.raises(UserError, match="'Raw' would draw ACLED's raw rows"):
        m.save(tmp_path / "share.html")
    assert not (tmp_path / "share.html").exists()


def test_a_shared_map_without_focus_does_not_fit_its_view_to_the_outermost_events(tmp_path):
    """The view fitted to the events' extent has the outermost events' own coordinates as its
    edges (and a single event's as its middle)."""
    export, places, _ = spread_export(tmp_path)
    out = tmp_path / "share.html"
    result = CliRunner().invoke(cli, ["map", "--events", str(export), "--share", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert [value for value in places if value in page] == []
