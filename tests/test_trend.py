"""`borderrisk trend`: per-period counts, fatalities and scores, equal to scoring at each period end."""

import csv
import io
import json
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.risk.model import rollup, score
from borderrisk.risk.trend import period_starts, trend

FIXTURE = Path(__file__).parent / "fixtures" / "events_filters.csv"
FOCUS = ["ARG", "BOL"]


@pytest.fixture(scope="module")
def inputs():
    """A year of events around the Argentina–Bolivia border (some located only to a country),
    with the built-in scenario's agreements and alliances, so every factor moves."""
    from borderrisk import scenarios
    from borderrisk.layers.frames import frames_of

    rng = np.random.default_rng(7)
    n = 240
    events = gpd.GeoDataFrame(
        {
            "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
            "title": [f"event {i}" for i in range(n)],
            "type": rng.choice(["battles", "riots", "protests"], n),
            "severity": rng.integers(1, 6, n),
            "fatalities": rng.integers(0, 4, n).astype(float),
            "country": rng.choice(["ARG", "BOL"], n),
            "location_precision": rng.choice(["exact", "exact", "exact", "country"], n),
        },
        geometry=gpd.points_from_xy(rng.uniform(-66.5, -62.5, n), rng.uniform(-23, -21.5, n)),
        crs="EPSG:4326",
    )
    frames = frames_of(scenarios.load().layers)
    return {"events": events, "agreements": frames["agreements"], "alliances": frames["alliances"]}


def scores_at(inputs, end, **options):
    return score(**inputs, focus=FOCUS, as_of=end, **options)


def test_periods_start_on_the_first_day_of_each_week_month_or_quarter():
    assert period_starts(date(2023, 1, 4), date(2023, 1, 20), "week") == [
        date(2023, 1, 2),
        date(2023, 1, 9),
        date(2023, 1, 16),
    ]
    assert period_starts(date(2023, 1, 31), date(2023, 3, 1), "month") == [
        date(2023, 1, 1),
        date(2023, 2, 1),
        date(2023, 3, 1),
    ]
    assert period_starts(date(2023, 2, 10), date(2023, 7, 1), "quarter") == [
        date(2023, 1, 1),
        date(2023, 4, 1),
        date(2023, 7, 1),
    ]


def test_each_segment_s_series_equals_score_at_each_period_end(inputs):
    series = trend(**inputs, focus=FOCUS, every="month", by="segment")
    assert sorted(set(series.period)) == [date(2023, m, 1) for m in range(1, 13)]
    for end, rows in series.groupby("as_of"):
        expected = scores_at(inputs, end).set_index(["a", "b", "start_km"]).score
        got = rows.set_index(["a", "b", "start_km"]).score
        assert got.reindex(expected.index).to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-9)


def test_borders_and_countries_are_their_hottest_segment_at_each_period_end(inputs):
    for by, key in (("border", ["a", "b"]), ("country", ["country"])):
        series = trend(**inputs, focus=FOCUS, every="quarter", by=by)
        for end, rows in series.groupby("as_of"):
            expected = rollup(scores_at(inputs, end), by=by).set_index(key).score
            assert rows.set_index(key).score.reindex(expected.index).to_numpy() == pytest.approx(expected.to_numpy())


def test_filters_and_window_are_the_ones_score_applies(inputs):
    options = {"where": ["type=battles,riots"], "since": date(2023, 3, 1)}
    series = trend(**inputs, focus=FOCUS, every="quarter", by="segment", **options)
    assert min(series.period) == date(2023, 1, 1)
    for end, rows in series.groupby("as_of"):
        expected = scores_at(inputs, end, **options).set_index(["a", "b", "start_km"]).score
        assert rows.set_index(["a", "b", "start_km"]).score.reindex(expected.index).to_numpy() == pytest.approx(
            expected.to_numpy()
        )
    assert set(c for c in series.columns if c.startswith("events:")) == {"events:battles", "events:riots"}


def test_counts_and_fatalities_are_the_hand_counted_ones():
    """The fixture's events within 100 km of ARG-BOL: Jan rows 1-2 (3+0 dead), Feb row 4 (La Paz,
    row 3, is too far; 1 dead), Mar rows 5-6 (12 dead, row 6 gives no count), Apr rows 7-8 (2+0)."""
    result = CliRunner().invoke(cli, ["trend", "--events", str(FIXTURE), "--focus", "ARG,BOL", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["period"], r["events"], r["fatalities"]) for r in rows] == [
        ("2023-01-01", 2, 3),
        ("2023-02-01", 1, 1),
        ("2023-03-01", 2, 12),
        ("2023-04-01", 2, 2),
    ]
    assert rows[0]["events:battles"] == 1 and rows[0]["events:explosions/remote violence"] == 1
    assert all(r["a"] == "ARG" and r["b"] == "BOL" for r in rows)


def test_json_and_csv_have_the_documented_columns():
    args = ["trend", "--events", str(FIXTURE), "--focus", "ARG,BOL", "--by", "segment", "--every", "quarter"]
    rows = json.loads(CliRunner().invoke(cli, [*args, "--json"]).stdout)
    assert set(rows[0]) >= {"period", "a", "b", "start_km", "end_km", "events", "fatalities", "score"}
    table = list(csv.DictReader(io.StringIO(CliRunner().invoke(cli, [*args, "--csv"]).stdout)))
    assert list(table[0]) == list(rows[0]) and len(table) == len(rows)
    countries = json.loads(CliRunner().invoke(cli, [*args[:-4], "--by", "country", "--json"]).stdout)
    assert {r["country"] for r in countries} == {"ARG", "BOL"} and "a" not in countries[0]


def test_events_without_fatalities_report_none():
    rows = json.loads(CliRunner().invoke(cli, ["trend", "--focus", "ARG,BOL", "--every", "quarter", "--json"]).stdout)
    assert rows and all(r["fatalities"] is None for r in rows)
    assert rows[-1]["score"] == pytest.approx(3.31, abs=0.005)  # `borderrisk score`'s top segment


def test_the_dask_engine_gives_the_same_series(inputs):
    pytest.importorskip("dask_geopandas")
    on_dask = trend(**inputs, focus=FOCUS, every="quarter", by="segment", engine="dask")
    in_memory = trend(**inputs, focus=FOCUS, every="quarter", by="segment")
    pd.testing.assert_frame_equal(on_dask, in_memory, check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_a_chart_for_slides(tmp_path, suffix, magic):
    pytest.importorskip("matplotlib")
    chart = tmp_path / f"trend{suffix}"
    result = CliRunner().invoke(cli, ["trend", "--events", str(FIXTURE), "--focus", "ARG,BOL", "-o", str(chart)])
    assert result.exit_code == 0, result.output
    assert chart.read_bytes().startswith(magic) and chart.stat().st_size > 5000
    if suffix == ".svg":  # nothing that a viewer would fetch: namespaces only, no linked resource
        text = chart.read_text()
        assert 'href="http' not in text and "url(http" not in text and "<image" not in text


def test_bad_options_fail_cleanly(tmp_path):
    assert CliRunner().invoke(cli, ["trend", "--every", "day"]).exit_code == 2
    result = CliRunner().invoke(cli, ["trend", "--focus", "ARG,BOL", "-o", str(tmp_path / "t.txt")])
    assert result.exit_code == 2 and ".png or .svg" in result.output
    assert not (tmp_path / "t.txt").exists()
    for output in ("", str(FIXTURE)):  # the chart checked as every output is: never empty, never an input
        before = FIXTURE.read_bytes()
        result = CliRunner().invoke(cli, ["trend", "--events", str(FIXTURE), "--focus", "ARG,BOL", "-o", output])
        assert result.exit_code == 2, result.output
        assert FIXTURE.read_bytes() == before


@pytest.mark.browser
def test_risk_popups_chart_the_trend_as_inline_svg(tmp_path, offline_page):
    out = tmp_path / "map.html"
    assert CliRunner().invoke(cli, ["map", "-o", str(out)]).exit_code == 0
    offline_page.open(out)
    charts = offline_page.evaluate(
        """() => {
            const group = borderrisk.debug.layer('Risk');
            const layer = group.getLayers()[0];
            layer.fire('click', {latlng: layer.getBounds().getCenter()}, true);
            const popup = [...document.querySelectorAll('.leaflet-popup-content')].pop();
            return [...popup.querySelectorAll('svg.br-popup-chart')].map(svg => ({
                points: svg.querySelector('polyline').getAttribute('points').split(' ').length,
                text: svg.textContent,
                title: svg.previousSibling.textContent,
            }));
        }"""
    )
    assert offline_page.outside_requests == [] and offline_page.errors == []
    assert [c["title"] for c in charts] == [
        "Score by month, this segment",
        "Score by month, whole border (hottest segment)",
    ]
    assert all(c["points"] == 24 for c in charts)  # the last 24 months, to July 2023
    assert "2021-08" in charts[1]["text"] and "2023-07" in charts[1]["text"] and "3.3" in charts[1]["text"]


def test_a_later_first_period_keeps_the_earlier_events_in_the_scores(inputs):
    full = trend(**inputs, focus=FOCUS, every="month", by="segment")
    tail = trend(**inputs, focus=FOCUS, every="month", by="segment", first_period=date(2023, 10, 15))
    assert sorted(set(tail.period)) == [date(2023, 10, 1), date(2023, 11, 1), date(2023, 12, 1)]
    expected = full[full.period >= date(2023, 10, 1)].reset_index(drop=True)
    pd.testing.assert_frame_equal(tail, expected[tail.columns], check_dtype=False)


@pytest.mark.browser
def test_a_recipe_puts_the_top_table_and_the_trend_under_the_map(tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    recipe = tmp_path / "brief.toml"
    recipe.write_text(
        f'events = "{FIXTURE}"\nfocus = ["ARG", "BOL"]\ncompare_to = 2023-02-28\ntop = 5\ntrend = "month"\n'
        'outputs = ["brief.png", "brief.pdf", "brief.html"]\n[image]\nwidth = 800\nheight = 500\ndpi = 96\n'
    )
    result = CliRunner().invoke(cli, ["map", str(recipe)])
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "brief.png") as page:
        width, height = page.size
    assert height > 1.8 * width * 500 / 800  # the map, then the table and the chart under it
    text = PdfReader(tmp_path / "brief.pdf").pages[0].extract_text()
    args = ["score", "--events", str(FIXTURE), "--focus", "ARG,BOL", "--compare-to", "2023-02-28", "--json"]
    hottest = json.loads(CliRunner().invoke(cli, args).stdout)[0]
    assert "Hottest segments" in text and "Border-risk score by month" in text
    assert (
        f"1 ARG–BOL {hottest['start_km']:.0f}–{hottest['end_km']:.0f} {hottest['score']:.2f} {hottest['change']:+.2f}"
        in text
    )
    assert "Hottest segments" not in (tmp_path / "brief.html").read_text()


def test_a_recipe_s_top_and_trend_are_checked(tmp_path):
    from borderrisk.recipes import RecipeError, load_recipe

    recipe = tmp_path / "brief.toml"
    recipe.write_text('trend = "daily"\n')
    with pytest.raises(RecipeError, match="'trend' must be"):
        load_recipe(recipe)
    recipe.write_text("top = -1\n")
    with pytest.raises(RecipeError, match="'top' must be"):
        load_recipe(recipe)
