"""Whatever convert writes, map, score (both engines) and convert itself read back, and the
scores equal those of the original file, for events with two actors (most real rows)."""

import json
from itertools import pairwise

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli

from exports import ACLED_COLUMNS, acled_row, table


@pytest.fixture
def acled(tmp_path):
    rows = [
        acled_row(),
        acled_row(event_id_cnty="B", actor1="Military Forces of Iran (1989-)", actor2="Smugglers", fatalities="12"),
        acled_row(event_id_cnty="C", event_type="Protests", sub_event_type="Peaceful protest", actor2="NA"),
        acled_row(event_id_cnty="D", latitude="", longitude="", location="Tarija", country="Bolivia"),
    ]
    path = tmp_path / "acled.csv"
    path.write_text(table(ACLED_COLUMNS, rows))
    return path


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_converted_events_score_as_the_original_on_both_engines_and_convert_again(acled, tmp_path):
    pytest.importorskip("dask_geopandas", reason="pip install borderrisk[scale]")
    first, second = tmp_path / "first", tmp_path / "second"
    run("convert", "--events", acled, "-o", first)
    run("convert", "--events", first, "-o", second)
    score = ["score", "--focus", "ARG,BOL", "--json", "--as-of", "2023-08-01"]
    original = json.loads(run(*score, "--events", acled).stdout)
    assert any(f["contribution"] > 0 for row in original for f in row["factors"] if f["name"] == "events")
    for dataset in (first, second):
        assert json.loads(run(*score, "--events", dataset).stdout) == original
    on_dask = json.loads(run(*score, "--events", second, "--engine", "dask").stdout)
    assert on_dask == original


def test_converted_events_map(acled, tmp_path):
    dataset = tmp_path / "events"
    run("convert", "--events", acled, "-o", dataset)
    page = tmp_path / "map.html"
    run("map", "--events", dataset, "--focus", "ARG,BOL", "-o", page)
    html = page.read_text()
    assert "Military Forces of Iran (1989-)" in html and "Fatalities" in html


def test_score_explanations_give_the_deaths_an_export_counts(acled):
    result = run("score", "--events", acled, "--focus", "ARG,BOL", "--json", "--as-of", "2023-08-01")
    explained = " ".join(f["explanation"] for row in json.loads(result.stdout) for f in row["factors"])
    assert "Armed clash: Villazon (2023-07-20, battles, 12 killed)" in explained


@pytest.mark.parametrize("total, sizes", [(2_500, [1_000, 1_000, 500]), (2_000, [1_000, 1_000])])
def test_batches_of_any_size_are_written_as_files_of_the_partition_size_in_order(tmp_path, total, sizes):
    import geopandas as gpd

    from borderrisk.data.files import write_partitioned
    from borderrisk.scenarios.synthetic import synthetic_events

    events = synthetic_events(total, seed=1)
    cuts = [0, 700, 701, 1_999, total]
    batches = [events.iloc[start:end] for start, end in pairwise(cuts)]
    assert write_partitioned(batches, tmp_path / "dataset", 1_000) == (total, len(sizes))
    parts = [gpd.read_parquet(path) for path in sorted((tmp_path / "dataset").iterdir())]
    assert [len(part) for part in parts] == sizes
    assert [title for part in parts for title in part.title] == list(events.title)
