"""--where and the date window: which events count, counted by hand on a small fixture.

tests/fixtures/events_filters.csv, row by row (1-based):
  1 battles, BOL, sev 4, Reuters, actors "... IRGC advisers", 3 dead, Tarija
  2 explosions/remote violence, BOL, sev 3, AFP, "... (IRGC)", 0 dead, Tarija
  3 protests, BOL, sev 1, reuters.com URL, 0 dead, La Paz
  4 riots, ARG, sev 2, Clarín, 1 dead, Jujuy
  5 battles, ARG, sev 5, La Nación, 12 dead, Salta
  6 strategic developments, BOL, sev 1, "Reuters; AFP", actor "Irgcx Front", no count, Tarija
  7 explosions/remote violence, BOL, sev 4, El Deber, no actor, 2 dead, Potosí
  8 Battles, BOL, sev 3, "Reutersx", actor "irgc", 0 dead, "tarija"
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.data.filters import FilterError, filter_events, parse_condition
from borderrisk.layers.events import EventsLayer

FIXTURE = Path(__file__).parent / "fixtures" / "events_filters.csv"


@pytest.fixture(scope="module")
def events():
    return EventsLayer.read(FIXTURE).frame


def rows(frame):
    """The fixture's 1-based row numbers left in a filtered frame."""
    return sorted(int(i) + 1 for i in frame.index)


@pytest.mark.parametrize(
    "conditions, expected",
    [
        (["type=battles,explosions/remote violence"], [1, 2, 5, 7, 8]),
        (["actor~IRGC"], [1, 2, 8]),
        (["actor~revolutionary guard"], [2]),
        (["actor=irgc"], [8]),
        (["country=BOL"], [1, 2, 3, 6, 7, 8]),
        (["country=Bolivia"], [1, 2, 3, 6, 7, 8]),
        (["severity>=3"], [1, 2, 5, 7, 8]),
        (["severity!=3"], [1, 3, 4, 5, 6, 7]),
        (["fatalities>=1"], [1, 4, 5, 7]),
        (["fatalities<1"], [2, 3, 8]),
        (["source~Reuters"], [1, 3, 6]),
        (["admin1=Tarija"], [1, 2, 6, 8]),
        (["admin1=Potosi"], [7]),
        (["admin1!=Tarija"], [3, 4, 5, 7]),
        (["type=battles", "country=BOL"], [1, 8]),
        (["type = battles , riots", "fatalities >= 1"], [1, 4, 5]),
        (["title~villazon"], [1]),
    ],
)
def test_conditions_keep_the_hand_counted_rows(events, conditions, expected):
    assert rows(filter_events(events, conditions)) == expected


def test_a_date_window_keeps_whole_days_at_both_ends(events):
    from datetime import date

    assert rows(filter_events(events, since=date(2023, 2, 11), until=date(2023, 3, 3))) == [3, 4, 5]
    assert rows(filter_events(events, "country=ARG", since=date(2023, 3, 1))) == [5]


@pytest.mark.parametrize(
    "text, named",
    [
        ("colour=red", "unknown field 'colour'"),
        ("severity=>3", "unknown operator '=>'"),
        ("severity~3", "operator '~' does not apply to 'severity'"),
        ("fatalities>=many", "fatalities takes finite numbers"),
        ("country=Atlantis", "Atlantis"),
        ("type", "is not FIELD OP VALUE"),
        ("type=", "no value"),
    ],
)
def test_bad_conditions_name_what_is_wrong(text, named):
    with pytest.raises(FilterError, match=named):
        parse_condition(text)


def test_a_field_the_events_do_not_carry_is_an_error_naming_it(events):
    with pytest.raises(FilterError, match="no column for 'fatalities'"):
        filter_events(events.drop(columns="fatalities"), "fatalities>=1")


def test_the_dask_engine_filters_the_same_rows(events):
    dask_geopandas = pytest.importorskip("dask_geopandas")
    lazy = dask_geopandas.from_geopandas(events, npartitions=3)
    kept = filter_events(lazy, ["type=battles,explosions/remote violence", "actor~IRGC"]).compute()
    assert rows(kept) == [1, 2, 8]


def score(*args):
    return CliRunner().invoke(cli, ["score", "--events", str(FIXTURE), "--focus", "ARG,BOL", *args])


def test_score_counts_only_the_events_that_match():
    everything = json.loads(score("--json").stdout)
    battles = json.loads(score("--where", "type=battles", "--where", "country=ARG", "--json").stdout)
    counted = [f for s in battles for f in s["factors"] if f["name"] == "events" and f["contribution"]]
    assert counted and all("1 event(s)" in f["explanation"] for f in counted)
    assert all("Battle near Salvador Mazza" in f["explanation"] for f in counted)
    assert sum(s["score"] for s in battles) < sum(s["score"] for s in everything)


def test_score_since_until_is_the_window_that_counts():
    result = score("--since", "2023-03-01", "--until", "2023-03", "--json")
    assert result.exit_code == 0, result.output
    assert "as of 2023-03-31" in result.stderr
    explained = " ".join(f["explanation"] for s in json.loads(result.stdout) for f in s["factors"])
    assert "Battle near Salvador Mazza" in explained and "Clash near Villazón" not in explained


@pytest.mark.parametrize("bad, named", [("colour=red", "unknown field 'colour'"), ("severity=>3", "'=>'")])
def test_a_bad_where_is_a_usage_error(bad, named):
    result = score("--where", bad)
    assert result.exit_code == 2
    assert named in result.output and "Traceback" not in result.output


def test_a_column_gdelt_lacks_fails_cleanly_naming_it():
    from exports import REAL_GDELT_ZIP

    args = ["score", "--events", str(REAL_GDELT_ZIP), "--skip-bad-rows", "--where", "fatalities>=1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "no column for 'fatalities'" in result.output and "Traceback" not in result.output


def test_acled_exports_filter_by_their_own_columns(tmp_path):
    from exports import ACLED_COLUMNS, acled_row, table

    rows = [
        acled_row(event_id_cnty="BOL1", actor2="Islamic Revolutionary Guard Corps (IRGC)", fatalities="0"),
        acled_row(event_id_cnty="BOL2", event_type="Explosions/Remote violence", location="Tarija", fatalities="2"),
        acled_row(event_id_cnty="BOL3", event_type="Protests", location="Tarija", fatalities="0"),
    ]
    export = tmp_path / "acled.csv"
    export.write_text(table(ACLED_COLUMNS, rows))
    frame = EventsLayer.read(export).frame
    assert rows_of(frame, ["type=battles,explosions/remote violence"]) == ["BOL1", "BOL2"]
    assert rows_of(frame, ["actor~IRGC"]) == ["BOL1"]
    assert rows_of(frame, ["place=Tarija", "fatalities>=1"]) == ["BOL2"]
    assert rows_of(frame, ["country=BOL", "source~razon"]) == ["BOL1", "BOL2", "BOL3"]


def rows_of(frame, conditions):
    return sorted(filter_events(frame, conditions).event_id)


def test_the_map_draws_and_scores_only_the_matching_events():
    from borderrisk.recipes import Recipe, build

    m = build(Recipe(events=[FIXTURE], focus=["ARG", "BOL"], where=["actor~IRGC"]))
    assert len(m.layers["events"]) == 3
    explained = " ".join(f["explanation"] for row in m.layers["risk"].frame.factors for f in row)
    assert "Battle near Salvador Mazza" not in explained and "Clash near Villazón" in explained


def test_map_where_overrides_the_recipe_and_a_bad_recipe_where_names_the_key(tmp_path):
    recipe = tmp_path / "brief.toml"
    recipe.write_text(f'events = "{FIXTURE}"\nfocus = ["ARG", "BOL"]\nwhere = ["country=ARG"]\noutputs = "m.html"\n')
    from borderrisk.recipes import load_recipe

    assert load_recipe(recipe).where == ["country=ARG"]
    result = CliRunner().invoke(cli, ["map", str(recipe), "--where", "severity>=5", "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 0, result.output
    assert "1 events" in (tmp_path / "m.html").read_text()
    recipe.write_text('where = ["colour=red"]\n')
    result = CliRunner().invoke(cli, ["map", str(recipe)])
    assert result.exit_code == 1 and "brief.toml: 'where': unknown field 'colour'" in result.output


def test_convert_writes_only_the_matching_events(tmp_path):
    import geopandas as gpd

    result = CliRunner().invoke(
        cli, ["convert", "--events", str(FIXTURE), "--where", "admin1=Tarija", "-o", str(tmp_path / "d")]
    )
    assert result.exit_code == 0, result.output
    assert sorted(gpd.read_parquet(tmp_path / "d").title) == sorted(
        ["Clash near Villazón", "Shelling of an outpost", "Headquarters set up", "Battle at a crossing"]
    )


@pytest.mark.parametrize("engine", ["pandas", "dask"])
def test_a_geoparquet_folder_is_filtered_as_it_is_read(tmp_path, engine):
    folder = tmp_path / "events"
    assert CliRunner().invoke(cli, ["convert", "--events", str(FIXTURE), "-o", str(folder)]).exit_code == 0
    where = ["--where", "type=battles,explosions/remote violence", "--where", "actor~IRGC", "--json"]
    from_csv = json.loads(score(*where).stdout)
    result = CliRunner().invoke(
        cli, ["score", "--events", str(folder), "--focus", "ARG,BOL", "--engine", engine, *where]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == from_csv
    trend = CliRunner().invoke(cli, ["trend", "--events", str(folder), "--focus", "ARG,BOL", *where])
    assert [r["events"] for r in json.loads(trend.stdout)] == [2, 0, 0, 1]  # rows 1, 2 (Jan) and 8 (Apr)
