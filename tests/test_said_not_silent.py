"""Errors and surprises are said: a missing optional extra is a usage error naming it, a
filter that keeps nothing warns, "as of" comes from the clock only with a word, and every
skipped row names its file (and the file inside a zip) and line."""

import json
import sys
import zipfile

from click.testing import CliRunner

from borderrisk.cli.main import cli

from exports import ACLED_COLUMNS, acled_row, table


def events(path, *rows):
    path.write_text(table(ACLED_COLUMNS, [acled_row(), *rows]))
    return path


def test_the_dask_engine_without_its_extra_is_a_usage_error_naming_it(tmp_path, monkeypatch):
    for name in ("dask", "distributed", "dask_geopandas"):
        monkeypatch.setitem(sys.modules, name, None)  # as if not installed
    path = events(tmp_path / "acled.csv")
    result = CliRunner().invoke(cli, ["score", "--events", str(path), "--focus", "ARG,BOL", "--engine", "dask"])
    assert result.exit_code == 2, result.output
    assert "borderrisk[scale]" in result.output and "internal error" not in result.output


def test_a_filter_that_keeps_nothing_and_a_day_from_the_clock_are_said(tmp_path):
    path = events(tmp_path / "acled.csv")
    args = ["score", "--events", str(path), "--focus", "ARG,BOL", "--where", "type=riots"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "keeps none of the 1 events" in result.stderr
    assert "by the clock" in result.stderr


def test_skips_in_a_folder_and_in_a_zip_name_their_file_and_line(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    events(folder / "a.csv", acled_row(event_id_cnty="A2", event_date="never"))
    events(folder / "b.csv", acled_row(event_id_cnty="B2", event_date="soon"))
    inner = events(tmp_path / "c.csv", acled_row(event_id_cnty="C2", event_date="later"))
    with zipfile.ZipFile(folder / "c.zip", "w") as archive:
        archive.write(inner, "c.csv")
    args = ["score", "--events", str(folder), "--focus", "ARG,BOL", "--skip-bad-rows"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"{folder / 'a.csv'}: line 3" in result.stderr
    assert f"{folder / 'b.csv'}: line 3" in result.stderr
    assert f"{folder / 'c.zip'} (file c.csv inside): line 3" in result.stderr


def test_dated_events_the_quick_look_cannot_read_are_not_said_to_be_scored_by_the_clock(tmp_path):
    """A GeoJSON's dates are found by the reading itself, not by the quick look at a text
    file's date column: the day comes from them, and nothing says it came from the clock."""
    path = tmp_path / "events.geojson"
    point = {"type": "Point", "coordinates": [-58.0, -20.0]}
    properties = {"EVENT_ID_CNTY": "1PRY", "EVENT_DATE": "2023-07-20", "EVENT_TYPE": "Battles", "COUNTRY": "Paraguay"}
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "geometry": point, "properties": properties}],
            }
        )
    )
    result = CliRunner().invoke(cli, ["score", "--events", str(path), "--focus", "ARG,PRY"])
    assert result.exit_code == 0, result.output
    assert "as of 2023-07-20" in result.stderr and "by the clock" not in result.stderr
