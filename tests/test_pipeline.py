"""One pipeline, load -> assess -> draw -> write: the model runs once, into an Assessment, and
the map and a brief's extras draw that assessment without running the model again."""

from __future__ import annotations

from datetime import date

import pytest

from borderrisk.inputs import load_frames
from borderrisk.recipes import Recipe, build, save_outputs
from borderrisk.render.mapping import BorderRiskMap
from borderrisk.risk import model, trend
from borderrisk.risk.assessment import Assessment, assess
from borderrisk.risk.config import RiskConfig

EARLIER = date(2022, 7, 16)


@pytest.fixture(scope="module")
def scenario():
    frames, focus = load_frames()
    return frames, tuple(focus)


@pytest.fixture
def model_runs(monkeypatch):
    """How many times the model scored and traced a trend, by what."""
    runs = {"score": 0, "trend": 0}

    def counted(name, original):
        def run(*args, **kwargs):
            runs[name] += 1
            return original(*args, **kwargs)

        return run

    monkeypatch.setattr(model.Scorer, "score", counted("score", model.Scorer.score))
    monkeypatch.setattr(trend, "_trend", counted("trend", trend._trend))
    return runs


def test_an_assessment_holds_scores_classes_trend_and_comparison_as_typed_fields(scenario):
    frames, focus = scenario
    assessment = assess(frames, focus, compare_to=(None, EARLIER), border_trend="quarter")
    assert isinstance(assessment, Assessment)
    assert assessment.as_of == max(assessment.trend.as_of)
    assert assessment.classes is not None and set(assessment.scores.level) <= {1, 2, 3, 4, 5}
    assert assessment.compared_with == EARLIER.isoformat()
    assert list(assessment.comparison.score) == list(assessment.scores.score)
    assert {"previous_score", "change", "moved"} <= set(assessment.comparison.columns)
    assert set(zip(assessment.border_trend.a, assessment.border_trend.b)) == set(
        zip(assessment.scores.a, assessment.scores.b)
    )


def test_the_map_draws_an_assessment_and_never_runs_the_model(scenario, model_runs):
    frames, focus = scenario
    assessment = assess(frames, focus, compare_to=(None, EARLIER))
    assert model_runs == {"score": 2, "trend": 1}  # now, then, and the popups' trend: once each
    m = BorderRiskMap(focus=focus).add_assessment(assessment)
    page = m.to_html()
    assert model_runs == {"score": 2, "trend": 1}
    assert m.assessment is assessment
    assert m.layers["risk"].frame is assessment.scores
    assert m.layers["change"].frame is assessment.comparison
    assert "Score by month, this segment" in page


def test_a_brief_recipe_runs_the_model_once_for_the_map_and_its_extras(model_runs):
    recipe = Recipe(compare_to=(None, EARLIER), top=3, trend="month")
    m = build(recipe)
    assert model_runs == {"score": 2, "trend": 2}  # the border trend is assessed with the rest
    assert m.assessment.border_trend is not None
    assert m.assessment.compared_with == EARLIER.isoformat()


@pytest.mark.browser
@pytest.mark.slow
def test_writing_a_brief_with_its_table_and_chart_does_not_run_the_model_again(tmp_path, model_runs):
    recipe = Recipe(top=3, trend="month", outputs=[tmp_path / "brief.png"], width=800, height=600, dpi=96)
    m = build(recipe)
    before = dict(model_runs)
    save_outputs(m, recipe)
    assert model_runs == before
    assert (tmp_path / "brief.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_recipe_schema_has_one_check_for_every_recipe_field():
    from dataclasses import fields

    from borderrisk.recipes import FROM_LOADING, SCHEMA

    assert set(SCHEMA) == {f.name for f in fields(Recipe)} - FROM_LOADING


def test_a_map_opens_as_far_around_the_borders_as_its_assessment_reached(scenario, tmp_path, monkeypatch):
    """The reach comes with the assessment: a recipe's risk config frames its map as the
    Python API's does with that config, and drawing never reads the config again."""
    frames, focus = scenario
    path = tmp_path / "risk.toml"
    path.write_text("[events]\ndistance_km = 300.0\n")
    recipe_map = build(Recipe(risk_config=path))
    api_map = BorderRiskMap(focus=focus).add_assessment(assess(frames, focus, config=RiskConfig.load(path)))
    assert recipe_map.reach_km == api_map.reach_km == recipe_map.assessment.reach_km == 300.0
    monkeypatch.setattr(RiskConfig, "load", lambda *a: pytest.fail("the config was read while drawing"))
    recipe_map.to_html()
