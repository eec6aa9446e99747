"""`score --compare-to` and `borderrisk diff`: what changed, by how much, and why."""

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.layers.base import PLAIN

FIXTURE = Path(__file__).parent / "fixtures" / "events_filters.csv"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def segment(start, score, events=0.0, agreements=0.0, explanation="no located events within 100 km"):
    return {
        "a": "ARG",
        "b": "BOL",
        "segment": int(start // 50),
        "start_km": float(start),
        "end_km": float(start + 50),
        "score": score,
        "factors": [
            {"name": "events", "contribution": events, "explanation": explanation},
            {"name": "agreements", "contribution": agreements, "explanation": "MoU"},
        ],
    }


@pytest.fixture
def briefs(tmp_path):
    """Tuesday and Friday, by hand: km 0 rose 1.0 -> 3.5 (events, a new hot segment), km 50 rose
    0.2 -> 0.9 (+0.7), km 100 fell 2.5 -> 1.0 (agreements), km 150 barely moved, km 200 is new."""
    old = [segment(0, 1.0, 1.0), segment(50, 0.2, 0.2), segment(100, 2.5, 0.5, 2.0), segment(150, 1.0, 1.0)]
    new = [
        segment(0, 3.5, 3.5, explanation="2 event(s) within 100 km; largest: Clash (2023-01-05, battles)"),
        segment(50, 0.9, 0.9),
        segment(100, 1.0, 0.5, 0.5),
        segment(150, 1.3, 1.3),
        segment(200, 0.6, 0.6),
    ]
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    return tmp_path / "old.json", tmp_path / "new.json"


def test_diff_of_two_known_outputs(briefs):
    result = run("diff", *map(str, briefs), "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["start_km"], r["status"], r["change"], r["moved"]) for r in rows] == [
        (0.0, "new hot", 2.5, "events"),
        (100.0, "fall", -1.5, "agreements"),
        (50.0, "rise", 0.7, "events"),
        (200.0, "rise", 0.6, "events"),
    ]
    assert rows[0]["old_score"] == 1.0 and rows[0]["new_score"] == 3.5 and rows[0]["end_km"] == 50.0
    assert "Clash (2023-01-05, battles)" in rows[0]["why"]
    assert rows[3]["old_score"] is None


def test_the_threshold_and_hot_level_choose_what_is_reported(briefs):
    rows = json.loads(run("diff", *map(str, briefs), "--json", "--threshold", "1", "--hot", "5").stdout)
    assert [r["start_km"] for r in rows] == [0.0, 100.0]


def test_markdown_is_a_brief_ready_table(briefs):
    text = run("diff", *map(str, briefs)).stdout
    lines = text.splitlines()
    assert lines[0].startswith("| Border | km | Old | New | Change |")
    assert lines[2].startswith("| ARG–BOL | 0–50 | 1.00 | 3.50 | +2.50 | new hot | events |")
    assert len(lines) == 6


def test_score_csv_and_json_outputs_diff_alike(tmp_path):
    early = run("score", "--events", str(FIXTURE), "--focus", "ARG,BOL", "--until", "2023-02", "--csv")
    late = run("score", "--events", str(FIXTURE), "--focus", "ARG,BOL", "--json")
    (tmp_path / "early.csv").write_text(early.stdout)
    (tmp_path / "late.json").write_text(late.stdout)
    rows = json.loads(run("diff", str(tmp_path / "early.csv"), str(tmp_path / "late.json"), "--json").stdout)
    assert rows and all(r["status"] in ("rise", "new hot") and r["moved"] == "events" for r in rows)
    assert any("Battle at a crossing" in r["why"] or "Explosion on a road" in r["why"] for r in rows)


def test_two_recipes_runs(tmp_path):
    for name, until in (("before.toml", "2023-02-28"), ("after.toml", "2023-04-30")):
        (tmp_path / name).write_text(f'events = "{FIXTURE}"\nfocus = ["ARG", "BOL"]\nuntil = {until}\n')
    result = run("diff", str(tmp_path / "before.toml"), str(tmp_path / "after.toml"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)


def test_not_a_score_output_fails_naming_the_file(tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("when,what\n2023,x\n")
    result = run("diff", str(bad), str(bad))
    assert result.exit_code == 1 and "notes.csv" in result.output and "start_km" in result.output


def test_compare_to_adds_previous_score_change_and_the_factor_that_moved():
    args = ["score", "--events", str(FIXTURE), "--focus", "ARG,BOL", "--json"]
    now = {r["start_km"]: r for r in json.loads(run(*args).stdout)}
    before = {r["start_km"]: r for r in json.loads(run(*args, "--as-of", "2023-02-28").stdout)}
    compared = json.loads(run(*args, "--compare-to", "2023-02-28", "--sort", "change").stdout)
    assert [r["change"] for r in compared] == sorted((r["change"] for r in compared), reverse=True)
    for r in compared:
        assert r["previous_score"] == before[r["start_km"]]["score"]
        assert r["change"] == pytest.approx(now[r["start_km"]]["score"] - before[r["start_km"]]["score"], abs=1e-3)
    assert compared[0]["moved"] == "events"


def test_compare_to_a_window_counts_only_its_events():
    args = ["score", "--events", str(FIXTURE), "--focus", "ARG,BOL", "--json"]
    window = {
        r["start_km"]: r["score"] for r in json.loads(run(*args, "--since", "2023-03", "--until", "2023-03").stdout)
    }
    compared = json.loads(run(*args, "--compare-to", "2023-03-01..2023-03-31").stdout)
    assert all(r["previous_score"] == window[r["start_km"]] for r in compared)


def test_sort_change_needs_compare_to():
    assert run("score", "--sort", "change").exit_code == 2


def test_the_map_s_change_view_colours_segments_by_rise_and_fall(tmp_path):
    from borderrisk.layers.change import CHANGE_CLASSES
    from borderrisk.recipes import Recipe, build

    m = build(Recipe(events=[FIXTURE], focus=["ARG", "BOL"], compare_to=(None, date(2023, 2, 28))))
    change = m.layers["change"]
    assert not change.show  # a view to switch on beside the risk layer
    risk = m.layers["risk"].frame.set_index("start_km").score
    previous = score_as_of("2023-02-28")
    for row in change.frame.itertuples():
        assert row.change == pytest.approx(risk[row.start_km] - previous[row.start_km], abs=1e-3)
    spec = change.spec(PLAIN)
    colours = {label: colour for _, label, colour in CHANGE_CLASSES}
    labels = spec["props"]["change_class"]
    labels = [labels["values"][c] for c in labels["codes"]] if isinstance(labels, dict) else labels
    assert set(labels) <= set(colours) and "rose by 1 or more" in labels
    assert spec["colorBy"]["colors"] == colours


def test_a_recipe_names_its_comparison(tmp_path):
    from borderrisk.recipes import RecipeError, load_recipe

    recipe = tmp_path / "brief.toml"
    recipe.write_text('compare_to = "2023-01..2023-06"\n')
    assert load_recipe(recipe).compare_to == (date(2023, 1, 1), date(2023, 6, 30))
    recipe.write_text("compare_to = 2023-06-30\n")
    assert load_recipe(recipe).compare_to == (None, date(2023, 6, 30))
    recipe.write_text('compare_to = "last week"\n')
    with pytest.raises(RecipeError, match="compare_to"):
        load_recipe(recipe)


def score_as_of(day):
    args = ["score", "--events", str(FIXTURE), "--focus", "ARG,BOL", "--json", "--as-of", day]
    return {r["start_km"]: r["score"] for r in json.loads(run(*args).stdout)}
