"""GDELT as published: the real 2.0 export of 2019-10-24 14:30 (zipped, unzipped, gzipped),
1.0 daily and back files, BigQuery exports with a header; FIPS codes; counting a story once."""

import csv
import gzip
import json
import shutil
import zipfile

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.data.formats import detect_format, read_events
from borderrisk.data.formats.gdelt import GDELT1_BACKFILE_COLUMNS, GDELT1_COLUMNS, GDELT2_COLUMNS
from borderrisk.geo.countries import fips_codes, resolve
from borderrisk.layers.events import EventsLayer

from exports import REAL_GDELT_ZIP

#: What the real file holds (counted with awk): rows, rows with no ActionGeo at all, rows
#: located only to a country (ActionGeo_Type 1; one of them has no coordinates, only "YI").
ROWS, UNLOCATED, COUNTRY_LEVEL = 2111, 37, 550


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gdelt")
    with zipfile.ZipFile(REAL_GDELT_ZIP) as archive:
        archive.extractall(folder)
    return folder / "20191024143000.export.CSV"


def test_the_real_export_reads_every_row_and_reports_the_unlocated_ones(real):
    assert detect_format(real) == "gdelt"
    with pytest.raises(Exception, match=r"37 problems.*without|no location") as error:
        EventsLayer.read(real)
    assert "--skip-bad-rows" in str(error.value)
    layer = EventsLayer.read(real, skip_bad_rows=True)
    assert len(layer.frame) + len(layer.skipped) == ROWS
    assert len(layer.skipped) == UNLOCATED
    assert layer.skipped.reasons == {"without any location": UNLOCATED}
    assert (layer.frame.location_precision == "country").sum() == COUNTRY_LEVEL


def test_zipped_gzipped_and_plain_copies_read_the_same(real, tmp_path):
    gzipped = tmp_path / "20191024143000.export.CSV.gz"
    with open(real, "rb") as source, gzip.open(gzipped, "wb") as target:
        shutil.copyfileobj(source, target)
    plain, _ = read_events(real, skip_bad_rows=True)
    for copy in (REAL_GDELT_ZIP, gzipped):
        frame, _ = read_events(copy, skip_bad_rows=True)
        assert frame.equals(plain)


def test_fips_codes_become_iso_codes_rs_is_russia_not_serbia(real):
    frame = EventsLayer.read(real, skip_bad_rows=True).frame
    with open(real, newline="") as handle:
        fips = [row[GDELT2_COLUMNS.index("ActionGeo_CountryCode")] for row in csv.reader(handle, delimiter="\t")]
    assert fips.count("RS") == (frame.country == "RUS").sum() == 80
    assert (frame.country == "SRB").sum() == fips.count("RI") + fips.count("YI")
    assert (frame.country == "UKR").sum() == fips.count("UP")


def test_the_fips_table_names_real_countries():
    table = fips_codes()
    known = {"RS": "RUS", "UP": "UKR", "UK": "GBR", "GM": "DEU", "SF": "ZAF", "CH": "CHN", "IZ": "IRQ", "IS": "ISR"}
    assert {code: table[code] for code in known} == known
    assert {"SZ": "CHE", "SW": "SWE", "AU": "AUT", "AS": "AUS", "BL": "BOL", "TU": "TUR", "KV": "KOS"}.items() <= (
        table.items()
    )
    for fips, code in table.items():
        if code:  # only OS (oceans) is no country
            assert resolve(code).code == code, fips
    assert [f for f, c in table.items() if not c] == ["OS"]


def test_country_level_rows_count_under_country_events(real):
    result = CliRunner().invoke(
        cli, ["score", "--events", str(real), "--skip-bad-rows", "--focus", "SYR,TUR", "--json"]
    )
    assert result.exit_code == 0, result.output
    factors = [f for row in json.loads(result.stdout) for f in row["factors"] if f["name"] == "country_events"]
    assert all(f["contribution"] > 0 for f in factors)
    assert "located only to SYR" in factors[0]["explanation"]
    assert "skipped 37 bad row(s) (37 without any location)" in result.stderr


def test_root_events_and_one_row_per_source_and_day(real):
    everything, _ = read_events(real, skip_bad_rows=True)
    roots, skipped = read_events(real, skip_bad_rows=True, root_events_only=True)
    assert len(roots) == everything.is_root_event.sum() < len(everything)
    assert "events that are not root events" in skipped.summary()
    once, skipped = read_events(real, skip_bad_rows=True, once_per_source=True)
    assert len(once) == everything.drop_duplicates(["date", "source"]).shape[0] < len(everything)
    assert not once.duplicated(["date", "source"]).any()
    assert f"left out {len(everything) - len(once):,} repeats of a source" in skipped.summary()
    most = everything.groupby(["date", "source"]).num_mentions.max()
    assert (once.set_index(["date", "source"]).num_mentions == most.loc[once.set_index(["date", "source"]).index]).all()


def gdelt_rows(real, columns, count=5):
    """The first rows of the real file in an older layout (columns dropped by name)."""
    with open(real, newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[:count]
    return ["\t".join(row[GDELT2_COLUMNS.index(c)] for c in columns) for row in rows]


@pytest.mark.parametrize("columns", [GDELT1_COLUMNS, GDELT1_BACKFILE_COLUMNS], ids=["1.0-daily", "1.0-backfile"])
def test_gdelt_1_files_read_by_their_number_of_columns(real, tmp_path, columns):
    path = tmp_path / "20130401.export.CSV"
    path.write_text("\n".join(gdelt_rows(real, columns)) + "\n")
    frame, _ = read_events(path, skip_bad_rows=True)
    expected, _ = read_events(real, skip_bad_rows=True)
    expected = expected[expected.event_id.isin(frame.event_id)]
    assert list(frame.event_id) == list(expected.event_id)
    assert list(frame.country) == list(expected.country)
    assert len(GDELT1_COLUMNS) == 58 and len(GDELT1_BACKFILE_COLUMNS) == 57


def test_a_bigquery_export_with_a_header_reads_like_the_published_file(real, tmp_path):
    path = tmp_path / "bq-results.csv"
    with open(real, newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[:20]
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(GDELT2_COLUMNS)
        writer.writerows(rows)
    assert detect_format(path) == "gdelt"
    frame, _ = read_events(path, skip_bad_rows=True)
    published, _ = read_events(real, skip_bad_rows=True)
    published = published[published.event_id.isin(frame.event_id)].reset_index(drop=True)
    assert frame.drop(columns="geometry").astype(str).equals(published.drop(columns="geometry").astype(str))
