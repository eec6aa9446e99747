"""`borderrisk backtest`: out-of-sample figures that tell a score that knows something from one
that does not, each with what it rests on, and a fit that is judged only on data it never saw."""

import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.risk import backtest as judging
from borderrisk.risk.backtest import MIN_POSITIVES, Outcome, backtest, onset_figures, origins_between
from borderrisk.risk.config import RiskConfig
from borderrisk.risk.model import score, segments_for
from borderrisk.scenarios.synthetic import clustered_events

FOCUS = ["BRA"]
BATTLES = Outcome(reach_km=50.0, types=("battles",))
#: A memory that suits the clustered world, where hot spots last about a year and a half.
SHORT_MEMORY = RiskConfig.load().with_values(events={"half_life_days": 90.0})
BASELINES = ("persistence", "history", "random")


def as_csv(events, path):
    out = events.assign(lat=events.geometry.y.round(5), lon=events.geometry.x.round(5))
    out.assign(date=out.date.dt.strftime("%Y-%m-%d"))[["date", "title", "type", "severity", "lat", "lon"]].to_csv(
        path, index=False
    )
    return str(path)


@pytest.fixture(scope="module")
def clustered():
    return clustered_events(FOCUS, months=24, seed=0)


@pytest.fixture(scope="module")
def shuffled():
    return clustered_events(FOCUS, months=24, seed=0, shuffle=True)


@pytest.fixture(scope="module")
def clustered_csv(clustered, tmp_path_factory):
    return as_csv(clustered, tmp_path_factory.mktemp("backtest") / "clustered.csv")


def test_where_violence_clusters_the_score_beats_every_baseline(clustered):
    result = backtest(clustered, focus=FOCUS, config=SHORT_MEMORY, outcome=BATTLES)
    figures = result.metrics
    assert result.positives > 500
    for baseline in BASELINES:
        for key in ("auroc", "aupr", "top10_capture"):
            assert figures["score"][key] > figures[baseline][key], (baseline, key, figures)
        assert figures["score"]["brier"] < figures[baseline]["brier"], (baseline, figures)
    assert figures["random"]["auroc"] == pytest.approx(0.5, abs=0.05)


def test_where_the_past_tells_nothing_the_score_does_not_beat_the_baselines(shuffled):
    figures = backtest(shuffled, focus=FOCUS, config=SHORT_MEMORY, outcome=BATTLES).metrics
    best = {key: max(figures[b][key] for b in BASELINES) for key in ("auroc", "aupr")}
    assert figures["score"]["auroc"] <= best["auroc"] + 0.01
    assert figures["score"]["aupr"] <= best["aupr"] + 0.01
    assert figures["score"]["auroc"] < 0.6


def test_each_origin_is_scored_by_score_itself_with_only_the_events_before_it(clustered):
    result = backtest(clustered, focus=FOCUS, outcome=BATTLES)
    origin = result.predictions.origins[6]
    expected = score(events=clustered, focus=FOCUS, as_of=origin - timedelta(days=1))
    segments = segments_for(FOCUS, 50.0)
    keyed = expected.set_index(["a", "b", "start_km"]).loc[list(zip(segments.a, segments.b, segments.start_km))]
    assert np.allclose(result.predictions.scores["score"][6], keyed["score"].to_numpy(), atol=1e-12)
    on_the_day = clustered[clustered.date.dt.date == origin]
    assert len(on_the_day) > 0  # ... and events dated on the origin day itself are not yet known


def test_positives_on_one_origin_are_called_a_snapshot(clustered):
    dates = clustered.date
    january_and_september = clustered[(dates < "2020-02-01") | ((dates >= "2020-09-01") & (dates < "2020-10-01"))]
    result = backtest(january_and_september, focus=FOCUS, outcome=BATTLES)
    figures = result.metrics["score"]
    assert figures["origins_with_positives"] < 3 <= result.origins
    assert "a snapshot, not a test over time" in figures["note"]


def test_the_outcome_counts_only_the_chosen_types_and_deaths():
    import pandas as pd

    events = pd.DataFrame({"type": ["battles", "Protests", "battles", "riots"], "fatalities": [0, 3, None, 12]})
    assert Outcome(types=("battles",)).mask(events).tolist() == [True, False, True, False]
    assert Outcome(types=("protests", "riots")).mask(events).tolist() == [False, True, False, True]
    assert Outcome(min_fatalities=1).mask(events).tolist() == [False, True, False, True]  # unknown is not 1+
    assert Outcome(types=("battles",), min_fatalities=1).mask(events).tolist() == [False, False, False, False]


def test_the_outcome_takes_where_conditions_as_score_does():
    import pandas as pd

    from borderrisk.data.filters import FilterError, parse_condition

    events = pd.DataFrame({"type": ["battles", "riots"], "fatalities": [2, 0], "admin1": ["Tarija", "Potosí"]})
    tarija = Outcome(where=(parse_condition("admin1=tarija"), parse_condition("fatalities>=1")))
    assert tarija.mask(events).tolist() == [True, False]
    assert "matching admin1=tarija and fatalities>=1" in tarija.describe()
    with pytest.raises(FilterError, match="no column for 'actor'"):
        Outcome(where=(parse_condition("actor~IRGC"),)).mask(events)


def test_origins_have_history_before_them_and_a_whole_outcome_window_after():
    assert origins_between(date(2020, 1, 10), date(2020, 6, 30), "month", 1) == [
        date(2020, 2, 1),
        date(2020, 3, 1),
        date(2020, 4, 1),
        date(2020, 5, 1),
        date(2020, 6, 1),
    ]
    assert origins_between(date(2020, 1, 10), date(2020, 6, 29), "month", 2, start=date(2020, 3, 15)) == [
        date(2020, 4, 1)
    ]


def test_too_few_positives_give_a_note_not_a_number(clustered):
    sparse = clustered[clustered["type"] == "battles"].iloc[::150]
    result = backtest(sparse, focus=FOCUS, outcome=Outcome(reach_km=10.0))
    assert 0 < result.positives < MIN_POSITIVES
    for figures in result.metrics.values():
        assert figures["auroc"] is None and figures["aupr"] is None and figures["top10_capture"] is None
        assert "too few positive outcomes" in figures["note"]
        assert figures["positives"] == result.positives and figures["segments"] == result.segments


def test_too_few_negatives_give_a_note_not_a_number():
    """Where nearly every segment saw an event, a figure would judge a handful of quiet rows."""
    rng = np.random.default_rng(0)
    counts = np.ones((30, 40), dtype=int)
    counts.flat[rng.choice(counts.size, MIN_POSITIVES - 1, replace=False)] = 0
    scores, probabilities = rng.random(counts.shape), rng.random(counts.shape)
    judged = judging.figures(scores, counts, probabilities)
    assert judged["auroc"] is None and judged["aupr"] is None and judged["brier"] is None
    assert "too few negative outcomes (9 < 10)" in judged["note"]
    assert judged["positives"] == counts.size - (MIN_POSITIVES - 1)
    counts.flat[np.flatnonzero(counts)[:1]] = 0  # one more quiet row: a figure
    assert judging.figures(scores, counts, probabilities)["aupr"] is not None
    onset = onset_figures(scores, counts, np.ones(counts.shape, dtype=bool))
    assert onset["aupr"] is not None and onset_figures(scores, counts, counts == 0)["aupr"] is None


def test_json_states_what_every_figure_rests_on(clustered_csv):
    args = ["--focus", "BRA", "--types", "battles", "--reach-km", "50", "--json"]
    run = CliRunner().invoke(cli, ["backtest", "--events", clustered_csv, *args])
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    assert data["origins"] == 23 and data["segments"] == 251 and data["positives"] > 500
    assert set(data["metrics"]) == {"score", "persistence", "history", "random"}
    for figures in data["metrics"].values():
        assert {"auroc", "aupr", "brier", "top10_capture", "origins", "segments", "positives"} <= set(figures)
        assert figures["brier_origins"] == data["origins"] - 1  # the first origin has no past to calibrate on
    assert len(data["per_origin"]) == 23
    assert sum(o["positives"] for o in data["per_origin"]) == data["positives"]
    assert data["outcome"]["types"] == ["battles"] and data["outcome"]["reach_km"] == 50
    assert data["capture_curve"]["score"][0] == [0.0, 0.0] and data["capture_curve"]["score"][-1] == [1.0, 1.0]


def test_the_table_names_origins_segments_and_positives(clustered_csv):
    run = CliRunner().invoke(cli, ["backtest", "--events", clustered_csv, "--focus", "BRA", "--types", "battles"])
    assert run.exit_code == 0, run.output
    first, header = run.stdout.splitlines()[:2]
    assert first.startswith("23 month origins 2020-02-01 to 2021-12-01 (outcomes until 2022-01-01), 251 segments,")
    assert "positive outcomes on 23 origins" in first
    assert "positive outcomes on 23 origins (at least one battles event within 100 km in the next 1 month)" in first
    assert header.split() == ["model", "AUROC", "AUPR", "Brier", "top", "10%", "capture"]


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_the_chart_is_written_as_png_or_svg(clustered_csv, tmp_path, suffix, magic):
    chart = tmp_path / f"backtest{suffix}"
    run = CliRunner().invoke(cli, ["backtest", "--events", clustered_csv, "--focus", "BRA", "-o", str(chart)])
    assert run.exit_code == 0, run.output
    assert chart.read_bytes().startswith(magic) and chart.stat().st_size > 10_000


def test_the_fit_is_judged_on_later_origins_and_loads_as_a_config(clustered_csv, tmp_path):
    fitted = tmp_path / "risk-fitted.toml"
    args = ["backtest", "--events", clustered_csv, "--focus", "BRA", "--types", "battles", "--reach-km", "50"]
    run = CliRunner().invoke(cli, [*args, "--fit", str(fitted)])
    assert run.exit_code == 0, run.output
    text = fitted.read_text()
    config = RiskConfig.load(fitted)
    assert config["events"]["half_life_days"] < 730  # hot spots here come and go within two years
    assert "evaluated out of sample on 8 later origins 2021-05-01 .. 2021-12-01" in text
    assert "fitted score" in text and "persistence" in text
    again = tmp_path / "again.toml"
    CliRunner().invoke(cli, [*args, "--fit", str(again)])
    assert again.read_text() == text  # deterministic
    scored = CliRunner().invoke(cli, ["score", "--events", clustered_csv, "--focus", "BRA", "--config", str(fitted)])
    assert scored.exit_code == 0, scored.output


def test_the_dask_engine_gives_the_same_figures(clustered):
    on_dask = backtest(clustered, focus=FOCUS, outcome=BATTLES, engine="dask")
    in_memory = backtest(clustered, focus=FOCUS, outcome=BATTLES)
    assert on_dask.as_dict() == in_memory.as_dict()


@pytest.mark.parametrize(
    "extra, code, message",
    [
        (["--agreements", "AGREEMENTS"], 2, "takes --events only"),
        (["--scheduler", "tcp://x:1"], 2, "--scheduler goes with --engine dask"),
        (["-o", "EVENTS"], 2, "is also an input"),
        (["-o", "chart.pdf"], 2, "a chart is written as .png or .svg"),
        (["--min-fatalities", "1"], 1, "no fatalities column"),
        (["--where", "fatalities>=1"], 1, "no column for 'fatalities'"),
        (["--where", "colour=red"], 2, "colour"),
        (["--from", "2030-01"], 1, "no month origin"),
    ],
)
def test_bad_requests_are_one_line_errors(clustered_csv, tmp_path, extra, code, message):
    agreements = tmp_path / "agreements.csv"
    agreements.write_text("parties,date,type,status\nBOL;IRN,2023-07-16,defence MoU,signed\n")
    extra = [str(agreements) if e == "AGREEMENTS" else clustered_csv if e == "EVENTS" else e for e in extra]
    extra = [str(tmp_path / e) if e == "chart.pdf" else e for e in extra]
    run = CliRunner().invoke(cli, ["backtest", "--events", clustered_csv, "--focus", "BRA", *extra])
    assert run.exit_code == code, run.output
    assert message in run.output
    assert "Traceback" not in run.output


def test_a_where_outcome_gives_the_figures_of_the_same_outcome_by_type(clustered_csv):
    def figures(*outcome):
        run = CliRunner().invoke(cli, ["backtest", "--events", clustered_csv, "--focus", "BRA", "--json", *outcome])
        assert run.exit_code == 0, run.output
        return json.loads(run.stdout)

    by_where, by_type = figures("--where", "type=battles"), figures("--types", "battles")
    assert by_where["metrics"] == by_type["metrics"] and by_where["positives"] == by_type["positives"]
    assert by_where["outcome"]["where"] == ["type=battles"]


def test_the_baselines_calibration_never_reads_an_outcome_window_still_open():
    from borderrisk.risk.backtest import calibrated

    rng = np.random.default_rng(4)
    scores = rng.poisson(2.0, (12, 30)).astype(float)
    outcomes = rng.random((12, 30)) < 0.3
    first = calibrated(scores, outcomes, horizon=3)
    changed = outcomes.copy()
    changed[-3:] = ~changed[-3:]  # windows still open at the last origin
    np.testing.assert_array_equal(first, calibrated(scores, changed, horizon=3))
    assert np.isnan(first[:3]).all() and not np.isnan(first[3:]).any()


def test_onset_rows_are_quiet_years_the_file_covers_not_the_months_before_its_first_event(clustered):
    result = backtest(clustered, focus=FOCUS)
    first = clustered["date"].min()
    for origin, onset in zip(result.predictions.origins, result.predictions.onset):
        covered = pd.Timestamp(origin) - pd.DateOffset(months=12) >= first.normalize()
        assert covered or not onset.any(), origin
    assert result.predictions.onset.any()  # the second year has quiet segments


def test_a_from_that_leaves_no_origin_is_named_in_the_error(clustered_csv):
    run = CliRunner().invoke(cli, ["backtest", "--events", clustered_csv, "--focus", "BRA", "--from", "2030-01-01"])
    assert run.exit_code == 1
    assert "from --from 2030-01-01" in run.output and "an earlier --from" in run.output
