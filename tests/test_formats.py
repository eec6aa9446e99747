"""Real exports: ACLED CSV and GDELT 2.0 events, read as downloaded, bad rows never silent."""

import json

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.data.errors import InputError
from borderrisk.data.formats import detect_format
from borderrisk.data.formats.gdelt import GDELT2_COLUMNS as GDELT_COLUMNS
from borderrisk.layers.events import EventsLayer

ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
    "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
    "tags,timestamp"
)


def acled_row(
    event_id, date, event_type, sub_type, actor1, actor2, location, lat, lon, precision, fatalities, notes="note"
):
    return (
        f"{event_id},{date},2023,1,Political violence,{event_type},{sub_type},{actor1},,1,{actor2},,2,12,,68,"
        f'South America,Bolivia,Tarija,,,{location},{lat},{lon},{precision},La Razon,National,"{notes}",'
        f"{fatalities},,1690000000"
    )


@pytest.fixture
def acled(tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text(
        "\n".join(
            [
                ACLED_HEADER,
                acled_row(
                    "BOL1",
                    "2023-07-20",
                    "Battles",
                    "Armed clash",
                    "Military Forces of Bolivia",
                    "Smugglers",
                    "Villazon",
                    -22.09,
                    -65.59,
                    1,
                    3,
                ),
                acled_row(
                    "BOL2",
                    "21 July 2023",
                    "Protests",
                    "Peaceful protest",
                    "Protesters (Bolivia)",
                    "",
                    "Yacuiba",
                    -22.01,
                    -63.68,
                    2,
                    0,
                ),
                acled_row(
                    "BOL3",
                    "2023-07-22",
                    "Explosions/Remote violence",
                    "Remote explosive",
                    "Unidentified",
                    "",
                    "Bermejo",
                    -22.73,
                    -64.34,
                    1,
                    60,
                ),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def gdelt_line(
    event_id, date, root, code, goldstein, geo_type, lat, lon, actor1="ARGENTINA", actor2="BOLIVIA", fips="BL"
):
    row = [""] * len(GDELT_COLUMNS)
    values = {
        "GLOBALEVENTID": event_id,
        "SQLDATE": date,
        "Actor1Name": actor1,
        "Actor2Name": actor2,
        "EventCode": code,
        "EventRootCode": root,
        "GoldsteinScale": goldstein,
        "ActionGeo_Type": geo_type,
        "ActionGeo_FullName": "Somewhere",
        "ActionGeo_CountryCode": fips,
        "ActionGeo_Lat": lat,
        "ActionGeo_Long": lon,
        "SOURCEURL": f"https://news.example/{event_id}",
    }
    for name, value in values.items():
        row[GDELT_COLUMNS.index(name)] = str(value)
    return "\t".join(row)


@pytest.fixture
def gdelt(tmp_path):
    path = tmp_path / "20230720.export.CSV"
    path.write_text(
        "\n".join(
            [
                gdelt_line(1001, 20230720, 19, 190, -10, 4, -22.09, -65.59),
                gdelt_line(1002, 20230721, "04", "040", 1.0, 1, -17.0, -65.0),
                gdelt_line(1003, 20230722, 14, 141, -6.5, 3, -22.0, -63.7),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def test_formats_are_told_apart_by_their_header(acled, gdelt, fixtures):
    assert detect_format(acled) == "acled"
    assert detect_format(gdelt) == "gdelt"
    assert detect_format(fixtures / "events_ok.csv") == "borderrisk"


def test_acled_rows_become_events(acled):
    frame = EventsLayer.read(acled).frame
    assert list(frame["type"]) == ["battles", "protests", "explosions/remote violence"]
    assert list(frame.severity) == [3, 1, 5]
    assert list(frame.date.dt.strftime("%Y-%m-%d")) == ["2023-07-20", "2023-07-21", "2023-07-22"]
    assert frame.actors.iloc[0] == ["Military Forces of Bolivia", "Smugglers"]
    assert frame.title.iloc[0] == "Armed clash: Villazon"
    assert list(frame.location_precision) == ["exact", "approximate", "exact"]
    assert frame.geometry.iloc[0].x == -65.59


def test_gdelt_rows_become_events(gdelt):
    frame = EventsLayer.read(gdelt).frame
    assert list(frame["type"]) == ["attack", "statement", "protest"]
    assert list(frame.severity) == [5, 1, 4]
    assert list(frame.location_precision) == ["city", "country", "city"]
    assert list(frame.country) == ["BOL", "BOL", "BOL"]  # FIPS BL
    assert frame.title.iloc[0] == "190: ARGENTINA → BOLIVIA"
    assert frame.source.iloc[1] == "https://news.example/1002"


def test_bad_rows_are_listed_with_their_lines(tmp_path, acled):
    lines = acled.read_text().splitlines()
    lines.insert(2, acled_row("BAD1", "someday", "Battles", "x", "a", "b", "Nowhere", -22, -65, 1, 0))
    lines.insert(4, acled_row("BAD2", "2023-07-23", "Riots", "x", "a", "b", "Nowhere", 95, 200, 1, 0))
    acled.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as error:
        EventsLayer.read(acled)
    found = [(p.where, p.field) for p in error.value.problems]
    assert found == [("line 3", "event_date"), ("line 5", "lat/lon")]  # one problem per row
    assert "--skip-bad-rows" in str(error.value)
    layer = EventsLayer.read(acled, skip_bad_rows=True)
    assert len(layer.frame) == 3 and len(layer.skipped) == 2
    assert layer.skipped.summary() == (
        f"skipped 2 bad row(s) (1 with no usable date, 1 with coordinates out of range): {acled}: line 3, line 5"
    )


def test_skipped_rows_are_reported_by_the_cli(tmp_path, acled):
    acled.write_text(acled.read_text() + acled_row("BAD", "never", "Battles", "x", "a", "b", "N", 1, 1, 1, 0) + "\n")
    strict = CliRunner().invoke(cli, ["score", "--events", str(acled), "--focus", "ARG,BOL"])
    assert strict.exit_code == 1 and "line 5, field 'event_date'" in strict.output
    assert "--skip-bad-rows" in strict.output
    result = CliRunner().invoke(
        cli, ["score", "--events", str(acled), "--focus", "ARG,BOL", "--skip-bad-rows", "--json"]
    )
    assert result.exit_code == 0
    assert f"skipped 1 bad row(s) (1 with no usable date): {acled}: line 5" in result.stderr
    scores = json.loads(result.stdout)
    explained = [f["explanation"] for row in scores for f in row["factors"] if f["name"] == "events"]
    assert scores[0]["score"] > scores[-1]["score"]  # the segments near the events are hotter
    assert any("Armed clash: Villazon" in text for text in explained)


def test_big_files_show_progress_on_stderr(acled, monkeypatch):
    monkeypatch.setattr("borderrisk.cli.progress.BAR_ABOVE_BYTES", 0)
    result = CliRunner().invoke(cli, ["score", "--events", str(acled), "--format", "acled", "--focus", "ARG,BOL"])
    assert result.exit_code == 0
    assert "reading acled.csv" in result.stderr
    assert "reading" not in result.stdout


def test_the_formats_page_shows_every_format_table_as_the_code_has_it():
    from pathlib import Path

    from borderrisk.data.formats.readme import formats_section

    page = (Path(__file__).parents[1] / "docs" / "formats.md").read_text(encoding="utf-8")
    assert formats_section() in page
    for name in ("acled", "gdelt", "gtd", "ucdp"):
        assert f"`--format {name}`" in formats_section()


def test_the_cli_offers_every_format():
    from borderrisk.cli.options import EVENT_FORMATS
    from borderrisk.data.formats import FORMATS

    assert tuple(EVENT_FORMATS) == FORMATS


def test_export_numbers_that_are_not_finite_are_bad_rows_never_a_crash(acled):
    """The finite-number rule in exports: ``inf`` deaths are not a count, and an ``inf``
    latitude leaves half a coordinate; each a bad row named by its line."""
    lines = acled.read_text().splitlines()
    lines.insert(2, acled_row("INF1", "2023-07-22", "Battles", "x", "a", "b", "Villazon", -22.09, -65.59, 1, "inf"))
    lines.insert(3, acled_row("INF2", "2023-07-22", "Battles", "x", "a", "b", "Villazon", "inf", -65.59, 1, 0))
    acled.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as error:
        EventsLayer.read(acled)
    assert [(p.where, p.field) for p in error.value.problems] == [("line 3", "fatalities"), ("line 4", "lat/lon")]
    frame = EventsLayer.read(acled, skip_bad_rows=True).frame.set_index("event_id")
    assert "INF1" not in frame.index and "INF2" not in frame.index
