"""Scoring at many dates without re-pairing: the timeline's factors are score()'s, to rounding,
at every as-of date and for any config, because it runs the model's own steps."""

from datetime import date

import numpy as np
import pytest

from borderrisk.risk.config import RiskConfig
from borderrisk.risk.model import score, segments_for
from borderrisk.risk.periods import period_start, period_starts, shift
from borderrisk.risk.timeline import Timeline
from borderrisk.scenarios.synthetic import synthetic_events

FOCUS = ["ARG"]


@pytest.fixture(scope="module")
def events():
    """Events near the world's borders over ten years, some located only to a country."""
    frame = synthetic_events(4000, seed=3, world=True)
    frame["country"] = None
    for offset, country in enumerate(["BOL", "ARG", "IRN"]):
        frame.loc[offset::40, ["location_precision", "country"]] = ["country", country]
    frame["actors"] = [["IRGC"] if i % 17 == 0 else [] for i in range(len(frame))]
    return frame


def in_segment_order(scored, segments):
    keyed = scored.set_index(["a", "b", "start_km"])
    return keyed.loc[list(zip(segments.a, segments.b, segments.start_km))]


@pytest.mark.parametrize("as_of", [date(2015, 6, 30), date(2019, 12, 31), date(2024, 12, 31)])
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"half_life_days": 90.0, "distance_decay": "none", "distance_km": 60.0, "watch_multiplier": 4.0},
        {"half_life_days": 730.0, "distance_km": 80.0},  # weighs events as the pairing did: its weights serve
    ],
)
def test_the_timeline_gives_the_scores_of_score_at_any_date_and_config(events, as_of, changes):
    base = RiskConfig.load()
    config = base.with_values(events=changes)
    segments = segments_for(FOCUS, 50.0)
    timeline = Timeline(events, segments, base, reach_km=150)
    expected = in_segment_order(score(events=events, focus=FOCUS, as_of=as_of, config=config), segments)
    factors = timeline.factors_at(as_of, config)
    for name in ("events", "country_events"):
        assert np.allclose(factors[name], expected[name].to_numpy(), rtol=1e-12, atol=1e-12)
    assert (expected["events"] > 0).sum() > 5 and (expected["country_events"] > 0).all()


def test_a_config_reaching_farther_than_the_pairing_is_refused(events):
    config = RiskConfig.load()
    timeline = Timeline(events, segments_for(FOCUS, 50.0), config)
    with pytest.raises(ValueError, match="paired within 100 km, not 150 km"):
        timeline.events_factor(date(2020, 1, 1), config.with_values(events={"distance_km": 150.0}))


def test_counts_are_the_events_within_reach_in_a_window(events):
    config = RiskConfig.load()
    segments = segments_for(FOCUS, 50.0)
    timeline = Timeline(events, segments, config)
    counts = timeline.counts(date(2018, 1, 1), date(2018, 2, 1), 100.0)
    located = events[
        (events.location_precision != "country") & (events.date >= "2018-01-01") & (events.date < "2018-02-01")
    ]
    from borderrisk.geo.geodesy import distances_to_lines_km

    _, segment, _ = distances_to_lines_km(
        located.geometry.x.to_numpy(), located.geometry.y.to_numpy(), segments.geometry.to_numpy(), 100.0
    )
    assert counts.tolist() == np.bincount(segment, minlength=len(segments)).tolist()
    assert counts.sum() > 0


def test_periods_start_on_calendar_boundaries():
    assert period_starts(date(2023, 1, 15), date(2023, 5, 1), "month") == [
        date(2023, 2, 1),
        date(2023, 3, 1),
        date(2023, 4, 1),
        date(2023, 5, 1),
    ]
    assert period_start(date(2023, 8, 17), "quarter") == date(2023, 7, 1)
    assert period_start(date(2023, 8, 17), "week") == date(2023, 8, 14)  # a Monday
    assert shift(date(2023, 11, 1), "month", 3) == date(2024, 2, 1)
    with pytest.raises(ValueError, match="unknown period"):
        period_starts(date(2023, 1, 1), date(2023, 2, 1), "fortnight")


def test_events_without_country_or_actor_columns_score_the_same(events):
    config = RiskConfig.load()
    plain = events[events.location_precision != "country"].drop(columns=["country", "actors"])
    segments = segments_for(FOCUS, 50.0)
    factors = Timeline(plain, segments, config).factors_at(date(2020, 1, 1))
    expected = in_segment_order(score(events=plain, focus=FOCUS, as_of=date(2020, 1, 1)), segments)
    assert np.allclose(factors["events"], expected["events"].to_numpy(), atol=1e-12)
    assert not factors["country_events"].any()
