"""What the learned model reads about each segment at each origin: one row of numbers per
(origin, segment), built from the pairs table the score already makes (:class:`Timeline`'s), never
from an event dated on or after the origin.

Decayed sums are carried from one origin to the next (the previous sum decays by the gap, the
events in between are added), so a run over many origins costs one pass over the pairs per
half-life, not one pass per origin. Counts are taken as log(1 + x): trees do not care, and the
logistic model, used where the history is too short for trees, needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from borderrisk.language import N_
from borderrisk.risk.periods import shift

if TYPE_CHECKING:
    from borderrisk.risk.config import RiskConfig
    from borderrisk.risk.timeline import Timeline

#: Half-lives of the decayed counts, in days: a week to a year.
HALF_LIVES = (7, 30, 90, 365)
#: Half-lives of the decayed deaths.
DEATH_HALF_LIVES = (30, 365)
#: Half-life of the per-type counts.
TYPE_HALF_LIFE = 90
#: Event types named one by one (the commonest); the rest count together.
TYPES_NAMED = 6
#: Days since the last event when there was none before the origin.
NEVER_DAYS = 3650.0
#: What the logistic model reads where the history is too short for trees: the conflict
#: history itself, recent and long.
CORE = ("last_period", "history", "events_30d", "events_365d", "outcome_events_30d", "outcome_events_365d")


@dataclass
class Features:
    """``values`` has one row per (origin, segment), origin-major; ``names`` names its columns,
    ``words`` says each in a sentence's words (see :mod:`borderrisk.risk.explained`)."""

    values: np.ndarray
    names: list[str]
    words: list[tuple[str, dict]]
    origins: int
    segments: int

    @property
    def core(self) -> np.ndarray:
        """The positions of the :data:`CORE` columns (those the features have)."""
        return np.array([self.names.index(name) for name in CORE if name in self.names])

    @property
    def baselines(self) -> dict[str, int]:
        """Each baseline the learned model is stacked with, and the position of its column."""
        from borderrisk.risk.learned import BASELINES

        return {name: self.names.index(column) for name, column in BASELINES.items()}

    def at(self, k: int) -> np.ndarray:
        """The rows of origin ``k``."""
        return self.values[k * self.segments : (k + 1) * self.segments]


def _day(day: date) -> np.datetime64:
    return np.datetime64(pd.Timestamp(day).to_datetime64(), "ns")


def _days(later: np.datetime64, earlier: np.ndarray) -> np.ndarray:
    return (later - earlier) / np.timedelta64(1, "D")


class _Carried:
    """Decayed sums per segment carried over the origins in order: at each origin, the sums
    decay by the days since the previous one, and the pairs of the events in between add
    weight × ½^(age / half-life)."""

    def __init__(self, half_lives: tuple[float, ...], width: int) -> None:
        self.half_lives = np.asarray(half_lives, dtype=float)[:, None]
        self.sums = np.zeros((len(half_lives), width))
        self.previous: np.datetime64 | None = None

    def step(self, now: np.datetime64, where: np.ndarray, weights: np.ndarray, ages: np.ndarray) -> np.ndarray:
        if self.previous is not None:
            self.sums *= 0.5 ** (_days(now, self.previous) / self.half_lives)
        self.previous = now
        for row, half_life in enumerate(self.half_lives[:, 0]):
            decayed = weights * 0.5 ** (ages / half_life)
            self.sums[row] += np.bincount(where, weights=decayed, minlength=self.sums.shape[1])
        return self.sums.copy()


def _type_codes(types: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each event's type as a position among the commonest types, the others as the last. A
    type the data calls "other" counts with the others: named, it would be a second
    ``type_other`` column, and its reasons could not be told from theirs."""
    text = types.astype(str)
    named = text.value_counts().index.drop("other", errors="ignore")[:TYPES_NAMED].tolist()
    codes = pd.Index(named).get_indexer(text)
    return np.where(codes < 0, len(named), codes), named


def _neighbours(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each segment's neighbours along its border (the previous and the next; -1: none)."""
    border = (table["a"].astype(str) + "|" + table["b"].astype(str)).to_numpy()
    same_before = np.r_[False, border[1:] == border[:-1]]
    n = len(table)
    before = np.where(same_before, np.arange(n) - 1, -1)
    after = np.where(np.r_[same_before[1:], False], np.arange(n) + 1, -1)
    return before, after


def _pick(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    return np.where(index >= 0, values[np.maximum(index, 0)], 0.0)


def build(
    timeline: Timeline,
    origins: list[date],
    every: str,
    horizon: int,
    reach_km: float,
    keep: np.ndarray,
    config: RiskConfig | None = None,
    known: dict[str, np.ndarray] | None = None,
    records: dict[str, Any] | None = None,
) -> Features:
    """The features of every segment at every origin (ascending), from the events before it
    and the ``records`` in force the day before (agreements, alliances and annotations, as the
    formula scores them: :func:`borderrisk.risk.model.record_factors`; none, zeros).
    ``keep`` marks the date-ordered located events that count as outcomes (where they are not
    all of them, their own decayed counts are features too; where they are, those would repeat
    the events' counts, and two equal columns split their share of a reason between them);
    ``known`` the rows a back-test has already worked out for the same origins (its ``score``,
    ``persistence`` and ``history``, one row per origin), which are then not worked out again."""
    segments = timeline.segments
    table = timeline.segment_table
    events = timeline.located
    frame = events.frame
    deaths = (
        pd.to_numeric(frame["fatalities"], errors="coerce").fillna(0).to_numpy(float) if "fatalities" in frame else None
    )
    type_code, type_names = _type_codes(frame["type"])
    n_types = len(type_names) + 1

    before, after = _neighbours(table)
    sides = pd.Index(pd.unique(pd.concat([table["a"], table["b"]]).astype(str)))
    side_a, side_b = sides.get_indexer(table["a"].astype(str)), sides.get_indexer(table["b"].astype(str))
    border = pd.factorize(table["a"].astype(str) + "|" + table["b"].astype(str))[0]
    length = (table["end_km"] - table["start_km"]).to_numpy(float)

    counted = _Carried(HALF_LIVES, segments)
    kept = _Carried((30.0, 365.0), segments)
    died = _Carried(DEATH_HALF_LIVES, segments)
    typed = _Carried((TYPE_HALF_LIFE,), segments * n_types)
    country_only = _Carried((30.0, 365.0), timeline.countries + 1)
    last_seen = np.full(segments, np.datetime64("NaT", "ns"))
    narrower = not keep.all()
    known = known if known is not None else baseline_rows(timeline, origins, every, horizon, reach_km, keep, config)

    in_force = _records_in_force(timeline, records, config)
    rows, seen_events, seen_country = [], 0, 0
    for k, t in enumerate(origins):
        now = _day(t)
        upto = int(np.searchsorted(events.dates, now, side="left"))
        pairs = timeline.pairs.between(seen_events, upto, reach_km)
        seen_events = upto
        event, segment = timeline.pairs.event[pairs], timeline.pairs.segment[pairs]
        ages = _days(now, events.dates[event])
        ones = np.ones(len(pairs))
        counts = counted.step(now, segment, ones, ages)
        outcome_kind = kept.step(now, segment, keep[event].astype(float), ages)
        fatal = died.step(now, segment, deaths[event] if deaths is not None else 0 * ones, ages)
        by_type = typed.step(now, segment * n_types + type_code[event], ones, ages)[0].reshape(segments, n_types)
        if len(pairs):
            np.maximum.at(last_seen.view("int64"), segment, events.dates[event].view("int64"))
        since = np.where(np.isnat(last_seen), NEVER_DAYS, np.minimum(_days(now, last_seen), NEVER_DAYS))

        upto_country = int(np.searchsorted(timeline.by_country.dates, now, side="left"))
        code = timeline.country_code[seen_country:upto_country]
        country = country_only.step(
            now, code, np.ones(len(code)), _days(now, timeline.by_country.dates[seen_country:upto_country])
        )
        seen_country = upto_country
        on_sides = country[:, timeline.side_a] + country[:, timeline.side_b]  # -1: the empty last slot

        month = counts[1]
        per_side = np.bincount(side_a, weights=month, minlength=len(sides)) + np.bincount(
            side_b, weights=month, minlength=len(sides)
        )
        own_border = np.bincount(border, weights=month)[border]
        other_borders = per_side[side_a] + per_side[side_b] - 2 * own_border

        recent = timeline.counts(t - timedelta(days=90), t, reach_km)
        year = timeline.counts(t - timedelta(days=365), t, reach_km)
        persistence, history, score = (known[name][k] for name in ("persistence", "history", "score"))

        columns = [
            *counts,
            *(outcome_kind if narrower else []),
            *fatal,
            *by_type.T,
            persistence,
            history,
            np.maximum(_pick(month, before), _pick(month, after)),
            np.maximum(_pick(counts[3], before), _pick(counts[3], after)),
            other_borders,
            *on_sides,
            np.log1p(recent) - np.log1p((year - recent) / 3.0),
            since,
            score,
        ]
        logged = np.log1p(np.maximum(np.vstack([*columns[:-3], columns[-1]]), 0.0))
        rows.append(np.vstack([logged[:-1], columns[-3], columns[-2], logged[-1:], length, *in_force(t)]).T)

    names, words = _names(type_names, reach_km, every, narrower)
    values = np.ascontiguousarray(np.vstack(rows)) if rows else np.zeros((0, len(names)))  # LightGBM reads rows
    return Features(values, names, words, len(origins), segments)


def _records_in_force(timeline: Timeline, records: dict[str, Any] | None, config: RiskConfig | None):
    """The agreements, alliances and annotations contributions per segment as of the day
    before an origin (a record dated on the origin is not known yet): a function of the origin.
    An annotation counts from its last update (``updated``, else ``created``): the formula
    applies a briefer's adjustment whatever the date, but at past origins it would be hindsight
    (an adjustment written after the violence it marks); one with neither date is left out."""
    from borderrisk.risk.model import RECORD_FACTORS, record_factors

    if not records or all(records.get(name) is None or not len(records[name]) for name in RECORD_FACTORS):
        zeros = np.zeros((len(RECORD_FACTORS), timeline.segments))
        return lambda t: zeros
    config = config or timeline.config
    notes, written = _dated(records.get("annotations"))

    def in_force(t: date) -> np.ndarray:
        day = t - timedelta(days=1)
        known = {**records, "annotations": None if notes is None else notes[written <= pd.Timestamp(day)]}
        values = record_factors(timeline.segment_frame, known, config, day)
        return np.array([values[name] for name in RECORD_FACTORS])

    return in_force


def _dated(annotations: Any) -> tuple[Any, np.ndarray]:
    """Annotations with the day of their last update (those with no date left out)."""
    if annotations is None or not len(annotations):
        return None, np.zeros(0, "datetime64[ns]")
    stamps = pd.Series(pd.NaT, index=annotations.index, dtype="datetime64[ns, UTC]")
    for column in ("created", "updated"):  # the later one wins where both are given
        if column in annotations:
            given = pd.to_datetime(annotations[column], utc=True, errors="coerce")
            stamps = given.where(given.notna(), stamps)
    dated = stamps.notna().to_numpy()
    return annotations[dated], stamps[dated].dt.tz_localize(None).dt.normalize().to_numpy()


def baseline_rows(
    timeline: Timeline,
    origins: list[date],
    every: str,
    horizon: int,
    reach_km: float,
    keep: np.ndarray,
    config: RiskConfig | None = None,
) -> dict[str, np.ndarray]:
    """The baselines at every origin, one row per origin: ``score`` (the formula's, as of the
    day before), ``persistence`` (outcome events within reach in the last ``horizon`` periods)
    and ``history`` (all outcome events within reach before the origin, carried from one
    origin to the next)."""
    first_day = timeline.dates[0] if len(timeline.dates) else np.datetime64("1900-01-01")
    rows: dict[str, list[np.ndarray]] = {"score": [], "persistence": [], "history": []}
    history, since = np.zeros(timeline.segments, dtype="int64"), first_day
    for t in origins:
        factors = timeline.factors_at(t - timedelta(days=1), config)
        rows["score"].append(factors["events"] + factors["country_events"])
        rows["persistence"].append(timeline.counts(shift(t, every, -horizon), t, reach_km, keep).astype(float))
        # All events before t: those before the previous origin, carried, and those since.
        if np.datetime64(t) < np.datetime64(since):  # origins out of order: count from the start
            history, since = np.zeros(timeline.segments, dtype="int64"), first_day
        history = history + timeline.counts(since, t, reach_km, keep)
        since = t
        rows["history"].append(history.astype(float))
    return {name: np.array(values).reshape(len(origins), timeline.segments) for name, values in rows.items()}


def _names(
    type_names: list[str], reach_km: float, every: str, narrower: bool
) -> tuple[list[str], list[tuple[str, dict]]]:
    """Each column's short name and its words: a message id of the catalogue and its fields."""
    reach = {"km": f"{reach_km:g}"}
    entries: list[tuple[str, str, dict]] = []
    entries += [
        (f"events_{h}d", N_("events within {km} km, half-life {days} days"), {**reach, "days": h}) for h in HALF_LIVES
    ]
    entries += [
        (
            f"outcome_events_{h}d",
            N_("events of the forecast kind within {km} km, half-life {days} days"),
            {**reach, "days": h},
        )
        for h in (30, 365)
        if narrower
    ]
    entries += [
        (f"deaths_{h}d", N_("deaths within {km} km, half-life {days} days"), {**reach, "days": h})
        for h in DEATH_HALF_LIVES
    ]
    entries += [
        (f"type_{name}", N_("{type} events within {km} km, recent"), {**reach, "type": name}) for name in type_names
    ]
    entries += [("type_other", N_("other events within {km} km, recent"), reach)]
    entries += [
        ("last_period", N_("events within {km} km in the last {period}"), {**reach, "period": every}),
        ("history", N_("events within {km} km ever before"), reach),
        ("neighbour_month", N_("neighbouring stretch active this month"), {}),
        ("neighbour_year", N_("neighbouring stretch active this year"), {}),
        ("other_borders", N_("the two countries' other borders active"), {}),
        ("country_only_30d", N_("events located only to either country, recent"), {}),
        ("country_only_365d", N_("events located only to either country, this year"), {}),
        ("trend", N_("last 3 months against the 9 before"), {}),
        ("days_since", N_("days since the last event within {km} km"), reach),
        ("score", N_("the formula score"), {}),
        ("length_km", N_("the segment's length"), {}),
        ("agreements", N_("security agreements in force"), {}),
        ("alliances", N_("memberships of watched alliances"), {}),
        ("annotations", N_("a briefer's risk adjustment"), {}),
    ]
    return [name for name, _, _ in entries], [(text, fields) for _, text, fields in entries]
