"""Hostile and broken input (issue 27): each problem found by attacking borderrisk as a hostile
user would, pinned by the command that showed it. The property everywhere: a clear message
naming the file (and the limit or value), exit 1 or 2, never an internal error or a hang."""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile

import pytest
from click.testing import CliRunner
from limits import bounded, refused_within_limits

from borderrisk.cli.main import cli

from exports import ACLED_COLUMNS, GTD_COLUMNS, acled_api_json, acled_row, gtd_row, table


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def refused(result, *named, code=1):
    """The command failed (exit 1, or 2 for a usage error) with one message naming everything
    in ``named``, and it was not a crash."""
    assert result.exit_code == code, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output, result.output
    for text in named:
        assert str(text) in result.output, result.output


def score(*args):
    return run("score", "--focus", "ARG,BOL", "--json", *args)


def acled(tmp_path, *rows, name="acled.csv"):
    path = tmp_path / name
    path.write_text(table(ACLED_COLUMNS, [acled_row(), *rows]))
    return path


# Dates out of the years every layer can hold --------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "9999-01-01", "1600-05-01", "2262-05-01"])
def test_an_export_date_outside_the_years_is_a_row_problem(tmp_path, day):
    path = acled(tmp_path, acled_row(event_date=day))
    refused(score("--events", path), path, "line 3", day, "1678")
    assert score("--events", path, "--skip-bad-rows").exit_code == 0


@pytest.mark.parametrize("year", ["0", "1600", "-5", "99999"])
def test_a_gtd_year_outside_the_years_is_refused_by_convert_and_map_never_crashes(tmp_path, year):
    path = tmp_path / "gtd.csv"
    path.write_text(table(GTD_COLUMNS, [gtd_row(), gtd_row(iyear=year)]))
    refused(run("convert", "--events", path, "-o", tmp_path / "out"), path, "line 3")
    assert run("convert", "--events", path, "--skip-bad-rows", "-o", tmp_path / "out").exit_code == 0
    result = run("map", "--events", tmp_path / "out", "--focus", "ARG,BOL", "-o", tmp_path / "m.html")
    assert result.exit_code == 0, result.output


# Damaged archives ------------------------------------------------------------------------------


def _gzipped(tmp_path):
    return gzip.compress(table(ACLED_COLUMNS, [acled_row()] * 200).encode())


def test_a_truncated_gz_is_one_error_naming_the_file(tmp_path):
    path = tmp_path / "acled.csv.gz"
    data = _gzipped(tmp_path)
    path.write_bytes(data[: len(data) // 2])
    refused(score("--events", path), path, "damaged")


def test_a_gz_with_trailing_garbage_names_the_file(tmp_path):
    path = tmp_path / "acled.csv.gz"
    path.write_bytes(_gzipped(tmp_path) + b"garbage!")
    refused(score("--events", path), path, "damaged")


def test_a_truncated_zip_names_the_file(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("events.csv", table(ACLED_COLUMNS, [acled_row()] * 200))
    path = tmp_path / "acled.zip"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    refused(score("--events", path), path, "damaged")


def test_a_zip_member_with_a_bad_crc_names_the_file_and_member(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("events.csv", table(ACLED_COLUMNS, [acled_row()] * 200))
    data = bytearray(buffer.getvalue())
    data[len(data) // 2] ^= 0xFF  # a byte of the member's data
    path = tmp_path / "acled.zip"
    path.write_bytes(bytes(data))
    refused(score("--events", path), path, "events.csv", "damaged")


# Counts: finite, non-negative, whole -----------------------------------------------------------


@pytest.mark.parametrize("deaths", ["1e308", "-98", "many", "2.5", "inf", "1e300"])
def test_a_death_count_that_is_not_a_whole_number_of_0_or_more_is_a_row_problem(tmp_path, deaths):
    path = acled(tmp_path, acled_row(fatalities=deaths))
    refused(score("--events", path), path, "line 3", "fatalities", deaths)
    skipped = score("--events", path, "--skip-bad-rows")
    assert skipped.exit_code == 0, skipped.output


def test_a_death_count_of_1e308_in_json_is_a_row_problem(tmp_path):
    path = tmp_path / "acled.json"
    path.write_text(acled_api_json([acled_row(), acled_row(fatalities=1e308)]))
    refused(score("--events", path), path, "record 2", "fatalities")


# Text that cannot be written --------------------------------------------------------------------


def test_lone_surrogates_in_json_are_replaced_never_a_crash(tmp_path):
    path = tmp_path / "acled.json"
    path.write_text(acled_api_json([acled_row(notes="\ud800 x", location="Villa\udfffzon")]))
    result = score("--events", path)
    assert result.exit_code == 0, result.output
    convert = run("convert", "--events", path, "-o", tmp_path / "out")
    assert convert.exit_code == 0, convert.output


def test_lone_surrogates_in_geojson_are_replaced_never_a_crash(tmp_path):
    path = tmp_path / "events.geojson"
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-65.59, -22.09]},
        "properties": {"date": "2023-07-20", "title": "clash \ud800", "type": "attack"},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    result = run("map", "--events", path, "--focus", "ARG,BOL", "-o", tmp_path / "m.html")
    assert result.exit_code == 0, result.output


def test_a_lone_surrogate_in_the_title_is_replaced(tmp_path):
    result = run("map", "--focus", "ARG,BOL", "--title", "Briefing \udcff", "-o", tmp_path / "m.html")
    assert result.exit_code == 0, result.output
    assert "\ufffd" in (tmp_path / "m.html").read_text()


# Nesting and widths ----------------------------------------------------------------------------


def test_deeply_nested_json_events_are_one_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    refused(score("--events", path), path, "nest")


def test_a_header_cell_of_200000_characters_is_one_error(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(table([*ACLED_COLUMNS, "x" * 200_000], [acled_row()]))
    refused(score("--events", path), path, "header")


def test_an_empty_data_list_is_an_answer_without_events_not_missing_columns(tmp_path):
    """The ACLED API answers a query that matches nothing with ``{"data": []}``: no events,
    as a CSV with a header and no rows is."""
    path = tmp_path / "acled.json"
    path.write_text('{"status": 200, "data": []}')
    result = score("--events", path)
    assert result.exit_code == 0 and "required" not in result.output, result.output


@pytest.mark.parametrize("text", ['{"status": 200}', '{"data": {"a": 1}}', "[1, 2]", '[{"a": 1}', '"data"'])
def test_json_that_is_not_records_is_one_error_naming_the_file(tmp_path, text):
    path = tmp_path / "acled.json"
    path.write_text(text)
    refused(score("--events", path), path)


def test_json_events_are_streamed_in_batches(tmp_path, monkeypatch):
    from borderrisk.data.formats import source

    monkeypatch.setattr(source, "JSON_BATCH_RECORDS", 4)
    path = tmp_path / "acled.json"
    path.write_text(acled_api_json([acled_row(event_id_cnty=str(i)) for i in range(11)]))
    batches = list(source.json_batches(source.open_file(path), "utf-8", None))
    assert [len(b.cells) for b in batches] == [4, 4, 3]
    assert [b.where(0) for b in batches] == ["record 1", "record 5", "record 9"]


# Numbers in configs and annotations: finite and within their range ------------------------------


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("[events]\ndefault_severity = 9", "events.default_severity must be from 1 to 5"),
        ("[events]\nweight = 1e308", "events.weight must be from"),
        ("[events.type_weights]\nattack = -1e300", "events.type_weights.attack must be from"),
        ("[annotations]\nweight = 1e308", "annotations.weight"),
        ("[events]\ndistance_km = 1e9", "events.distance_km"),
    ],
)
def test_a_config_number_outside_its_range_is_refused(tmp_path, line, named):
    config = tmp_path / "risk.toml"
    config.write_text(line + "\n")
    refused(score("--config", config), config, named)


def test_a_risk_adjustment_of_1e308_is_refused_on_the_command_line_and_in_a_store(tmp_path):
    store = tmp_path / "notes.geojson"
    result = run(
        "annotate", "add", "--store", store, "--border", "ARG-BOL", "--from-km", "10", "--to-km", "20",
        "--title", "x", "--risk-adjustment", "1e308", "--reason", "r",
    )  # fmt: skip
    assert result.exit_code == 2 and "-100<=x<=100" in result.output, result.output
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-65.59, -22.09]},
        "properties": {"title": "x", "risk_adjustment": 1e308, "reason": "r"},
    }
    store.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    refused(score("--annotations", store), store, "risk_adjustment", "out of range")


def test_map_draws_an_annotation_store_emptied_by_remove(tmp_path):
    store = tmp_path / "notes.geojson"
    added = run("annotate", "add", "--store", store, "--at", "Villazón, BO", "--title", "Crossing")
    assert added.exit_code == 0, added.output
    assert run("annotate", "remove", "--store", store, added.output.strip()).exit_code == 0
    result = run("map", "--focus", "ARG,BOL", "--annotations", store, "-o", tmp_path / "m.html")
    assert result.exit_code == 0, result.output
    assert score("--annotations", store).exit_code == 0


# diff inputs and text out -------------------------------------------------------------------------

HOSTILE_EXPLANATIONS = [
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![](https://evil.example/pixel.png)",
    "see https://evil.example and www.evil.example or me@evil.example",
    "\x1b]0;owned\x07 title \u202eevil",
]


def _segments(path, score, explanation):
    factors = [{"name": "events", "contribution": score, "explanation": explanation}]
    rows = [{"a": "ARG", "b": "BOL", "segment": 0, "start_km": 0.0, "end_km": 50.0, "score": score, "factors": factors}]
    path.write_text(json.dumps(rows))
    return path


@pytest.mark.parametrize("explanation", HOSTILE_EXPLANATIONS)
def test_diff_markdown_shows_hostile_text_as_text(tmp_path, explanation):
    """No raw HTML, no link or image, no autolink and no terminal escape reaches the brief."""
    old = _segments(tmp_path / "old.json", 0.0, "nothing")
    new = _segments(tmp_path / "new.json", 3.0, explanation)
    result = run("diff", old, new)
    assert result.exit_code == 0, result.output
    row = result.output.splitlines()[-1]
    for raw in ("<img", "https://", "www.evil", "@evil", "\x1b", "\x07", "\u202e"):
        assert raw not in row, row
    assert not re.search(r"(?<!\\)[\[\]]", row), row  # every bracket escaped: no link, no image
    assert "onerror" in row or "javascript" in row or "evil" in row  # the text itself is kept


def test_diff_markdown_renders_no_link_image_or_html(tmp_path):
    from markdown_it import MarkdownIt

    old = _segments(tmp_path / "old.json", 0.0, "nothing")
    new = _segments(tmp_path / "new.json", 3.0, " ".join(HOSTILE_EXPLANATIONS))
    html = MarkdownIt("gfm-like").render(run("diff", old, new).output)
    assert "<a " not in html and "<img" not in html and "<table>" in html


@pytest.mark.parametrize("kind", ["deep", "fifo", "device"])
def test_diff_refuses_deep_json_fifos_and_devices_at_once(tmp_path, kind):
    import os

    old = _segments(tmp_path / "old.json", 0.0, "nothing")
    if kind == "deep":
        new = tmp_path / "new.json"
        new.write_text("[" * 100_000 + "]" * 100_000)
        refused(run("diff", old, new), new, "nested more than 64 levels")
        return
    new = tmp_path / "fifo.json"
    if kind == "fifo":
        os.mkfifo(new)
    else:
        new = "/dev/zero"
    result = run("diff", old, new)
    assert result.exit_code == 2 and "not a regular file" in result.output, result.output


def test_error_messages_escape_terminal_sequences(tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text(table(ACLED_COLUMNS, [acled_row(event_date="\x1b]0;owned\x07\u202e")]))
    result = score("--events", path)
    refused(result, path, "\\x1b]0;owned\\x07\\u202e")
    assert "\x1b" not in result.output and "\u202e" not in result.output


def test_annotate_import_prints_ids_escaped(tmp_path):
    drawn = tmp_path / "drawn.geojson"
    feature = {
        "type": "Feature",
        "id": "\x1b]0;owned\x07",
        "geometry": {"type": "Point", "coordinates": [-65.59, -22.09]},
        "properties": {"title": "x"},
    }
    drawn.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    result = run("annotate", "import", "--store", tmp_path / "n.geojson", drawn)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\\x1b]0;owned\\x07" in result.output


# Sizes: decompression bombs refused in bounded memory and time ---------------------------------


def _spaces(handle, megabytes):
    block = b" " * 2**20
    for _ in range(megabytes):
        handle.write(block)


@pytest.mark.slow
@pytest.mark.parametrize("endless", [False, True])
def test_a_gz_bomb_is_refused_within_limits(tmp_path, endless):
    """Records of a megabyte each expand past the bound on decompressed size; one endless line
    passes the bound on a line's length first."""
    path = tmp_path / "acled.csv.gz"
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(table(ACLED_COLUMNS, [acled_row()]).encode())
        if endless:
            _spaces(handle, 600)
        for _ in range(0 if endless else 600):
            handle.write(table(ACLED_COLUMNS, [acled_row(notes=" " * 2**20)]).split("\n", 1)[1].encode())
    named = "has a line longer than 16.0 MiB" if endless else "decompression bomb"
    refused_within_limits(bounded("score", "--events", path, "--focus", "ARG,BOL"), path, named)


@pytest.mark.slow
def test_a_workbook_whose_sheet_expands_past_its_bound_is_refused_within_limits(tmp_path):
    path = tmp_path / "acled.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            _spaces(sheet, 600)
            sheet.write(b"</sheetData></worksheet>")
    done = bounded("score", "--events", path, "--focus", "ARG,BOL")
    refused_within_limits(done, path, "xl/worksheets/sheet1.xml", "expands to")


def test_a_workbook_with_a_document_type_is_refused_before_parsing(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(ACLED_COLUMNS)
    book.active.append([acled_row().get(c, "") for c in ACLED_COLUMNS])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    entities = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = tmp_path / "acled.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as bomb:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = f"<?xml version='1.0'?><!DOCTYPE x [{entities}]>".encode() + data.replace(
                    b"<t>Bolivia</t>", b"<t>&l9;</t>"
                )
            bomb.writestr(name, data)
    assert score("--events", plain).exit_code == 0
    refused(score("--events", path), path, "xl/worksheets/sheet1.xml", "document type")


# Numbers and mappings on the command line --------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "named"),
    [("severity>=nan", "finite"), ("fatalities<=-inf", "finite"), ("severity>=1e999", "finite")],
)
def test_a_where_number_that_is_not_finite_is_refused(tmp_path, condition, named):
    path = acled(tmp_path)
    refused(score("--events", path, "--where", condition), condition, named, code=2)


def test_a_where_with_too_many_alternatives_is_refused_at_once(tmp_path):
    path = acled(tmp_path)
    many = "actor~" + ",".join(f"group{i}" for i in range(10_000))
    refused(score("--events", path, "--where", many), "10,000 alternatives", "1,000", code=2)


def test_a_where_of_1000_word_alternatives_is_quick(tmp_path):
    """Each cell's words are found once, not once per alternative."""
    from borderrisk.data.filters import matching

    frame = __import__("pandas").DataFrame({"actors": [["Military Forces of Bolivia"]] * 1_000})
    condition = "actor~" + ",".join(f"group{i}" for i in range(999)) + ",bolivia"
    assert matching(frame, condition).all()


@pytest.mark.parametrize("to_km", ["99999", "800"])
def test_a_stretch_ending_past_the_border_is_refused(tmp_path, to_km):
    store = tmp_path / "notes.geojson"
    result = run("annotate", "add", "--store", store, "--border", "ARG-BOL", "--from-km", "700", "--to-km", to_km)
    refused(result, "716.8 km long", f"km {to_km} is beyond its end")
    ok = run("annotate", "add", "--store", store, "--border", "ARG-BOL", "--from-km", "700", "--to-km", "717")
    assert ok.exit_code == 0, ok.output  # the length as shown, rounded, is the end


@pytest.mark.parametrize(
    ("columns", "named"),
    [
        ("date=event_date,type=event_type,lat=y,lon=y", "lat and lon are both mapped to 'y'"),
        ("date=event_date,date=year,type=event_type,lat=latitude,lon=longitude", "date is mapped twice"),
    ],
)
def test_a_columns_mapping_that_cannot_be_meant_is_a_usage_error(tmp_path, columns, named):
    path = acled(tmp_path)
    result = score("--events", path, "--columns", columns)
    assert result.exit_code == 2 and named in result.output, result.output


# Files: the one regular-file check, everywhere ----------------------------------------------------


@pytest.mark.parametrize("command", [["annotate", "list"], ["annotate", "add", "--at", "Villazón, BO", "--title", "x"]])
@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero"])
def test_a_store_that_is_a_fifo_or_a_link_to_a_device_is_refused_at_once(tmp_path, command, kind):
    import os

    store = tmp_path / "notes.geojson"
    if kind == "fifo":
        os.mkfifo(store)
    else:
        store.symlink_to("/dev/zero")
    done = bounded(*command, "--store", store, cpu_seconds=20)
    assert done.returncode in (1, 2) and "not a regular file" in done.stderr, done.stderr
    assert not os.path.exists("/dev/zero.lock") and not (tmp_path / "notes.geojson.lock").exists()


def test_a_store_linked_to_a_read_only_file_leaves_no_lock_beside_the_target(tmp_path):
    target = tmp_path / "elsewhere" / "real.geojson"
    target.parent.mkdir()
    target.write_text('{"type": "FeatureCollection", "features": []}')
    target.chmod(0o444)
    store = tmp_path / "notes.geojson"
    store.symlink_to(target)
    result = run("annotate", "add", "--store", store, "--at", "Villazón, BO", "--title", "x")
    assert result.exit_code != 0
    assert sorted(p.name for p in target.parent.iterdir()) == ["real.geojson"]


@pytest.mark.parametrize("path", ["/proc/self/mem", "/proc/self/status"])
def test_system_files_are_refused_naming_them(tmp_path, path):
    result = score("--config", path)
    assert result.exit_code == 2 and f"'{path}': is a file of the system" in result.output, result.output
    refused(score("--events", path), path, code=2)


@pytest.mark.parametrize("output", ["../victim.html", "/tmp/borderrisk-victim.html", "inner/../../victim.html"])
def test_recipe_outputs_stay_inside_the_recipes_folder(tmp_path, output):
    folder = tmp_path / "shared"
    folder.mkdir()
    recipe = folder / "brief.toml"
    recipe.write_text(f'focus = ["ARG", "BOL"]\noutputs = ["map.html", "{output}"]\n')
    refused(run("map", recipe), recipe, output, "outside the recipe's folder", code=2)
    assert not (tmp_path / "victim.html").exists() and not (folder / "map.html").exists()
    given = run("map", recipe, "-o", tmp_path / "mine.html")  # the command line may name any path
    assert given.exit_code == 0 and (tmp_path / "mine.html").exists(), given.output


def test_a_point_annotations_risk_adjustment_applies_within_the_configs_reach(tmp_path):
    """The annotate help's own example: it touched no segment and changed no score."""
    store = tmp_path / "notes.geojson"
    added = run(
        "annotate", "add", "--store", store, "--at", "Villazón, BO", "--title", "Crossing",
        "--risk-adjustment", "1", "--reason", "reports",
    )  # fmt: skip
    assert added.exit_code == 0 and "events.distance_km" in added.stderr, added.output
    rows = json.loads(score("--annotations", store).stdout)
    adjusted = {
        r["start_km"]: f["explanation"]
        for r in rows
        for f in r["factors"]
        if f["name"] == "annotations" and f["contribution"]
    }
    assert adjusted and all("km away" in text for text in adjusted.values())
    assert 250.0 in adjusted and 0.0 not in adjusted  # Villazón lies near km 250-300, far from km 0
    config = tmp_path / "risk.toml"
    config.write_text("[events]\ndistance_km = 10\n")
    rows = json.loads(score("--annotations", store, "--config", config).stdout)
    near = [r for r in rows for f in r["factors"] if f["name"] == "annotations" and f["contribution"]]
    assert 0 < len(near) < len(adjusted)


@pytest.mark.parametrize(
    ("geometry", "where"),
    [
        ({"type": "Polygon", "coordinates": [[[9, -1], [10, -1], [10, 0], [9, 0], [9, -1]]]}, (-0.5, 9.5)),
        ({"type": "MultiPoint", "coordinates": [[-65.59, -22.09], [-65.6, -22.1]]}, (-22.09, -65.59)),
        ({"type": "LineString", "coordinates": [[-65.0, -22.0], [-65.0, -23.0]]}, (-22.0, -65.0)),  # a vertex
    ],
)
def test_an_event_drawn_as_another_shape_is_at_its_representative_point_not_its_place(tmp_path, geometry, where):
    """A polygon in Gabon was drawn at Villazón, the row's place name."""
    from borderrisk.layers.events import EventsLayer

    path = tmp_path / "events.geojson"
    properties = {"date": "2023-07-20", "title": "x", "type": "attack", "place": "Villazón, BO"}
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "geometry": geometry, "properties": properties}],
            }
        )
    )
    frame = EventsLayer.read(path).frame
    assert (frame.lat[0], frame.lon[0]) == pytest.approx(where, abs=0.01)


def test_the_guarantees_page_states_the_bounds_the_code_applies():
    from pathlib import Path

    from borderrisk.data import bounds, paths
    from borderrisk.data.formats.source import BLOCK_BYTES
    from borderrisk.risk.config import NUMBER_MAX

    def size(count):
        return bounds.size_text(count).replace(".0 ", " ")

    page = (Path(__file__).parents[1] / "docs" / "guarantees.md").read_text()
    stated = [
        f"{bounds.UNPACKED_MAX_RATIO} times its size, beyond a first {size(bounds.UNPACKED_FREE_BYTES)}",
        f"| {size(bounds.SHEET_MAX_BYTES)} (and the same {bounds.UNPACKED_MAX_RATIO} times)",
        f"| {size(bounds.LINE_MAX_BYTES)} |",
        f"in any {size(BLOCK_BYTES)} of an export (counted from its start) | {bounds.BLOCK_MAX_LINES:,} |",
        f"columns (cells) in any {size(BLOCK_BYTES)} of an export | {bounds.BLOCK_MAX_CELLS:,} |",
        f"| {bounds.FIRST_LINE_MAX_CHARS:,} characters |",
        f"| {bounds.HEADER_CELL_MAX_CHARS:,} characters |",
        f"| {bounds.HEADER_MAX_COLUMNS:,} |",
        f"| {bounds.JSON_MAX_DEPTH} levels |",
        f"| {bounds.WHERE_MAX_ALTERNATIVES:,} |",
        f"| {size(paths.DOCUMENT_MAX_BYTES)} |",
        f"| {size(paths.SETTINGS_MAX_BYTES)} |",
        f"| {size(paths.DATA_MAX_BYTES)} |",
        f"whole numbers from 0 to {bounds.COUNT_MAX:,}",
        f"within ±{NUMBER_MAX:,.0f}",
    ]
    for text in stated:
        assert text in page, text


# Messages that said something else than what is wrong ----------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path, encoding):
    path = tmp_path / "acled.csv"
    path.write_bytes(table(ACLED_COLUMNS, [acled_row()]).encode(encoding))
    result = score("--events", path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[5]["score"] > 0


def test_a_column_named_by_columns_that_is_missing_says_so(tmp_path):
    path = acled(tmp_path)
    result = score("--events", path, "--columns", "date=event_date,type=event_type,lat=lat,lon=longitude")
    refused(result, path, "'lat': a column named by --columns is missing")
    assert "columns column" not in result.output


def test_a_backtest_window_before_all_events_says_so(tmp_path):
    path = acled(tmp_path)
    result = run("backtest", "--events", path, "--focus", "ARG,BOL", "--until", "2000-01-01")
    refused(result, "no event is dated within the window (until 2000-01-01)")


@pytest.mark.parametrize("latitude", ["inf", "north", "1e999"])
def test_a_latitude_that_is_not_a_finite_number_is_quoted_not_called_missing(tmp_path, latitude):
    path = acled(tmp_path, acled_row(latitude=latitude))
    refused(score("--events", path), path, "line 3", f"latitude {latitude!r}, longitude '-65.59'")


@pytest.mark.parametrize("engine", ["pandas", "dask"])
def test_a_dataset_from_another_tool_with_a_date_outside_the_years_is_refused(tmp_path, engine):
    import geopandas as gpd
    import pandas as pd
    import shapely

    folder = tmp_path / "dataset"
    folder.mkdir()
    dates = pd.Series(pd.to_datetime(["2023-07-20", "1600-01-01"]).astype("datetime64[us]"))
    dates[1] = pd.Timestamp("1600-01-01")
    frame = gpd.GeoDataFrame(
        {"date": dates, "title": ["a", "b"], "type": ["attack", "attack"]},
        geometry=[shapely.Point(-65.59, -22.09)] * 2,
        crs="EPSG:4326",
    )
    frame.to_parquet(folder / "part.00000.parquet")
    refused(score("--events", folder, "--engine", engine), folder, "row 2", "outside the years 1678 to 2261")
    refused(run("map", "--events", folder, "--focus", "ARG,BOL", "-o", tmp_path / "m.html"), "1678")


@pytest.mark.slow
def test_a_line_of_millions_of_commas_in_a_borderrisk_csv_is_refused_within_limits(tmp_path):
    """It was read as millions of cells: 1.2 GB and 11 s for 60 MB, then accepted."""
    path = tmp_path / "events.csv"
    path.write_text("date,title,type,lat,lon\n2023-07-16,x,attack,-22.1,-65.6\n" + "," * (60 * 2**20) + "\n")
    done = bounded("score", "--events", path, "--focus", "ARG,BOL", memory_mb=600)
    refused_within_limits(done, path, "line 3", "longer than 16.0 MiB")


def test_text_options_of_bytes_that_are_not_utf8_are_replaced_never_a_crash(tmp_path):
    store = tmp_path / "notes.geojson"
    title = b"bad\xff".decode("utf-8", "surrogateescape")  # what Python makes of such argv bytes
    added = run("annotate", "add", "--store", store, "--at", "Villazón, BO", "--title", title, "--note", title)
    assert added.exit_code == 0, added.output
    assert "bad\ufffd" in run("annotate", "list", "--store", store).output
    marked = run("map", "--focus", "ARG,BOL", "--annotations", store, "--marking", title, "-o", tmp_path / "m.html")
    assert marked.exit_code == 0, marked.output


@pytest.mark.slow
def test_a_json_gz_bomb_is_streamed_and_refused_within_limits(tmp_path):
    """A 3 MB .json.gz passed 4 GB in 14 s: read whole, then parsed whole."""
    path = tmp_path / "acled.json.gz"
    record = json.dumps(acled_row(notes=" " * 2**20)).encode()
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(b'{"data": [')
        for _ in range(600):
            handle.write(record + b",")
        handle.write(json.dumps(acled_row()).encode() + b"]}")
    done = bounded("score", "--events", path, "--focus", "ARG,BOL", memory_mb=800)
    refused_within_limits(done, path, "decompression bomb")


@pytest.mark.slow
@pytest.mark.parametrize("line", ["\n", "x\n", ",,,\n"], ids=["blank", "one-cell", "empty-cells"])
def test_an_export_of_40_mb_of_nearly_blank_lines_is_refused_within_limits(tmp_path, line):
    """pyarrow made each line a record of every column: 40 MB of line breaks took 7.8 GB, 81 s."""
    path = tmp_path / "acled.csv"
    path.write_text(table(ACLED_COLUMNS, [acled_row()]) + line * (40 * 2**20 // len(line)))
    from borderrisk.data.bounds import BLOCK_MAX_CELLS

    done = bounded("score", "--events", path, "--focus", "ARG,BOL")
    lines = BLOCK_MAX_CELLS // len(ACLED_COLUMNS)  # of its 31 columns, cells are the tighter bound
    refused_within_limits(done, path, "line 1", f"more than {lines:,} lines in the 16.0 MiB")


@pytest.mark.slow
def test_blank_lines_under_a_header_of_2000_columns_are_refused_within_limits(tmp_path):
    """Each is 2,000 cells to pyarrow: 1 MB of line breaks took 16.8 GB when only lines were counted."""
    path = tmp_path / "wide.csv"
    names = ACLED_COLUMNS + [f"extra{i}" for i in range(2000 - len(ACLED_COLUMNS))]
    path.write_text(",".join(names) + "\n" + "\n" * 1_000_000)
    done = bounded("score", "--events", path, "--focus", "ARG,BOL")
    refused_within_limits(done, path, "line 1", "more than 10,000 lines", "20,000,000 cells of its 2,000 columns")


def test_too_many_lines_in_a_block_are_refused_from_the_line_that_block_starts(tmp_path, monkeypatch):
    """The bound is counted block by block from the file's start; the message names the first
    line of the block that crossed it, as an editor numbers lines."""
    from borderrisk.data.formats import source

    monkeypatch.setattr(source, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(source, "BLOCK_MAX_LINES", 100)
    text = table(ACLED_COLUMNS, [acled_row() for _ in range(30)]) + "\n" * 300
    path = tmp_path / "acled.csv"
    path.write_text(text)
    crossing = next(at for at in range(0, len(text), 4096) if text[at : at + 4096].count("\n") > 100)
    refused(score("--events", path), path, f"line {text[:crossing].count(chr(10)) + 1}:", "more than 100 lines")


def test_blank_lines_under_the_bound_keep_every_line_number(tmp_path):
    bad = table(ACLED_COLUMNS, [acled_row(event_date="0001-01-01")]).split("\n", 1)[1]
    path = tmp_path / "acled.csv"
    path.write_text(table(ACLED_COLUMNS, [acled_row()]) + "\n" * 1000 + bad)
    refused(score("--events", path), path, "line 1003", "0001-01-01")


@pytest.mark.slow
def test_a_borderrisk_csv_of_a_million_bad_rows_is_counted_within_limits_not_listed_whole(tmp_path):
    """Lines of one letter under borderrisk's header (40 MB of them crashed with MemoryError): every
    problem of every row was kept, and every row's record too."""
    path = tmp_path / "events.csv"
    with path.open("w") as out:
        out.write("date,title,type,lat,lon\n")
        out.write("x\n" * 2_000_000)
    done = bounded("score", "--events", path, "--focus", "ARG,BOL")
    refused_within_limits(done, path, "problems in input (the first 50)")
