"""``to_folium()`` gives a folium map that stays offline: a user adds folium's own layers, saves
it the folium way, and the page still loads nothing from the network; what cannot be made
offline is refused by name. Two maps in one page keep their layers, sliders and legends apart."""

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
import pytest
import shapely

from borderrisk.layers.events import EventsLayer
from borderrisk.render.mapping import BorderRiskMap
from borderrisk.render.offline import OfflineError, OfflineMap

SOUTH = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "search area"},
            "geometry": shapely.geometry.mapping(shapely.box(-66.0, -22.5, -64.0, -21.5)),
        }
    ],
}


def customised_map():
    fmap = BorderRiskMap(focus=["ARG", "BOL"], title="Customised").to_folium()
    folium.GeoJson(SOUTH, name="Search area", tooltip=folium.GeoJsonTooltip(["name"])).add_to(fmap)
    folium.CircleMarker([-22.1, -65.6], radius=8, tooltip="La Quiaca checkpoint").add_to(fmap)
    folium.Marker([-22.0, -63.7], popup="Yacuiba <b>crossing</b>").add_to(fmap)
    return fmap


def test_to_folium_is_an_offline_folium_map():
    fmap = BorderRiskMap(focus=["BOL"]).to_folium()
    assert isinstance(fmap, OfflineMap) and isinstance(fmap, folium.Map)


@pytest.mark.browser
def test_folium_layers_a_user_adds_stay_offline_when_saved_the_folium_way(tmp_path, offline_page):
    path = tmp_path / "custom.html"
    customised_map().save(str(path))
    offline_page.open(path)
    page = offline_page.page
    assert offline_page.outside_requests == []
    assert offline_page.errors == []
    user_layers = offline_page.evaluate(
        """() => Object.values(borderrisk.maps()[0]._layers)
            .filter(l => (l.feature && l.feature.properties.name === "search area") || l instanceof L.CircleMarker)
            .map(l => l.feature ? "GeoJson" : l.getTooltip().getContent().replace(/<[^>]+>/g, "").trim())"""
    )
    assert "GeoJson" in user_layers and "La Quiaca checkpoint" in user_layers
    marker = page.locator("img.leaflet-marker-icon")
    assert marker.count() == 1
    assert marker.evaluate("img => img.complete && img.naturalWidth") == 25  # Leaflet's own icon, inlined
    assert page.locator("img.leaflet-marker-shadow").evaluate("img => img.naturalWidth") == 41
    marker.click()
    assert page.locator(".leaflet-popup-content").inner_text() == "Yacuiba crossing"  # folium's Popup, with jQuery
    assert page.locator(".br-legend").count() == 1  # borderrisk's own runtime still runs


def test_jquery_is_inlined_only_for_elements_that_use_it():
    bare = BorderRiskMap(focus=["BOL"]).to_folium().get_root().render()
    assert "jQuery" not in bare and "jquery" not in bare
    custom = customised_map().get_root().render()
    assert "data:text/javascript;base64," in custom
    assert "https://" not in custom and "http://" not in custom


@pytest.mark.parametrize(
    "element, named",
    [
        (lambda: folium.plugins.MarkerCluster(), r"MarkerCluster loads 'markerclusterjs' from https://"),
        (lambda: folium.plugins.Fullscreen(), r"Fullscreen loads .* from https://"),
        (lambda: folium.Marker([-22, -65], icon=folium.Icon(color="red")), r"Icon draws with Leaflet\.awesome-markers"),
    ],
    ids=["plugin", "control", "icon"],
)
def test_an_element_that_needs_the_network_is_refused_by_name(tmp_path, element, named):
    fmap = BorderRiskMap(focus=["BOL"]).to_folium()
    element().add_to(fmap)
    target = tmp_path / "leaky.html"
    with pytest.raises(OfflineError, match=named):
        fmap.save(str(target))
    assert not target.exists()  # nothing half-written


def test_online_tiles_a_user_asks_for_are_theirs_to_load():
    fmap = OfflineMap(location=[0, 0], zoom_start=2, tiles="OpenStreetMap")
    assert "tile.openstreetmap.org" in fmap.get_root().render()


def two_maps_page(tmp_path):
    """Two borderrisk maps side by side in one HTML document (no iframes)."""
    events = gpd.GeoDataFrame(
        {
            "date": pd.to_datetime(["2020-01-10", "2021-06-01", "2022-03-03"]),
            "title": ["first", "second", "third"],
            "type": ["attack", "visit", "attack"],
        },
        geometry=gpd.points_from_xy([-65.6, -64.0, -63.7], [-22.1, -21.9, -22.0]),
        crs="EPSG:4326",
    )
    patrols = gpd.GeoDataFrame(
        {"unit": ["Escuadrón 54", "Escuadrón 20"], "date": pd.to_datetime(["2023-08-02", "2023-08-15"])},
        geometry=gpd.points_from_xy([-57.6, -54.6], [-25.3, -25.5]),
        crs="EPSG:4326",
    )
    left = BorderRiskMap(focus=["ARG", "BOL"], title="Left: events").add_layer(EventsLayer(events))
    right = BorderRiskMap(focus=["PRY", "BRA"], title="Right: patrols").add_layer(patrols, name="Patrols")
    page = folium.Figure()
    page.add_child(left.to_folium(width="50%", position="absolute", left="0%"))
    page.add_child(right.to_folium(width="50%", position="absolute", left="50%"))
    path = tmp_path / "two.html"
    path.write_text(page.render(), encoding="utf-8")
    return path


@pytest.mark.browser
def test_two_maps_in_one_page_keep_their_layers_sliders_and_legends_apart(tmp_path, offline_page):
    offline_page.open(two_maps_page(tmp_path))
    assert offline_page.outside_requests == [] and offline_page.errors == []
    counts = "() => borderrisk.maps().map(m => borderrisk.debug.counts(m))"
    left, right = offline_page.evaluate(counts)
    assert [name for name, _ in left] == ["Countries", "Borders", "Events"]
    assert [name for name, _ in right] == ["Countries", "Borders", "Patrols"]
    assert dict(left)["Events"] == 3 and dict(right)["Patrols"] == 2

    maps = offline_page.page.locator(".br-map")
    assert maps.count() == 2
    left_box, right_box = maps.nth(0), maps.nth(1)
    for box in (left_box, right_box):  # half a window each: small maps open with their legend closed
        box.locator(".br-legend-toggle").click()
    assert "attack" in left_box.locator(".br-legend").inner_text()
    assert "Patrols" in right_box.locator(".br-legend").inner_text()
    assert "attack" not in right_box.locator(".br-legend").inner_text()
    assert "Patrols" not in left_box.locator(".leaflet-control-layers").inner_text()
    assert "Events" not in right_box.locator(".leaflet-control-layers").inner_text()

    left_box.locator(".br-time-slider").evaluate(
        "(s) => { s.value = Date.UTC(2021, 0, 1); s.dispatchEvent(new Event('input')); }"
    )
    left, right = offline_page.evaluate(counts)
    assert dict(left)["Events"] == 1  # only the 2020 event is left on the left
    assert dict(right)["Patrols"] == 2  # the right map's slider has not moved
    assert left_box.get_attribute("data-br-until") == "2021-01-01"
    assert right_box.get_attribute("data-br-until") == "2023-08-15"
    assert offline_page.errors == []


@pytest.mark.browser
def test_a_script_must_say_which_map_when_there_are_two(tmp_path, offline_page):
    offline_page.open(two_maps_page(tmp_path))
    error = offline_page.evaluate("() => { try { borderrisk.layers(); } catch (e) { return e.message; } }")
    assert error == "the page has 2 borderrisk maps: say which one"
