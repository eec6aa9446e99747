"""The model's answer for one map or brief, computed once: scores, classes, trend, comparison.

The pipeline is load -> assess -> draw -> write. :func:`assess` runs the model (score, the
trend for popups and briefs, the comparison with an earlier date) and returns an
:class:`Assessment`; everything after it (the map's risk and change layers, a brief's table and
chart, the CLI) reads that typed object and never runs the model again. It lives in ``risk/``,
below the layers and the renderer, because they draw it: an arrow from the map to the
assessment points down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from borderrisk.risk.classes import RiskClasses

if TYPE_CHECKING:
    import geopandas as gpd

    from borderrisk.risk.config import RiskConfig

#: Months of each segment's trend kept for its popup: the most recent ones.
TREND_MONTHS = 24


@dataclass(frozen=True)
class Assessment:
    """The risk of a focus's borders as of a date, as the map and a brief show it.

    Attributes
    ----------
    scores
        One row per segment, highest score first (see :func:`borderrisk.risk.model.score`),
        with its ``level`` and ``risk_class``.
    as_of
        The date scored: the one asked for, or the latest date of the inputs.
    classes
        The classes the levels were drawn from (None for scores made without them).
    trend
        Each segment's score by month over the last :data:`TREND_MONTHS` months
        (:func:`borderrisk.risk.trend.trend`), for the popups' charts.
    comparison
        ``scores`` with ``previous_score``, ``change``, ``moved`` and ``moved_by`` against an
        earlier scoring (:func:`borderrisk.risk.compare.compare`), when one was asked for.
    compared_with
        The earlier scoring's date, or its window as ``first..last``.
    border_trend
        The score of each border (its hottest segment) period by period, for a brief's chart,
        when asked for.
    reach_km
        How far from a border an event counted (the configuration's ``distance_km``): a map
        of the assessment opens that far around the focus borders, without reading the
        configuration again (None: the default's).
    model
        ``"formula"``, or ``"learned"``: then ``scores`` also hold each segment's
        ``probability`` and ``reasons`` (:func:`borderrisk.risk.forecast.with_forecast`), are
        sorted by it, and their levels are its fixed bands (:meth:`RiskClasses.bands`).
    learner
        Which learner made the learned model's forecast and what weighed it, e.g.
        "lightgbm+history, weighed on its forecasts of 24 closed months".
    """

    scores: gpd.GeoDataFrame
    as_of: date
    classes: RiskClasses | None = None
    trend: pd.DataFrame | None = None
    comparison: pd.DataFrame | None = None
    compared_with: str | None = None
    border_trend: pd.DataFrame | None = None
    reach_km: float | None = None
    model: str = "formula"
    learner: str | None = None

    @classmethod
    def of_scores(cls, scores: gpd.GeoDataFrame, **parts: Any) -> Assessment:
        """An assessment of what :func:`borderrisk.risk.model.score` returned, for a caller
        holding only that frame (its date and classes ride in the frame's ``attrs``)."""
        return cls(scores, date.fromisoformat(scores.attrs["as_of"]), classes_of(scores), **parts)


def classes_of(scores: pd.DataFrame) -> RiskClasses | None:
    """The classes :func:`borderrisk.risk.model.score` drew a frame's levels from: the public
    ``score`` keeps them in the frame's ``attrs``, read here and nowhere else."""
    found = scores.attrs.get("classes")
    return RiskClasses.from_attrs(found) if found else None


def assess(
    frames: dict[str, Any],
    focus: tuple[str, ...] | list[str] | None,
    *,
    as_of: date | None = None,
    since: date | None = None,
    config: RiskConfig | None = None,
    compare_to: tuple[date | None, date] | None = None,
    popup_trend: bool = True,
    border_trend: str | None = None,
    model: str | None = None,
    **scoring: Any,
) -> Assessment:
    """Score the focus borders (None: every border of the inputs' countries) from ``frames``
    (events, agreements, alliances, annotations, as
    :meth:`borderrisk.render.mapping.BorderRiskMap.frames` gives them) once; with
    ``popup_trend`` each segment's monthly trend for the map's popups; with ``compare_to`` (a
    date as ``(None, day)``, or a window as ``(first, last)``) the comparison with that
    scoring; with ``border_trend`` (``"week"``, ``"month"`` or ``"quarter"``) each border's
    trend for a brief; with ``model="learned"`` (default: the config's ``[model] default``)
    each segment's probability and its reasons, fitted once here for everything that draws
    them. ``scoring`` (``until``, ``where``, ``engine``, ``scheduler``) goes to every run of
    the model, as :func:`borderrisk.risk.model.score` takes it."""
    from borderrisk.risk.compare import compare
    from borderrisk.risk.config import RiskConfig
    from borderrisk.risk.model import score
    from borderrisk.risk.trend import trend

    config = config or RiskConfig.load()
    chosen = config.chosen(model)
    if chosen == "learned":
        _check_learnable(frames)
    focus = tuple(focus) if focus is not None else None
    every_run = {"focus": focus, "config": config, **scoring}
    scored = Assessment.of_scores(score(**frames, **every_run, as_of=as_of, since=since))
    as_of = scored.as_of
    parts: dict[str, Any] = {}
    if chosen == "learned":
        scored = _learned(scored, frames, focus, config, since, scoring)
        parts.update(model=scored.model, learner=scored.learner)
    # The charts show the score over time, whichever model classes the map (a learned trend
    # refits at every period: `borderrisk trend --model learned` gives it).
    charted = {**every_run, "as_of": as_of, "since": since, "model": "formula"}
    if popup_trend:
        first = (pd.Period(as_of, "M") - (TREND_MONTHS - 1)).start_time.date()
        parts["trend"] = trend(**frames, **charted, by="segment", first_period=first)
    if compare_to:
        earliest, until = compare_to
        previous = score(**frames, **{**every_run, "until": until}, as_of=until, since=earliest)
        parts["comparison"] = compare(scored.scores, previous)
        parts["compared_with"] = f"{earliest.isoformat()}..{until.isoformat()}" if earliest else until.isoformat()
    if border_trend:
        parts["border_trend"] = trend(**frames, **charted, every=border_trend, by="border")
    reach_km = float(config["events"]["distance_km"])
    return Assessment(scored.scores, as_of, scored.classes, reach_km=reach_km, **parts)


def _check_learnable(frames: dict[str, Any]) -> None:
    """Before any work: the learned model needs LightGBM and events to learn from."""
    from borderrisk.data.errors import UserError
    from borderrisk.risk.learned import lightgbm

    lightgbm()
    if frames.get("events") is None or not len(frames["events"]):
        raise UserError("the learned model forecasts from events: give events (or use --model formula)")


def _learned(
    scored: Assessment,
    frames: dict[str, Any],
    focus: Any,
    config: RiskConfig,
    since: date | None,
    scoring: dict[str, Any],
) -> Assessment:
    """A formula assessment with the learned model's probabilities and reasons, classed by
    the fixed probability bands. The model learns from the events the score counts (the same
    ``where``, ``since`` and ``until``) and reads the agreements, alliances and annotations in
    force at each origin, as the formula counts them."""
    from borderrisk.data.filters import filtered_source
    from borderrisk.risk.classes import classified
    from borderrisk.risk.forecast import with_forecast
    from borderrisk.risk.model import RECORD_FACTORS

    events = filtered_source(frames["events"], scoring.get("where"), since=since, until=scoring.get("until"))
    engine = {key: scoring[key] for key in ("engine", "scheduler") if key in scoring}
    records = {name: frames.get(name) for name in RECORD_FACTORS}
    until = scoring.get("until")
    frame, made = with_forecast(scored.scores, events, focus, config, **engine, until=until, records=records)
    bands = RiskClasses.bands(config["events"]["distance_km"])
    frame = classified(frame, config["classes"], bands, by="probability")
    learner = f"{made.kind}, weighed on its forecasts of {made.record} closed months" if made.record else made.kind
    return Assessment(frame, scored.as_of, bands, model="learned", learner=learner)
