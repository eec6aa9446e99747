"""The forecast figures, by hand on small cases and against scikit-learn on many random ones,
ties included (most border segments tie at 0)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from borderrisk.risk import metrics

SCORES = [0.9, 0.8, 0.8, 0.3, 0.1]
OUTCOMES = [1, 0, 1, 0, 0]


def test_auroc_by_hand():
    # Positives 0.9 and 0.8 against negatives 0.8, 0.3, 0.1: 0.9 beats all three (3), the
    # positive 0.8 ties one (0.5) and beats two (2): 5.5 of 6 pairs.
    assert metrics.auroc(SCORES, OUTCOMES) == pytest.approx(5.5 / 6)


def test_average_precision_by_hand():
    # Thresholds 0.9 (1 of 1 right, recall 1/2), then 0.8 (2 of 3 right, recall 1):
    # 1/2 × 1 + 1/2 × 2/3.
    assert metrics.average_precision(SCORES, OUTCOMES) == pytest.approx(0.5 + 1 / 3)


def test_brier_by_hand():
    assert metrics.brier([1.0, 0.5, 0.0], [1, 1, 1]) == pytest.approx((0 + 0.25 + 1) / 3)


def test_capture_shares_a_tied_group_by_the_places_left():
    scores, counts = [3, 2, 2, 1, 0], [1, 1, 0, 5, 3]
    # Top 1 of 5: 1 of 10 events. Top 2: the 3, and half of the tied 2s (1 + 0 events): 1.5.
    assert metrics.capture(scores, counts, 0.2) == pytest.approx(0.1)
    assert metrics.capture(scores, counts, 0.4) == pytest.approx(0.15)
    assert metrics.capture(scores, counts, [0.0, 0.6, 1.0]).tolist() == pytest.approx([0.0, 0.2, 1.0])
    # All tied: the top 10 % holds 10 % of the events, whatever their order.
    assert metrics.capture(np.zeros(10), np.arange(10), 0.1) == pytest.approx(0.1)


def test_undefined_figures_are_nan_not_numbers():
    assert np.isnan(metrics.auroc([1, 2], [1, 1]))
    assert np.isnan(metrics.average_precision([1, 2], [0, 0]))
    assert np.isnan(metrics.capture([1, 2], [0, 0], 0.5))


scored_outcomes = st.integers(2, 200).flatmap(
    lambda n: st.tuples(
        st.lists(st.sampled_from([0.0, 0.0, 0.5, 1.0, 2.0, 3.5]) | st.floats(0, 10), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
    )
)


@settings(max_examples=80, deadline=None)
@given(scored_outcomes)
def test_auroc_and_aupr_equal_scikit_learn(case):
    scores, outcomes = np.array(case[0]), np.array(case[1])
    if outcomes.all() or not outcomes.any():
        return
    assert metrics.auroc(scores, outcomes) == pytest.approx(roc_auc_score(outcomes, scores), abs=1e-12)
    assert metrics.average_precision(scores, outcomes) == pytest.approx(
        average_precision_score(outcomes, scores), abs=1e-12
    )
    probabilities = scores / 10
    assert metrics.brier(probabilities, outcomes) == pytest.approx(brier_score_loss(outcomes, probabilities))


def test_logistic_calibration_equals_unpenalised_scikit_learn():
    rng = np.random.default_rng(1)
    x = rng.normal(size=3000)
    y = rng.random(3000) < 1 / (1 + np.exp(-(0.5 + 1.5 * x)))
    a, b = metrics.fit_logistic(x, y)
    reference = LogisticRegression(C=1e12, tol=1e-10, max_iter=1000).fit(x[:, None], y)
    assert a == pytest.approx(reference.intercept_[0], abs=1e-4)
    assert b == pytest.approx(reference.coef_[0, 0], abs=1e-4)


def test_logistic_calibration_stays_finite_when_outcomes_separate():
    a, b = metrics.fit_logistic(np.array([0.0, 0.0, 1.0, 1.0]), np.array([0, 0, 1, 1]))
    assert np.isfinite([a, b]).all() and b > 0


def test_reliability_bins_equal_scikit_learns_calibration_curve():
    rng = np.random.default_rng(2)
    p = rng.random(500)
    y = rng.random(500) < p
    rows = metrics.reliability(p, y, bins=10)
    observed, predicted = calibration_curve(y, p, n_bins=10, strategy="uniform")
    assert [r["observed"] for r in rows] == pytest.approx(observed.tolist())
    assert [r["predicted"] for r in rows] == pytest.approx(predicted.tolist())
    assert sum(r["count"] for r in rows) == 500


def test_logistic_calibration_of_a_rare_outcome_on_many_counts_does_not_diverge():
    """Full Newton steps from a 5 % rate overshot to p of exactly 0 or 1 (a = 2.6e8 on a real
    file of 4,860 segments); the fit must be the maximum likelihood scikit-learn finds."""
    rng = np.random.default_rng(3)
    x = np.log1p(np.where(rng.random(4860) < 0.05, rng.geometric(0.1, 4860), 0))
    y = rng.random(4860) < np.where(x > 0, 0.8, 0.012)  # the file's own rates
    a, b = metrics.fit_logistic(x, y)
    reference = LogisticRegression(C=1e12, tol=1e-10, max_iter=1000).fit(x[:, None], y)
    assert a == pytest.approx(reference.intercept_[0], abs=1e-3)
    assert b == pytest.approx(reference.coef_[0, 0], abs=1e-3)
