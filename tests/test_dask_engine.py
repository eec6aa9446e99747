"""The dask engine gives the in-memory engine's result, to the digit, on a LocalCluster."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.geo.geodesy import distances_to_lines_km
from borderrisk.risk import dask_engine
from borderrisk.risk.config import RiskConfig
from borderrisk.risk.model import score, segments_for
from borderrisk.scenarios.synthetic import synthetic_events

distributed = pytest.importorskip("distributed", reason="pip install borderrisk[scale]")
dask_geopandas = pytest.importorskip("dask_geopandas", reason="pip install borderrisk[scale]")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def events():
    return synthetic_events(20_000, seed=3, world=True)


#: A watched name whose text form as part of a list ("['...']") escapes its apostrophe.
WATCHED = 'Brigada "Libertad" de O\'Higgins'


@pytest.fixture(scope="module")
def with_lists():
    """Events with lists of actors (one in seven involves the watched brigade) and deaths,
    in no spatial order."""
    events = synthetic_events(6_000, seed=5)
    rng = np.random.default_rng(5)
    events["actors"] = [[WATCHED, "Civilians"] if i % 7 == 0 else ["Smugglers"] for i in range(len(events))]
    events["fatalities"] = rng.integers(0, 4, len(events))
    return events


@pytest.fixture(scope="module")
def world_dataset(events, tmp_path_factory):
    """The world events with actors and deaths as a GeoParquet folder of four parts written in
    input order, as ``convert`` writes them: each part is scattered over the whole world."""
    folder = tmp_path_factory.mktemp("world") / "events"
    folder.mkdir()
    events = events.assign(
        actors=[["Hezbollah"] if i % 11 == 0 else ["Rebels", "Police"] for i in range(len(events))],
        fatalities=np.arange(len(events)) % 5,
    )
    for number, rows in enumerate(np.array_split(np.arange(len(events)), 4)):
        events.iloc[rows].to_parquet(folder / f"part.{number:05d}.parquet")
    return folder


def segments_met(partitions, segments) -> list[int]:
    """How many segments each partition has an event within 100 km of."""
    return [
        len(np.unique(distances_to_lines_km(p.geometry.x, p.geometry.y, segments.geometry.to_numpy(), 100.0)[1]))
        for p in partitions
    ]


def test_the_dask_engine_equals_the_in_memory_engine(events, cluster):
    in_memory = score(events=events, focus=["ARG"])
    on_dask = score(events=events, focus=["ARG"], engine="dask", scheduler=cluster.scheduler_address)
    assert in_memory.drop(columns="geometry").equals(on_dask.drop(columns="geometry"))
    assert in_memory.geometry.geom_equals_exact(on_dask.geometry, 0).all()
    assert in_memory.events.sum() > 0


def test_lists_of_actors_reach_the_watchlist_as_lists_and_score_as_in_memory(with_lists, cluster):
    config = RiskConfig.load().with_values(watchlist={"actors": [WATCHED]})
    in_memory = score(events=with_lists, focus=["CHL", "BOL"], config=config)
    unwatched = score(events=with_lists, focus=["CHL", "BOL"])
    assert not in_memory.score.equals(unwatched.score), "the watched brigade weighs more"
    on_dask = score(
        events=with_lists, focus=["CHL", "BOL"], config=config, engine="dask", scheduler=cluster.scheduler_address
    )
    assert in_memory.drop(columns="geometry").equals(on_dask.drop(columns="geometry"))
    assert in_memory.fatalities.sum() > 0
    with distributed.Client(cluster) as client:
        held = dask_engine.DaskEngine(client).positioned(with_lists).compute()
    assert held.actors.map(type).eq(list).all()
    assert held.sort_index().actors.tolist() == with_lists.actors.tolist()


def test_a_dataset_stays_where_it_is_read_placed_in_the_input_and_scores_as_in_memory(world_dataset, cluster):
    given = dask_geopandas.read_parquet(world_dataset)
    with distributed.Client(cluster) as client:
        engine = dask_engine.DaskEngine(client)
        held = engine.positioned(given, ("title", "actors"))
        partitions = [held.get_partition(n).compute() for n in range(held.npartitions)]
    assert len(partitions) == 4 and engine.rows == 20_000
    assert [p.index[0] for p in partitions] == [0, 5_000, 10_000, 15_000]
    assert np.concatenate([p.index.to_numpy() for p in partitions]).tolist() == list(range(20_000))
    titles = given.title.compute().tolist()
    assert all(titles[i] == t for p in partitions for i, t in zip(p.index, p.title))

    on_dask = score(events=str(world_dataset), engine="dask", scheduler=cluster.scheduler_address)
    in_memory = score(events=str(world_dataset))
    assert in_memory.drop(columns="geometry").equals(on_dask.drop(columns="geometry"))
    assert in_memory.fatalities.sum() > 0
    assert any("Hezbollah" in f["explanation"] or "killed" in f["explanation"] for f in in_memory.factors[0])


def test_an_in_memory_frame_is_cut_into_partitions_of_nearby_events(events, cluster, monkeypatch):
    monkeypatch.setattr(dask_engine, "PARTITION_ROWS", 5_000)
    with distributed.Client(cluster) as client:
        held = dask_engine.DaskEngine(client).positioned(events)
        by_place = [held.get_partition(n).compute() for n in range(held.npartitions)]
    segments = segments_for(None, 50.0)
    in_order = [events.iloc[start : start + 5_000] for start in range(0, 20_000, 5_000)]
    before, after = segments_met(in_order, segments), segments_met(by_place, segments)
    assert len(by_place) == 4 and max(after) < min(before) / 2, (before, after)
    assert sorted(np.concatenate([p.index.to_numpy() for p in by_place])) == list(range(20_000))


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


def test_a_geoparquet_folder_on_dask_is_held_to_the_finite_number_rule(cluster, spoiled_dataset):
    args = ["score", "--events", str(spoiled_dataset), "--focus", "ARG,BOL", "--engine", "dask"]
    result = CliRunner().invoke(cli, [*args, "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 1
    assert f"{spoiled_dataset}, partition 1, row 2, field 'severity': is not a finite number" in result.output
    assert f"{spoiled_dataset}, partition 1, row 3, field 'geometry': has no geometry" in result.output


def test_without_scheduler_the_engine_uses_the_one_dask_is_configured_with(cluster, fixtures):
    """DASK_SCHEDULER_ADDRESS sets dask's ``scheduler-address``, as for ``distributed.Client()``."""
    import dask

    before = cluster.scheduler.transition_counter
    args = ["score", "--events", str(fixtures / "events_ok.csv"), "--focus", "ARG,BOL", "--engine", "dask"]
    with dask.config.set({"scheduler-address": cluster.scheduler_address}):
        result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert cluster.scheduler.transition_counter > before, "the work ran on the configured scheduler"


def test_a_scheduler_out_of_reach_is_one_line_of_error(fixtures):
    import dask

    args = ["score", "--events", str(fixtures / "events_ok.csv"), "--engine", "dask"]
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = CliRunner().invoke(cli, [*args, "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot reach the dask scheduler at tcp://127.0.0.1:9: ")
    assert len(result.output.strip().splitlines()) == 1
