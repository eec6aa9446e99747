"""The dask engine gives the in-memory engine's result, to the digit, on a LocalCluster."""

import json

import pytest
from click.testing import CliRunner

from layers.cli.main import cli
from layers.risk.model import score
from layers.scenarios.synthetic import synthetic_events

distributed = pytest.importorskip("distributed", reason="pip install borderrisk[scale]")
dask_geopandas = pytest.importorskip("dask_geopandas", reason="pip install borderrisk[scale]")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def events():
    return synthetic_events(20_000, seed=3, world=True)


def test_the_dask_engine_equals_the_in_memory_engine(events, cluster):
    in_memory = score(events=events, focus=["ARG"])
    on_dask = score(events=events, focus=["ARG"], engine="dask", scheduler=cluster.scheduler_address)
    assert in_memory.drop(columns="geometry").equals(on_dask.drop(columns="geometry"))
    assert in_memory.geometry.geom_equals_exact(on_dask.geometry, 0).all()
    assert in_memory.events.sum() > 0


def test_a_geoparquet_directory_on_a_given_scheduler(events, cluster, tmp_path):
    dataset = tmp_path / "events"
    dask_geopandas.from_geopandas(events, npartitions=4).to_parquet(dataset)
    args = ["score", "--events", str(dataset), "--focus", "BOL", "--json"]
    on_dask = CliRunner().invoke(cli, [*args, "--engine", "dask", "--scheduler", cluster.scheduler_address])
    in_memory = CliRunner().invoke(cli, args)
    assert on_dask.exit_code == 0, on_dask.output
    assert json.loads(on_dask.stdout) == json.loads(in_memory.stdout)


def test_a_scheduler_needs_the_dask_engine():
    result = CliRunner().invoke(cli, ["score", "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2


def test_convert_then_score_on_dask(tmp_path, cluster, fixtures):
    dataset = tmp_path / "events"
    converted = CliRunner().invoke(
        cli, ["convert", "--events", str(fixtures / "events_ok.csv"), "-o", str(dataset), "--partition-rows", "1000"]
    )
    assert converted.exit_code == 0, converted.output
    assert sorted(p.name for p in dataset.iterdir()) == ["part.00000.parquet"]
    args = ["score", "--events", str(dataset), "--focus", "ARG,BOL", "--json"]
    on_dask = CliRunner().invoke(cli, [*args, "--engine", "dask", "--scheduler", cluster.scheduler_address])
    in_memory = CliRunner().invoke(
        cli, ["score", "--events", str(fixtures / "events_ok.csv"), "--focus", "ARG,BOL", "--json"]
    )
    assert json.loads(on_dask.stdout) == json.loads(in_memory.stdout)
    again = CliRunner().invoke(cli, ["convert", "--events", str(fixtures / "events_ok.csv"), "-o", str(dataset)])
    assert again.exit_code == 2 and "exists; name a new folder" in again.output
