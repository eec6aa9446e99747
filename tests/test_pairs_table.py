"""Score, trend, back-test and the dask engine read one pairs table: events are paired with
segments in one place (`EventPairs.of`), so a change to that table shows in every one of them
alike. Were any of them to pair events by its own means, the change below would not reach it."""

import dataclasses
import json
from datetime import date

import numpy as np
import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.risk.backtest import timeline_of
from borderrisk.risk.config import RiskConfig
from borderrisk.risk.model import Scorer, score, segments_for
from borderrisk.risk.pairing import EventPairs
from borderrisk.risk.timeline import Timeline
from borderrisk.risk.trend import trend
from borderrisk.scenarios.synthetic import clustered_events, synthetic_events

FOCUS = ["ARG"]
AS_OF = date(2024, 12, 31)
KEYS = ["a", "b", "start_km"]


@pytest.fixture(scope="module")
def events():
    return synthetic_events(3000, seed=3, world=True)


@pytest.fixture(scope="module")
def segments():
    return segments_for(FOCUS, float(RiskConfig.load()["segments"]["length_km"]))


@pytest.fixture
def odd_segments_unpaired(monkeypatch):
    """The one pairs table, altered: no event is ever near an odd-numbered segment."""
    original = EventPairs.of.__func__

    def of(cls, *args, **kwargs):
        table = original(cls, *args, **kwargs)
        even = table.segment % 2 == 0
        return dataclasses.replace(table, segment=table.segment[even], event=table.event[even], km=table.km[even])

    monkeypatch.setattr(EventPairs, "of", classmethod(of))


def per_segment(frame, segments, column):
    """A column of a result keyed by segment, in the segments' own order."""
    keyed = frame.groupby(KEYS)[column].sum()
    return keyed.reindex(list(zip(*(segments[k] for k in KEYS))), fill_value=0).to_numpy()


def only_even(values):
    """Events near some even segments, and none near any odd one."""
    values = np.asarray(values)
    return (values[1::2] == 0).all() and (values[0::2] > 0).sum() > 3


@pytest.fixture(scope="module")
def in_process_cluster():
    """A dask cluster whose workers are threads of this process, so they pair with the
    altered table as well."""
    distributed = pytest.importorskip("distributed", reason="pip install borderrisk[scale]")
    pytest.importorskip("dask_geopandas", reason="pip install borderrisk[scale]")
    with distributed.LocalCluster(
        processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        yield cluster


def test_score_trend_and_back_test_reduce_the_one_pairs_table(events, segments, odd_segments_unpaired):
    config = RiskConfig.load()
    scored = per_segment(score(events=events, focus=FOCUS, as_of=AS_OF), segments, "events")
    kept = Scorer(events, focus=FOCUS)
    timeline = timeline_of(events, FOCUS, config, float(config["events"]["distance_km"]))
    trended = per_segment(trend(events, focus=FOCUS, as_of=AS_OF, every="quarter"), segments, "events")

    assert isinstance(timeline.pairs, EventPairs) and all(isinstance(p, EventPairs) for p in kept.pairs())
    assert only_even(scored) and only_even(trended)
    assert only_even(timeline.counts(date(1900, 1, 1), AS_OF, 100.0))
    assert np.allclose(timeline.factors_at(AS_OF)["events"], scored, rtol=1e-12, atol=1e-12)
    assert np.allclose(per_segment(kept.score(AS_OF), segments, "events"), scored, rtol=1e-12, atol=1e-12)


def test_the_dask_engine_pairs_with_the_same_table(events, segments, odd_segments_unpaired, in_process_cluster):
    import distributed

    from borderrisk.risk.dask_engine import DaskEngine

    config = RiskConfig.load()
    address = in_process_cluster.scheduler_address
    on_dask = score(events=events, focus=FOCUS, as_of=AS_OF, engine="dask", scheduler=address)
    assert only_even(per_segment(on_dask, segments, "events"))
    with distributed.Client(address) as connected:
        timeline = Timeline(events, segments, config, engine=DaskEngine(connected))
    in_memory = Timeline(events, segments, config)
    assert only_even(timeline.counts(date(1900, 1, 1), AS_OF, 100.0))
    for name in ("segment", "event", "km", "row", "date", "weight", "multiplier", "watched"):
        np.testing.assert_array_equal(getattr(timeline.pairs, name), getattr(in_memory.pairs, name))


@pytest.mark.slow
def test_a_learned_back_test_on_dask_gives_the_figures_of_one_in_memory(tmp_path, in_process_cluster):
    pytest.importorskip("lightgbm", reason="pip install borderrisk[learn]")
    events = clustered_events(["BRA"], months=15, seed=2)
    path = tmp_path / "events.csv"
    events.assign(
        date=events.date.dt.strftime("%Y-%m-%d"), lat=events.geometry.y.round(5), lon=events.geometry.x.round(5)
    )[["date", "title", "type", "severity", "lat", "lon"]].to_csv(path, index=False)
    arguments = ["backtest", "--events", str(path), "--focus", "BRA", "--model", "learned", "--json"]
    in_memory = CliRunner().invoke(cli, arguments)
    on_dask = CliRunner().invoke(
        cli, [*arguments, "--engine", "dask", "--scheduler", in_process_cluster.scheduler_address]
    )
    assert in_memory.exit_code == 0 and on_dask.exit_code == 0, in_memory.output + on_dask.output
    report = json.loads(in_memory.output)
    assert report["metrics"]["learned"]["aupr"] is not None and set(report["learners"]) - {"none"}
    assert json.loads(on_dask.output) == report
