"""Scoring at scale gives the same digits however the events are cut: exact sums, events
streamed batch by batch from GeoParquet, and one pairing scored for many as-of dates."""

import math
from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from layers.data.files import write_partitioned
from layers.risk.model import Scorer, score
from layers.risk.tally import ExactSums
from layers.scenarios.synthetic import synthetic_events

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300)


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
