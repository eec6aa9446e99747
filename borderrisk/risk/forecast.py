"""The learned model's forecast as of a date: fitted on every period of the events' history
whose outcome window closed by then, for the period that starts the day after (see
:mod:`borderrisk.risk.learned` for the model and :mod:`borderrisk.risk.features` for what it
reads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

from borderrisk.data.errors import UserError
from borderrisk.language import N_
from borderrisk.language.messages import Message, Term
from borderrisk.risk import features
from borderrisk.risk.backtest import origins_between, timeline_of, warm_up
from borderrisk.risk.learned import lightgbm, rolling
from borderrisk.risk.pairing import known_by
from borderrisk.risk.periods import period_start, shift


@dataclass
class Forecast:
    """Each segment's probability for the period after the as-of date, and its reasons: the
    largest shares of that probability in words (the segments in ``table``'s order)."""

    table: Any
    probability: np.ndarray
    reasons: list[list[dict[str, Any]]]
    kind: str
    #: The closed periods whose forecasts weighed the pool (see :func:`borderrisk.risk.learned.rolling`).
    record: int


#: Reasons given per segment.
TOP_REASONS = 3
#: The periods a reason may name ("events within 100 km in the last month"), as the catalogue has them.
PERIOD_WORDS = {"week": N_("week"), "month": N_("month"), "quarter": N_("quarter")}


def _reason(text: str, fields: dict[str, Any]) -> Message:
    """A feature's words as a catalogue message, so a map says them in its language: an event
    type is one of borderrisk's words (translated where the caller's vocabulary has it), a
    period is a message of its own."""
    kinds = {"type": Term, "period": lambda value: Message(PERIOD_WORDS[value])}
    return Message(text, **{key: kinds.get(key, lambda value: value)(value) for key, value in fields.items()})


def forecast(
    timeline: Any,
    as_of: Any,
    every: str = "month",
    horizon: int = 1,
    config: Any = None,
    until: Any = None,
    records: dict[str, Any] | None = None,
) -> Forecast:
    """Fit on every origin from the events' first period whose outcome window closed by the
    as-of date, and forecast the period that starts the day after it: the last step of the
    back-test's rolling fit (:func:`borderrisk.risk.learned.rolling`), so that the pool is
    weighed on a record of forecasts made as a back-test makes them. Events cut at ``until``
    (earlier than the as-of date) say nothing of the days after it, so the forecast from the
    as-of date cannot be made: refused, rather than read as if those days were quiet.
    ``records`` (agreements, alliances, annotations by name) are features where given."""
    lightgbm()
    if until and until < as_of:
        raise UserError(
            f"the learned model forecasts the period after the last day its events cover: --until {until} "
            f"is before --as-of {as_of}; leave out one of them (or use --model formula)"
        )
    first = pd.Timestamp(timeline.dates[0]).date() if len(timeline.dates) else None
    origins = origins_between(first, as_of, every, horizon) if first else []
    if not origins:
        raise UserError(_no_history(first, as_of, every, horizon))
    # the period forecast comes after the origins: its outcome is never read
    built, run = _rolled(timeline, [*origins, as_of + timedelta(days=1)], len(origins), every, horizon, config, records)
    model = run.last
    if model is None:  # a horizon longer than the history: no outcome closed before the as-of date
        raise UserError(_no_history(first, as_of, every, horizon))
    shares, p = model.contributions(built.at(len(origins)))
    said = [_reason(text, fields) for text, fields in built.words]
    reasons = []
    for row in shares:
        largest = np.argsort(-np.abs(row))[:TOP_REASONS]
        reasons.append(
            [{"reason": said[i], "feature": built.names[i], "share": float(row[i])} for i in largest if row[i]]
        )
    return Forecast(timeline.segment_table, p, reasons, model.kind, model.record)


def _rolled(
    timeline: Any,
    origins: list[Any],
    first: int,
    every: str,
    horizon: int,
    config: Any,
    records: dict[str, Any] | None,
) -> tuple[features.Features, Any]:
    """The features at every origin and the rolling fit judged from origin ``first`` on. The
    outcome of a window still open at the last origin is left false: the rolling fit reads
    only windows closed before each origin, so it is never read."""
    reach = float((config or timeline.config)["events"]["distance_km"])
    everything = np.ones(len(timeline.dates), dtype=bool)
    built = features.build(timeline, origins, every, horizon, reach, everything, config, records=records)
    outcomes = np.zeros((len(origins), timeline.segments), dtype=bool)
    for k, t in enumerate(origins):
        if shift(t, every, horizon) <= origins[-1]:  # a window that has closed by the last origin
            outcomes[k] = timeline.counts(t, shift(t, every, horizon), reach) > 0
    return built, rolling(built.values, outcomes, horizon, built.core, built.baselines, first=first)


def _no_history(first: Any, as_of: Any, every: str, horizon: int) -> str:
    """Why there is nothing to learn from. With no period whose outcome is known by the as-of
    date, a fit would be the prior's even odds: "50 % chance" on every segment, drawn as a
    band and read as a forecast. Saying so is the only honest answer."""
    if first is None:
        known = f"no located event (with coordinates, or a place finer than a country) is dated on or before {as_of}"
    else:
        closes = shift(shift(period_start(first, every), every, 1), every, horizon) - timedelta(days=1)
        known = (
            f"it learns from whole {every}s after the first event's, and the located events start {first}, "
            f"so the first outcome it could learn from is known on {closes}, after {as_of}"
        )
    return f"the learned model has no history to learn from: {known}; give a longer history (or use --model formula)"


def _in_memory(events: Any) -> Any:
    """Events as one frame: the fit reads every event, so a batch source (a GeoParquet
    folder, a filtered stream) is read whole; frames, in memory or dask, pass as they are."""
    if hasattr(events, "columns"):
        return events
    from borderrisk.data.batches import event_batches

    return pd.concat(list(event_batches(events)), ignore_index=True)


def with_forecast(
    scores: Any,
    events: Any,
    focus: Any,
    config: Any,
    engine: str = "pandas",
    scheduler: str | None = None,
    until: Any = None,
    records: dict[str, Any] | None = None,
) -> tuple[Any, Forecast]:
    """The scored segments with the learned model's ``probability`` of an event within reach
    in the month after their as-of date and its ``reasons`` (see :func:`forecast`), sorted by
    that probability; and the forecast itself (which learner made it)."""
    as_of = pd.Timestamp(scores.attrs["as_of"]).date()
    events = _in_memory(events)
    known = known_by(events, as_of)
    timeline = timeline_of(known, focus, config, float(config["events"]["distance_km"]), engine, scheduler)
    made = forecast(timeline, as_of, config=config, until=until, records=records)
    learned = made.table[["a", "b", "segment"]].assign(probability=made.probability, reasons=made.reasons)
    merged = scores.merge(learned, on=["a", "b", "segment"], how="left")
    merged.attrs = scores.attrs
    ordered = merged.sort_values(["probability", "a", "b", "start_km"], ascending=[False, True, True, True])
    return ordered, made


def by_period(
    events: Any,
    focus: Any,
    config: Any,
    starts: list[Any],
    every: str = "month",
    engine: str = "pandas",
    scheduler: str | None = None,
    records: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Each segment's probability of an event within reach in each period, as forecast at the
    period's start from the earlier periods only: the back-test's rolling fit of the pooled
    model (:func:`borderrisk.risk.learned.rolling`) with the periods as origins, after the same
    warm-up on the periods before the first (:func:`borderrisk.risk.backtest.warm_up`). A
    period with no closed outcome window before it (the events' first) has no probability
    (NaN). One row per period and segment: ``period``, ``a``, ``b``, ``segment``,
    ``probability``."""
    lightgbm()
    reach = float(config["events"]["distance_km"])
    timeline = timeline_of(_in_memory(events), focus, config, reach, engine, scheduler)
    warm = warm_up(timeline.dates[0], starts[0], every, 1) if len(timeline.dates) and starts else []
    _, run = _rolled(timeline, [*warm, *starts], len(warm), every, 1, config, records)
    keys = timeline.segment_table[["a", "b", "segment"]].reset_index(drop=True)
    return pd.concat(
        [keys.assign(period=start, probability=run.probabilities[k]) for k, start in enumerate(starts)],
        ignore_index=True,
    )
