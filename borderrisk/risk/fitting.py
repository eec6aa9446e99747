"""Fit the model's main knobs to what happened, and say how well the fit does on data it never saw.

The origins of a back-test are split in time: the earlier part (two thirds) is searched, one
knob at a time and twice round (coordinate search over fixed grids, so the same inputs always
give the same config), for the config whose score has the highest AUPR; the later part only
evaluates it, beside the starting config and the baselines. The result is a ``risk.toml`` that
``borderrisk score --config`` reads, with those out-of-sample figures in its comments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from borderrisk.data.errors import UserError
from borderrisk.risk import metrics
from borderrisk.risk.backtest import JUDGED, BacktestResult, Outcome, evaluate, predictions

if TYPE_CHECKING:
    from borderrisk.risk.config import RiskConfig
    from borderrisk.risk.timeline import Timeline

HALF_LIVES = (30.0, 90.0, 180.0, 365.0, 730.0, 1460.0)
REACHES = (25.0, 50.0, 100.0, 150.0)
DECAYS = ("linear", "none")
WATCH_MULTIPLIERS = (1.0, 2.0, 4.0)
#: A type's weight is searched as these multiples of its starting weight.
TYPE_SCALES = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)
ROUNDS = 2
FIT_SHARE = 2 / 3


@dataclass
class Fit:
    """The fitted config, what changed, and the out-of-sample back-tests of both configs."""

    config: RiskConfig
    changed: dict[str, Any]
    fit_origins: list[date]
    fitted: BacktestResult  # evaluated on the later origins only
    starting: BacktestResult  # the starting config on the same later origins
    objective: float  # AUPR on the earlier origins

    def as_dict(self) -> dict[str, Any]:
        return {
            "fitted_on": {
                "from": self.fit_origins[0].isoformat(),
                "to": self.fit_origins[-1].isoformat(),
                "origins": len(self.fit_origins),
                "aupr": round(self.objective, 4),
            },
            "changed": self.changed,
            "out_of_sample": self.fitted.as_dict(),
            "starting_config_out_of_sample": self.starting.metrics["score"],
        }


def split(origins: list[date]) -> int:
    """How many of the earliest origins are for fitting (at least one is left to evaluate)."""
    if len(origins) < 3:
        raise UserError(
            f"fitting needs at least 3 origins (2 to fit on, 1 to evaluate), not {len(origins)}; "
            "give a longer span of events or a shorter --every"
        )
    return min(len(origins) - 1, max(2, round(len(origins) * FIT_SHARE)))


def _score_rows(timeline: Timeline, origins: list[date], config: RiskConfig) -> np.ndarray:
    rows = []
    for t in origins:
        factors = timeline.factors_at(t - timedelta(days=1), config)
        rows.append(factors["events"] + factors["country_events"])
    return np.array(rows)


def _objective(scores: np.ndarray, outcomes: np.ndarray) -> float:
    value = metrics.average_precision(scores.ravel(), outcomes.ravel())
    return -1.0 if np.isnan(value) else value


def candidates(config: RiskConfig, types: list[str]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Each knob with the config changes to try for it, in a fixed order."""
    cfg = config["events"]
    knobs = [
        ("half_life_days", [{"half_life_days": v} for v in HALF_LIVES]),
        ("distance_km", [{"distance_km": v} for v in REACHES]),
        ("distance_decay", [{"distance_decay": v} for v in DECAYS]),
        ("watch_multiplier", [{"watch_multiplier": v} for v in WATCH_MULTIPLIERS]),
    ]
    for name in types:
        start = float(cfg["type_weights"].get(name, cfg["type_weights"].get("other", 0.0)))
        if start > 0:
            knobs.append((f"type_weights.{name}", [{"type_weights": {name: start * s}} for s in TYPE_SCALES]))
    return knobs


def fit(timeline: Timeline, origins: list[date], every: str, horizon: int, outcome: Outcome, config: RiskConfig) -> Fit:
    """Search the knobs on the earlier origins; evaluate the winner on the later ones."""
    cut = split(origins)
    earlier, later = origins[:cut], origins[cut:]
    known = predictions(timeline, earlier, every, horizon, outcome, config)
    outcomes = known.outcomes
    types = sorted(str(t) for t in timeline.located.frame["type"].cat.categories)
    best_config = config
    best = _objective(_score_rows(timeline, earlier, config), outcomes)
    changed: dict[str, Any] = {}
    for _ in range(ROUNDS):
        for knob, options in candidates(config, types):
            for change in options:
                trial = best_config.with_values(events=change)
                value = _objective(_score_rows(timeline, earlier, trial), outcomes)
                if value > best + 1e-12:
                    best, best_config = value, trial
                    changed[knob] = _value_of(change)
    fitted = evaluate(predictions(timeline, later, every, horizon, outcome, best_config), every, horizon, outcome)
    starting = evaluate(predictions(timeline, later, every, horizon, outcome, config), every, horizon, outcome)
    changed = {k: v for k, v in changed.items() if v != _current(config, k)}
    return Fit(best_config, changed, earlier, fitted, starting, best)


def _value_of(change: dict[str, Any]) -> Any:
    value = next(iter(change.values()))
    return next(iter(value.values())) if isinstance(value, dict) else value


def _current(config: RiskConfig, knob: str) -> Any:
    cfg = config["events"]
    if knob.startswith("type_weights."):
        name = knob.split(".", 1)[1]
        return cfg["type_weights"].get(name, cfg["type_weights"].get("other", 0.0))
    return cfg[knob]


def fitted_toml(fit: Fit, source: str) -> str:
    """The fitted knobs as a ``risk.toml`` for ``score --config``, its figures in comments."""
    cfg = fit.config["events"]
    result = fit.fitted
    lines = [
        f"# borderrisk risk model, fitted by `borderrisk backtest --fit` on {source}",
        f"# Searched on {len(fit.fit_origins)} {result.every} origins {fit.fit_origins[0]} .. {fit.fit_origins[-1]}"
        f" (AUPR {fit.objective:.3f});",
        f"# evaluated out of sample on {result.origins} later origins {result.predictions.origins[0]} .."
        f" {result.predictions.origins[-1]}, {result.segments} segments, {result.positives} positive outcomes"
        f" ({result.outcome.describe()} in the next {result.horizon} {result.every}):",
        "#",
        f"#   {'model':<16} {'AUROC':>6} {'AUPR':>6} {'Brier':>6} {'top 10%':>8}",
    ]
    rows = [("fitted score", result.metrics["score"]), ("starting score", fit.starting.metrics["score"])]
    rows += [(m, result.metrics[m]) for m in JUDGED if m != "score"]
    for name, figures in rows:
        cells = [_cell(figures.get(k)) for k in ("auroc", "aupr", "brier", "top10_capture")]
        lines.append(f"#   {name:<16} {cells[0]:>6} {cells[1]:>6} {cells[2]:>6} {cells[3]:>8}")
    notes = {f.get("note") for _, f in rows if f.get("note")}
    lines += [f"#   ({note})" for note in sorted(notes)]
    lines += [
        "#",
        "# Keys not set here keep the defaults (`borderrisk score --default-config`).",
        "",
        "[events]",
    ]
    for key in ("half_life_days", "distance_km", "distance_decay", "watch_multiplier"):
        lines.append(f"{key} = {json.dumps(cfg[key])}")
    lines += ["", "[events.type_weights]"]
    for name, weight in sorted(cfg["type_weights"].items()):
        lines.append(f"{json.dumps(name)} = {json.dumps(float(weight))}")
    return "\n".join(lines) + "\n"


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
