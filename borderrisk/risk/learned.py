"""The learned risk: for every segment, the probability of at least one event within reach in
the next period, from a model fitted on the user's own history (:mod:`borderrisk.risk.features`).

Several candidates are fitted on the closed outcomes: a learner (LightGBM's gradient-boosted
trees where the history has enough positive outcomes for trees, a ridge-penalised logistic
model where it has too few, the base rate where it has none) and the baselines it must beat,
each calibrated (persistence, history, the formula score). They are pooled: a weighted mean of
their probabilities, the weights (adding up to one) those that make the candidates' own record
likeliest: their forecasts of the latest closed origins, each made, as a back-test makes it,
from the origins before it. The learned model is therefore never worse than a baseline by more
than that weighing's noise, and it names what it uses (:attr:`Model.kind`, e.g.
``lightgbm+history``). Every member is calibrated, so the pool is too: a probability means the
same on every map.

Every prediction comes with each feature's share of it (LightGBM's ``pred_contrib``, the
logistic model's coefficient × deviation from the mean, a baseline's slope × its column), in
log-odds, weighted as the pool weighs them, and turned into shares of the probability's
distance from the base rate by :meth:`Model.contributions`.
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
#: The pool weighs its candidates on their forecasts of this many latest closed origins.
RECORD = 24
#: The baselines stacked with the learner: the feature column each calibrates.
BASELINES = {"persistence": "last_period", "history": "history", "formula": "score"}
#: A baseline's slope in log(1 + count) before the data speak: odds in proportion to the count
#: (the prior that ranks by the baseline where one closed origin cannot tell a slope).
PRIOR_SLOPE = 1.0
#: The ridge of the baselines' calibration.
CALIBRATION_RIDGE = 1.0
#: A candidate weighing less than this in the pool is left out: the kind names what counts.
MIN_WEIGHT = 0.02
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


def _ridge_logistic(x: np.ndarray, y: np.ndarray, ridge: float) -> np.ndarray:
    """Intercept and coefficients of a logistic regression of ``y`` on the columns of ``x``,
    the coefficients (not the intercept) ridge-penalised, by Newton's method."""
    z = np.column_stack([np.ones(len(x)), x])
    coef = np.zeros(z.shape[1])
    coef[0] = _logit(y.mean())
    penalty = np.r_[0.0, np.full(z.shape[1] - 1, ridge)]
    for _ in range(100):
        p = metrics.logistic(z @ coef)
        gradient = z.T @ (y - p) - penalty * coef
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        step *= min(1.0, 2.0 / max(np.max(np.abs(step)), 1e-12))  # full Newton steps overshoot on rare outcomes
        coef += step
        if np.max(np.abs(step)) < 1e-6:
            break
    return coef


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
        coef = _ridge_logistic(self._standard(x), y, self.ridge)
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


class _Calibrated:
    """A baseline as a candidate: a logistic fit of its one column, log(1 + count), as the
    back-test calibrates it; the slope is pulled towards :data:`PRIOR_SLOPE`, so an origin
    whose column does not vary yet still ranks by it."""

    def __init__(self, kind: str, column: int, x: np.ndarray, y: np.ndarray) -> None:
        self.kind, self.column = kind, column
        self.a, self.b = metrics.fit_logistic(x[:, column], y, ridge=CALIBRATION_RIDGE, prior_slope=PRIOR_SLOPE)

    def contributions(self, x: np.ndarray) -> np.ndarray:
        shares = np.zeros((len(x), x.shape[1] + 1))
        shares[:, self.column] = self.b * x[:, self.column]
        shares[:, -1] = self.a
        return shares

    def raw(self, x: np.ndarray) -> np.ndarray:
        return self.a + self.b * x[:, self.column]


def _pooling(raw: np.ndarray, y: np.ndarray, start: np.ndarray, rounds: int = 200) -> np.ndarray:
    """The weights (on the simplex) of a linear pool of the candidates' probabilities that
    make their forecasts ``raw`` of outcomes ``y`` likeliest, by expectation-maximisation from
    ``start``. A pool of calibrated probabilities is no more extreme than its most extreme
    member, so a short record cannot make it overconfident, as a logistic stacking of log-odds
    did (weights adding up to 1.5 on Syria's 43 segments)."""
    p = metrics.logistic(raw)
    likely = np.where(y[:, None], p, 1 - p)
    weights = start
    for _ in range(rounds):
        # each candidate's mean share of every row's likelihood: two products, not a pass per cell
        # (a row no candidate found possible adds nothing, rather than a division by zero)
        updated = weights * (likely.T @ (1.0 / np.maximum(likely @ weights, 1e-300)))
        updated /= updated.sum()
        if np.max(np.abs(updated - weights)) < 1e-6:
            break
        weights = updated
    return np.where(weights >= MIN_WEIGHT, weights, 0.0) / weights[weights >= MIN_WEIGHT].sum()


class _Pool:
    """Candidates pooled by :func:`_pooling`: P = Σ weight × candidate's P. Its contributions
    are the candidates' own shares of their probabilities, weighted the same way and given
    back in log-odds (scaled so that they add up to the pool's log-odds)."""

    def __init__(self, candidates: list, weights: np.ndarray) -> None:
        self.weights = weights
        self.members = [(member, float(weight)) for member, weight in zip(candidates, weights) if weight > 0]

    @property
    def kind(self) -> str:
        """The candidates in use, the learner first, then the baselines in :data:`BASELINES`' order."""
        return "+".join(member.kind for member, _ in self.members)

    def _probability(self, x: np.ndarray) -> np.ndarray:
        return sum((weight * metrics.logistic(member.raw(x)) for member, weight in self.members), np.zeros(len(x)))

    def contributions(self, x: np.ndarray) -> np.ndarray:
        shares, base = np.zeros((len(x), x.shape[1])), np.zeros(len(x))
        for member, weight in self.members:
            own, _, member_base = _in_probability(member.contributions(x))
            shares += weight * own
            base += weight * member_base
        p = self._probability(x)
        span = _logit(p) - _logit(base)
        total = shares.sum(axis=1)
        scale = np.where(np.abs(total) < 1e-12, 0.0, span / np.where(np.abs(total) < 1e-12, 1.0, total))
        return np.column_stack([shares * scale[:, None], _logit(base)])

    def mix(self, raw: np.ndarray) -> np.ndarray:
        """The pool's probabilities from every candidate's log-odds (one column each)."""
        return metrics.logistic(raw) @ self.weights


@dataclass
class Model:
    """A fitted pool and the closed origins its weights were judged on."""

    learner: Any
    #: The closed origins whose forecasts weighed the pool (none: the baselines weigh the same).
    record: int = 0

    @property
    def kind(self) -> str:
        return self.learner.kind

    def contributions(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each feature's share of each probability's distance from the base (what the model
        gives a row whose every contribution is zero), and the probabilities."""
        shares, p, _ = _in_probability(self.learner.contributions(x))
        return shares, p


def _in_probability(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Log-odds contributions (the last column the bias) as shares of the probability: each
    feature's log-odds share scaled so that the shares add up to the probability's distance
    from the base (the bias's probability); with the probabilities and the bases."""
    shares, bias = raw[:, :-1], raw[:, -1]
    p, base = metrics.logistic(raw.sum(axis=1)), metrics.logistic(bias)
    total = shares.sum(axis=1)
    flat = np.abs(total) < 1e-12  # no share to scale: the probability is the base
    return shares * np.where(flat, 0.0, (p - base) / np.where(flat, 1.0, total))[:, None], p, base


def _weighed(forecasts: np.ndarray, outcomes: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """The pool's weights from the candidates' record: their forecasts (origins × segments ×
    candidates, in log-odds) of origins whose outcome is known. Before any record, the
    baselines share the weight: the learner has shown nothing yet, and at the earliest origins
    it has nothing to learn from (every feature is still zero), while a baseline ranks by its
    column from the prior slope. The previous origin's weights start the search, half pulled
    back to even, so that a candidate dropped once can return."""
    count = forecasts.shape[-1]
    if not len(forecasts):
        return np.r_[0.0, np.full(count - 1, 1.0 / (count - 1))] if count > 1 else np.ones(1)
    start = np.full(count, 1.0 / count) if previous is None else 0.5 * previous + 0.5 / count
    return _pooling(forecasts.reshape(-1, count), outcomes.ravel(), start)


@dataclass
class Rolling:
    """A learned back-test: per origin and segment, the rank score and the probability (NaN
    where no outcome was known yet), which candidates each origin used, and the model of the
    last origin (the one a forecast explains)."""

    scores: np.ndarray
    probabilities: np.ndarray
    kinds: list[str]
    last: Model | None = None


def rolling(
    values: np.ndarray,
    outcomes: np.ndarray,
    horizon: int,
    core: np.ndarray,
    baselines: dict[str, int] | None = None,
    first: int = 0,
) -> Rolling:
    """Fit at each origin on the earlier origins whose outcome windows have closed (origin j's
    closes at origin j + horizon), and predict that origin, from origin ``first`` on: the
    origins before it (the warm-up, e.g. before ``--from``) are learned from, not judged.

    The pool weighs its candidates on their record (:func:`_weighed`): their own forecasts of
    the latest :data:`RECORD` closed origins, each made as this loop makes it, from the origins
    before it only; the record starts early enough for the first judged origin to have a whole
    one (where the history allows). Trees are
    refitted at most :data:`MAX_FITS` times over the origins forecast, whenever the outcomes
    seen grew by :data:`SURGE` (a surge outdates a fit), and at the last origin (the forecast
    a reader acts on); the cheap models at every origin. ``values`` holds the origin-major
    feature rows. Where no outcome is known yet the model knows nothing: every segment ranks
    the same and has no probability (scores pooled over origins must share one scale, so
    nothing else can stand in)."""
    y = np.asarray(outcomes, dtype=bool)
    origins, segments = y.shape
    baselines = baselines or {}
    judged = origins - first
    scores = np.zeros((judged, segments))
    probabilities = np.full((judged, segments), np.nan)
    kinds = ["none"] * judged
    begin = max(horizon, first - horizon + 1 - RECORD)  # the first judged origin has a whole record
    step = max(1, -(-(origins - begin) // MAX_FITS))
    record = np.zeros((origins, segments, 1 + len(baselines)))
    learner, fitted_at, fitted_positives, weights, model = None, -step, 0, None, None
    for k in range(begin, origins):
        known = k - horizon + 1
        x, seen = values[: known * segments], y[:known].ravel()
        positives = int(seen.sum())
        stale = k - fitted_at >= step or positives > SURGE * fitted_positives or k == origins - 1
        if learner is None or not isinstance(learner, _Trees) or stale:
            learner, fitted_at, fitted_positives = _learner(x, seen, core), k, positives
        candidates = [learner, *(_Calibrated(name, column, x, seen) for name, column in baselines.items())]
        now = values[k * segments : (k + 1) * segments]
        record[k] = np.column_stack([candidate.raw(now) for candidate in candidates])
        shown = slice(max(begin, known - RECORD), max(begin, known))
        weights = _weighed(record[shown], y[shown], weights)
        model = Model(_Pool(candidates, weights), record=shown.stop - shown.start)
        if k >= first:
            p = model.learner.mix(record[k])
            scores[k - first], probabilities[k - first], kinds[k - first] = p, p, model.kind
    return Rolling(scores, probabilities, kinds, model)
