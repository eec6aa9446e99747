"""Tables as real files arrive: header-less GDELT dumps of either separator and mixed widths,
HXL hashtag rows (under a pandas index column too), workbooks whose dimension tag lies, UCDP API
answers and website exports, ACLED without coordinates."""

import csv
import json
import logging
import re
import zipfile

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.data.errors import InputError
from borderrisk.data.formats import detect_format, read_events
from borderrisk.data.formats.gdelt import GDELT1_BACKFILE_COLUMNS, GDELT1_COLUMNS, GDELT2_COLUMNS
from borderrisk.layers.events import EventsLayer

from exports import ACLED_COLUMNS, REAL_GDELT_ZIP, UCDP_COLUMNS, acled_row, table, ucdp_row


@pytest.fixture(scope="module")
def real_rows():
    with zipfile.ZipFile(REAL_GDELT_ZIP) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    return [row for row in csv.reader(text.splitlines(), delimiter="\t")][:200]


def _columns(row, columns):
    return [row[GDELT2_COLUMNS.index(c)] for c in columns]


def _published(real_rows, tmp_path):
    path = tmp_path / "published.CSV"
    path.write_text("\n".join("\t".join(r) for r in real_rows) + "\n")
    return read_events(path, skip_bad_rows=True)[0]


def test_a_gdelt_1_file_mixing_57_and_58_columns_reads_every_row_by_its_width(real_rows, tmp_path):
    widths = [GDELT1_BACKFILE_COLUMNS if i % 3 else GDELT1_COLUMNS for i in range(len(real_rows))]
    path = tmp_path / "20130401.export.CSV"
    path.write_text("\n".join("\t".join(_columns(r, w)) for r, w in zip(real_rows, widths)) + "\n")
    assert detect_format(path) == "gdelt"
    frame, skipped = read_events(path, skip_bad_rows=True)
    assert "with the wrong number of fields" not in skipped.reasons
    expected = _published(real_rows, tmp_path)
    assert sorted(frame.event_id) == sorted(expected.event_id)
    with_url = {r[0] for r, w in zip(real_rows, widths) if w is GDELT1_COLUMNS}
    assert set(frame[frame.source != ""].event_id) == with_url & set(frame.event_id)  # 58 columns: a SOURCEURL


def test_a_database_dump_comma_separated_quoted_with_null_reads_as_gdelt(real_rows, tmp_path):
    path = tmp_path / "gdelt_dump.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerows([[cell or "NULL" for cell in row] for row in real_rows])
    assert detect_format(path) == "gdelt"
    frame, _ = read_events(path, skip_bad_rows=True)
    expected = _published(real_rows, tmp_path)
    assert list(frame.event_id) == list(expected.event_id)
    assert list(frame.actors) == list(expected.actors)  # NULL is no actor


def test_an_hxl_hashtag_row_is_left_out_not_counted_and_said_with_v(tmp_path, caplog):
    path = tmp_path / "hdx.csv"
    tags = {"event_date": "#date+start", "latitude": "#geo+lat", "longitude": "#geo+lon", "country": "#country+name"}
    hashtags = {c: tags.get(c, "") for c in ACLED_COLUMNS}
    path.write_text(table(ACLED_COLUMNS, [hashtags, acled_row(), acled_row(event_id_cnty="BOL2")]))
    with caplog.at_level(logging.INFO, logger="borderrisk"):
        layer = EventsLayer.read(path)
    assert len(layer.frame) == 2 and not layer.skipped.reasons
    assert "HXL hashtag row" in caplog.text
    bad = tmp_path / "hdx-bad.csv"
    bad.write_text(table(ACLED_COLUMNS, [hashtags, acled_row(), acled_row(event_id_cnty="B", event_date="soon")]))
    with pytest.raises(Exception, match="line 4"):  # lines still as an editor shows them
        EventsLayer.read(bad)


def _xlsx_with_a_lying_dimension(tmp_path, rows):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(ACLED_COLUMNS)
    for row in rows:
        book.active.append([row.get(c, "") for c in ACLED_COLUMNS])
    saved = tmp_path / "saved.xlsx"
    book.save(saved)
    path = tmp_path / "acled.xlsx"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            target.writestr(item, data)
    return path


def test_a_workbook_is_read_whole_whatever_its_dimension_tag_and_once_per_command(tmp_path, monkeypatch):
    from python_calamine import CalamineWorkbook

    path = _xlsx_with_a_lying_dimension(tmp_path, [acled_row(event_id_cnty=f"B{i}") for i in range(30)])
    assert detect_format(path) == "acled"
    assert len(EventsLayer.read(path).frame) == 30
    opened = []
    real = CalamineWorkbook.from_path
    monkeypatch.setattr(CalamineWorkbook, "from_path", lambda p: opened.append(p) or real(p))
    path.touch()  # a new version of the file: read again, once
    result = CliRunner().invoke(cli, ["score", "--events", str(path), "--focus", "ARG,BOL"])
    assert result.exit_code == 0, result.output
    assert len(opened) == 1


def test_a_workbook_whose_first_sheet_is_its_terms_of_use_reads_its_table(tmp_path):
    """ACLED's workbooks can open on a sheet of terms of use (one long cell a row) before the
    data: the table is the first sheet whose first row names columns."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "TOU"
    book.active.append(["Licensing"])
    book.active.append(["By using ACLED data you agree to abide by the Terms of Use."])
    data = book.create_sheet("Data")
    data.append(ACLED_COLUMNS)
    for i in range(3):
        data.append([acled_row(event_id_cnty=f"T{i}").get(c, "") for c in ACLED_COLUMNS])
    path = tmp_path / "acled.xlsx"
    book.save(path)
    assert detect_format(path) == "acled"
    assert len(EventsLayer.read(path).frame) == 3


def test_a_workbook_in_borderrisks_own_columns_reads_like_its_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["date", "title", "type", "lat", "lon", "severity"])
    book.active.append(["2023-07-20", "clash", "battles", -20.0, -58.0, 3])
    path = tmp_path / "events.xlsx"
    book.save(path)
    frame = EventsLayer.read(path).frame
    assert list(frame["type"]) == ["battles"] and list(frame["severity"]) == [3]
    book.active.delete_cols(1)  # no date: said as for a CSV
    book.save(path)
    with pytest.raises(InputError, match="field 'date': required column is missing"):
        EventsLayer.read(path)


@pytest.mark.parametrize("shape", ["bare", "answer"])
def test_ucdp_api_json_is_detected_as_ucdp_and_its_dates_with_a_time_read(tmp_path, shape):
    records = [
        {**ucdp_row(id=str(i), date_start="2008-04-24T00:00:00", date_end="2008-04-25T00:00:00"), "best": i}
        for i in range(3)
    ]
    for record in records:
        record["latitude"], record["longitude"] = float(record["latitude"]), float(record["longitude"])
    document = records if shape == "bare" else {"TotalCount": 3, "TotalPages": 1, "Result": records}
    path = tmp_path / "ged.json"
    path.write_text(json.dumps(document))
    assert detect_format(path) == "ucdp"
    frame = EventsLayer.read(path).frame
    assert list(frame.date.dt.strftime("%Y-%m-%d")) == ["2008-04-24"] * 3
    assert list(frame.fatalities) == [0, 1, 2]
    assert set(UCDP_COLUMNS) >= set(ucdp_row())


def test_acled_without_coordinate_columns_is_detected_and_placed_by_location(tmp_path):
    columns = [c for c in ACLED_COLUMNS if c not in ("latitude", "longitude")]
    rows = [
        acled_row(),
        acled_row(event_id_cnty="BOL2", location="Tarija"),
        acled_row(event_id_cnty="X", location="Zzz", admin1=""),  # admin1 would place it (Potosi)
        acled_row(event_id_cnty="Y", location="Some hamlet", admin2="Sud Chichas", admin3="Tupiza"),
    ]
    rows = [{c: row.get(c, "") for c in columns} for row in rows]
    path = tmp_path / "acled-no-coordinates.csv"
    path.write_text(table(columns, rows))
    assert detect_format(path) == "acled"
    layer = EventsLayer.read(path)
    assert list(layer.frame.location_precision) == ["city", "city", "country", "approximate"]
    assert layer.frame.lat.iloc[3] == pytest.approx(-21.44, abs=0.05)  # by its admin3, Tupiza
    assert layer.skipped.unfound == {"Zzz": 1}


def test_a_table_with_no_location_column_names_what_is_missing(tmp_path):
    columns = [c for c in ACLED_COLUMNS if c not in ("latitude", "longitude", "location", "country")]
    path = tmp_path / "acled-nowhere.csv"
    path.write_text(table(columns, [{c: acled_row().get(c, "") for c in columns}]))
    with pytest.raises(Exception, match="latitude/location/country"):
        EventsLayer.read(path, format="acled")


def ucdp_web_export(rows, trailing=None):
    """CSV text as UCDP's website writes its event export: ``best_est`` for ``best`` (and so on),
    and a comma after the last cell of each record (of those ``trailing`` names: all by default)."""
    columns = [{"best": "best_est", "high": "high_est", "low": "low_est"}.get(c, c) for c in UCDP_COLUMNS]
    renamed = [{columns[UCDP_COLUMNS.index(c)]: v for c, v in row.items()} for row in rows]
    header, *records = table(columns, renamed).splitlines()
    ended = [r + ("," if trailing is None or i in trailing else "") for i, r in enumerate(records)]
    return "\n".join([header, *ended]) + "\n"


def test_ucdp_s_website_export_reads_as_the_download_does(tmp_path):
    """Its records end with a comma the header does not (pyarrow saw one field too many in every
    one) and it names the best estimate ``best_est`` (the deaths were lost)."""
    dates = {"1": ("1995-01-02", "01/02/1995 00:00:00"), "2": ("1995-01-13", "01/13/1995 00:00:00")}
    download, web = tmp_path / "ged.csv", tmp_path / "gedevents-2025-01-04.csv"
    download.write_text(table(UCDP_COLUMNS, [ucdp_row(id=i, date_start=d, best=i) for i, (d, _) in dates.items()]))
    rows = [ucdp_row(id=i, date_start=d, date_end=d, best=i, active_year="True") for i, (_, d) in dates.items()]
    web.write_text(ucdp_web_export(rows))
    columns = ["event_id", "date", "fatalities", "severity", "lat", "lon"]
    read = EventsLayer.read(web).frame[columns]
    assert read.to_dict("records") == EventsLayer.read(download).frame[columns].to_dict("records")
    assert read.fatalities.tolist() == [1, 2]


def test_a_record_without_the_trailing_comma_is_read_beside_those_with_it(tmp_path):
    path = tmp_path / "gedevents.csv"
    path.write_text(ucdp_web_export([ucdp_row(id="1"), ucdp_row(id="2"), ucdp_row(id="3")], trailing={0, 2}))
    assert sorted(EventsLayer.read(path).frame.event_id) == ["1", "2", "3"]


def test_an_hxl_row_under_a_pandas_index_column_is_still_a_hashtag_row(tmp_path):
    """An HDX file re-saved by pandas numbers its tag row too (``0,,#date+year,...``): taken for a
    record, its tags were refused as dates and the whole file with them."""
    tags = {"year": "#date+year", "date_start": "#date+start", "latitude": "#geo+lat", "longitude": "#geo+lon"}
    rows = [{c: tags.get(c, "") for c in UCDP_COLUMNS}, ucdp_row(id="1"), ucdp_row(id="2")]
    header, *records = table(UCDP_COLUMNS, rows).splitlines()
    path = tmp_path / "conflict_data_nga.csv"
    path.write_text("\n".join(["," + header, *(f"{i},{r}" for i, r in enumerate(records))]) + "\n")
    layer = EventsLayer.read(path)
    assert list(layer.frame.event_id) == ["1", "2"] and not layer.skipped.reasons
