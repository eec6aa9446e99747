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

from borderrisk.risk import features
from borderrisk.risk.backtest import origins_between
from borderrisk.risk.learned import fit, lightgbm
from borderrisk.risk.periods import shift


@dataclass
class Forecast:
    """Each segment's probability for the period after the as-of date, and its reasons: the
    largest shares of that probability in words (the segments in ``table``'s order)."""

    table: Any
    probability: np.ndarray
    reasons: list[list[dict[str, Any]]]
    kind: str
    calibrated: bool


#: Reasons given per segment.
TOP_REASONS = 3


def forecast(timeline: Any, as_of: Any, every: str = "month", horizon: int = 1, config: Any = None) -> Forecast:
    """Fit on every origin from the events' first period whose outcome window closed by the
    as-of date, and forecast the period that starts the day after it."""
    lightgbm()
    reach = float((config or timeline.config)["events"]["distance_km"])
    first = pd.Timestamp(timeline.dates[0]).date() if len(timeline.dates) else None
    origins = origins_between(first, as_of, every, horizon) if first else []
    everything = np.ones(len(timeline.dates), dtype=bool)
    built = features.build(timeline, [*origins, as_of + timedelta(days=1)], every, horizon, reach, everything, config)
    outcomes = np.array([timeline.counts(t, shift(t, every, horizon), reach) > 0 for t in origins]).reshape(
        len(origins), timeline.segments
    )
    rows = len(origins) * timeline.segments
    model = fit(
        built.values[:rows],
        outcomes.ravel(),
        np.repeat(np.arange(len(origins)), timeline.segments),
        built.core,
        built.baselines,
    )
    shares, p = model.contributions(built.at(len(origins)))
    said = [text.format(**fields) for text, fields in built.words]
    reasons = []
    for row in shares:
        largest = np.argsort(-np.abs(row))[:TOP_REASONS]
        reasons.append(
            [{"reason": said[i], "feature": built.names[i], "share": float(row[i])} for i in largest if row[i]]
        )
    return Forecast(timeline.segment_table, p, reasons, model.kind, model.calibrated)
