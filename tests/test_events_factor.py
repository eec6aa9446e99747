"""The events factor is one formula (:func:`borderrisk.risk.pairing.pair_values`) over one
decay (:func:`~borderrisk.risk.pairing.halving`): the tallies, the trend, the timeline and the
dask engine reduce it, so they cannot drift apart (tests in test_trend, test_timeline and
test_dask_engine compare their figures)."""

import numpy as np
import pytest

from borderrisk.risk.config import RiskConfig
from borderrisk.risk.pairing import country_values, halving, pair_values


def test_a_pair_is_factor_weight_times_aged_weight_times_nearness():
    config = RiskConfig.load()
    cfg = config["events"]
    reach, weight = float(cfg["distance_km"]), float(cfg["weight"])
    aged = np.array([2.0, 8.0])
    values = pair_values(aged, np.array([1, 0, 1]), np.array([0.0, reach / 2, reach]), config)
    nearness = [1.0, 0.5, 0.0] if cfg["distance_decay"] == "linear" else [1.0, 1.0, 1.0]
    assert values == pytest.approx(weight * np.array([8.0, 2.0, 8.0]) * nearness)


def test_one_half_life_halves_and_going_back_one_doubles():
    assert halving(np.array([0.0, 30.0, 60.0]), 30) == pytest.approx([1.0, 0.5, 0.25])
    assert 1.0 / halving(30.0, 30) == pytest.approx(2.0)


def test_an_event_located_only_to_a_country_weighs_by_the_country_events_weight():
    config = RiskConfig.load()
    assert country_values(np.array([1.0, 3.0]), config) == pytest.approx(
        float(config["country_events"]["weight"]) * np.array([1.0, 3.0])
    )
