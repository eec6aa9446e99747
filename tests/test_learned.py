"""The learned risk: a probability fitted on the events' own history that never looks at the
future, judged beside the formula and the baselines, explained feature by feature, and the
same on every engine."""

import json
import sys
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.risk import features, learned
from borderrisk.risk.backtest import JUDGED, Outcome, backtest, origins_of, timeline_of
from borderrisk.risk.config import RiskConfig

FOCUS = ["BRA"]
BATTLES = Outcome(reach_km=50.0, types=("battles",))


@pytest.fixture(scope="module")
def judged(clustered):
    return backtest(clustered, focus=FOCUS, outcome=BATTLES, model="learned")


def _features(events, origins):
    config = RiskConfig.load()
    timeline = timeline_of(events, FOCUS, config, float(config["events"]["distance_km"]))
    keep = BATTLES.mask(timeline.located.frame)
    return features.build(timeline, origins, "month", 1, BATTLES.reach_km, keep, config)


def test_features_at_an_origin_do_not_change_when_later_events_go(clustered):
    origins = origins_of(clustered, "month", 1, None, None)
    cut = origins[12]
    every = _features(clustered, origins[:13])
    before = _features(clustered[clustered["date"] < pd.Timestamp(cut)], origins[:13])
    np.testing.assert_allclose(every.at(12), before.at(12))
    assert every.names == before.names and len(every.words) == len(every.names)


def test_a_fit_reads_only_outcome_windows_closed_by_its_origin():
    rng = np.random.default_rng(0)
    values = rng.random((30 * 40, 5))
    outcomes = rng.random((30, 40)) < 0.3
    core = np.arange(5)
    first = learned.rolling(values, outcomes, horizon=2, core=core)
    changed = outcomes.copy()
    changed[-2:] = ~changed[-2:]  # windows still open at the last origin
    second = learned.rolling(values, changed, horizon=2, core=core)
    np.testing.assert_array_equal(first.probabilities, second.probabilities)
    assert np.isnan(first.probabilities[:2]).all() and not np.isnan(first.probabilities[2:]).any()


def test_each_share_of_a_probability_adds_up_to_its_distance_from_the_base():
    rng = np.random.default_rng(1)
    x = rng.random((3000, 4))
    y = rng.random(3000) < 1 / (1 + np.exp(-(4 * x[:, 0] - 3)))
    run = learned.rolling(x, y.reshape(10, 300), 1, np.arange(2), {"history": 1}, first=9)
    model = run.last
    shares, p = model.contributions(x[-50:])
    raw = model.learner.contributions(x[-50:])
    base = 1 / (1 + np.exp(-raw[:, -1]))
    np.testing.assert_allclose(shares.sum(axis=1), p - base, atol=1e-9)
    np.testing.assert_allclose(model.contributions(x[-300:])[1], run.probabilities[-1])
    assert model.kind.startswith("lightgbm") and model.record == 8  # origins 1-8: origin 0 had no past


def test_before_any_record_the_baselines_share_the_weight_and_then_the_record_decides():
    """At the first origin every feature is still zero: the learner has learned nothing and
    shown nothing, so the baselines, ranking by their prior slope, carry the forecast."""
    rng = np.random.default_rng(2)
    origins, segments = 30, 200
    signal = rng.random((origins, segments))
    outcomes = rng.random((origins, segments)) < signal
    values = np.stack([np.roll(signal, 1, axis=0), rng.random((origins, segments))], axis=2).reshape(-1, 2)
    values[:segments] = 0.0  # the first origin has no past
    run = learned.rolling(values, outcomes, 1, np.arange(2), {"history": 1}, first=1)
    assert run.kinds[0] == "history"
    assert run.kinds[-1].startswith("lightgbm")  # the learner's record earned it its weight


def test_the_learned_model_is_judged_beside_the_formula_and_the_baselines(judged):
    report = judged.as_dict()
    assert set(report["metrics"]) == {*JUDGED, "learned"}
    assert report["metrics"]["learned"].keys() == report["metrics"]["score"].keys()
    assert report["metrics"]["learned"]["aupr"] > report["metrics"]["random"]["aupr"]
    for model in (*JUDGED, "learned"):
        assert {"auroc", "aupr", "top10_capture", "positives"} <= report["onset"][model].keys()
    assert report["skill"]["over"] in ("persistence", "history")
    assert sum(report["learners"].values()) == report["origins"]
    judged_rows = {report["metrics"][model]["brier_origins"] for model in (*JUDGED, "learned")}
    assert judged_rows == {report["origins"]}  # the warm-up calibrates every model: the same rows


def test_without_the_learned_model_the_report_keeps_todays_keys(clustered):
    report = backtest(clustered, focus=FOCUS, outcome=BATTLES).as_dict()
    assert set(report["metrics"]) == set(JUDGED) and "skill" not in report and "learners" not in report


def test_the_cli_reports_learned_and_onset_figures(clustered_csv):
    arguments = ["backtest", "--events", clustered_csv, "--focus", "BRA", "--model", "learned", "--types", "battles"]
    shown = CliRunner().invoke(cli, arguments)
    assert shown.exit_code == 0, shown.output
    assert "learned over" in shown.output and "onset" in shown.output
    report = json.loads(CliRunner().invoke(cli, [*arguments, "--json"]).output)
    assert "learned" in report["metrics"] and "learned" in report["onset"]


def test_score_gives_each_segment_a_probability_and_its_reasons_in_words(clustered_csv):
    shown = CliRunner().invoke(
        cli, ["score", "--events", clustered_csv, "--focus", "BRA", "--model", "learned", "--json"]
    )
    assert shown.exit_code == 0, shown.output
    rows = json.loads(shown.stdout)
    probabilities = [row["probability"] for row in rows]
    assert probabilities == sorted(probabilities, reverse=True) and 0 < probabilities[-1] <= probabilities[0] < 1
    assert rows[0]["reasons"] and all(set(r) == {"reason", "feature", "share"} for r in rows[0]["reasons"])
    assert "within 100 km" in " ".join(r["reason"] for r in rows[0]["reasons"])


@pytest.mark.parametrize("command", [["backtest"], ["score"], ["trend"], ["map", "-o", "map.html"]])
def test_without_lightgbm_the_learned_model_is_a_usage_error_naming_the_extra(command, tmp_path, monkeypatch):
    path = tmp_path / "events.csv"
    path.write_text("date,title,type,lat,lon\n2024-01-05,a,battles,-10,-60\n2024-03-05,b,battles,-10,-60\n")
    monkeypatch.setitem(sys.modules, "lightgbm", None)
    monkeypatch.chdir(tmp_path)
    shown = CliRunner().invoke(cli, [*command, "--events", str(path), "--focus", "BOL", "--model", "learned"])
    assert shown.exit_code == 2, shown.output
    assert "borderrisk[learn]" in shown.output


@pytest.mark.slow
def test_the_dask_engine_gives_the_same_probabilities(clustered):
    small = clustered[clustered["date"] < clustered["date"].min() + timedelta(days=300)]
    in_memory = backtest(small, focus=FOCUS, outcome=BATTLES, model="learned")
    on_dask = backtest(small, focus=FOCUS, outcome=BATTLES, model="learned", engine="dask")
    np.testing.assert_array_equal(
        in_memory.predictions.probabilities["learned"], on_dask.predictions.probabilities["learned"]
    )


def test_a_fit_after_a_warm_up_reads_only_closed_windows_and_gives_every_judged_origin_a_probability():
    rng = np.random.default_rng(5)
    values = rng.random((30 * 40, 5))
    outcomes = rng.random((30, 40)) < 0.3
    baselines = {"history": 0, "persistence": 1}
    first = learned.rolling(values, outcomes, 2, np.arange(5), baselines, first=6)
    changed = outcomes.copy()
    changed[-2:] = ~changed[-2:]
    second = learned.rolling(values, changed, 2, np.arange(5), baselines, first=6)
    np.testing.assert_array_equal(first.probabilities, second.probabilities)
    assert first.probabilities.shape == (24, 40) and not np.isnan(first.probabilities).any()
    assert "none" not in first.kinds


def test_where_only_history_carries_signal_the_learned_model_is_within_noise_of_history():
    """The learner has noise to overfit; the pool must fall back on the calibrated history."""
    from borderrisk.risk import metrics
    from borderrisk.risk.backtest import calibrated

    rng = np.random.default_rng(6)
    origins, segments = 48, 60
    level = rng.gamma(0.5, 2.0, segments)
    counts = np.cumsum(rng.poisson(level, (origins, segments)), axis=0)  # events so far
    history = np.log1p(counts)
    outcomes = rng.random((origins, segments)) < metrics.logistic(-3.0 + 0.9 * history)
    noise = rng.random((origins, segments, 4))
    values = np.concatenate([history[..., None], noise], axis=2).reshape(origins * segments, 5)
    run = learned.rolling(values, outcomes, 1, np.arange(5), {"history": 0}, first=1)
    baseline = calibrated(np.expm1(history), outcomes)[1:]
    judged = outcomes[1:]
    brier_learned = metrics.brier(run.probabilities.ravel(), judged.ravel())
    brier_history = metrics.brier(baseline[1:].ravel(), judged[1:].ravel())
    assert brier_learned < brier_history * 1.03
    aupr_learned = metrics.average_precision(run.scores.ravel(), judged.ravel())
    assert aupr_learned > metrics.average_precision(history[1:].ravel(), judged.ravel()) - 0.02
    assert any("history" in kind for kind in run.kinds)


def test_origins_before_from_are_learned_from_and_not_judged(clustered):
    origins = origins_of(clustered, "month", 1, None, None)
    later = backtest(clustered, focus=FOCUS, outcome=BATTLES, model="learned", start=origins[8])
    assert later.predictions.origins[0] == origins[8]
    assert not np.isnan(later.predictions.probabilities["learned"]).any()
    assert "none" not in later.predictions.learners


def test_agreements_in_force_are_features_from_the_day_after_they_are_known():
    """The Bolivia–Iran defence MoU of 16 July 2023 brings Iran to Bolivia's borders: the
    learned model reads the formula's agreements factor at each origin, dated as it counts it."""
    from borderrisk import scenarios
    from borderrisk.scenarios.synthetic import clustered_events

    agreements = next(layer.frame for layer in scenarios.load().layers if layer.kind == "agreements")
    events = clustered_events(["BRA"], months=6, seed=3, start="2023-05-01")
    config = RiskConfig.load()
    timeline = timeline_of(events, FOCUS, config, 100.0)
    origins = [pd.Timestamp(day).date() for day in ("2023-07-01", "2023-08-01")]
    keep = np.ones(len(timeline.dates), dtype=bool)
    records = {"agreements": agreements, "alliances": None, "annotations": None}
    built = features.build(timeline, origins, "month", 1, 100.0, keep, config, records=records)
    column = built.names.index("agreements")
    sides = timeline.segment_table[["a", "b"]]
    on_bolivia = (sides == "BOL").any(axis=1).to_numpy()
    untouched = ~sides.isin(["BOL", "VEN"]).any(axis=1).to_numpy()  # Iran's 2023 deals: Venezuela too
    before, after = built.at(0)[:, column], built.at(1)[:, column]
    assert (after[on_bolivia] > before[on_bolivia]).all()  # the 2023 MoU, on top of the 2010 one
    assert (before[on_bolivia] > 0).all() and (after[untouched] == 0).all()
    without = features.build(timeline, origins, "month", 1, 100.0, keep, config)
    assert (without.values[:, column] == 0).all()
    assert built.words[column][0] == "security agreements in force"


@pytest.mark.parametrize(("horizon", "first"), [(1, 0), (2, 5), (3, 30)])
def test_no_forecast_reads_an_outcome_still_open_at_its_origin(horizon, first):
    rng = np.random.default_rng(7)
    values = rng.random((40 * 30, 4))
    outcomes = rng.random((40, 30)) < values[:, 0].reshape(40, 30)
    run = learned.rolling(values, outcomes, horizon, np.arange(4), {"history": 1}, first=first)
    for k in range(first, 40, 7):
        changed = outcomes.copy()
        changed[k - horizon + 1 :] = ~changed[k - horizon + 1 :]  # everything not closed at origin k
        again = learned.rolling(values, changed, horizon, np.arange(4), {"history": 1}, first=first)
        np.testing.assert_array_equal(run.probabilities[k - first], again.probabilities[k - first])
    if first >= learned.RECORD + horizon:  # enough history: the first judged origin has a whole record
        rows = (first + 1) * 30
        alone = learned.rolling(values[:rows], outcomes[: first + 1], horizon, np.arange(4), {}, first=first)
        assert alone.last.record == learned.RECORD


def test_a_row_no_candidate_found_possible_does_not_break_the_weights():
    raw = np.array([[40.0, 40.0], [0.0, 1.0], [0.0, -1.0]])  # the first row is certain, and wrong
    weights = learned._pooling(raw, np.array([False, True, False]), np.array([0.5, 0.5]))
    assert np.isfinite(weights).all() and weights.sum() == pytest.approx(1.0)


def test_an_annotation_counts_from_its_last_update_and_an_undated_one_not_at_all():
    """A briefer's adjustment written today must not teach the model about past months."""
    import geopandas as gpd
    from shapely.geometry import LineString

    from borderrisk.scenarios.synthetic import clustered_events

    events = clustered_events(["BRA"], months=6, seed=3, start="2023-05-01")
    config = RiskConfig.load()
    timeline = timeline_of(events, FOCUS, config, 100.0)
    stretch = timeline.segment_frame.geometry.iloc[0]
    line = LineString(list(stretch.coords)[:2]) if stretch.geom_type == "LineString" else stretch
    notes = gpd.GeoDataFrame(
        {"risk_adjustment": [2.0, 5.0], "updated": ["2023-07-20T09:00:00Z", None]},
        geometry=[line, line],
        crs="EPSG:4326",
    )
    origins = [pd.Timestamp(day).date() for day in ("2023-07-01", "2023-08-01")]
    keep = np.ones(len(timeline.dates), dtype=bool)
    records = {"agreements": None, "alliances": None, "annotations": notes}
    built = features.build(timeline, origins, "month", 1, 100.0, keep, config, records=records)
    column = built.values[:, built.names.index("annotations")].reshape(2, -1)
    assert (column[0] == 0).all()
    assert column[1].max() == pytest.approx(2.0 * float(config["annotations"]["weight"]))
