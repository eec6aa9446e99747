"""Readers and schema: files in, validated records out, and every problem named precisely."""

import pytest

from borderrisk.data.errors import InputError
from borderrisk.data.readers import read_records
from borderrisk.data.schema import AGREEMENTS, EVENTS, MEMBERSHIPS, parse_date


def problems_of(path, record_type):
    with pytest.raises(InputError) as error:
        read_records(path, record_type)
    return error.value.problems


def test_dates_keep_the_precision_the_source_gives():
    assert parse_date("2023-07-16") == (parse_date("2023-07-16")[0], "day")
    assert parse_date("2010-10")[1] == "month"
    assert parse_date("2007")[1] == "year"
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("2023-02-30")


def test_events_resolve_places_and_keep_extra_columns(fixtures):
    frame = read_records(fixtures / "events_ok.csv", EVENTS)
    assert list(frame.title) == ["Ministers meet", "Patrol sighted", "Border incident"]
    assert list(frame.date_precision) == ["day", "month", "year"]
    assert list(frame.location_precision) == ["city", "exact", "city"]
    assert frame.country.iloc[0] == "IRN" and frame.country.iloc[2] == "BOL"
    assert frame.geometry.iloc[1].x == -65.6
    assert frame.actors.iloc[0] == ["Minister A", "Minister B"]
    assert frame.crs.to_epsg() == 4326


def test_a_country_as_place_is_located_at_its_seat_and_says_so(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("date,title,type,place\n2011-06,Visit,visit,Bolivia\n", encoding="utf-8")
    frame = read_records(path, EVENTS)
    assert frame.location_precision.iloc[0] == "country"
    assert frame.geometry.iloc[0].y == pytest.approx(-16.5, abs=0.1)  # La Paz


def test_every_bad_row_is_reported_with_line_and_field(fixtures):
    problems = problems_of(fixtures / "events_bad.csv", EVENTS)
    found = {(p.where, p.field) for p in problems}
    assert found == {
        ("line 2", "date"),
        ("line 3", "lat"),
        ("line 4", "place"),
        ("line 5", "date"),
        ("line 6", "title"),
    }
    assert all(p.file.endswith("events_bad.csv") for p in problems)
    message = str(InputError(problems))
    assert "5 problems" in message
    assert "line 3, field 'lat': 95 is out of range [-90, 90]" in message
    assert "Xyzzyville" in message


def test_a_missing_required_column_is_named(fixtures):
    (problem,) = problems_of(fixtures / "events_missing_column.csv", EVENTS)
    assert (problem.where, problem.field) == ("header", "type")


def test_broken_geojson_names_the_file(fixtures):
    (problem,) = problems_of(fixtures / "broken.geojson", EVENTS)
    assert problem.file.endswith("broken.geojson")
    assert "cannot be read" in problem.message


def test_geojson_problems_name_the_feature(fixtures):
    (problem,) = problems_of(fixtures / "events.geojson", EVENTS)
    assert (problem.where, problem.field) == ("feature 2", "date")


def test_geojson_points_give_the_location(tmp_path, fixtures):
    good = tmp_path / "good.geojson"
    good.write_text((fixtures / "events.geojson").read_text().replace("2023-13-01", "2023-12-01"))
    frame = read_records(good, EVENTS)
    assert list(frame.location_precision) == ["exact", "exact"]
    assert frame.geometry.iloc[0].x == -65.6


def test_geopackage_and_geoparquet_are_read(tmp_path, fixtures):
    frame = read_records(fixtures / "events_ok.csv", EVENTS)[["date", "title", "type", "geometry"]]
    frame = frame.assign(date=frame.date.dt.strftime("%Y-%m-%d"))
    frame.to_file(tmp_path / "e.gpkg")
    frame.to_parquet(tmp_path / "e.parquet")
    for name in ("e.gpkg", "e.parquet"):
        assert list(read_records(tmp_path / name, EVENTS).title) == list(frame.title)


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ("BOL,2023,mou,signed", "parties", "fewer than two"),
        ("BOL;Atlantis,2023,mou,signed", "parties", "unknown country"),
        ("BOL;IRN,2023,mou,rumoured", "status", "not one of"),
    ],
)
def test_agreement_rows_are_checked(tmp_path, row, field, message):
    path = tmp_path / "a.csv"
    path.write_text(f"parties,date,type,status\n{row}\n", encoding="utf-8")
    (problem,) = problems_of(path, AGREEMENTS)
    assert (problem.where, problem.field) == ("line 2", field)
    assert message in problem.message


def test_memberships_resolve_countries(fixtures):
    frame = read_records(fixtures / "alliances_ok.csv", MEMBERSHIPS)
    assert list(frame.country) == ["BOL", "PER"]


def test_unknown_file_types_and_missing_files_are_problems(tmp_path):
    (problem,) = problems_of(tmp_path / "nope.csv", EVENTS)
    assert problem.message == "no such file"
    (tmp_path / "x.ods").write_bytes(b"")
    (problem,) = problems_of(tmp_path / "x.ods", EVENTS)
    assert "unknown file type" in problem.message
    (tmp_path / "x.xlsx").write_bytes(b"")  # a workbook is read; a broken one is a problem
    (problem,) = problems_of(tmp_path / "x.xlsx", EVENTS)
    assert "is not a readable .xlsx workbook" in problem.message


def test_non_utf8_text_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("date,title,type,place\n2023,Caf\xe9,visit,Tehran\n".encode("latin-1"))
    (problem,) = problems_of(path, EVENTS)
    assert "UTF-8" in problem.message
