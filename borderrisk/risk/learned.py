"""The learned risk: for every segment, the probability of at least one event within reach in
the next period, from a model fitted on the user's own history (:mod:`borderrisk.risk.features`).

A gradient-boosted model (LightGBM) where the history has enough positive outcomes for trees,
a ridge-penalised logistic model where it has too few, the base rate where it has none; the
model in use is always named (:attr:`Model.kind`). Its output is calibrated by a Platt fit on a
held-out later slice of the training origins, so a probability means the same on every map.

Every prediction comes with each feature's share of it (LightGBM's ``pred_contrib``, the
logistic model's coefficient × deviation from the mean), in log-odds, and turned into shares of
the probability's distance from the base rate by :meth:`Model.contributions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from borderrisk.data.errors import RequestError
from borderrisk.risk import metrics

#: The extra that installs LightGBM.
EXTRA = "learn"
#: Trees need at least this many positive outcomes and rows to learn from; fewer, a logistic model.
MIN_TREE_POSITIVES = 100
MIN_TREE_ROWS = 2000
#: A Platt calibration needs this many positives in the held-out slice and before it.
MIN_CALIBRATION_POSITIVES = 5
#: A steeper Platt slope means the held-out slice separates too cleanly to calibrate on.
MAX_PLATT_SLOPE = 5.0
#: The share of the training origins held out, the latest ones, to calibrate on.
HELD_OUT = 0.25
#: A rolling back-test refits at most this many times (every origin when there are fewer).
MAX_FITS = 12
#: Trees are refitted when the positive outcomes seen grew by this factor since their fit.
SURGE = 1.25
#: One thread: a fit of some 100,000 rows is too small to share, and LightGBM's OpenMP threads
#: spin waiting for a busy core (100 trees on the features of a 200,000-event back-test: 9.0 s
#: on two loaded cores, 0.8 s on one, the same trees).
THREADS = 1
#: Rows sampled to place the bins of each feature: binning every row of every refit cost as
#: much as growing the trees; 30,000 values place 255 bins as well (on the 200,000-event run of
#: ``benchmarks/bench_backtest.py --model learned``: AUPR and AUROC the same to the fourth
#: digit, Brier 0.014469 -> 0.014476).
BIN_SAMPLE = 30_000
TREE_PARAMETERS = {
    "objective": "binary",
    "learning_rate": 0.03,
    "num_leaves": 7,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 5.0,
    "seed": 0,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": THREADS,
    "bin_construct_sample_cnt": BIN_SAMPLE,
    "verbose": -1,
}
TREES = 100


def lightgbm() -> Any:
    """LightGBM, or a usage error that names the extra installing it."""
    try:
        import lightgbm as lgb
    except ImportError as error:
        raise RequestError(
            [f"the learned model needs LightGBM: pip install 'borderrisk[{EXTRA}]' (or use --model formula)"]
        ) from error
    return lgb


def _logit(p: np.ndarray | float) -> np.ndarray:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


class _BaseRate:
    """No positives or no negatives to learn from: every segment gets the (smoothed) rate."""

    kind = "base rate"

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        self.bias = float(_logit((y.sum() + 0.5) / (len(y) + 1.0)))

    def contributions(self, x: np.ndarray) -> np.ndarray:
        return np.column_stack([np.zeros(x.shape), np.full(len(x), self.bias)])

    def raw(self, x: np.ndarray) -> np.ndarray:
        return np.full(len(x), self.bias)


class _Logistic:
    """Ridge-penalised logistic regression on standardised features, by Newton's method, on
    the ``core`` columns only (the others get no weight): few outcomes cannot carry more."""

    kind = "logistic"
    ridge = 1.0

    def __init__(self, x: np.ndarray, y: np.ndarray, core: np.ndarray) -> None:
        self.mean, scale = x.mean(axis=0), x.std(axis=0)
        #: The columns that carry weight: the core ones that vary. Only they enter the fit.
        self.used = np.intersect1d(core, np.flatnonzero(scale > 0))
        self.scale = scale
        z = np.column_stack([np.ones(len(x)), self._standard(x)])
        coef = np.zeros(z.shape[1])
        coef[0] = _logit(y.mean())
        penalty = np.r_[0.0, np.full(z.shape[1] - 1, self.ridge)]
        for _ in range(100):
            p = metrics.logistic(z @ coef)
            gradient = z.T @ (y - p) - penalty * coef
            hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
            step = np.linalg.solve(hessian, gradient)
            step *= min(1.0, 2.0 / max(np.max(np.abs(step)), 1e-12))  # full Newton steps overshoot on rare outcomes
            coef += step
            if np.max(np.abs(step)) < 1e-6:
                break
        self.bias, self.coef = float(coef[0]), coef[1:]

    def _standard(self, x: np.ndarray) -> np.ndarray:
        return (x[:, self.used] - self.mean[self.used]) / self.scale[self.used]

    def contributions(self, x: np.ndarray) -> np.ndarray:
        shares = np.zeros((len(x), x.shape[1] + 1))
        shares[:, self.used] = self._standard(x) * self.coef
        shares[:, -1] = self.bias
        return shares

    def raw(self, x: np.ndarray) -> np.ndarray:
        return self.bias + self._standard(x) @ self.coef


def _rows(x: np.ndarray) -> np.ndarray:
    """Features as LightGBM is given them: row-major float32. (Some float64 columns made
    LightGBM 4.6 and 4.7 abort in their bin search on a real file; float32 keeps ranks.)"""
    return np.ascontiguousarray(x, dtype=np.float32)


class _Trees:
    """LightGBM's gradient-boosted trees on top of the logistic model: they start from its
    log-odds (``init_score``) and learn only what it misses, so a history too noisy for trees
    costs little. ``pred_contrib`` splits the trees' part of each prediction exactly; the
    logistic part splits as a sum does."""

    kind = "lightgbm"

    def __init__(self, x: np.ndarray, y: np.ndarray, core: np.ndarray) -> None:
        lgb = lightgbm()
        self.start = _Logistic(x, y, core)
        data = lgb.Dataset(
            _rows(x),
            label=y.astype(float),
            init_score=self.start.raw(x),
            params={"verbose": -1, "num_threads": THREADS, "bin_construct_sample_cnt": BIN_SAMPLE},
        )
        self.booster = lgb.train(TREE_PARAMETERS, data, num_boost_round=TREES)

    def contributions(self, x: np.ndarray) -> np.ndarray:
        return self.start.contributions(x) + np.asarray(self.booster.predict(_rows(x), pred_contrib=True))

    def raw(self, x: np.ndarray) -> np.ndarray:
        """The log-odds (the sum of :meth:`contributions`, at a fraction of their cost)."""
        return self.start.raw(x) + np.asarray(self.booster.predict(_rows(x), raw_score=True))


def _learner(x: np.ndarray, y: np.ndarray, core: np.ndarray):
    positives = int(y.sum())
    if positives == 0 or positives == len(y):
        return _BaseRate(x, y)
    if min(positives, len(y) - positives) >= MIN_TREE_POSITIVES and len(y) >= MIN_TREE_ROWS:
        return _Trees(x, y, core)
    return _Logistic(x, y, core)


@dataclass
class Model:
    """A fitted learner and its Platt calibration P = σ(a + b · log-odds)."""

    learner: Any
    a: float = 0.0
    b: float = 1.0
    calibrated: bool = False

    @property
    def kind(self) -> str:
        return self.learner.kind

    def probability(self, x: np.ndarray) -> np.ndarray:
        return metrics.logistic(self.a + self.b * self.learner.raw(x))

    def contributions(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each feature's share of each probability's distance from the base (what the model
        gives a row whose every contribution is zero), and the probabilities: the log-odds
        shares scaled to add up to that distance."""
        raw = self.learner.contributions(x)
        shares, bias = raw[:, :-1], raw[:, -1]
        p = metrics.logistic(self.a + self.b * raw.sum(axis=1))
        base = metrics.logistic(self.a + self.b * bias)
        total = shares.sum(axis=1)
        flat = np.abs(total) < 1e-12
        scale = np.where(flat, self.b * p * (1 - p), (p - base) / np.where(flat, 1.0, total))
        return shares * scale[:, None], p


def fit(x: np.ndarray, y: np.ndarray, origin: np.ndarray, core: np.ndarray) -> Model:
    """A model of outcomes ``y`` from features ``x``; ``origin`` numbers each row's origin in
    time order, ``core`` the columns a logistic model reads. The latest :data:`HELD_OUT` of
    the origins calibrate a learner fitted on the rest (when both hold enough positives); the
    learner is then refitted on every row."""
    y = np.asarray(y, dtype=bool)
    origins = np.unique(origin)
    held = origin >= origins[int(len(origins) * (1 - HELD_OUT))] if len(origins) >= 4 else np.zeros(len(y), bool)
    model = Model(_learner(x, y, core))
    if (
        held.any()
        and y[held].sum() >= MIN_CALIBRATION_POSITIVES
        and y[~held].sum() >= MIN_CALIBRATION_POSITIVES
        and model.kind != "base rate"
    ):
        early = _learner(x[~held], y[~held], core)
        raw = early.raw(x[held])
        a, b = metrics.fit_logistic(raw, y[held], ridge=1.0)
        if np.isfinite(a) and np.isfinite(b) and 0 < b < MAX_PLATT_SLOPE:
            model.a, model.b, model.calibrated = a, b, True
    return model


@dataclass
class Rolling:
    """A learned back-test: per origin and segment, the rank score and the probability (NaN
    where no outcome was known yet), and which learner each origin used."""

    scores: np.ndarray
    probabilities: np.ndarray
    kinds: list[str]


def rolling(values: np.ndarray, outcomes: np.ndarray, horizon: int, core: np.ndarray) -> Rolling:
    """Fit at each origin on the earlier origins whose outcome windows have closed (origin j's
    closes at origin j + horizon), and predict that origin; trees are refitted at most
    :data:`MAX_FITS` times over the run, and whenever the outcomes seen grew by :data:`SURGE`
    (a surge outdates a fit), the cheap models at every origin. ``values`` holds
    the origin-major feature rows. Where no outcome is known yet the model knows nothing:
    every segment ranks the same and has no probability (scores pooled over origins must
    share one scale, so nothing else can stand in)."""
    origins, segments = outcomes.shape
    scores = np.zeros(outcomes.shape)
    probabilities = np.full(outcomes.shape, np.nan)
    kinds = ["none"] * origins
    step = max(1, -(-origins // MAX_FITS))
    model, fitted_at, fitted_positives = None, -step, 0
    row_origin = np.repeat(np.arange(origins), segments)
    for k in range(origins):
        known = k - horizon + 1
        if known <= 0:
            continue
        positives = int(outcomes[:known].sum())
        if model is None or model.kind != "lightgbm" or k - fitted_at >= step or positives > SURGE * fitted_positives:
            rows = known * segments
            model = fit(values[:rows], outcomes[:known].ravel(), row_origin[:rows], core)
            fitted_at, fitted_positives = k, positives
        p = model.probability(values[k * segments : (k + 1) * segments])
        scores[k], probabilities[k], kinds[k] = p, p, model.kind
    return Rolling(scores, probabilities, kinds)
