"""How any export is read: encodings, the line numbers an editor shows, folders and globs, any
CSV by a column mapping, and never a silent drop."""

import gzip
import json
import lzma

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.data.errors import InputError
from borderrisk.data.formats import read_events
from borderrisk.layers.events import EventsLayer

from exports import ACLED_COLUMNS, REAL_GDELT_ZIP, acled_row, table


def write_acled(path, rows, encoding="utf-8"):
    path.write_text(table(ACLED_COLUMNS, rows), encoding=encoding)
    return path


def test_a_windows_file_is_detected_and_read(tmp_path):
    path = write_acled(
        tmp_path / "cp1252.csv", [acled_row(location="Bogotá", notes="Clash\xa0at night – 3 dead")], "cp1252"
    )
    frame = EventsLayer.read(path).frame
    assert frame.place.iloc[0] == "Bogotá"
    assert frame.description.iloc[0] == "Clash\xa0at night – 3 dead"


def test_a_decode_failure_names_file_line_and_option(tmp_path):
    rows = [acled_row(event_id_cnty=f"X{i}") for i in range(5)] + [acled_row(location="Bogotá")]
    path = write_acled(tmp_path / "cp1252.csv", rows, "cp1252")
    with pytest.raises(InputError) as error:
        EventsLayer.read(path, encoding="utf-8")
    message = str(error.value)
    assert f"{path}, line 7: is not utf-8 text (byte 0xe1)" in message
    assert "--encoding" in message


def test_utf8_with_a_byte_order_mark_and_utf16_read(tmp_path):
    rows = [acled_row(location="Villazón")]
    for encoding in ("utf-8-sig", "utf-16"):
        path = write_acled(tmp_path / f"{encoding}.csv", rows, encoding)
        assert EventsLayer.read(path).frame.place.iloc[0] == "Villazón"


def test_line_numbers_are_the_ones_an_editor_shows(tmp_path):
    rows = [
        acled_row(notes="first line\nsecond line\nthird line"),
        acled_row(event_id_cnty="B", event_date="someday"),
        acled_row(event_id_cnty="C", notes="one\ntwo"),
        acled_row(event_id_cnty="D", latitude="", longitude="", location="", country=""),
    ]
    path = write_acled(tmp_path / "notes.csv", rows)
    text = path.read_text().replace("\nB,", "\n\nB,")  # a blank line before B, as editors leave them
    path.write_text(text + "E,2023-07-20,too,few,fields\n")
    lines = path.read_text().splitlines()
    with pytest.raises(InputError) as error:
        EventsLayer.read(path)
    found = [(p.where, p.message) for p in error.value.problems]
    assert [where for where, _ in found] == ["line 6", "line 9", "line 10"]
    assert lines[5].startswith("B,") and lines[8].startswith("D,") and lines[9].startswith("E,")
    assert found[0][1] == "'someday' is not a date from 1678 to 2261"
    assert found[1][1].startswith("no location")
    assert found[2][1] == f"has 5 field(s) where the header has {len(ACLED_COLUMNS)}"


def test_line_numbers_stay_right_across_batches_with_and_without_line_breaks(tmp_path, monkeypatch):
    from borderrisk.data.formats import source

    monkeypatch.setattr(source, "BLOCK_BYTES", 4096)  # a batch every ten rows or so
    rows = [
        acled_row(event_id_cnty=f"R{i}", notes="one\ntwo\nthree" if i in (3, 57) else "one line") for i in range(120)
    ]
    rows[80] = acled_row(event_id_cnty="BAD80", event_date="someday")
    rows[119] = acled_row(event_id_cnty="BAD119", latitude="95")
    path = write_acled(tmp_path / "batches.csv", rows)
    path.write_text(path.read_text().replace("\nR40,", "\n\n\nR40,"))  # blank lines between batches
    lines = path.read_text().splitlines()
    with pytest.raises(InputError) as error:
        EventsLayer.read(path)
    wheres = [p.where for p in error.value.problems]
    assert wheres == [
        f"line {next(i for i, line in enumerate(lines, 1) if line.startswith(bad + ','))}"
        for bad in ("BAD80", "BAD119")
    ]
    assert wheres == ["line 88", "line 127"]


def test_one_problem_per_row_and_exit_1_when_no_row_is_usable(tmp_path):
    rows = [acled_row(event_id_cnty=str(i), event_date="never", latitude="", longitude="") for i in range(3)]
    path = write_acled(tmp_path / "all-bad.csv", rows)
    result = CliRunner().invoke(cli, ["score", "--events", str(path), "--skip-bad-rows", "--focus", "BOL"])
    assert result.exit_code == 1
    assert "no usable row: all 3 rows are bad" in result.output
    assert result.output.count("is not a date") == 3  # one problem per row, not one per field


def test_a_folder_and_a_glob_read_every_file_in_its_own_format(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    write_acled(folder / "acled.csv", [acled_row(), acled_row(event_id_cnty="B")])
    (folder / "20191024143000.export.CSV.zip").write_bytes(REAL_GDELT_ZIP.read_bytes())
    whole, skipped = read_events(folder, skip_bad_rows=True)
    gdelt, _ = read_events(REAL_GDELT_ZIP, skip_bad_rows=True)
    assert len(whole) == 2 + len(gdelt)
    assert len(skipped) == 37
    only_csv, _ = read_events(folder / "*.csv")
    assert list(only_csv.event_id) == ["BOL1", "B"]


def test_the_cli_reads_a_glob_with_progress(tmp_path, monkeypatch):
    monkeypatch.setattr("borderrisk.cli.progress.BAR_ABOVE_BYTES", 0)
    for name in ("a", "b"):
        write_acled(tmp_path / f"{name}.csv", [acled_row(event_id_cnty=name)])
    result = CliRunner().invoke(cli, ["score", "--events", str(tmp_path / "*.csv"), "--focus", "ARG,BOL", "--json"])
    assert result.exit_code == 0, result.output
    assert "reading *.csv" in result.stderr
    missing = CliRunner().invoke(cli, ["score", "--events", str(tmp_path / "*.tsv")])
    assert missing.exit_code == 2 and "no file matches it" in missing.output


@pytest.fixture
def own_csv(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text(
        "headline,kind,when,y,x,who\n"
        "Shots at the crossing,attack,2023-07-20,-22.09,-65.59,Smugglers;Military Forces of Iran (1989-)\n"
        "Rally in Yacuiba,protest,2023-07,-22.01,-63.68,\n"
    )
    return path


MAPPING = "date=when,lat=y,lon=x,type=kind,title=headline,actors=who"


def test_any_csv_by_a_column_mapping_in_python(own_csv):
    frame = EventsLayer.read(own_csv, columns=dict(p.split("=") for p in MAPPING.split(","))).frame
    assert list(frame.title) == ["Shots at the crossing", "Rally in Yacuiba"]
    assert list(frame.date_precision) == ["day", "month"]
    assert frame.actors.iloc[0] == ["Smugglers", "Military Forces of Iran (1989-)"]


def test_any_csv_by_a_column_mapping_on_the_command_line(own_csv, tmp_path):
    result = CliRunner().invoke(
        cli, ["score", "--events", str(own_csv), "--columns", MAPPING, "--focus", "ARG,BOL", "--json"]
    )
    assert result.exit_code == 0, result.output
    explained = [f["explanation"] for row in json.loads(result.stdout) for f in row["factors"]]
    assert any("Shots at the crossing" in text for text in explained)
    converted = CliRunner().invoke(
        cli, ["convert", "--events", str(own_csv), "--columns", MAPPING, "-o", str(tmp_path / "d")]
    )
    assert converted.exit_code == 0, converted.output
    page = tmp_path / "map.html"
    mapped = CliRunner().invoke(cli, ["map", "--events", str(own_csv), "--columns", MAPPING, "-o", str(page)])
    assert mapped.exit_code == 0, mapped.output
    assert "Shots at the crossing" in page.read_text()
    bad = CliRunner().invoke(cli, ["score", "--events", str(own_csv), "--columns", "date=when,lat=y"])
    assert bad.exit_code == 2 and "must name type" in bad.output


def test_a_recipe_maps_columns_too(own_csv, tmp_path):
    from borderrisk.recipes import load_recipe

    recipe = tmp_path / "brief.toml"
    recipe.write_text(
        'events = ["incidents.csv"]\nfocus = ["ARG", "BOL"]\n'
        'columns = {date = "when", lat = "y", lon = "x", type = "kind", title = "headline"}\n'
    )
    plan = load_recipe(recipe)
    assert plan.columns["title"] == "headline"
    recipe.write_text('events = ["incidents.csv"]\ncolumns = {date = "when", colour = "x"}\n')
    with pytest.raises(ValueError, match=r"unknown event column.*colour"):
        load_recipe(recipe)


def test_borderrisk_files_skip_bad_rows_too_one_problem_per_row(tmp_path, fixtures):
    path = tmp_path / "events.csv"
    path.write_text((fixtures / "events_ok.csv").read_text() + "not a date,Broken,attack,95,10,\n")
    with pytest.raises(InputError) as error:
        EventsLayer.read(path)
    assert "--skip-bad-rows" in str(error.value)
    layer = EventsLayer.read(path, skip_bad_rows=True)
    assert len(layer.skipped) == 1 and len(layer.skipped.problems) == 1  # not one per field
    assert "1 with a bad date" in layer.skipped.summary()
    bad = CliRunner().invoke(cli, ["score", "--events", str(fixtures / "events_bad.csv"), "--skip-bad-rows"])
    assert bad.exit_code == 1 and "no usable row" in bad.output


def test_a_mapped_severity_outside_1_to_5_is_a_bad_row(tmp_path):
    path = tmp_path / "severity.csv"
    path.write_text("when,kind,y,x,grade\n2023-07-20,attack,-22.1,-65.6,4\n2023-07-21,attack,-22.1,-65.6,9\n")
    layer = EventsLayer.read(
        path, columns={"date": "when", "type": "kind", "lat": "y", "lon": "x", "severity": "grade"}, skip_bad_rows=True
    )
    assert list(layer.frame.severity) == [4]
    assert [str(p) for p in layer.skipped.problems] == [
        f"{path}, line 3, field 'grade': is not a whole number from 1 to 5"
    ]


def test_an_export_row_placed_by_a_country_name_alone_is_that_country_not_a_namesake_town(tmp_path):
    rows = [
        acled_row(event_id_cnty="A", latitude="", longitude="", location="Venezuela", country=""),
        acled_row(event_id_cnty="B", latitude="", longitude="", location="Venezuela", country="Cuba"),
        acled_row(event_id_cnty="C", latitude="", longitude="", location="Nowhereville", country="Bolivia", admin1=""),
    ]
    frame = EventsLayer.read(write_acled(tmp_path / "placed.csv", rows)).frame
    assert list(zip(frame.country, frame.location_precision)) == [
        ("VEN", "country"),
        ("CUB", "city"),  # the row says Cuba: the town called Venezuela
        ("BOL", "country"),  # an unknown town: its country, said to be country-level
    ]


def test_a_problem_inside_a_zip_names_the_archive_and_the_file_in_it(tmp_path):
    import zipfile

    archive = tmp_path / "acled.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("2023.csv", table(ACLED_COLUMNS, [acled_row(), acled_row(event_date="someday")]))
    with pytest.raises(InputError) as error:
        EventsLayer.read(archive)
    assert f"{archive} (file 2023.csv inside), line 3" in str(error.value)


def test_a_zip_of_one_table_among_map_layers_reads_the_table(tmp_path):
    """A project folder zipped whole (the events, boundary shapefiles, their metadata): the one
    table in it is the events; two tables are a choice the user makes."""
    import zipfile

    archive = tmp_path / "Data.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("Data/ACLED/", "")
        zipped.writestr("Data/ACLED/events.csv", table(ACLED_COLUMNS, [acled_row(), acled_row(event_id_cnty="X2")]))
        for part in ("shp", "shx", "dbf", "prj", "cpg", "sbn", "shp.xml"):
            zipped.writestr(f"Data/Boundaries/UKR_Adm.{part}", "x")
    assert len(EventsLayer.read(archive).frame) == 2
    with zipfile.ZipFile(archive, "a") as zipped:
        zipped.writestr("Data/ACLED/other.csv", table(ACLED_COLUMNS, [acled_row()]))
    with pytest.raises(InputError, match=r"2 tables: Data/ACLED/events\.csv, Data/ACLED/other\.csv"):
        EventsLayer.read(archive)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("events.RData", gzip.compress(b"RDX3\nX\n\x00\x00\x00\x03\x00\x04\x04\x00" + bytes(range(256)) * 300)),
        ("events.rds", gzip.compress(b"X\n\x00\x00\x00\x03\x00\x04\x04\x00" + bytes(range(256)) * 300)),
        ("events.rda", lzma.compress(b"RDX3\nX\n\x00\x00\x00\x03" + bytes(range(256)) * 300)),
    ],
)
def test_an_r_data_file_is_named_with_the_way_to_a_csv(tmp_path, name, content):
    """Public repositories ship events as R data files (save(), saveRDS()); read as text their
    compressed bytes were only "a first line longer than 65,536 characters"."""
    path = tmp_path / name
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["score", "--events", str(path), "--focus", "COL"])
    assert result.exit_code == 1
    assert f"{path}: is an R data file (written by save() or saveRDS()), not a table of events" in result.output
    assert "write.csv(" in result.output
