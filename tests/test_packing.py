"""A layer's geometry reaches the page packed (whole numbers, differences, varints) and comes
out as the very GeoJSON Python wrote, every coordinate the same number; what cannot be packed
exactly is sent as JSON."""

import geopandas as gpd
import pytest
import shapely

from borderrisk.layers.base import DrawContext, shapes
from borderrisk.layers.countries import CountriesLayer
from borderrisk.render.mapping import BorderRiskMap
from borderrisk.render.packing import pack_geoms

pytestmark = pytest.mark.browser

MIXED = [
    shapely.Point(-179.999999, 89.5),
    shapely.MultiPoint([(0.1, 0.2), (-0.3, -0.4)]),
    shapely.LineString([(-67.19287, -22.82241), (-65.5, -22.1), (-64.000001, -21.9)]),
    shapely.MultiLineString([[(10, 10), (11, 11)], [(12.5, 12.5), (13.25, 13.75)]]),
    shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 0)], holes=[[(2, 1), (8, 1), (8, 7), (2, 1)]]),
    shapely.MultiPolygon([shapely.box(170, -20, 179.5, -15), shapely.box(-180, -20, -178.25, -15)]),
    shapely.Polygon(),
]


def page_geoms(offline_page, path, name):
    offline_page.open(path)
    return offline_page.evaluate(f"() => borderrisk.debug.spec(borderrisk.debug.layer({name!r})).geoms")


def test_every_geometry_type_comes_out_as_the_geojson_python_wrote(tmp_path, offline_page):
    frame = gpd.GeoDataFrame({"label": [f"shape {i}" for i in range(len(MIXED))]}, geometry=MIXED, crs=4326)
    expected = shapes(frame.geometry, 6)
    assert pack_geoms(expected) is not None
    path = tmp_path / "mixed.html"
    path.write_text(BorderRiskMap(focus=["ARG", "BOL"]).add_layer(frame, name="Shapes").to_html(), encoding="utf-8")
    assert page_geoms(offline_page, path, "Shapes") == expected
    assert offline_page.errors == []


def test_the_countries_are_a_quarter_of_their_json_and_the_same_numbers(tmp_path, offline_page):
    context = DrawContext(focus=("ARG", "BOL"))
    expected = CountriesLayer().spec(context)["geoms"]  # 2 decimals, and 3 near the focus
    html = BorderRiskMap(focus=["ARG", "BOL"], draw=False).to_html()
    packed = pack_geoms(expected)
    assert len(packed["coords"]) < len(str(expected)) / 4
    path = tmp_path / "countries.html"
    path.write_text(html, encoding="utf-8")
    assert page_geoms(offline_page, path, "Countries") == expected


def test_what_cannot_be_packed_exactly_is_sent_as_json(tmp_path, offline_page):
    collection = shapely.GeometryCollection([shapely.Point(1, 2), shapely.LineString([(0, 0), (1, 1)])])
    assert pack_geoms([{"type": "Point", "coordinates": [1.123456789, 2.0]}]) is None  # too many decimals
    assert pack_geoms([{"type": "Point", "coordinates": [1.0, 2.0, 3.0]}]) is None  # a third dimension
    frame = gpd.GeoDataFrame({"label": ["both"]}, geometry=[collection], crs=4326)
    path = tmp_path / "collection.html"
    path.write_text(BorderRiskMap(focus=["ARG", "BOL"]).add_layer(frame, name="Both").to_html(), encoding="utf-8")
    assert page_geoms(offline_page, path, "Both") == shapes(frame.geometry, 6)
