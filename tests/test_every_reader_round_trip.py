"""Whatever reader events came from, convert writes borderrisk's columns with their types, and
score, trend and map read the dataset back (the events of every reader, near ARG-BOL)."""

import zipfile

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.data.dataset import COLUMNS

from exports import ACLED_COLUMNS, GTD_COLUMNS, REAL_GDELT_ZIP, UCDP_COLUMNS, acled_row, gtd_row, table, ucdp_row

NEAR = {"latitude": "-22.09", "longitude": "-65.59"}


def _gdelt(path):
    with zipfile.ZipFile(REAL_GDELT_ZIP) as archive:
        lines = archive.read(archive.namelist()[0]).decode("utf-8").splitlines()[:50]
    path.write_text("\n".join(lines) + "\n")


WRITERS = {
    "acled": lambda p: p.write_text(table(ACLED_COLUMNS, [acled_row(), acled_row(event_id_cnty="B", fatalities="")])),
    "gtd": lambda p: p.write_text(table(GTD_COLUMNS, [gtd_row(**NEAR), gtd_row(eventid="2", nkill="", **NEAR)])),
    "ucdp": lambda p: p.write_text(table(UCDP_COLUMNS, [ucdp_row(**NEAR), ucdp_row(id="2", **NEAR)])),
    "gdelt": _gdelt,
    "borderrisk": lambda p: p.write_text(
        "date,title,type,severity,lat,lon,actors\n2023-07-20,clash,battles,,-22.09,-65.59,A;B\n"
        "2023-07-21,clash,battles,3,-22.1,-65.6,\n"
    ),
    "columns": lambda p: p.write_text(
        "day,kind,y,x\n20/07/2023,battles,-22.09,-65.59\n21/07/2023,protests,-22.1,-65.6\n"
    ),
}


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("reader", WRITERS)
def test_every_readers_events_convert_and_read_back(reader, tmp_path):
    source = tmp_path / f"{reader}.csv"
    WRITERS[reader](source)
    options = ["--columns", "date=day,type=kind,lat=y,lon=x"] if reader == "columns" else []
    options += ["--skip-bad-rows"] if reader == "gdelt" else []
    dataset = tmp_path / "dataset"
    run("convert", "--events", source, *options, "-o", dataset)
    schema = pq.read_schema(next(dataset.iterdir()))
    assert set(schema.names) <= {*COLUMNS, "geometry"}
    assert str(schema.field("date").type).startswith("timestamp")
    if "severity" in schema.names:
        assert str(schema.field("severity").type) == "int64"
    scored = run("score", "--events", dataset, "--focus", "ARG,BOL", "--json", "--as-of", "2023-08-01")
    assert scored.stdout.strip().startswith("[")
    run("trend", "--events", dataset, "--focus", "ARG,BOL", "--every", "month", "--json", "--as-of", "2023-08-01")
    run("map", "--events", dataset, "--focus", "ARG,BOL", "-o", tmp_path / "map.html")
