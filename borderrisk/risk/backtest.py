"""Out-of-sample back-tests of the risk score against what happened next, beside baselines.

At each period start t (an *origin*), every segment is scored as of the day before t with the
model's own steps (:class:`borderrisk.risk.timeline.Timeline`), and the *outcome* is whether at
least one located event (of the chosen kind) fell within ``reach_km`` of the segment during
[t, t + horizon). The same is done for three baselines, as conflict forecasters do:

``persistence``
    events near the segment during the period before t;
``history``
    all events near the segment before t;
``random``
    a uniform random rank (seeded, so runs repeat).

With ``learned=True`` the learned model (:mod:`borderrisk.risk.learned`) is judged beside them:
fitted at each origin on the earlier origins only, its own calibrated probabilities give its
Brier score. *Onset* figures take only the segment-periods with no outcome event in the twelve
months before the origin (months the file covers), where persistence knows nothing and history
knows only the older past.

Every figure says how many origins, segments and positive outcomes it rests on; with fewer
than :data:`MIN_POSITIVES` positives, or as few negatives, there is no figure, only that note. Probabilities for the
Brier score come from a logistic calibration of log(1 + score) fitted, at each origin, on the
earlier origins only, so the first origin has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from borderrisk.data.errors import UserError
from borderrisk.data.filters import Condition, matching
from borderrisk.risk import features, metrics
from borderrisk.risk.periods import period_start, period_starts, shift

if TYPE_CHECKING:
    import geopandas as gpd

    from borderrisk.risk.config import RiskConfig
    from borderrisk.risk.timeline import Timeline

#: What every back-test judges: the formula score and its baselines (the learned model joins them
#: on request); not :data:`borderrisk.risk.MODELS`, the models a user chooses between.
JUDGED = ("score", "persistence", "history", "random")
#: The baselines a learned model must beat: the better of them by AUPR.
BASELINES = ("persistence", "history")
#: Onset: no outcome event in this many months before the origin.
ONSET_MONTHS = 12
#: Fewer positive outcomes than this, and a figure would be noise: none is given.
MIN_POSITIVES = 10
#: Positives on fewer origins than this make a snapshot, not a test over time: said in a note.
MIN_POSITIVE_ORIGINS = 3
#: The share of segments whose capture of next-period events is reported (top 10 %).
TOP_SHARE = 0.1
CAPTURE_SHARES = np.round(np.linspace(0.0, 1.0, 21), 2)


@dataclass(frozen=True)
class Outcome:
    """What counts as "it happened": a located event within ``reach_km`` of the segment, of one
    of ``types`` (all types if empty), with at least ``min_fatalities`` deaths if given, and
    matching every ``where`` condition (the grammar of :mod:`borderrisk.data.filters`)."""

    reach_km: float = 100.0
    types: tuple[str, ...] = ()
    min_fatalities: float | None = None
    where: tuple[Condition, ...] = ()

    def mask(self, events: Any) -> np.ndarray:
        """Which of ``events`` (a frame in the readers' columns) count as outcomes."""
        keep = np.ones(len(events), dtype=bool)
        if self.types:
            wanted = {t.casefold() for t in self.types}
            keep &= events["type"].astype(str).str.casefold().isin(wanted).to_numpy()
        if self.min_fatalities is not None:
            if "fatalities" not in events:
                raise UserError("the events carry no fatalities column, so --min-fatalities cannot apply")
            deaths = events["fatalities"].astype(float).to_numpy()
            keep &= ~np.isnan(deaths) & (deaths >= self.min_fatalities)
        if self.where:
            keep &= matching(events, self.where)
        return keep

    def describe(self) -> str:
        kinds = f"{', '.join(self.types)} event" if self.types else "located event"
        deaths = f" with {self.min_fatalities:g}+ fatalities" if self.min_fatalities is not None else ""
        matched = f" matching {' and '.join(str(c) for c in self.where)}" if self.where else ""
        return f"at least one {kinds}{deaths}{matched} within {self.reach_km:g} km"


@dataclass
class Predictions:
    """Each model's scores and the outcome counts, one row per origin, one column per segment."""

    origins: list[date]
    scores: dict[str, np.ndarray]
    counts: np.ndarray  # outcome events per (origin, segment)
    #: Onset rows: no outcome event in the :data:`ONSET_MONTHS` before the origin, all of them
    #: months the file covers (after its first event).
    onset: np.ndarray | None = None
    #: A model's own probabilities (the learned one's); the others are calibrated here.
    probabilities: dict[str, np.ndarray] = field(default_factory=dict)
    #: Which learner the learned model used at each origin.
    learners: list[str] = field(default_factory=list)

    @property
    def outcomes(self) -> np.ndarray:
        return self.counts > 0

    def subset(self, rows: slice | np.ndarray) -> Predictions:
        chosen = np.arange(len(self.origins))[rows]
        return Predictions(
            [self.origins[i] for i in chosen],
            {k: v[chosen] for k, v in self.scores.items()},
            self.counts[chosen],
            None if self.onset is None else self.onset[chosen],
            {k: v[chosen] for k, v in self.probabilities.items()},
            [self.learners[i] for i in chosen] if self.learners else [],
        )


@dataclass
class BacktestResult:
    """The figures of a back-test, as ``--json`` prints them (:meth:`as_dict`)."""

    every: str
    horizon: int
    outcome: Outcome
    predictions: Predictions
    metrics: dict[str, dict[str, Any]]
    per_origin: list[dict[str, Any]]
    reliability: dict[str, list[dict[str, float]]]
    capture_curve: dict[str, list[list[float]]]
    onset: dict[str, dict[str, Any]] = field(default_factory=dict)
    skill: dict[str, Any] | None = None

    @property
    def origins(self) -> int:
        return len(self.predictions.origins)

    @property
    def segments(self) -> int:
        return int(self.predictions.counts.shape[1]) if self.predictions.counts.ndim == 2 else 0

    @property
    def positives(self) -> int:
        return int(self.predictions.outcomes.sum())

    def as_dict(self) -> dict[str, Any]:
        origins = self.predictions.origins
        return {
            "origins": self.origins,
            "segments": self.segments,
            "positives": self.positives,
            "origins_with_positives": int((self.predictions.counts.sum(axis=1) > 0).sum()),
            "rows": self.origins * self.segments,
            "events": int(self.predictions.counts.sum()),
            "from": origins[0].isoformat() if origins else None,
            "last_origin": origins[-1].isoformat() if origins else None,
            "until": shift(origins[-1], self.every, self.horizon).isoformat() if origins else None,
            "every": self.every,
            "horizon": self.horizon,
            "outcome": {
                "description": self.outcome.describe(),
                "reach_km": self.outcome.reach_km,
                "types": list(self.outcome.types),
                "min_fatalities": self.outcome.min_fatalities,
                "where": [str(condition) for condition in self.outcome.where],
            },
            "min_positives": MIN_POSITIVES,
            "top_share": TOP_SHARE,
            "metrics": self.metrics,
            "per_origin": self.per_origin,
            "reliability": self.reliability,
            "capture_curve": self.capture_curve,
            "onset": self.onset,
            **({"skill": self.skill} if self.skill is not None else {}),
            **({"learners": _tallied(self.predictions.learners)} if self.predictions.learners else {}),
        }


def _tallied(names: list[str]) -> dict[str, int]:
    """How many origins each learner served."""
    return {name: names.count(name) for name in dict.fromkeys(names)}


def origins_between(first_event: date, last_day: date, every: str, horizon: int, start: date | None = None) -> list:
    """Period starts t with some history before them (after the first event's period, or from
    ``start``) whose outcome window [t, t + horizon) ends by ``last_day``."""
    earliest = shift(period_start(first_event, every), every, 1)
    if start is not None:
        earliest = max(earliest, start)
    candidates = period_starts(earliest, last_day, every)
    return [t for t in candidates if shift(t, every, horizon) - timedelta(days=1) <= last_day]


def predictions(
    timeline: Timeline,
    origins: list[date],
    every: str,
    horizon: int,
    outcome: Outcome,
    config: RiskConfig | None = None,
    seed: int = 0,
    learned: bool = False,
) -> Predictions:
    """Every model's scores and the outcome counts at each origin. The score is taken as of the
    day before the origin: only events before t count. ``learned`` adds the learned model, and
    a warm-up (:func:`warm_up`): the periods before the first origin are learned from by every
    model (the baselines' calibration too), so that all are judged on the same rows."""
    keep = outcome.mask(timeline.located.frame)
    first_day = timeline.dates[0] if len(timeline.dates) else np.datetime64("1900-01-01")
    warm = warm_up(first_day, origins[0], every, horizon) if learned and origins and len(timeline.dates) else []
    every_origin = [*warm, *origins]
    counts, onset, random = [], [], []
    rng = np.random.default_rng(seed)
    for t in every_origin:
        random.append(rng.random(timeline.segments))
        counts.append(timeline.counts(t, shift(t, every, horizon), outcome.reach_km, keep))
        quiet_since = shift(t, "month", -ONSET_MONTHS)
        # Only a year the file covers can be quiet: before its first event, silence is no news.
        covered = np.datetime64(quiet_since) >= np.datetime64(first_day, "D")
        onset.append(covered & (timeline.counts(quiet_since, t, outcome.reach_km, keep) == 0))
    shape = (len(every_origin), timeline.segments)
    scores = features.baseline_rows(timeline, every_origin, every, horizon, outcome.reach_km, keep, config)
    predicted = Predictions(
        every_origin,
        {m: scores[m] if m in scores else np.array(random).reshape(shape) for m in JUDGED},
        np.array(counts, dtype="int64").reshape(shape),
        np.array(onset, dtype=bool).reshape(shape),
    )
    if not learned:
        return predicted
    from borderrisk.risk.learned import lightgbm, rolling

    lightgbm()  # before the features are built: its absence is a usage error
    known = {name: predicted.scores[name] for name in ("score", "persistence", "history")}
    built = features.build(timeline, every_origin, every, horizon, outcome.reach_km, keep, config, known=known)
    run = rolling(built.values, predicted.outcomes, horizon, built.core, built.baselines, first=len(warm))
    unjudged = np.full((len(warm), timeline.segments), np.nan)
    for model, values in predicted.scores.items():
        predicted.probabilities[model] = calibrated(values, predicted.outcomes, horizon)
    predicted.scores["learned"] = np.concatenate([unjudged, run.scores])
    predicted.probabilities["learned"] = np.concatenate([unjudged, run.probabilities])
    predicted.learners = ["warm-up"] * len(warm) + run.kinds
    return predicted.subset(slice(len(warm), None))


def warm_up(first_day: Any, origin: date, every: str, horizon: int) -> list[date]:
    """The period starts before ``origin`` that the learned model learns from and is not judged
    on: the file's whole past (before ``--from`` too) from ``horizon`` − 1 periods before the
    first event's, so that at every judged origin at least one outcome window has closed (the
    earliest ones hold no history and teach the base rate)."""
    first = period_start(first_day, every)
    return [t for t in period_starts(shift(first, every, 1 - horizon), origin, every) if t < origin]


def calibrated(scores: np.ndarray, outcomes: np.ndarray, horizon: int = 1) -> np.ndarray:
    """At each origin k (row), probabilities from a logistic fit of log(1 + score) on the
    outcomes of the origins whose window had closed by k (k − ``horizon`` and before: a window
    still open holds the future); NaN at the first ``horizon`` origins, which have no closed
    past to learn from. The closed rows are kept as running counts per log score (to 0.001),
    so each origin costs one small fit however many segments and origins there are."""
    x = np.log1p(np.maximum(scores, 0.0))
    values, which = np.unique(np.round(x, 3), return_inverse=True)
    which = which.reshape(x.shape)
    rows, hits = np.zeros(len(values)), np.zeros(len(values))
    result, start = np.full(scores.shape, np.nan), None
    for k in range(horizon, len(scores)):
        closed = k - horizon
        rows += np.bincount(which[closed], minlength=len(values))
        hits += np.bincount(which[closed], weights=outcomes[closed].astype(float), minlength=len(values))
        seen = rows > 0
        start = metrics.fit_logistic_counts(values[seen], rows[seen], hits[seen], start=start)
        result[k] = metrics.logistic(start[0] + start[1] * x[k])
    return result


def _too_few(outcomes: np.ndarray) -> str | None:
    """Why ``outcomes`` cannot carry a figure, if they cannot: too few positives, or too few
    negatives (where nearly every segment saw an event, a ranking or a probability is judged on
    a handful of quiet rows, and any model's figure is noise)."""
    positives = int(np.count_nonzero(outcomes))
    negatives = int(np.size(outcomes)) - positives
    if positives < MIN_POSITIVES:
        return f"too few positive outcomes ({positives} < {MIN_POSITIVES}) for a figure"
    if negatives < MIN_POSITIVES:
        return (
            f"too few negative outcomes ({negatives} < {MIN_POSITIVES}) for a figure: nearly every segment saw an event"
        )
    return None


def figures(scores: np.ndarray, counts: np.ndarray, probabilities: np.ndarray | None = None) -> dict[str, Any]:
    """AUROC, AUPR, Brier and top-10 % capture over all rows (origins × segments), each with
    what it rests on; ``None`` and a note where the positives are too few."""
    outcomes = counts > 0
    positives = int(outcomes.sum())
    result: dict[str, Any] = {
        "origins": int(scores.shape[0]),
        "segments": int(scores.shape[1]),
        "positives": positives,
        "auroc": None,
        "aupr": None,
        "brier": None,
        "top10_capture": None,
    }
    result["origins_with_positives"] = int((outcomes.sum(axis=1) > 0).sum())
    note = _too_few(outcomes)
    if note:
        return {**result, "note": note}
    if scores.shape[0] > 1 and result["origins_with_positives"] < MIN_POSITIVE_ORIGINS:
        result["note"] = (
            f"the positive outcomes fall on {result['origins_with_positives']} of {scores.shape[0]} origins: "
            "a snapshot, not a test over time"
        )
    result["auroc"] = _round(metrics.auroc(scores.ravel(), outcomes.ravel()))
    result["aupr"] = _round(metrics.average_precision(scores.ravel(), outcomes.ravel()))
    held = sum(metrics.capture(s, c, TOP_SHARE) * c.sum() for s, c in zip(scores, counts) if c.sum())
    result["top10_capture"] = _round(held / counts.sum())
    if probabilities is not None:
        rows = ~np.isnan(probabilities[:, 0]) if len(probabilities) else np.zeros(0, bool)
        brier_positives = int(outcomes[rows].sum())
        result["brier_origins"] = int(rows.sum())
        result["brier_positives"] = brier_positives
        brier_note = _too_few(outcomes[rows])
        if brier_note is None:
            result["brier"] = _round(metrics.brier(probabilities[rows].ravel(), outcomes[rows].ravel()))
        else:
            result["brier_note"] = brier_note + " (calibrated on earlier origins only)"
    return result


def _round(value: float) -> float | None:
    """Four significant digits: rare outcomes make AUPR and Brier small, not zero."""
    return None if np.isnan(value) else float(f"{value:.4g}")


def evaluate(predicted: Predictions, every: str, horizon: int, outcome: Outcome) -> BacktestResult:
    """Every model's figures over all origins and per origin, the reliability table of the
    calibrated probabilities and the capture curve."""
    counts, outcomes = predicted.counts, predicted.outcomes
    summary, reliability, curve = {}, {}, {}
    for model, scores in predicted.scores.items():
        probabilities = predicted.probabilities.get(model)
        if probabilities is None:
            probabilities = calibrated(scores, outcomes, horizon) if len(scores) else scores
        summary[model] = figures(scores, counts, probabilities)
        rows = ~np.isnan(probabilities[:, 0]) if len(scores) else np.zeros(0, bool)
        reliability[model] = metrics.reliability(probabilities[rows].ravel(), outcomes[rows].ravel())
        totals = counts.sum(axis=1)
        held = sum(metrics.capture(s, c, CAPTURE_SHARES) * c.sum() for s, c in zip(scores, counts) if c.sum())
        shares = held / totals.sum() if totals.sum() else np.full(len(CAPTURE_SHARES), np.nan)
        curve[model] = [[float(s), _round(v)] for s, v in zip(CAPTURE_SHARES, shares)]
    per_origin = [
        {
            "origin": t.isoformat(),
            "positives": int(outcomes[k].sum()),
            "events": int(counts[k].sum()),
            "metrics": {
                model: {
                    key: value
                    for key, value in figures(scores[k : k + 1], counts[k : k + 1]).items()
                    if key not in ("origins", "segments", "brier", "origins_with_positives")
                }
                for model, scores in predicted.scores.items()
            },
        }
        for k, t in enumerate(predicted.origins)
    ]
    onset = {model: onset_figures(scores, counts, predicted.onset) for model, scores in predicted.scores.items()}
    skill = skill_over_baselines(summary) if "learned" in summary else None
    return BacktestResult(every, horizon, outcome, predicted, summary, per_origin, reliability, curve, onset, skill)


def onset_figures(scores: np.ndarray, counts: np.ndarray, onset: np.ndarray | None) -> dict[str, Any]:
    """AUROC, AUPR and top-10 % capture over the onset rows only (each origin's capture among
    its onset segments), and the positives they rest on; a note where those are too few."""
    if onset is None or not len(scores):
        return {"auroc": None, "aupr": None, "top10_capture": None, "positives": 0}
    outcomes = (counts > 0) & onset
    positives = int(outcomes.sum())
    result: dict[str, Any] = {"auroc": None, "aupr": None, "top10_capture": None, "positives": positives}
    note = _too_few(outcomes[onset])
    if note:
        return {**result, "note": note}
    result["auroc"] = _round(metrics.auroc(scores[onset], outcomes[onset]))
    result["aupr"] = _round(metrics.average_precision(scores[onset], outcomes[onset]))
    held = [metrics.capture(s[o], c[o], TOP_SHARE) * c[o].sum() for s, c, o in zip(scores, counts, onset) if c[o].sum()]
    result["top10_capture"] = _round(sum(held) / counts[onset].sum())
    return result


def skill_over_baselines(summary: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The learned model against the better of persistence and history by AUPR: the AUPR
    gained (learned − best) and the Brier skill score (1 − Brier / best's Brier)."""
    rated = [m for m in BASELINES if summary.get(m, {}).get("aupr") is not None]
    learned = summary["learned"]
    if not rated or learned.get("aupr") is None:
        return {"over": None, "aupr_gain": None, "brier_skill": None}
    best = max(rated, key=lambda m: summary[m]["aupr"])
    brier = summary[best].get("brier")
    brier_skill = None
    if brier and learned.get("brier") is not None:
        brier_skill = _round(1.0 - learned["brier"] / brier)
    return {"over": best, "aupr_gain": _round(learned["aupr"] - summary[best]["aupr"]), "brier_skill": brier_skill}


def backtest(
    events: gpd.GeoDataFrame,
    *,
    focus: list[str] | tuple[str, ...] | None = None,
    config: RiskConfig | None = None,
    every: str = "month",
    horizon: int = 1,
    start: date | None = None,
    until: date | None = None,
    outcome: Outcome | None = None,
    engine: str = "pandas",
    scheduler: str | None = None,
    model: str | None = None,
) -> BacktestResult:
    """Back-test the score on ``events`` with rolling origins every ``every`` from ``start`` to
    ``until`` (default: the events' whole span, after their first period); ``model="learned"``
    (default: the config's ``[model] default``) judges the learned model beside it.

    >>> result = backtest(events, focus=["ARG"], every="month")        # doctest: +SKIP
    >>> result.metrics["score"]["auroc"], result.metrics["persistence"]["auroc"]
    """
    from borderrisk.risk.config import RiskConfig

    config = config or RiskConfig.load()
    learned = config.chosen(model) == "learned"
    outcome = outcome or Outcome(reach_km=float(config["events"]["distance_km"]))
    reach = max(outcome.reach_km, float(config["events"]["distance_km"]))
    origins = origins_of(events, every, horizon, start, until)
    timeline = timeline_of(events, focus, config, reach, engine, scheduler)
    predicted = predictions(timeline, origins, every, horizon, outcome, config, learned=learned)
    return evaluate(predicted, every, horizon, outcome)


def origins_of(events: Any, every: str, horizon: int, start: date | None, until: date | None) -> list[date]:
    """The origins over the span of the events' dates (see :func:`origins_between`)."""
    dated = events["date"].dropna()
    if not len(dated):
        window = " ".join(f"{name} {day}" for name, day in (("since", start), ("until", until)) if day)
        if window:
            raise UserError(f"no event is dated within the window ({window}): choose one that holds events")
        raise UserError("the events carry no dates to back-test on")
    first, last = dated.min().date(), dated.max().date()
    last = min(until, last) if until else last
    found = origins_between(first, last, every, horizon, start)
    if not found:
        asked = f" from --from {start}" if start else ""
        raise UserError(
            f"no {every} origin{asked} between {first} and {last} has a complete {horizon}-{every} outcome "
            f"window after a {every} of history; give a longer span of events"
            + (", an earlier --from" if start else "")
            + " or a shorter --every"
        )
    return found


def timeline_of(
    events: Any,
    focus: list[str] | tuple[str, ...] | None,
    config: RiskConfig,
    reach_km: float,
    engine: str = "pandas",
    scheduler: str | None = None,
) -> Timeline:
    """The events paired once with the focus segments, in memory or on a dask client."""
    from borderrisk.risk.model import segments_for
    from borderrisk.risk.timeline import Timeline

    if engine not in ("pandas", "dask"):
        raise UserError(f"unknown engine {engine!r}: use pandas or dask")
    if type(events).__module__.startswith("dask"):
        events = events.compute()
    segments = segments_for(focus, float(config["segments"]["length_km"]))
    if engine == "pandas":
        return Timeline(events, segments, config, reach_km=reach_km)
    from borderrisk.risk.dask_engine import DaskEngine, client

    with client(scheduler) as connected:
        return Timeline(events, segments, config, reach_km=reach_km, engine=DaskEngine(connected))
