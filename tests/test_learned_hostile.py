"""The learned model against hostile inputs: too little history is refused (never "50 %
chance" on every segment), a model name that is not one is a usage error on every surface,
deaths follow the one count rule, and the data's own type names stay the data's own words."""

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.data.errors import RequestError
from borderrisk.risk import features
from borderrisk.risk.assessment import assess
from borderrisk.risk.backtest import backtest, timeline_of
from borderrisk.risk.config import RiskConfig
from borderrisk.risk.trend import trend
from borderrisk.scenarios.synthetic import clustered_events

from conftest import events_csv

NO_HISTORY = "the learned model has no history to learn from"
#: Event types that become feature names and reason words: markup, template and format syntax.
HOSTILE_TYPE = "<img src=x onerror=alert(1)> {{7*7}} %s {km} {0} {"


@pytest.fixture(scope="module")
def uruguay():
    """Two years of clustered events along Uruguay's two borders: 64 events, 23 segments."""
    return clustered_events(["URY"], months=24, seed=0)


def _run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _short(uruguay, tmp_path):
    """Histories too short to learn from, each as a file and the arguments that read it."""
    events = uruguay.iloc[:2]
    return {
        "two events": (events_csv(events, tmp_path / "two.csv"), []),
        "all on one day": (events_csv(uruguay.assign(date=pd.Timestamp("2021-05-05")), tmp_path / "day.csv"), []),
        "as of before them": (events_csv(uruguay, tmp_path / "all.csv"), ["--as-of", "2019-06-30"]),
        "a filter keeping none": (events_csv(uruguay, tmp_path / "all.csv"), ["--where", "type=nothing"]),
    }


def test_a_history_with_no_known_outcome_is_refused_not_forecast_at_even_odds(uruguay, tmp_path):
    kept = tmp_path / "mine.html"
    kept.write_text("the analyst's own map", encoding="utf-8")
    for name, (path, extra) in _short(uruguay, tmp_path).items():
        scored = _run("score", "--events", path, "--focus", "URY", "--model", "learned", "--json", *extra)
        assert scored.exit_code == 1 and NO_HISTORY in scored.output, (name, scored.output)
        assert "internal error" not in scored.output and not scored.stdout.startswith("["), name
        drawn = _run("map", "--events", path, "--focus", "URY", "--model", "learned", "-o", kept, *extra)
        assert drawn.exit_code == 1 and "Error: the learned model" in drawn.output, (name, drawn.output)
        assert kept.read_text(encoding="utf-8") == "the analyst's own map", name


def test_events_located_only_to_countries_give_no_history_to_learn_from(tmp_path):
    path = tmp_path / "countries.csv"
    days = pd.date_range("2020-01-01", periods=24, freq="MS").strftime("%Y-%m-%d")
    pd.DataFrame({"date": days, "title": "x", "type": "battles", "place": "Uruguay"}).to_csv(path, index=False)
    shown = _run("score", "--events", path, "--focus", "URY", "--model", "learned")
    assert shown.exit_code == 1 and f"{NO_HISTORY}: no located event" in shown.output, shown.output


def test_one_closed_month_is_enough_to_forecast(uruguay):
    made = assess({"events": uruguay}, ["URY"], as_of=date(2020, 2, 29), model="learned", popup_trend=False)
    assert made.scores.probability.between(0, 1).all() and made.learner


@pytest.mark.parametrize("name", ["Learned", "LEARNED", "magic", "", 5, ["learned"]])
def test_a_model_that_is_not_one_is_a_usage_error_on_every_python_surface(uruguay, name):
    asked = {"events": uruguay}
    for run in (
        lambda: RiskConfig.load().chosen(name),
        lambda: assess(asked, ["URY"], model=name, popup_trend=False),
        lambda: trend(events=uruguay, focus=["URY"], model=name),
        lambda: backtest(uruguay, focus=["URY"], model=name),
    ):
        with pytest.raises(RequestError, match="model must be 'formula' or 'learned'"):
            run()


def test_the_back_test_takes_the_configs_default_model_as_every_other_surface_does(uruguay):
    config = RiskConfig.load().with_values(model={"default": "learned"})
    assert "learned" in backtest(uruguay, focus=["URY"], config=config).metrics


@pytest.mark.parametrize("deaths", ["inf", "-5", "2.5", "1e308", "many"])
def test_deaths_in_an_own_file_follow_the_count_rule(uruguay, tmp_path, deaths):
    path = tmp_path / "events.csv"
    uruguay.pipe(events_csv, path)
    frame = pd.read_csv(path).assign(fatalities=["3", deaths] + ["1"] * (len(uruguay) - 2))
    frame.to_csv(path, index=False)
    shown = _run("score", "--events", path, "--focus", "URY", "--model", "learned")
    assert shown.exit_code == 1 and "internal error" not in shown.output, shown.output
    assert f"{path}, line 3, field 'fatalities': {deaths!r} is not a whole number from 0 to 1,000,000,000" in (
        shown.output
    )


def test_deaths_in_a_dataset_follow_the_count_rule(uruguay, tmp_path):
    folder = tmp_path / "events"
    folder.mkdir()
    deaths = np.where(np.arange(len(uruguay)) == 1, np.inf, 2.0)
    uruguay.assign(fatalities=deaths).to_parquet(folder / "part.00000.parquet")
    shown = _run("score", "--events", folder, "--focus", "URY", "--model", "learned")
    assert shown.exit_code == 1 and "row 2, field 'fatalities'" in shown.output, shown.output


def test_a_type_called_other_is_counted_with_the_other_types(uruguay):
    typed = uruguay.assign(type=np.where(uruguay.index % 2, "other", uruguay["type"]))
    config = RiskConfig.load()
    timeline = timeline_of(typed, ["URY"], config, 100.0)
    keep = np.ones(len(timeline.dates), dtype=bool)
    built = features.build(timeline, [date(2021, 1, 1)], "month", 1, 100.0, keep, config)
    assert len(set(built.names)) == len(built.names)
    assert [n for n in built.names if n.startswith("type_")] == ["type_battles", "type_protests", "type_other"]


def test_a_hostile_type_is_said_as_it_is_in_the_reasons_of_every_language(clustered, tmp_path):
    hostile = clustered.assign(type=clustered["type"].replace({"battles": HOSTILE_TYPE.lower()}))
    path = events_csv(hostile, tmp_path / "hostile.csv")
    shown = _run("score", "--events", path, "--focus", "BRA", "--model", "learned", "--json")
    assert shown.exit_code == 0, shown.output
    reasons = [r for row in json.loads(shown.stdout) for r in row["reasons"]]
    said = {r["reason"] for r in reasons if r["feature"] == f"type_{HOSTILE_TYPE.lower()}"}
    assert said == {f"{HOSTILE_TYPE.lower()} events within 100 km, recent"}
    out = tmp_path / "mapa.html"
    drawn = _run("map", "--events", path, "--focus", "BRA", "--model", "learned", "--lang", "es", "-o", out)
    assert drawn.exit_code == 0, drawn.output
    page = out.read_text(encoding="utf-8")
    assert "{{7*7}} %s {km} {0} {" in page and "49 %s" not in page and "<img src=x" not in page


def test_a_right_to_left_override_in_the_datas_text_ends_where_the_text_ends():
    """An unclosed override (U+202E) in a type would turn the rest of the reason around, its
    share too ("+0.18" read as "81.0+"): the data's text is isolated (U+2068 … U+2069)."""
    from borderrisk.language import Language
    from borderrisk.language.messages import Joined, Message, Term

    evil = "\u202eevil"
    said = Message("{type} events within {km} km", type=Term(evil), km="100")
    assert str(said) == "\u2068\u202eevil\u2069 events within 100 km"
    assert said.text(Language("es"), {}).startswith("\u2068\u202eevil\u2069")
    titled = Message("{title} ({type})", title=evil, type=Term("battles"))
    assert str(titled) == "\u2068\u202eevil\u2069 (battles)"
    assert str(Joined("; ", ["plain", evil])) == "plain; \u2068\u202eevil\u2069"
    assert str(Message("{title} ({type})", title="Tarija", type=Term("battles"))) == "Tarija (battles)"


def test_the_days_after_until_are_not_forecast_from_as_if_they_were_quiet(uruguay, tmp_path):
    """Events cut at --until say nothing of the days after it: a forecast from a later --as-of
    would read them as quiet months (persistence nil, counts aged), so it is refused."""
    path = events_csv(uruguay, tmp_path / "events.csv")
    cut = ["--until", "2021-03-31"]
    later = _run("score", "--events", path, "--focus", "URY", "--model", "learned", *cut, "--as-of", "2022-06-30")
    assert later.exit_code == 1, later.output
    assert "--until 2021-03-31 is before --as-of 2022-06-30" in later.output
    same_day = _run("score", "--events", path, "--focus", "URY", "--model", "learned", *cut, "--as-of", "2021-03-31")
    assert same_day.exit_code == 0, same_day.output


def test_a_chance_is_never_said_as_a_certainty_either_way():
    from borderrisk.language import Language
    from borderrisk.language.messages import percent

    assert [percent(p) for p in (0.0, 0.004, 0.23, 0.994, 0.995, 0.9991, 1.0)] == [
        "< 1 %", "< 1 %", "23 %", "99 %", "> 99 %", "> 99 %", "> 99 %",
    ]  # fmt: skip
    assert percent(0.9991, Language("es")) == "> 99 %"
