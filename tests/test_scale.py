"""Scoring at scale gives the same digits however the events are cut: exact sums, distances
measured in a process of their own, events streamed batch by batch from GeoParquet, and one
pairing scored for many as-of dates."""

import math
import os
import signal
import sys
import threading
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderrisk.data.files import write_partitioned
from borderrisk.geo.geodesy import NearLines
from borderrisk.risk import measuring
from borderrisk.risk.measuring import MeasuredApart, MeasuringStopped
from borderrisk.risk.model import Scorer, score, segments_for
from borderrisk.risk.tally import ExactSums
from borderrisk.scenarios.synthetic import synthetic_events

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300) | st.integers(
    -(2**33), 2**33
).map(float)


@settings(max_examples=50, deadline=None)
@given(st.lists(finite, min_size=1, max_size=60), st.randoms(use_true_random=False))
def test_sums_are_correctly_rounded_whatever_the_order_and_batches(values, rng):
    shuffled = values[:]
    rng.shuffle(shuffled)
    cut = rng.randint(0, len(values))
    whole, batched = ExactSums(2), ExactSums(2)
    whole.add(np.zeros(len(values), dtype=int), values)
    batched.add(np.zeros(cut, dtype=int), shuffled[:cut])
    later = ExactSums(2)
    later.add(np.zeros(len(values) - cut, dtype=int), shuffled[cut:])
    batched.merge(later)
    assert whole.totals()[0] == batched.totals()[0] == math.fsum(values)
    assert whole.totals()[1] == 0.0


def test_tiny_and_huge_terms_are_not_lost():
    sums = ExactSums(1)
    sums.add(np.zeros(4, dtype=int), [1e300, 5e-324, -1e300, 5e-324])
    assert sums.totals()[0] == 1e-323


def test_whole_numbers_and_fractions_sum_exactly_in_any_batches():
    deaths, shares = [3.0, 0.0, 12.0, 2.0**31], [0.1, 1e-17, 2.5]
    together, apart = ExactSums(1), ExactSums(1)
    together.add(np.zeros(7, dtype=int), deaths + shares)
    apart.add(np.zeros(4, dtype=int), deaths)
    apart.add(np.zeros(3, dtype=int), shares)
    assert together.totals()[0] == apart.totals()[0] == math.fsum(deaths + shares)


def test_whole_numbers_summed_past_the_size_of_an_integer_stay_exact():
    batch, total = ExactSums(1), ExactSums(1)
    batch.add(np.zeros(2**18, dtype=int), [2.0**32 - 1] * 2**18)  # about 2**50
    for _ in range(2**14):  # about 2**64: past what a 64-bit integer holds
        total.merge(batch)
    total.add(np.zeros(1, dtype=int), [-0.5])
    assert total.totals()[0] == math.fsum([(2**32 - 1) * 2.0**32, -0.5])


def test_distances_measured_in_a_process_of_their_own_are_the_same_numbers():
    lines = segments_for(["ARG", "BOL"], 50.0).geometry.to_numpy()
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(-70, -60, 5_000), rng.uniform(-26, -18, 5_000)
    here = NearLines(lines).within(lon, lat, 100.0)
    with MeasuredApart(lines) as apart:
        there = apart.within(lon, lat, 100.0)
        with pytest.raises(RuntimeError, match="measuring distances failed: ValueError"):
            apart.within(lon, lat[:-1], 100.0)
        later = apart.within_later(lon, lat, 100.0)()
    assert len(here[0]) > 1_000
    assert _in_order(there) == _in_order(later) == _in_order(here)


def _in_order(pairs):
    """(point, line, km) as sorted lists, to compare pairs found in any order."""
    order = np.lexsort((pairs[1], pairs[0]))
    return [column[order].tolist() for column in pairs]


def test_the_measuring_process_ignores_a_users_modules_and_odd_path_entries(tmp_path, monkeypatch):
    lines = segments_for(["ARG", "BOL"], 50.0).geometry.to_numpy()
    for shadow in ("pickle", "shapely", "numpy"):
        (tmp_path / f"{shadow}.py").write_text("raise SystemExit(3)\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [*sys.path, tmp_path, ""])
    with MeasuredApart(lines) as apart:
        assert len(apart.within(np.array([-65.0]), np.array([-22.0]), 100.0)[0]) > 0


def test_a_measuring_process_that_is_killed_is_a_one_line_error_not_a_hang():
    lines = segments_for(["ARG", "BOL"], 50.0).geometry.to_numpy()
    with MeasuredApart(lines) as apart:
        os.kill(apart.pid, signal.SIGKILL)
        with pytest.raises(MeasuringStopped, match="stopped \\(killed by signal 9\\); if memory ran out"):
            apart.within(np.array([-65.0]), np.array([-22.0]), 100.0)


def test_a_second_request_while_an_answer_is_pending_is_refused_not_a_deadlock():
    lines = segments_for(["ARG", "BOL"], 50.0).geometry.to_numpy()
    rng = np.random.default_rng(5)
    lon, lat = rng.uniform(-70, -60, 20_000), rng.uniform(-26, -18, 20_000)  # an answer far over 64 KB
    with MeasuredApart(lines) as apart:
        first = apart.within_later(lon, lat, 100.0)
        with pytest.raises(RuntimeError, match="one measuring at a time"):
            apart.within_later(lon, lat, 100.0)
        assert _in_order(first()) == _in_order(NearLines(lines).within(lon, lat, 100.0))
        with pytest.raises(RuntimeError, match="each answer is taken once"):
            first()
        assert len(apart.within(np.array([-65.0]), np.array([-22.0]), 100.0)[0]) > 0


def test_a_measuring_process_that_never_starts_is_given_up_in_time(monkeypatch):
    lines = segments_for(["ARG", "BOL"], 50.0).geometry.to_numpy()
    monkeypatch.setattr(measuring, "_START", "import time; time.sleep(600)")
    monkeypatch.setattr(measuring, "START_TIMEOUT", 1.0)
    failed: list[BaseException] = []

    def start() -> None:
        try:
            MeasuredApart(lines).close()
        except OSError as error:
            failed.append(error)

    starting = threading.Thread(target=start, daemon=True)
    starting.start()
    starting.join(30)
    assert not starting.is_alive(), "starting the measuring process waited for an answer that never came"
    assert "did not start within 1 s" in str(failed[0])


@pytest.mark.parametrize("broken", ["no interpreter", "an interpreter without borderrisk"])
def test_where_the_measuring_process_cannot_start_a_big_stream_is_measured_in_process(
    broken, tmp_path, monkeypatch, caplog
):
    events = synthetic_events(3_000, seed=4, world=True)
    write_partitioned(events, tmp_path / "events", 1_000)
    monkeypatch.setattr(measuring, "APART_FROM_ROWS", 1)
    if broken == "no interpreter":
        monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    else:
        monkeypatch.setattr(measuring, "_START", "import borderrisk_is_not_here")
    streamed = score(events=tmp_path / "events", focus=["BOL"])
    assert streamed.drop(columns="geometry").equals(score(events=events, focus=["BOL"]).drop(columns="geometry"))
    assert "measuring distances in this process" in caplog.text


def test_a_big_stream_measured_apart_scores_as_in_memory(tmp_path, monkeypatch):
    events = synthetic_events(30_000, seed=4, world=True)
    write_partitioned(events, tmp_path / "events", 7_000)
    monkeypatch.setattr(measuring, "APART_FROM_ROWS", 1)
    started = []
    monkeypatch.setattr(measuring.MeasuredApart, "within_later", _noting(measuring.MeasuredApart.within_later, started))
    streamed = score(events=tmp_path / "events", focus=["BOL"])
    assert streamed.drop(columns="geometry").equals(score(events=events, focus=["BOL"]).drop(columns="geometry"))
    assert started  # the batches were measured apart


def _noting(method, calls):
    """``method``, noting each call in ``calls``."""

    def noted(*args, **kwargs):
        calls.append(args)
        return method(*args, **kwargs)

    return noted


def test_events_streamed_from_geoparquet_score_as_in_memory(tmp_path):
    events = synthetic_events(30_000, seed=4, world=True)
    write_partitioned(events, tmp_path / "events", 7_000)
    in_memory = score(events=events, focus=["BOL"])
    streamed = score(events=tmp_path / "events", focus=["BOL"])
    assert in_memory.drop(columns="geometry").equals(streamed.drop(columns="geometry"))
    assert in_memory.events.sum() > 0


def test_one_pairing_scores_every_as_of_date_as_score_does():
    events = synthetic_events(20_000, seed=6, world=True)
    scorer = Scorer(events, focus=["ARG", "BOL"])
    for as_of in (date(2016, 6, 30), date(2020, 1, 1), date(2024, 12, 31)):
        alone = score(events=events, focus=["ARG", "BOL"], as_of=as_of)
        again = scorer.score(as_of)
        assert alone.drop(columns="geometry").equals(again.drop(columns="geometry"))
    assert len(scorer.pairs()) == 1 and scorer.pairs() is scorer.pairs()
