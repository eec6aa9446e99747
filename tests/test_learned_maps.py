"""The learned model on every surface: the map, its popups and legend (in every language), the
recipes, risk.toml's default, trend and the Python API; its bands mean the same on every map."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from test_browser import open_every_popup

from borderrisk.cli.main import cli
from borderrisk.language import Language
from borderrisk.language.messages import percent
from borderrisk.layers.base import DrawContext
from borderrisk.layers.risk import RiskLayer
from borderrisk.recipes import RecipeError, load_recipe
from borderrisk.render.charts import top_table
from borderrisk.risk.assessment import assess
from borderrisk.risk.classes import PROBABILITY_BANDS
from borderrisk.scenarios.synthetic import clustered_events

from conftest import events_csv

CHANCE = "chance of at least one event within 100 km next month"
HOSTILE = "<img src=x onerror=alert(1)>{{7*7}}"


def _map(tmp_path, *args):
    out = tmp_path / "map.html"
    shown = CliRunner().invoke(cli, ["map", *args, "-o", str(out)])
    assert shown.exit_code == 0, shown.output
    return out, shown


def test_a_learned_map_gives_each_risk_popup_its_chance_and_reasons(clustered_csv, tmp_path):
    out, shown = _map(tmp_path, "--events", clustered_csv, "--focus", "BRA", "--model", "learned")
    html = out.read_text(encoding="utf-8")
    assert "learned model: " in shown.output
    assert CHANCE in html and "probability of an event within 100 km next month" in html
    assert "half-life" in html and "ever before" in html
    for band in ("below 5 %", "5 % – 15 %", "60 % and above"):  # every band in the legend
        assert band in html


def test_a_spanish_learned_map_says_its_reasons_in_spanish(clustered_csv, tmp_path):
    out, _ = _map(tmp_path, "--events", clustered_csv, "--focus", "BRA", "--model", "learned", "--lang", "es")
    html = out.read_text(encoding="utf-8")
    assert "de probabilidad de al menos un evento a menos de 100 km el próximo mes" in html
    assert "vida media de" in html and "en todo el historial" in html
    assert "half-life" not in html and CHANCE not in html


def test_a_recipe_chooses_the_learned_model(clustered_csv, tmp_path):
    recipe = tmp_path / "brief.toml"
    recipe.write_text(
        f'focus = ["BRA"]\nevents = "{clustered_csv}"\nmodel = "learned"\noutputs = ["brief.html"]\n',
        encoding="utf-8",
    )
    shown = CliRunner().invoke(cli, ["map", str(recipe)])
    assert shown.exit_code == 0, shown.output
    assert CHANCE in (tmp_path / "brief.html").read_text(encoding="utf-8")
    recipe.write_text('focus = ["BRA"]\nmodel = "magic"\n', encoding="utf-8")
    with pytest.raises(RecipeError, match='"formula" or "learned"'):
        load_recipe(recipe)


def test_risk_toml_sets_the_default_model_and_the_flag_wins(clustered_csv, tmp_path):
    config = tmp_path / "risk.toml"
    config.write_text('[model]\ndefault = "learned"\n', encoding="utf-8")
    arguments = ["score", "--events", clustered_csv, "--focus", "BRA", "--config", str(config), "--json"]
    learned = CliRunner().invoke(cli, arguments)
    assert learned.exit_code == 0, learned.output
    assert "probability" in json.loads(learned.stdout)[0]
    formula = CliRunner().invoke(cli, [*arguments, "--model", "formula"])
    assert formula.exit_code == 0, formula.output
    assert "probability" not in json.loads(formula.stdout)[0]
    config.write_text('[model]\ndefault = "magic"\n', encoding="utf-8")
    refused = CliRunner().invoke(cli, arguments)
    assert refused.exit_code != 0 and "model.default must be 'formula' or 'learned'" in refused.output


def test_a_learned_default_leaves_roll_ups_and_comparisons_to_the_formula_but_a_flag_is_refused(
    clustered_csv, tmp_path
):
    config = tmp_path / "risk.toml"
    config.write_text('[model]\ndefault = "learned"\n', encoding="utf-8")
    arguments = ["score", "--events", clustered_csv, "--focus", "BRA", "--config", str(config), "--by", "border"]
    rolled = CliRunner().invoke(cli, arguments)
    assert rolled.exit_code == 0, rolled.output
    assert "scoring by formula" in rolled.stderr
    asked = CliRunner().invoke(cli, [*arguments, "--model", "learned"])
    assert asked.exit_code == 2 and "leave out --compare-to and --by" in asked.output


def test_the_score_table_of_the_learned_model_gives_the_chance_and_its_reasons(clustered_csv):
    shown = CliRunner().invoke(cli, ["score", "--events", clustered_csv, "--focus", "BRA", "--model", "learned"])
    assert shown.exit_code == 0, shown.output
    header = shown.stdout.splitlines()[0]
    assert "chance next month" in header and "top reasons" in header and "top factors" not in header
    assert " %" in shown.stdout.splitlines()[1] and "within 100 km" in shown.stdout


def test_probability_bands_are_the_same_on_two_different_maps(clustered):
    quiet = clustered_events(["BRA"], months=24, seed=1)
    quiet = quiet[quiet.index % 4 == 0]
    made = [assess({"events": events}, ["BRA"], model="learned", popup_trend=False) for events in (clustered, quiet)]
    assert [a.classes.breaks for a in made] == [PROBABILITY_BANDS, PROBABILITY_BANDS]
    for assessment in made:
        scores = assessment.scores
        expected = 1 + (scores.probability.to_numpy()[:, None] >= PROBABILITY_BANDS).sum(axis=1)
        assert (scores.level.to_numpy() == expected).all()
    legends = [RiskLayer.of(a).legend(DrawContext(language=Language("pt"))) for a in made]
    assert legends[0] == legends[1]
    assert "probabilidade de um evento a menos de 100 km no próximo mês" in legends[0].title
    assert len(legends[0].items) == 5


def test_a_briefs_table_lists_the_likeliest_segments_with_their_chance(clustered):
    scores = assess({"events": clustered}, ["BRA"], model="learned", popup_trend=False).scores
    table = top_table(scores, 3)
    assert table["chance next month"].tolist() == [percent(p) for p in scores.probability.nlargest(3)]


def test_trend_gives_each_period_the_probability_forecast_at_its_start(clustered_csv):
    arguments = ["trend", "--events", clustered_csv, "--focus", "BRA", "--model", "learned", "--json"]
    shown = CliRunner().invoke(cli, arguments)
    assert shown.exit_code == 0, shown.output
    rows = pd.DataFrame(json.loads(shown.stdout))
    first = rows.period == rows.period.min()
    assert rows.probability[first].isna().all()  # nothing before it to learn from
    assert rows.probability[~first].between(0, 1).all() and rows.probability[~first].notna().all()
    segments = pd.DataFrame(json.loads(CliRunner().invoke(cli, [*arguments, "--by", "segment"]).stdout))
    hottest = segments.groupby(["a", "b", "period"]).probability.max().reset_index()
    merged = rows.merge(hottest, on=["a", "b", "period"], suffixes=("", "_hottest"))
    pd.testing.assert_series_equal(merged.probability, merged.probability_hottest, check_names=False)


@pytest.mark.browser
def test_a_learned_popup_opens_with_its_chance_and_reasons_as_text(clustered, tmp_path, offline_page):
    hostile = clustered.assign(type=clustered["type"].replace({"battles": HOSTILE}))
    path = events_csv(hostile, tmp_path / "hostile.csv")
    out, _ = _map(tmp_path, "--events", path, "--focus", "BRA", "--model", "learned")
    offline_page.open(out)
    texts = open_every_popup(offline_page, "Risk")
    assert texts and all(CHANCE in text and "Why" in text for text in texts)
    assert any(f"{HOSTILE} events within 100 km, recent" in text for text in texts)
    assert offline_page.dialogs == [] and offline_page.errors == []
    assert offline_page.page.locator(".leaflet-container img").count() == 0


def test_the_learned_model_learns_from_the_events_the_score_counts(clustered):
    asked = assess({"events": clustered}, ["BRA"], model="learned", popup_trend=False, where="type=battles")
    battles = clustered[clustered["type"] == "battles"]
    given = assess({"events": battles}, ["BRA"], model="learned", popup_trend=False)
    keys = ["a", "b", "segment"]
    pd.testing.assert_frame_equal(
        asked.scores.sort_values(keys)[[*keys, "probability"]].reset_index(drop=True),
        given.scores.sort_values(keys)[[*keys, "probability"]].reset_index(drop=True),
    )
