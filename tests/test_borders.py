"""Borders: shared lines, their geodesic lengths, neighbours, segments and zones."""

import numpy as np
import pytest
import shapely

from borderrisk.geo import geodesy
from borderrisk.geo.borders import all_borders, border, border_segments, border_zone, neighbours
from borderrisk.geo.countries import geometry
from borderrisk.geo.errors import NoBorderError


def test_argentina_bolivia_measures_about_717_km_geodesically():
    line = border("Argentina", "Bolivia")
    assert line.length_km == pytest.approx(717, rel=0.01)
    assert geodesy.length_km(line.geometry) == pytest.approx(line.length_km, rel=1e-9)


def test_the_survey_figure_is_reported_beside_never_instead():
    line = border("ARG", "BOL")
    assert line.survey_km == 942
    assert line.survey_source == "CIA World Factbook"
    assert "1:10m" in line.length_method


def test_a_pair_is_the_same_border_whichever_order_it_is_named_in():
    assert (border("BOL", "ARG").a, border("BOL", "ARG").b) == ("ARG", "BOL")
    assert border("Bolivia", "Argentina").geometry.equals(border("ARG", "BOL").geometry)


def test_a_border_runs_from_its_western_end():
    xy = shapely.get_coordinates(border("ARG", "BOL").geometry)
    assert xy[0, 0] < xy[-1, 0]
    assert xy[0, 0] == pytest.approx(-67.19, abs=0.05)  # the Chile tripoint


def test_neighbours_of_argentina_longest_first():
    table = neighbours("Argentina")
    assert set(table.code) == {"BOL", "BRA", "CHL", "PRY", "URY"}
    assert table.code.iloc[0] == "CHL"
    assert list(table.length_km) == sorted(table.length_km, reverse=True)


def test_countries_without_a_land_border_say_so():
    with pytest.raises(NoBorderError):
        border("Argentina", "Iran")


@pytest.mark.parametrize("pair", [("ARG", "BOL"), ("BEL", "NLD"), ("CAN", "USA"), ("FIN", "RUS"), ("LSO", "ZAF")])
def test_borders_equal_the_intersection_of_both_boundaries(pair):
    """The edge sort must find what a plain boundary ∩ boundary finds, to 0.1 %."""
    a, b = (geometry(code) for code in pair)
    expected = geodesy.length_km(shapely.line_merge(shapely.intersection(a.boundary, b.boundary)))
    assert border(*pair).length_km == pytest.approx(expected, rel=1e-3)


def test_all_land_borders_of_the_world():
    frame = all_borders()
    assert 300 <= len(frame) <= 360
    assert (frame.a < frame.b).all()
    assert not frame.duplicated(["a", "b"]).any()
    assert (frame.length_km > 0).all()
    assert frame.set_index(["a", "b"]).loc[("ARG", "BOL"), "length_km"] == pytest.approx(717, rel=0.01)


def test_segments_are_consecutive_and_add_up_to_the_border():
    pieces = border_segments("ARG", "BOL", km=50)
    total = border("ARG", "BOL").length_km
    assert pieces.start_km.iloc[0] == 0
    assert np.allclose(pieces.start_km.iloc[1:].to_numpy(), pieces.end_km.iloc[:-1].to_numpy())
    assert pieces.end_km.iloc[-1] == pytest.approx(total)
    assert list(pieces.length_km.iloc[:-1]) == pytest.approx([50] * (len(pieces) - 1))
    assert 0 < pieces.length_km.iloc[-1] <= 50
    measured = [geodesy.length_km(g) for g in pieces.geometry]
    assert measured == pytest.approx(list(pieces.length_km), abs=0.01)
    assert sum(measured) == pytest.approx(total, rel=1e-6)


def test_multi_part_borders_are_measured_part_after_part():
    pieces = border_segments("CAN", "USA", km=500)
    assert pieces.end_km.iloc[-1] == pytest.approx(border("CAN", "USA").length_km)
    assert (pieces.length_km <= 500 + 1e-9).all()


def _distances_to_border_km(points: np.ndarray, line) -> np.ndarray:
    """Geodesic distance from each point to the nearest vertex of the border densified to
    ~200 m: independent of the projection the zone was buffered in."""
    dense = shapely.get_coordinates(shapely.segmentize(line, 0.002))
    lon = np.repeat(points[:, 0], len(dense))
    lat = np.repeat(points[:, 1], len(dense))
    km = geodesy.segment_lengths_km(lon, lat, np.tile(dense[:, 0], len(points)), np.tile(dense[:, 1], len(points)))
    return km.reshape(len(points), len(dense)).min(axis=1)


def _random_points(area, n, seed=1):
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = area.bounds
    xy = np.column_stack([rng.uniform(minx, maxx, n * 4), rng.uniform(miny, maxy, n * 4)])
    return xy[shapely.contains_xy(area, xy[:, 0], xy[:, 1])][:n]


@pytest.mark.parametrize(("pair", "km", "side"), [(("ARG", "BOL"), 50, "BOL"), (("FIN", "RUS"), 20, "FIN")])
def test_a_zone_holds_exactly_the_land_within_its_distance(pair, km, side):
    zone = border_zone(*pair, km, side=side)
    line = border(*pair).geometry
    inside = _random_points(zone, 300)
    assert _distances_to_border_km(inside, line).max() <= km * 1.005
    near = _random_points(shapely.difference(geometry(side).intersection(zone.envelope), zone), 300, seed=2)
    assert _distances_to_border_km(near, line).min() >= km * 0.995
    assert zone.within(geometry(side).buffer(1e-9))


def test_zone_area_matches_an_independent_monte_carlo_estimate():
    """Area of the 50 km zone inside Bolivia vs. the share of random points (weighted by
    area) of Bolivia's box that lie in Bolivia within 50 km of the border by geodesic distance."""
    zone = border_zone("ARG", "BOL", 50, side="BOL")
    line = border("ARG", "BOL").geometry
    box = shapely.box(*zone.bounds)
    rng = np.random.default_rng(7)
    n = 3000
    # Uniform on the ellipsoid's area within the box: uniform in lon and in sin(lat).
    minx, miny, maxx, maxy = box.bounds
    lon = rng.uniform(minx, maxx, n)
    lat = np.degrees(np.arcsin(rng.uniform(np.sin(np.radians(miny)), np.sin(np.radians(maxy)), n)))
    points = np.column_stack([lon, lat])
    in_bolivia = shapely.contains_xy(geometry("BOL"), lon, lat)
    within = np.zeros(n, dtype=bool)
    within[in_bolivia] = _distances_to_border_km(points[in_bolivia], line) <= 50
    estimate = geodesy.area_km2(box) * within.mean()
    assert geodesy.area_km2(zone) == pytest.approx(estimate, rel=0.06)
    assert 25_000 < geodesy.area_km2(zone) < 40_000


def test_both_sides_is_the_sum_of_each_side():
    both = geodesy.area_km2(border_zone("ARG", "BOL", 30))
    sides = geodesy.area_km2(border_zone("ARG", "BOL", 30, side="ARG")) + geodesy.area_km2(
        border_zone("ARG", "BOL", 30, side="BOL")
    )
    assert both == pytest.approx(sides, rel=1e-6)


def test_a_side_must_be_one_of_the_pair():
    with pytest.raises(ValueError, match="neither"):
        border_zone("ARG", "BOL", 10, side="CHL")


def test_distances_to_segments_are_within_half_a_percent_of_the_geodesic():
    """The risk model's event-to-segment distances, against WGS84 geodesics to the densified
    line, at 60–70°N where a degree-based shortcut would be 50 % off."""
    pieces = border_segments("FIN", "RUS", km=50)
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(25, 33, 400), rng.uniform(60, 70, 400)
    point, line, km = geodesy.distances_to_lines_km(lon, lat, pieces.geometry.to_numpy(), 100)
    assert len(point) > 100
    for k in range(0, len(point), max(1, len(point) // 60)):
        dense = shapely.get_coordinates(shapely.segmentize(pieces.geometry.iloc[line[k]], 0.002))
        true_km = geodesy.segment_lengths_km(
            np.full(len(dense), lon[point[k]]), np.full(len(dense), lat[point[k]]), dense[:, 0], dense[:, 1]
        ).min()
        assert km[k] == pytest.approx(true_km, rel=0.005, abs=0.3)


def test_borders_among_countries():
    from borderrisk.geo.borders import borders_among

    assert borders_among(["Bolivia", "ARG", "CHL"]) == [("ARG", "BOL"), ("ARG", "CHL"), ("BOL", "CHL")]
    assert borders_among(["ARG", "IRN"]) == []
