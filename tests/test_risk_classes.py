"""Risk classes that mean something on real data: the default spreads segments over the levels
whatever the volume of events, fixed breaks stay comparable, and `score` reports each segment's
level and class exactly as the map colours it."""

import csv
import io
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.geo.borders import border
from borderrisk.language import Language
from borderrisk.layers.base import DrawContext
from borderrisk.layers.risk import RiskLayer
from borderrisk.render.mapping import BorderRiskMap
from borderrisk.risk.classes import RiskClasses
from borderrisk.risk.config import ConfigError, RiskConfig
from borderrisk.risk.model import score


def heavy_year_around_benin(n=3000, seed=1):
    """A real-volume year for one country: thousands of events along Benin's borders, many
    more near Nigeria than near Burkina Faso, as in a real ACLED year."""
    rng = np.random.default_rng(seed)
    lines = {pair: border(*pair).geometry for pair in [("BEN", "NGA"), ("BEN", "TGO"), ("BEN", "BFA"), ("BEN", "NER")]}
    weights = np.array([0.6, 0.25, 0.1, 0.05])
    picks = rng.choice(len(lines), size=n, p=weights)
    points = []
    for pick in picks:
        line = list(lines.values())[pick]
        where = line.interpolate(rng.uniform(0, 1) ** 2, normalized=True)  # hotter at one end
        points.append((where.x + rng.normal(0, 0.15), where.y + rng.normal(0, 0.15)))
    frame = pd.DataFrame(
        {
            "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
            "title": "event",
            "type": rng.choice(["battles", "protests", "riots", "violence against civilians"], n),
            "severity": rng.integers(1, 6, n),
            "location_precision": "exact",
        }
    )
    return gpd.GeoDataFrame(frame, geometry=[shapely.Point(p) for p in points], crs="EPSG:4326")


@pytest.fixture(scope="module")
def benin_year():
    return heavy_year_around_benin()


def test_a_real_volume_year_spreads_over_at_least_three_levels_by_default(benin_year):
    scored = score(events=benin_year, focus=["BEN"])
    assert scored.score.min() > 4  # every segment is above every fixed break
    assert scored.level.nunique() >= 3
    assert scored.attrs["classes"]["mode"] == "quantile"


def test_fixed_breaks_put_that_year_in_one_level_as_the_old_map_did(benin_year):
    config = RiskConfig.load().with_values(classes={"mode": "fixed"})
    scored = score(events=benin_year, focus=["BEN"], config=config)
    assert set(scored.level) == {5} and set(scored.risk_class) == {"4 and above"}


def test_fixed_breaks_start_their_level():
    classes = RiskClasses("fixed", (1.0, 2.0, 3.0, 4.0))
    assert classes.levels([0, 0.99, 1, 2, 3.5, 4, 40]).tolist() == [1, 1, 2, 3, 4, 5, 5]
    assert list(classes.labels().values()) == ["below 1", "1 – 2", "2 – 3", "3 – 4", "4 and above"]


def test_quantiles_end_their_level_so_ties_at_zero_stay_lowest():
    scores = [0.0] * 7 + [0.4, 1.2, 3.0]
    classes = RiskClasses.for_scores(scores, {"mode": "quantile", "breaks": [0.5, 1, 2, 4], "min_step": 0.05})
    levels = classes.levels(scores).tolist()
    assert levels[:7] == [1] * 7 and levels[-1] == 5
    # The zeros tie across the 20, 40 and 60 % quantiles: one class of their own, as 0.4 is
    # far enough above them to rank; the 40 and 60 % breaks rank nothing apart.
    assert classes.breaks == (0.0, 0.4)
    assert classes.labels() == {1: "up to 0.00", 3: "0.00 – 0.40", 5: "above 0.40"}
    assert "3 classes" in classes.describe()


def test_segments_tied_at_the_bottom_are_a_class_when_the_rest_rank_above_them():
    """As on a real GDELT map of USA-MEX: 40 of 53 segments scored 8.75 from country-level rows
    alone, the others 9.9 to 20.65; the tie must not read "too alike to rank"."""
    scores = np.r_[np.full(40, 8.75), np.linspace(9.9, 20.65, 13)]
    classes = RiskClasses.for_scores(scores, QUANTILE)
    assert classes.mode == "quantile" and classes.breaks[0] == 8.75
    assert set(classes.levels(np.full(40, 8.75))) == {1} and classes.levels([20.65]).tolist() == [5]


QUANTILE = {"mode": "quantile", "breaks": [0.5, 1, 2, 4], "min_step": 0.05}


def test_scores_within_a_few_percent_are_not_spread_over_the_colours():
    """As on a real map whose scores, almost all from country-level rows, ran from 66.8 to 69.5."""
    scores = np.linspace(66.8, 69.5, 40)
    classes = RiskClasses.for_scores(scores, QUANTILE)
    assert classes.mode == "fixed" and set(classes.levels(scores)) == {5}
    title = classes.describe()
    assert "too alike to rank" in title and "66.80" in title and "69.50" in title
    assert "demasiado parecidas" in classes.describe(Language("es"))


def test_scores_that_are_all_equal_say_so():
    """As on a real GDELT map of RUS-UKR whose 34 segments all scored 3.60 (country-level rows)."""
    classes = RiskClasses.for_scores(np.full(34, 3.6), QUANTILE)
    assert (
        classes.mode == "fixed"
        and classes.describe() == "fixed breaks: every segment scores 3.60, so none ranks above another"
    )


def test_breaks_are_kept_only_between_scores_that_differ_enough():
    # Quantiles at 10, 10, 10.2 and 20: 10.2 is 0.5 % of the highest score above 10.
    scores = np.r_[np.full(20, 10.0), np.full(10, 10.2), np.full(10, 20.0), np.full(10, 40.0)]
    classes = RiskClasses.for_scores(scores, QUANTILE)
    assert classes.breaks == (20.0,) and classes.why == "fewer"
    assert classes.levels([10.0, 10.2, 20.0, 40.0]).tolist() == [1, 1, 1, 5]


@pytest.mark.parametrize("seed", range(40))
def test_no_class_is_ever_empty_and_levels_rise_with_the_score(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    draw = [rng.exponential(2, n), rng.integers(0, 4, n).astype(float), np.full(n, rng.uniform(0, 9))][seed % 3]
    classes = RiskClasses.for_scores(draw, QUANTILE)
    levels = classes.levels(draw)
    if classes.mode == "quantile":
        assert set(levels) == set(classes.labels())  # every class holds a segment
    order = np.argsort(draw, kind="stable")
    assert np.all(np.diff(levels[order]) >= 0)


def test_scores_that_do_not_vary_are_classed_by_the_fixed_breaks():
    scored = BorderRiskMap.default().layers["Risk"].frame  # every segment scores 3.31
    assert scored.score.nunique() == 1
    assert set(scored.level) == {4} and set(scored.risk_class) == {"2 – 4"}
    assert scored.attrs["classes"]["mode"] == "fixed"


@pytest.mark.parametrize(
    ("classes", "message"),
    [
        ('mode = "median"', r"classes\.mode must be 'quantile' or 'fixed', got 'median'"),
        ("breaks = [1, 2, 2, 4]", r"classes\.breaks must be 4 increasing numbers"),
        ("breaks = [1, 2, 3]", r"classes\.breaks must be 4 increasing numbers"),
    ],
)
def test_a_bad_classes_section_is_an_error_naming_the_key(tmp_path, classes, message):
    path = tmp_path / "risk.toml"
    path.write_text(f"[classes]\n{classes}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        RiskConfig.load(path)


def test_score_reports_the_level_and_class_the_map_colours():
    result = CliRunner().invoke(cli, ["score", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {row["level"] for row in rows} <= {1, 2, 3, 4, 5}
    risk = BorderRiskMap.default().layers["Risk"]
    on_map = {(r.segment, r.a, r.b): (r.level, r.risk_class) for r in risk.frame.itertuples()}
    assert {(row["segment"], row["a"], row["b"]): (row["level"], row["class"]) for row in rows} == on_map
    spec = risk.spec(DrawContext(focus=("ARG", "BOL")))
    legend = risk.legend()
    assert {item["label"] for item in legend.items} == {row["class"] for row in rows}
    assert "fixed breaks" in legend.title  # the scenario's scores do not vary
    assert set(spec["colorBy"]["colors"]) == {row["class"] for row in rows}

    table = list(csv.DictReader(io.StringIO(CliRunner().invoke(cli, ["score", "--csv"]).stdout)))
    assert [(r["level"], r["class"]) for r in table] == [(str(row["level"]), row["class"]) for row in rows]


def test_hotter_levels_are_darker_on_the_map():
    layer = RiskLayer(score(events=heavy_year_around_benin(400), focus=["BEN"]))
    colors = [item["color"] for item in layer.legend().items]
    lightness = [sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in colors]
    assert len(colors) >= 3 and lightness == sorted(lightness, reverse=True)
    assert "relative" in layer.legend().title
