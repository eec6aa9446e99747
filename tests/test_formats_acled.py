"""ACLED as analysts download it, every vintage: today's CSV, 2015's UPPER CASE file with the old
event types, spreadsheet and R and pandas round trips, and the API's JSON."""

import pandas as pd
import pytest

from borderrisk.data.errors import InputError
from borderrisk.data.formats import detect_format
from borderrisk.data.formats.acled import OLD_EVENT_TYPES
from borderrisk.layers.events import EventsLayer

from exports import (
    ACLED_2015_COLUMNS,
    ACLED_COLUMNS,
    acled_2015_row,
    acled_api_json,
    acled_row,
    table,
)


def read(path, **options):
    return EventsLayer.read(path, **options).frame


def test_a_2015_export_reads_with_its_old_event_types_mapped_onto_todays(tmp_path):
    path = tmp_path / "acled-2015.csv"
    rows = [
        acled_2015_row(),
        acled_2015_row(EVENT_ID_CNTY="BOL11", EVENT_DATE="12-March-2015", EVENT_TYPE="Remote violence", FATALITIES="0"),
        acled_2015_row(EVENT_ID_CNTY="BOL12", EVENT_TYPE="Riots/Protests", ACTOR2="", TIME_PRECISION="2"),
        acled_2015_row(EVENT_ID_CNTY="BOL13", EVENT_TYPE="Violence against civilians", TIME_PRECISION="3"),
        acled_2015_row(EVENT_ID_CNTY="BOL14", EVENT_TYPE="Strategic development", FATALITIES="55"),
    ]
    path.write_text(table(ACLED_2015_COLUMNS, rows))
    assert detect_format(path) == "acled"
    frame = read(path)
    assert list(frame["type"]) == [
        "battles",
        "explosions/remote violence",
        "protests",
        "violence against civilians",
        "strategic developments",
    ]
    assert list(frame.date.dt.strftime("%Y-%m-%d")) == ["2015-01-01", "2015-03-12", *["2015-01-01"] * 3]
    assert list(frame.date_precision) == ["day", "day", "week", "month", "day"]
    assert list(frame.fatalities) == [2, 0, 2, 2, 55]
    assert list(frame.severity) == [2, 1, 2, 2, 5]
    assert frame.title.iloc[0] == "Battle-No change of territory: Villazon"  # no sub-types before 2019
    assert frame.actors.iloc[2] == ["Military Forces of Bolivia (2006-2019)"]


def test_every_old_event_type_maps_onto_one_of_todays_six():
    today = {
        "battles",
        "explosions/remote violence",
        "violence against civilians",
        "riots",
        "protests",
        "strategic developments",
    }
    assert set(OLD_EVENT_TYPES.values()) <= today


def test_spreadsheet_dates_r_na_cells_and_a_pandas_index_column_read_the_same(tmp_path):
    rows = [
        acled_row(event_date="9-May-20", actor2="NA", notes="NA"),
        acled_row(event_id_cnty="BOL2", event_date="16 July 2023", actor2="NA"),
    ]
    text = table(ACLED_COLUMNS, rows)
    lines = text.splitlines()
    indexed = "\n".join([f",{lines[0]}"] + [f"{i},{line}" for i, line in enumerate(lines[1:])]) + "\n"
    path = tmp_path / "from-pandas-and-r.csv"
    path.write_text(indexed)
    frame = read(path)
    assert list(frame.date.dt.strftime("%Y-%m-%d")) == ["2020-05-09", "2023-07-16"]
    assert frame.actors.iloc[0] == ["Military Forces of Bolivia (2020-)"]  # R's NA is no actor
    assert frame.description.iloc[0] == ""
    assert list(frame.country) == ["BOL", "BOL"]


def test_the_api_json_answer_reads_like_the_csv(tmp_path):
    rows = [acled_row(), acled_row(event_id_cnty="BOL2", event_type="Protests", sub_event_type="Peaceful protest")]
    as_json = tmp_path / "acled-api.json"
    as_json.write_text(acled_api_json(rows))
    as_csv = tmp_path / "acled-api.csv"
    as_csv.write_text(table(ACLED_COLUMNS, rows))
    from_json, from_csv = read(as_json), read(as_csv)
    assert detect_format(as_json) == "acled"
    assert list(from_json["type"]) == ["battles", "protests"]
    pd.testing.assert_frame_equal(from_json, from_csv, check_dtype=False)


def test_an_api_answer_naming_a_field_twice_is_refused_naming_it(tmp_path):
    as_json = tmp_path / "acled-api.json"
    as_json.write_text(acled_api_json([{**acled_row(), "EVENT_DATE": "1999-01-01"}]))
    with pytest.raises(InputError, match="'EVENT_DATE': is given twice"):
        read(as_json)


def test_country_names_as_acled_writes_them_resolve(tmp_path):
    names = {
        "Democratic Republic of Congo": "COD",
        "Republic of Congo": "COG",
        "Caribbean Netherlands": "NLD",
        "eSwatini": "SWZ",
        "Ivory Coast": "CIV",
        "Czech Republic": "CZE",
        "Bosnia and Herzegovina": "BIH",
        "United States": "USA",
    }
    rows = [acled_row(event_id_cnty=f"X{i}", country=name) for i, name in enumerate(names)]
    path = tmp_path / "countries.csv"
    path.write_text(table(ACLED_COLUMNS, rows))
    assert list(read(path).country) == list(names.values())


def test_an_unknown_country_is_a_bad_row_only_when_the_row_needs_it_for_its_place(tmp_path):
    path = tmp_path / "unknown-country.csv"
    rows = [
        acled_row(),
        acled_row(event_id_cnty="X", country="Atlantis", latitude="", longitude=""),
        acled_row(event_id_cnty="Y", country="Oceans", latitude="-30.5", longitude="-40.25"),  # coordinates win
    ]
    path.write_text(table(ACLED_COLUMNS, rows))
    layer = EventsLayer.read(path, skip_bad_rows=True)
    assert list(layer.frame.event_id) == ["BOL1", "Y"]
    assert (layer.frame.lat.iloc[1], layer.frame.lon.iloc[1]) == (-30.5, -40.25)
    assert "1 with an unknown country" in layer.skipped.summary()
    assert "'Atlantis'" in str(layer.skipped.problems[0])


def test_missing_required_columns_are_named(tmp_path):
    path = tmp_path / "no-dates.csv"
    path.write_text("event_id_cnty,event_type,actor1,latitude,longitude\nX,Battles,A,1,1\n")
    with pytest.raises(Exception, match=r"event_date.*required acled column is missing"):
        read(path, format="acled")


def test_cells_that_are_not_finite_numbers_are_bad_rows_never_unknown_deaths(tmp_path):
    path = tmp_path / "infinite.csv"
    rows = [acled_row(fatalities="inf"), acled_row(event_id_cnty="B", latitude="nan"), acled_row(event_id_cnty="C")]
    path.write_text(table(ACLED_COLUMNS, rows))
    layer = EventsLayer.read(path, skip_bad_rows=True)
    assert list(layer.frame.event_id) == ["C"]
    assert "1 with an unreadable coordinate" in layer.skipped.summary()
    assert "1 with a count that is not a whole number" in layer.skipped.summary()


def test_an_export_keeps_its_first_level_region_for_where_admin1(tmp_path):
    from borderrisk.data.filters import filter_events

    path = tmp_path / "acled.csv"
    rows = [acled_row(), acled_row(event_id_cnty="BOL2", admin1="Tarija"), acled_row(event_id_cnty="BOL3", admin1="")]
    path.write_text(table(ACLED_COLUMNS, rows))
    frame = read(path)
    assert list(frame["admin1"].fillna("")) == ["Potosi", "Tarija", ""]
    assert len(filter_events(frame, ["admin1=Tarija"])) == 1
    assert len(filter_events(frame, ["admin1=Potosí"])) == 1  # accents ignored


def test_a_few_acled_columns_kept_by_name_are_still_acled(tmp_path):
    """An analyst's cut of an ACLED export (its date, type, deaths and point, named as ACLED
    names them) reads as ACLED: event_date and event_type with any other column of ACLED's
    own tell it, where a table that merely has a date and a type is not taken for ACLED."""
    path = tmp_path / "acled.csv"
    path.write_text(
        "event_date,latitude,longitude,fatalities,event_type\n"
        "2018-03-03,40.4795,44.2952,0,Protests\n"
        "2018-04-07,39.8177,46.7528,2,Battles\n"
    )
    assert detect_format(path) == "acled"
    frame = EventsLayer.read(path).frame
    assert list(frame["type"]) == ["protests", "battles"] and list(frame["fatalities"]) == [0, 2]
    other = tmp_path / "other.csv"
    other.write_text("event_date,event_type,latitude,longitude,title\n2018-03-03,fire,40.5,44.3,a fire\n")
    assert detect_format(other) == "borderrisk"
