"""The two standard research datasets: the Global Terrorism Database (CSV and XLSX) and UCDP
GED (as downloaded, and saved as GeoJSON). Rows invented in their exact layouts; the AMIA
bombing of 1994 is a GTD row."""

import json

import pytest

from borderrisk.data.errors import InputError
from borderrisk.data.formats import detect_format
from borderrisk.data.schema import format_date
from borderrisk.layers.events import EventsLayer

from exports import GTD_COLUMNS, UCDP_COLUMNS, gtd_row, table, ucdp_row


@pytest.fixture
def gtd_rows():
    return [
        gtd_row(),  # AMIA, Buenos Aires, 18 July 1994
        gtd_row(eventid="199203170001", iyear="1992", imonth="3", iday="0", nkill="29", city="Buenos Aires"),
        gtd_row(eventid="197000000001", iyear="1970", imonth="0", iday="0", nkill="", gname="Unknown"),
        gtd_row(eventid="201001010001", country_txt="Bolivia", city="", latitude="", longitude="", specificity="5"),
    ]


def check_gtd(frame):
    amia = frame.iloc[0]
    assert amia.title == "Bombing/Explosion: Buenos Aires"
    assert amia["type"] == "attack" and amia.fatalities == 85 and amia.severity == 5
    assert amia.actors == ["Hezbollah"] and amia.country == "ARG"
    assert amia.date.strftime("%Y-%m-%d") == "1994-07-18"
    assert list(frame.date_precision) == ["day", "month", "year", "day"]
    assert list(frame.date.dt.strftime("%Y-%m-%d"))[1:3] == ["1992-03-01", "1970-01-01"]
    assert frame.severity.isna().iloc[2]  # nkill unknown: the model uses its default severity
    bolivia = frame.iloc[3]  # no coordinates: located to its country, at the seat of government
    assert bolivia.location_precision == "country" and bolivia.country == "BOL"


def test_gtd_csv(tmp_path, gtd_rows):
    path = tmp_path / "globalterrorismdb_0522dist.csv"
    path.write_text(table(GTD_COLUMNS, gtd_rows), encoding="cp1252")
    assert detect_format(path) == "gtd"
    check_gtd(EventsLayer.read(path).frame)


def test_gtd_xlsx_as_downloaded(tmp_path, gtd_rows):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(GTD_COLUMNS)
    for row in gtd_rows:
        sheet.append([_typed(row.get(c, "")) for c in GTD_COLUMNS])
    path = tmp_path / "globalterrorismdb_0522dist.xlsx"
    book.save(path)
    assert detect_format(path) == "gtd"
    layer = EventsLayer.read(path)
    check_gtd(layer.frame)


def _typed(text):
    """Numbers as the spreadsheet stores them (GTD's XLSX has numeric cells)."""
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text or None


def test_gtd_bad_rows_name_their_spreadsheet_row(tmp_path, gtd_rows):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(GTD_COLUMNS)
    for row in [*gtd_rows, gtd_row(iyear="", latitude="", longitude="")]:
        book.active.append([_typed(row.get(c, "")) for c in GTD_COLUMNS])
    path = tmp_path / "gtd.xlsx"
    book.save(path)
    layer = EventsLayer.read(path, skip_bad_rows=True)
    assert [p.where for p in layer.skipped.problems] == ["row 6"]


def test_ucdp_ged_csv(tmp_path):
    rows = [
        ucdp_row(),
        ucdp_row(id="2", type_of_violence="3", best="0", where_prec="6", country="Russia (Soviet Union)"),
        ucdp_row(id="3", type_of_violence="2", country="Yemen (North Yemen)", latitude="15.35", longitude="44.2"),
    ]
    path = tmp_path / "GEDEvent_v24_1.csv"
    path.write_text(table(UCDP_COLUMNS, rows))
    assert detect_format(path) == "ucdp"
    frame = EventsLayer.read(path).frame
    assert list(frame["type"]) == ["battles", "violence against civilians", "battles"]
    assert list(frame.country) == ["RUS", "RUS", "YEM"]
    assert list(frame.location_precision) == ["exact", "country", "exact"]
    assert list(frame.fatalities) == [12, 0, 12]
    assert frame.end_date.iloc[0].strftime("%Y-%m-%d") == "1995-01-03"
    assert frame.actors.iloc[0] == ["Government of Russia (Soviet Union)", "Chechen Republic of Ichkeria"]


def test_ucdp_ged_dates_are_only_as_precise_as_date_prec_says(tmp_path):
    """GED dates an event it cannot pin down by its first possible day, and says so in
    ``date_prec`` (as UCDP's Syria 2016-2019 file does for 258 of its 16,566 events)."""
    spans = [("1", "2016-03-02", "2016-03-02"), ("2", "2016-03-02", "2016-03-06"), ("3", "2016-03-07", "2016-03-13")]
    spans += [("4", "2016-03-01", "2016-03-31"), ("5", "2016-01-01", "2016-12-31"), ("", "2016-03-02", "2016-03-02")]
    rows = [ucdp_row(id=str(i), date_prec=p, date_start=s, date_end=e) for i, (p, s, e) in enumerate(spans)]
    path = tmp_path / "ged_syria.csv"
    path.write_text(table(UCDP_COLUMNS, rows))
    frame = EventsLayer.read(path).frame
    assert list(frame.date_precision) == ["day", "week", "week", "month", "year", "day"]
    shown = [format_date(d, p) for d, p in zip(frame.date, frame.date_precision)]
    assert shown == ["2016-03-02", "2016-03-02~", "2016-03-07~", "2016-03", "2016", "2016-03-02"]


def ucdp_feature(row, point=True):
    """A GED row as GIS tools save it (as the public per-country GeoJSON extracts are): numbers
    typed, dates as ISO date-times, latitude and longitude moved into a point geometry."""
    numbers = ("id", "year", "type_of_violence", "where_prec", "best")
    properties = {k: int(v) if k in numbers else v for k, v in row.items()}
    lat, lon = float(properties.pop("latitude")), float(properties.pop("longitude"))
    for name in ("date_start", "date_end"):
        properties[name] = properties[name][:10] + "T00:00:00"
    geometry = {"type": "Point", "coordinates": [lon, lat]} if point else None
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def test_ucdp_ged_saved_as_geojson_is_read_as_ged(tmp_path):
    features = [
        ucdp_feature(ucdp_row()),
        ucdp_feature(ucdp_row(id="2", type_of_violence="3", best="0", date_start="1996-08-06", date_end="1996-08-06")),
    ]
    path = tmp_path / "GEDEvent_v23_1.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert detect_format(path) == "ucdp"
    frame = EventsLayer.read(path).frame
    assert list(frame["type"]) == ["battles", "violence against civilians"]
    assert list(frame.date.dt.strftime("%Y-%m-%d")) == ["1995-01-02", "1996-08-06"]
    assert frame.end_date.iloc[0].strftime("%Y-%m-%d") == "1995-01-03"
    assert list(frame.fatalities) == [12, 0] and list(frame.country) == ["RUS", "RUS"]
    assert (frame.lat.round(4).tolist(), frame.lon.round(4).tolist()) == ([43.3125] * 2, [45.6986] * 2)


def test_a_ged_feature_without_a_point_is_named_by_its_feature_number(tmp_path):
    features = [ucdp_feature(ucdp_row()), ucdp_feature(ucdp_row(id="2", country=""), point=False)]
    path = tmp_path / "ged.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(InputError) as error:
        EventsLayer.read(path)
    assert [(p.where, p.message) for p in error.value.problems] == [
        ("feature 2", "no location: no coordinates, and no place or country that resolves offline")
    ]


def test_a_gis_export_naming_a_column_twice_is_refused_not_read_from_either(tmp_path):
    feature = ucdp_feature(ucdp_row())
    feature["properties"]["Date_Start"] = "1999-01-01T00:00:00"  # date_start again, in other case
    path = tmp_path / "ged.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(InputError, match="'Date_Start': is given twice"):
        EventsLayer.read(path)


def test_a_gtd_subset_without_its_ids_is_still_gtd(tmp_path):
    """Analysts keep a few GTD columns (its date triple, place and deaths) and drop the rest,
    eventid among them: the date triple alone says GTD, and each row is an attack."""
    columns = ["iyear", "imonth", "iday", "region_txt", "country_txt", "latitude", "longitude", "nwound", "nkill"]
    rows = [
        {
            "iyear": "2000",
            "imonth": "1",
            "iday": "2",
            "country_txt": "Colombia",
            "latitude": "4.66",
            "longitude": "-74.1",
            "nkill": "0.0",
        },
        {
            "iyear": "2000",
            "imonth": "3",
            "iday": "0",
            "country_txt": "Bolivia",
            "latitude": "-16.5",
            "longitude": "-68.15",
            "nkill": "3.0",
        },
    ]
    path = tmp_path / "terrorism.csv"
    path.write_text(table(columns, rows))
    assert detect_format(path) == "gtd"
    frame = EventsLayer.read(path).frame
    assert list(frame["date"].dt.strftime("%Y-%m-%d")) == ["2000-01-02", "2000-03-01"]
    assert list(frame["date_precision"]) == ["day", "month"]
    assert list(frame["fatalities"]) == [0, 3] and set(frame["type"]) == {"attack"}


def test_a_gtd_subset_that_kept_only_the_id_dates_its_rows_by_the_id(tmp_path):
    """GTD's eventid is its date (yyyymmdd, 00 where unknown) and a case number: a subset that
    kept the id and dropped the date triple is dated by it, at the precision it states."""
    columns = ["", "eventid", "country_txt", "region_txt", "attacktype1_txt", "nkill"]
    rows = [
        {
            "": "1",
            "eventid": "201709230015",
            "country_txt": "Colombia",
            "attacktype1_txt": "Armed Assault",
            "nkill": "2",
        },
        {
            "": "2",
            "eventid": "201712000002",
            "country_txt": "Bolivia",
            "attacktype1_txt": "Bombing/Explosion",
            "nkill": "0",
        },
    ]
    path = tmp_path / "gtd.csv"
    path.write_text(table(columns, rows))
    assert detect_format(path) == "gtd"
    frame = EventsLayer.read(path).frame
    assert list(frame["date"].dt.strftime("%Y-%m-%d")) == ["2017-09-23", "2017-12-01"]
    assert list(frame["date_precision"]) == ["day", "month"]
    assert list(frame["country"]) == ["COL", "BOL"] and set(frame["location_precision"]) == {"country"}


def test_gtd_counts_its_codebook_calls_unknown_are_unknown_not_bad_rows(tmp_path):
    """A real GTD subset writes -999 for an unknown nkill: missing, as an empty cell is."""
    rows = [gtd_row(nkill=value, eventid=f"19940718000{i}") for i, value in enumerate(["-99", "-999", "-9", "3"])]
    path = tmp_path / "gtd.csv"
    path.write_text(table(GTD_COLUMNS, rows))
    frame = EventsLayer.read(path).frame
    assert frame.fatalities.isna().tolist() == [True, True, True, False]
    assert frame.severity.isna().tolist() == [True, True, True, False]


def test_a_negative_count_is_still_a_bad_row_where_the_codebook_has_no_such_code(tmp_path):
    path = tmp_path / "gtd.csv"
    path.write_text(table(GTD_COLUMNS, [gtd_row(nkill="-5")]))
    with pytest.raises(InputError, match="not a whole number from 0"):
        EventsLayer.read(path)
