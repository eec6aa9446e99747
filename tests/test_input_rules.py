"""Every input by the same rules: regular files of sane size, tabular files with a header and
no rows are empty layers, column names are matched as people write them, and what used to end
in a traceback is a one-line error naming the file."""

from __future__ import annotations

import os
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.data.errors import InputError
from borderrisk.data.paths import input_path, read_input_text
from borderrisk.data.readers import read_records
from borderrisk.data.schema import AGREEMENTS, EVENTS, MEMBERSHIPS


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_error_line(result, named):
    """The command failed with exit 1 and one line that names the file, and no traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and str(named) in lines[0], result.output


# Input paths -------------------------------------------------------------------------------


def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "borderrisk.cli", "map", "--events", str(fifo), "-o", str(tmp_path / "m.html")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "is a FIFO, not a regular file" in done.stderr and str(fifo) in done.stderr
    with pytest.raises(InputError, match="is a FIFO"):
        read_records(fifo, EVENTS)


def test_a_device_is_refused_quickly_with_a_clear_message():
    result = run("map", "--agreements", "/dev/zero", "-o", "m.html")
    assert result.exit_code == 2
    assert "'/dev/zero': is a device or socket, not a regular file" in result.output
    with pytest.raises(InputError, match="/dev/zero: is a device"):
        read_input_text("/dev/zero")


def test_a_folder_only_where_a_folder_is_accepted(tmp_path):
    result = run("map", "--agreements", tmp_path, "-o", tmp_path / "m.html")
    assert result.exit_code == 2 and "is a folder; give a file" in result.output
    assert input_path(tmp_path, folder=True) == tmp_path


def test_a_missing_path_is_named(tmp_path):
    missing = tmp_path / "nope.csv"
    result = run("score", "--events", missing)
    assert result.exit_code == 2 and f"'{missing}': no such file" in result.output
    with pytest.raises(InputError, match=f"{missing}: no such file"):
        read_records(missing, EVENTS)


def test_an_input_bigger_than_its_bound_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.toml"
    big.write_text("# x\n" * 10)
    with pytest.raises(InputError, match="more than the 16 bytes"):
        input_path(big, max_bytes=16)


def test_non_utf8_settings_name_the_file_and_line(tmp_path):
    config = tmp_path / "r.toml"
    config.write_bytes(b"[events]\nweight = 1.0\n# caf\xe9\n")
    one_error_line(run("score", "--config", config), f"{config}, line 3: is not UTF-8")
    recipe = tmp_path / "brief.toml"
    recipe.write_bytes(b'title = "caf\xe9"\n')
    one_error_line(run("map", recipe), f"{recipe}, line 1: is not UTF-8")


# Tabular inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "header"),
    [
        ("--events", "date,title,type,lat,lon"),
        ("--agreements", "parties,date,type,status"),
        ("--alliances", "alliance,country"),
    ],
)
def test_a_header_without_rows_is_an_empty_layer_said_on_stderr(tmp_path, option, header):
    path = tmp_path / "empty.csv"
    path.write_text(header + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["map", option, str(path), "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 0, result.output
    assert f"{path} has no rows" in result.stderr
    result = CliRunner().invoke(cli, ["score", option, str(path), "--focus", "ARG,BOL", "--json"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("record_type", [EVENTS, AGREEMENTS, MEMBERSHIPS])
def test_an_empty_frame_has_the_types_columns(tmp_path, record_type):
    path = tmp_path / "empty.csv"
    path.write_text(",".join([*record_type.required, *(["place"] if record_type.located else [])]) + "\n")
    frame = read_records(path, record_type)
    assert len(frame) == 0 and set(record_type.required) <= set(frame.columns)


def test_column_names_match_whatever_their_case_and_spaces(tmp_path):
    path = tmp_path / "ev.csv"
    path.write_text(" Date ,TITLE,Type , Lat,lon,Source\n2023-07-16,Patrol,visit,-22.1,-65.6,Unit A\n")
    frame = read_records(path, EVENTS)
    assert frame.loc[0, "title"] == "Patrol" and frame.loc[0, "type"] == "visit"
    assert frame.loc[0, "source"] == "Unit A"
    assert frame.geometry[0].equals(shapely.Point(-65.6, -22.1))


def test_a_column_given_twice_is_an_error_naming_both_positions(tmp_path):
    path = tmp_path / "ev.csv"
    path.write_text("date,title,type,lat,lon,Date\n2023-07-16,Patrol,visit,-22.1,-65.6,2020\n")
    result = run("map", "--events", path, "-o", tmp_path / "m.html")
    one_error_line(result, path)
    assert "'Date': is given twice: columns 1 and 6" in result.output
    geojson = tmp_path / "al.geojson"
    geojson.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,'
        '"properties":{"alliance":"ALBA-TCP","Alliance":"x","country":"BOL"}}]}'
    )
    with pytest.raises(InputError, match="is given twice: columns 1 and 2"):
        read_records(geojson, MEMBERSHIPS)


def test_a_huge_cell_names_its_line(tmp_path):
    path = tmp_path / "ev.csv"
    path.write_text("date,title,type,lat,lon\n2023-01-01,ok,visit,1,1\n2023-01-01," + "x" * 2_000_000 + ",visit,1,1\n")
    one_error_line(run("map", "--events", path, "-o", tmp_path / "m.html"), f"{path}, line 3")


# What used to be a traceback -----------------------------------------------------------------


@pytest.mark.parametrize("year", ["9999", "1000", "0001"])
def test_dates_outside_the_years_borderrisk_can_date_are_refused(tmp_path, year):
    path = tmp_path / "ev.csv"
    path.write_text(f"date,title,type,lat,lon\n{year}-01-01,Far,visit,-22.1,-65.6\n")
    result = run("map", "--events", path, "-o", tmp_path / "m.html")
    one_error_line(result, f"{path}, line 2, field 'date'")
    assert "the year must be from 1678 to 2261" in result.output
    assert run("map", "--until", year, "-o", tmp_path / "m.html").exit_code == 2


def test_a_geopackage_without_geometry_is_read_by_its_columns(tmp_path):
    import pyogrio

    table = pd.DataFrame(
        {"date": ["2023-07-16"], "title": ["Patrol"], "type": ["visit"], "lat": [-22.1], "lon": [-65.6]}
    )
    path = tmp_path / "ev.gpkg"
    pyogrio.write_dataframe(table, path)
    assert run("map", "--events", path, "-o", tmp_path / "m.html").exit_code == 0
    assert run("score", "--events", path, "--focus", "ARG,BOL").exit_code == 0
    assert run("convert", "--events", path, "-o", tmp_path / "ds").exit_code == 0
    one_error_line(run("map", "--layer", f"frame={path}", "-o", tmp_path / "n.html"), f"{path}: has no geometry")


def test_frame_layers_from_a_csv_or_an_empty_file_are_errors_naming_them(tmp_path):
    csv = tmp_path / "patrols.csv"
    csv.write_text("name,lat\nA,1\n")
    one_error_line(run("map", "--layer", f"frame={csv}", "-o", tmp_path / "m.html"), csv)
    empty = tmp_path / "empty.geojson"
    empty.write_text("")
    one_error_line(run("map", "--layer", f"frame={empty}", "-o", tmp_path / "m.html"), empty)
    assert run("map", "--layer", f"frame={tmp_path / 'missing.geojson'}", "-o", tmp_path / "m.html").exit_code == 2


def test_geoparquet_with_an_empty_point_is_a_problem_of_its_row_in_a_file_or_a_dataset(tmp_path):
    frame = gpd.GeoDataFrame(
        {"date": ["2023-07-16"], "title": ["t"], "type": ["visit"]}, geometry=[shapely.Point()], crs="EPSG:4326"
    )
    path = tmp_path / "ev.parquet"
    frame.to_parquet(path)
    one_error_line(run("map", "--events", path, "-o", tmp_path / "m.html"), f"{path}, feature 1")
    folder = tmp_path / "ds"
    folder.mkdir()
    frame.assign(date=pd.to_datetime(frame.date)).to_parquet(folder / "part.0.parquet")
    one_error_line(run("map", "--events", folder, "-o", tmp_path / "m.html"), f"{folder}, row 1, field 'geometry'")
    one_error_line(run("score", "--events", folder, "--focus", "BOL"), f"{folder}, row 1, field 'geometry'")


def test_a_text_date_column_in_a_dataset_is_named_for_the_dask_engine(tmp_path):
    pytest.importorskip("dask_geopandas")
    folder = tmp_path / "ds"
    folder.mkdir()
    gpd.GeoDataFrame(
        {"date": ["2023-07-16"], "title": ["t"], "type": ["visit"]}, geometry=[shapely.Point(-65, -22)], crs="EPSG:4326"
    ).to_parquet(folder / "part.0.parquet")
    result = run("score", "--events", folder, "--engine", "dask", "--focus", "ARG,BOL")
    one_error_line(result, f"{folder}, schema, field 'date': must be a timestamp column")


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[watchlist]\ncountries = [1, 2]\n", "'watchlist.countries' must be a list of text"),
        ("[agreements]\nkeywords = [1]\n", "'agreements.keywords' must be a list of text"),
        ('[events.type_weights]\nattack = "x"\n', "'events.type_weights.attack' must be a number"),
    ],
)
def test_config_values_of_the_wrong_kind_are_named(tmp_path, toml, expected):
    config = tmp_path / "r.toml"
    config.write_text(toml)
    result = run("score", "--config", config)
    one_error_line(result, config)
    assert expected in result.output


def test_border_options_suggest_and_refuse_what_is_not_a_distance():
    result = run("annotate", "add", "--border", "Argentna-Bolivia", "--from-km", "1", "--to-km", "5")
    assert result.exit_code == 2 and "did you mean Argentina" in result.output
    for args in (["--segments", "nan"], ["--zone", "nan", "--geojson"], ["--zone", "inf", "--geojson"]):
        result = run("borders", "ARG", "BOL", *args)
        assert result.exit_code == 2 and "finite number of km" in result.output
    result = run("borders", "ARG", "BOL", "--zone", "10000", "--geojson")
    assert result.exit_code == 2 and "a zone is at most 5,000 km wide" in result.output


def test_annotation_sources_are_read_by_the_same_rules(tmp_path):
    store = tmp_path / "store.geojson"
    drawn = tmp_path / "drawn.geojson"
    drawn.write_bytes(b'{"type": "FeatureCollection", "features": []}\n# caf\xe9\n')
    one_error_line(run("annotate", "import", drawn, "--store", store), f"{drawn}, line 2: is not UTF-8")
    one_error_line(run("annotate", "add", "--geometry", drawn, "--store", store), f"{drawn}, line 2")
    drawn.write_text('{"type": "FeatureCollection", "features": []}')
    one_error_line(run("annotate", "add", "--geometry", drawn, "--store", store), f"{drawn}: is a FeatureCollection")
    result = run("annotate", "import", drawn, "--store", drawn)
    assert result.exit_code == 2 and "is also an input" in result.output
    assert not store.exists()


def test_gis_events_files_are_read_as_borderrisks_own_columns_not_sniffed_as_text(tmp_path):
    frame = gpd.GeoDataFrame(
        {"date": ["2023-07-16"], "title": ["Patrol"], "type": ["visit"]},
        geometry=[shapely.Point(-65.6, -22.1)],
        crs=4326,
    )
    for suffix in (".geojson", ".gpkg", ".parquet"):
        path = tmp_path / f"ev{suffix}"
        frame.to_parquet(path) if suffix == ".parquet" else frame.to_file(path)
        result = run("convert", "--events", path, "-o", tmp_path / f"ds{suffix[1:]}")
        assert result.exit_code == 0, result.output


def test_lines_ended_by_a_lone_carriage_return_are_lines(tmp_path):
    path = tmp_path / "ev.csv"
    path.write_bytes(b"date,title,type,lat,lon\r2023-07-16,Patrol,visit,-22.1,-65.6\r")
    assert run("convert", "--events", path, "-o", tmp_path / "ds").exit_code == 0
    path.write_bytes(b"\r\x00")  # found by the fuzzer: crashed the format sniffer
    one_error_line(run("convert", "--events", path, "-o", tmp_path / "ds2"), f"{path}: is empty")
