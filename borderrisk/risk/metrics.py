"""How well a score foretells what happened: the figures conflict forecasters publish (AUROC,
AUPR, Brier, top-k capture), a logistic calibration and a reliability table, in plain numpy.

Ties matter here: most border segments score 0, so every measure treats tied scores as one
threshold (AUROC by average ranks, AUPR by distinct thresholds as scikit-learn does, capture by
sharing the last tied group's events in proportion to the places left).
"""

from __future__ import annotations

import numpy as np


def _tie_groups(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) of each run of equal values in a sorted array."""
    if len(sorted_values) == 0:
        return np.zeros(0, "int64"), np.zeros(0, "int64")
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    return starts, np.r_[starts[1:], len(sorted_values)]


def auroc(scores: np.ndarray, outcomes: np.ndarray) -> float:
    """Area under the ROC curve: the chance that a random positive outranks a random negative
    (ties count half). NaN without both positives and negatives."""
    scores, outcomes = np.asarray(scores, dtype=float), np.asarray(outcomes, dtype=bool)
    positives, negatives = int(outcomes.sum()), int((~outcomes).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    starts, ends = _tie_groups(scores[order])
    ranks = np.empty(len(scores))
    ranks[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    return float((ranks[outcomes].sum() - positives * (positives + 1) / 2.0) / (positives * negatives))


def average_precision(scores: np.ndarray, outcomes: np.ndarray) -> float:
    """Area under the precision-recall curve as a step sum over distinct thresholds,
    Σ (recallₖ − recallₖ₋₁) · precisionₖ. NaN without positives."""
    scores, outcomes = np.asarray(scores, dtype=float), np.asarray(outcomes, dtype=bool)
    positives = int(outcomes.sum())
    if positives == 0:
        return float("nan")
    order = np.argsort(-scores, kind="mergesort")
    _, ends = _tie_groups(scores[order])
    true_pos = np.cumsum(outcomes[order])[ends - 1]
    precision = true_pos / ends
    recall = true_pos / positives
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def brier(probabilities: np.ndarray, outcomes: np.ndarray) -> float:
    """Mean squared difference between forecast probabilities and outcomes (0 is perfect)."""
    probabilities, outcomes = np.asarray(probabilities, dtype=float), np.asarray(outcomes, dtype=float)
    return float(np.mean((probabilities - outcomes) ** 2)) if len(outcomes) else float("nan")


def capture(scores: np.ndarray, counts: np.ndarray, shares: np.ndarray | float) -> np.ndarray | float:
    """The part of all ``counts`` (e.g. next period's events per segment) held by the top
    ``shares`` of segments by score. A tied group straddling the cut counts in proportion to
    the places left for it, so the figure does not depend on how ties happen to be ordered."""
    scores, counts = np.asarray(scores, dtype=float), np.asarray(counts, dtype=float)
    single = np.ndim(shares) == 0
    shares = np.atleast_1d(np.asarray(shares, dtype=float))
    total = counts.sum()
    if total == 0:
        result = np.full(len(shares), np.nan)
        return float(result[0]) if single else result
    order = np.argsort(-scores, kind="mergesort")
    starts, ends = _tie_groups(scores[order])
    held = np.r_[0.0, np.cumsum(np.add.reduceat(counts[order], starts))]  # by the end of each group
    places = shares * len(scores)
    group = np.clip(np.searchsorted(ends, places, side="left"), 0, len(ends) - 1)
    before = np.r_[0, ends][group]
    partial = np.clip((places - before) / (ends[group] - starts[group]), 0.0, 1.0)
    result = (held[group] + partial * (held[group + 1] - held[group])) / total
    return float(result[0]) if single else result


def fit_logistic(
    x: np.ndarray, outcomes: np.ndarray, ridge: float = 1e-6, steps: int = 50, prior_slope: float = 0.0
) -> tuple[float, float]:
    """Intercept and slope of P(outcome) = 1 / (1 + e^−(a + b·x)) by Newton's method (maximum
    likelihood; a tiny ridge keeps it finite when the data separate perfectly). Rows with the
    same x are fitted as one weighted row, so the many segments scoring 0 cost nothing."""
    values, which = np.unique(np.asarray(x, dtype=float), return_inverse=True)
    rows = np.bincount(which, minlength=len(values)).astype(float)
    hits = np.bincount(which, weights=np.asarray(outcomes, dtype=float), minlength=len(values))
    return fit_logistic_counts(values, rows, hits, ridge, steps, prior_slope=prior_slope)


def fit_logistic_counts(
    values: np.ndarray,
    rows: np.ndarray,
    hits: np.ndarray,
    ridge: float = 1e-6,
    steps: int = 50,
    start: tuple[float, float] | None = None,
    prior_slope: float = 0.0,
) -> tuple[float, float]:
    """:func:`fit_logistic` on grouped data: ``rows`` observations at each x of ``values``,
    ``hits`` of them positive; ``start`` is a guess to begin from (e.g. the previous fit); the
    ridge pulls the slope towards ``prior_slope`` (and the intercept towards 0).

    Each Newton step is halved until the penalised likelihood rises: a full step from a rare
    rate overshoots to probabilities of exactly 0 or 1, where the curvature vanishes and the
    next step is without bound (it gave a = 2.6e8 on a real file of 4,860 segments)."""
    design = np.column_stack([np.ones_like(values), values])
    centre = np.array([0.0, prior_slope])
    rate = hits.sum() / rows.sum()
    coef = np.array([np.log((rate + 1e-9) / (1 - rate + 1e-9)), prior_slope])
    if start is not None and _likelihood(design, rows, hits, np.asarray(start), ridge, centre) > _likelihood(
        design, rows, hits, coef, ridge, centre
    ):
        coef = np.asarray(start, dtype=float)
    current = _likelihood(design, rows, hits, coef, ridge, centre)
    for _ in range(steps):
        p = logistic(design @ coef)
        gradient = design.T @ (hits - rows * p) - ridge * (coef - centre)
        hessian = (design * (rows * p * (1 - p))[:, None]).T @ design + (ridge + 1e-12) * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        for _ in range(30):
            trial = _likelihood(design, rows, hits, coef + step, ridge, centre)
            if trial >= current:
                break
            step = step / 2
        else:
            break
        coef, current = coef + step, trial
        if np.max(np.abs(step)) < 1e-10:
            break
    return float(coef[0]), float(coef[1])


def _likelihood(
    design: np.ndarray, rows: np.ndarray, hits: np.ndarray, coef: np.ndarray, ridge: float, centre: np.ndarray
) -> float:
    """The penalised log-likelihood of grouped outcomes (log σ written to stay finite)."""
    z = design @ coef
    log_p, log_q = -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)
    return float(np.sum(hits * log_p + (rows - hits) * log_q) - ridge / 2 * np.sum((coef - centre) ** 2))


def logistic(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))


def reliability(probabilities: np.ndarray, outcomes: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    """Forecast probability against observed frequency in ``bins`` equal-width bins (empty bins
    left out): the points of a reliability diagram."""
    probabilities, outcomes = np.asarray(probabilities, dtype=float), np.asarray(outcomes, dtype=float)
    which = np.clip((probabilities * bins).astype(int), 0, bins - 1)
    rows = []
    for b in np.unique(which):
        inside = which == b
        rows.append(
            {
                "from": b / bins,
                "to": (b + 1) / bins,
                "predicted": float(probabilities[inside].mean()),
                "observed": float(outcomes[inside].mean()),
                "count": int(inside.sum()),
            }
        )
    return rows
