"""The risk model: transparent, configurable, deterministic, and with the properties analysts
rely on when they read a score out in a briefing."""

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderrisk import scenarios
from borderrisk.geo.borders import border
from borderrisk.geo.geodesy import segment_lengths_km
from borderrisk.risk.config import FACTORS, ConfigError, RiskConfig
from borderrisk.risk.model import score

AS_OF = date(2024, 1, 1)
FOCUS = ["ARG", "BOL"]
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def events_frame(rows):
    """Events as the readers produce them: lon, lat, type, severity, age in days."""
    frame = pd.DataFrame(
        {
            "date": [pd.Timestamp(AS_OF) - pd.Timedelta(days=r[4]) for r in rows],
            "date_precision": "day",
            "title": [f"event {i}" for i in range(len(rows))],
            "type": [r[2] for r in rows],
            "severity": [r[3] for r in rows],
            "location_precision": "exact",
            "country": None,
            "actors": [None] * len(rows),
        }
    )
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy([r[0] for r in rows], [r[1] for r in rows]), crs="EPSG:4326"
    )


def scores(events, config=None):
    return score(events=events, focus=FOCUS, as_of=AS_OF, config=config).set_index("segment").sort_index()


BORDER_XY = shapely.get_coordinates(border("ARG", "BOL").geometry)
event_types = st.sampled_from(["attack", "visit", "statement", "unknown type"])
near_border = st.builds(
    lambda k, dx, dy, t, s, age: (BORDER_XY[k, 0] + dx, BORDER_XY[k, 1] + dy, t, s, age),
    st.integers(0, len(BORDER_XY) - 1),
    st.floats(-0.8, 0.8),
    st.floats(-0.8, 0.8),
    event_types,
    st.integers(1, 5),
    st.integers(0, 3000),
)


def km_to_border(lon, lat):
    """Independent distance: WGS84 geodesic to the border densified every ~200 m."""
    dense = shapely.get_coordinates(shapely.segmentize(border("ARG", "BOL").geometry, 0.002))
    return segment_lengths_km(np.full(len(dense), lon), np.full(len(dense), lat), dense[:, 0], dense[:, 1]).min()


@SETTINGS
@given(st.lists(near_border, min_size=0, max_size=6), near_border)
def test_adding_an_event_never_lowers_a_score(existing, added):
    before = scores(events_frame(existing) if existing else None).score
    after = scores(events_frame([*existing, added])).score
    assert (after >= before - 1e-12).all()


@SETTINGS
@given(
    st.lists(near_border, min_size=1, max_size=6),
    st.tuples(st.floats(-75, -50), st.floats(-45, -5)).filter(lambda p: km_to_border(*p) > 101),
)
def test_an_event_beyond_the_cut_off_changes_nothing(existing, far):
    before = scores(events_frame(existing))
    after = scores(events_frame([*existing, (far[0], far[1], "attack", 5, 0)]))
    assert np.array_equal(before.score.to_numpy(), after.score.to_numpy())


def test_an_event_one_half_life_old_counts_half():
    half_life = RiskConfig.load()["events"]["half_life_days"]
    lon, lat = BORDER_XY[40]
    fresh = scores(events_frame([(lon, lat, "attack", 4, 0)])).events
    old = scores(events_frame([(lon, lat, "attack", 4, int(half_life))])).events
    hot = fresh.idxmax()
    assert fresh[hot] > 0
    assert old[hot] == pytest.approx(fresh[hot] / 2, rel=1e-9)


@pytest.mark.parametrize("factor", FACTORS)
def test_a_weight_of_zero_removes_a_factor(factor):
    seed = {layer.kind: layer.frame for layer in scenarios.load().layers}
    config = RiskConfig.load().with_values(**{factor: {"weight": 0.0}})
    result = score(**seed, focus=FOCUS, config=config)
    assert (result[factor] == 0).all()
    assert all("switched off" in f["explanation"] for row in result.factors for f in row if f["name"] == factor)


@SETTINGS
@given(st.lists(near_border, min_size=0, max_size=8))
def test_the_factors_add_up_to_the_score(rows):
    seed = {layer.kind: layer.frame for layer in scenarios.load().layers if layer.kind != "events"}
    result = score(events=events_frame(rows) if rows else None, **seed, focus=FOCUS, as_of=AS_OF)
    for row in result.itertuples():
        assert sum(f["contribution"] for f in row.factors) == pytest.approx(row.score, abs=1e-12)
        assert row.score == pytest.approx(sum(getattr(row, name) for name in FACTORS), abs=1e-12)


def test_same_inputs_same_output_whatever_the_row_order():
    rows = [(BORDER_XY[k, 0], BORDER_XY[k, 1] + 0.2, "attack", 3, 10 * k) for k in range(0, len(BORDER_XY), 25)]
    first = score(events=events_frame(rows), focus=FOCUS, as_of=AS_OF)
    again = score(
        events=events_frame(rows[::-1]).assign(title=lambda f: f.title[::-1].to_numpy()), focus=FOCUS, as_of=AS_OF
    )
    assert first.drop(columns=["factors", "geometry"]).equals(again.drop(columns=["factors", "geometry"]))


def test_the_seed_scores_the_argentina_bolivia_border_with_reasons():
    seed = {layer.kind: layer.frame for layer in scenarios.load().layers}
    result = score(**seed, focus=FOCUS)
    assert result.attrs["as_of"] == "2023-07-16"  # the latest date the article gives
    assert len(result) == 15 and set(zip(result.a, result.b)) == {("ARG", "BOL")}
    top = {f["name"]: f for f in result.factors.iloc[0]}
    assert top["agreements"]["contribution"] == 2.0  # the 2010 and 2023 Bolivia–Iran MoUs
    assert "brings IRN to BOL" in top["agreements"]["explanation"]
    assert top["alliances"]["explanation"] == "BOL is a member of ALBA-TCP"
    assert top["country_events"]["contribution"] > 0


def test_as_of_leaves_out_what_was_not_known_yet():
    seed = {layer.kind: layer.frame for layer in scenarios.load().layers}
    before = score(**seed, focus=FOCUS, as_of=date(2011, 12, 31))
    assert (before.agreements == 1.0).all()  # only the 2010 MoU


def test_events_near_a_segment_are_named_in_its_explanation():
    lon, lat = BORDER_XY[10]
    result = scores(events_frame([(lon, lat + 0.05, "attack", 5, 30)]))
    hot = result.loc[result.events.idxmax()]
    text = next(f["explanation"] for f in hot.factors if f["name"] == "events")
    assert "event 0" in text and "attack" in text


def test_the_risk_config_is_checked(tmp_path):
    path = tmp_path / "risk.toml"
    path.write_text("[events]\nwieght = 2\n")
    with pytest.raises(ConfigError, match="wieght"):
        RiskConfig.load(path)
    path.write_text("[events]\ndistance_km = -1\n")
    with pytest.raises(ConfigError, match="distance_km"):
        RiskConfig.load(path)
    path.write_text("[segments]\nlength_km = 1e-9\n")  # 7e11 segments on one border
    with pytest.raises(ConfigError, match=r"segments\.length_km must be at least 1"):
        RiskConfig.load(path)
    path.write_text("[events.type_weights]\nprotest = 0.7\n")
    assert RiskConfig.load(path)["events"]["type_weights"]["protest"] == 0.7
    assert RiskConfig.load(path)["events"]["type_weights"]["attack"] == 3.0


def test_annotations_adjust_the_segments_they_touch():
    note = gpd.GeoDataFrame(
        {"title": ["Smuggling corridor"], "risk_adjustment": [1.5], "reason": ["patrol reports"]},
        geometry=[shapely.Point(*BORDER_XY[5]).buffer(0.05)],
        crs="EPSG:4326",
    )
    result = score(annotations=note, focus=FOCUS, as_of=AS_OF)
    touched = result[result.annotations != 0]
    assert 1 <= len(touched) <= 2 and (touched.annotations == 1.5).all()
    assert "Smuggling corridor: +1.5 (patrol reports)" in str(touched.factors.iloc[0])


def test_scores_roll_up_to_borders_and_countries():
    from borderrisk.risk.model import rollup

    lon, lat = BORDER_XY[10]
    seed = {layer.kind: layer.frame for layer in scenarios.load().layers}
    seed["events"] = pd.concat([seed["events"], events_frame([(lon, lat, "attack", 5, 0)])], ignore_index=True)
    segments = score(**seed, focus=["BOL"], as_of=date(2023, 7, 16))
    borders = rollup(segments, by="border")
    assert len(borders) == 5  # Bolivia's neighbours: ARG, BRA, CHL, PER, PRY
    top = borders.iloc[0]
    assert (top.a, top.b) == ("ARG", "BOL")
    arg_bol = segments[(segments.a == "ARG") & (segments.b == "BOL")]
    assert top.score == arg_bol.score.max()
    assert top.hottest_from_km == arg_bol.loc[arg_bol.score.idxmax(), "start_km"]
    weighted = (arg_bol.score * arg_bol.length_km).sum() / arg_bol.length_km.sum()
    assert top.mean_score == pytest.approx(weighted)
    countries = rollup(segments, by="country").set_index("country")
    assert countries.loc["BOL", "hottest_border"] == "ARG-BOL" and countries.loc["BOL", "borders"] == 5
    assert countries.loc["BRA", "borders"] == 1
