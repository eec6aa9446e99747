"""Both engines consume the same source: whatever shape the events are given in, the dask engine
opens them with the one function the in-memory engine uses (``event_batches``) and reads what
the source says its parts are, never sorting the shapes itself, and scores as pandas does."""

from datetime import date

import pandas as pd
import pytest

from borderrisk.data.batches import FrameBatches, Part, event_batches, is_event_source
from borderrisk.data.filters import filtered_source
from borderrisk.data.formats import EventsInput
from borderrisk.inputs import event_source
from borderrisk.risk import dask_engine
from borderrisk.risk.model import score
from borderrisk.risk.trend import trend
from borderrisk.scenarios.synthetic import synthetic_events

distributed = pytest.importorskip("distributed", reason="pip install borderrisk[scale]")
dask_geopandas = pytest.importorskip("dask_geopandas", reason="pip install borderrisk[scale]")

FOCUS = ["ARG"]
AS_OF = date(2024, 12, 31)


@pytest.fixture(scope="module")
def cluster():
    """Workers in this process, so what a test patches here is what they run."""
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def events():
    return synthetic_events(3000, seed=3, world=True)


@pytest.fixture(scope="module")
def halves(events, tmp_path_factory):
    """The events as two GeoParquet files, first half then second, and the first as an export."""
    folder = tmp_path_factory.mktemp("halves")
    paths = [str(folder / "first.parquet"), str(folder / "second.parquet")]
    events.iloc[:1500].to_parquet(paths[0])
    events.iloc[1500:].to_parquet(paths[1])
    export = events.iloc[:1500].assign(lat=events.geometry.y, lon=events.geometry.x)
    export[["date", "title", "type", "severity", "lat", "lon"]].to_csv(folder / "first.csv", index=False)
    return paths


SHAPES = {
    "frame": lambda events, halves: events,
    "path": lambda events, halves: halves[0],
    "list of paths": lambda events, halves: halves,
    "frame and path": lambda events, halves: [events.iloc[:1500], halves[1]],
    "dask frame": lambda events, halves: dask_geopandas.from_geopandas(events, npartitions=3),
    "filtered source": lambda events, halves: filtered_source(halves, "type=attack,protest"),
    "export read as it goes": lambda events, halves: event_source(
        [halves[0].replace(".parquet", ".csv")], EventsInput()
    ),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_reaches_the_dask_engine_as_one_source_and_scores_as_pandas(
    shape, events, halves, cluster, monkeypatch
):
    given = SHAPES[shape](events, halves)
    opened = []

    def spied(events, *args, **kwargs):
        source = event_batches(events, *args, **kwargs)
        opened.append(source)
        return source

    monkeypatch.setattr(dask_engine, "event_batches", spied)
    on_dask = score(events=given, focus=FOCUS, as_of=AS_OF, engine="dask", scheduler=cluster.scheduler_address)
    assert opened and all(is_event_source(source) for source in opened)
    in_memory = score(events=given, focus=FOCUS, as_of=AS_OF)
    assert in_memory.drop(columns="geometry").equals(on_dask.drop(columns="geometry"))
    assert in_memory.events.sum() > 0


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_trends_alike_on_both_engines(shape, events, halves, cluster):
    given = SHAPES[shape](events, halves)
    options = dict(focus=FOCUS, as_of=AS_OF, every="quarter", by="border", model="formula")
    on_dask = trend(events=given, **options, engine="dask", scheduler=cluster.scheduler_address)
    in_memory = trend(events=given, **options)
    pd.testing.assert_frame_equal(on_dask, in_memory, check_exact=False, rtol=1e-12)
    assert in_memory.events.sum() > 0


class Halves(FrameBatches):
    """A source of a kind the engine has never heard of: it tells its parts, two frames."""

    def parts(self) -> list[Part]:
        return [Part(frame=self.frame.iloc[:1500]), Part(frame=self.frame.iloc[1500:])]


def test_the_engine_reads_what_a_source_says_its_parts_are(events, cluster):
    with distributed.Client(cluster) as client:
        engine = dask_engine.DaskEngine(client)
        held = engine.positioned(Halves(events))
        assert held.npartitions == 2 and engine.rows == 3000
        assert held.compute().sort_index().title.tolist() == events.title.tolist()
    on_dask = score(events=Halves(events), focus=FOCUS, as_of=AS_OF, engine="dask", scheduler=cluster.scheduler_address)
    in_memory = score(events=events, focus=FOCUS, as_of=AS_OF)
    assert in_memory.drop(columns="geometry").equals(on_dask.drop(columns="geometry"))
