"""Clusters, not rings: events that are near each other or at one place merge into a cluster
showing their count, which splits as the map zooms in, and the time slider filters them."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from borderrisk.layers.events import EventsLayer
from borderrisk.render.export import SETTLED
from borderrisk.render.mapping import BorderRiskMap

pytestmark = pytest.mark.browser

#: What the map shows of the events layer: top-level clusters with their counts, and single
#: markers, each with its position on screen.
SHOWN = """() => {
    const map = borderrisk.maps()[0];
    const group = borderrisk.debug.layer('Events');
    const shown = [];
    group._featureGroup.eachLayer(l => shown.push({
        count: l.getChildCount ? l.getChildCount() : 1,
        lat: l.getLatLng().lat, lng: l.getLatLng().lng,
    }));
    return {zoom: map.getZoom(), shown: shown, total: group.getLayers().length};
}"""


def cotonou_and_lagos(n_cotonou=94, n_lagos=30, seed=2):
    """94 events located to Cotonou (one point, as ACLED puts city-level rows) and 30 scattered
    around Lagos, over one year."""
    rng = np.random.default_rng(seed)
    lon = np.r_[np.full(n_cotonou, 2.4183), 3.3792 + rng.normal(0, 0.05, n_lagos)]
    lat = np.r_[np.full(n_cotonou, 6.3654), 6.5244 + rng.normal(0, 0.05, n_lagos)]
    n = n_cotonou + n_lagos
    frame = pd.DataFrame(
        {
            "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(np.arange(n) * 365 // n, unit="D"),
            "title": [f"event {i}" for i in range(n)],
            "type": ["protests"] * (n - 10) + ["battles"] * 10,
        }
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


@pytest.fixture
def cluster_map(tmp_path, offline_page):
    m = BorderRiskMap(focus=["BEN", "NGA"], title="Cotonou and Lagos").add_layer(EventsLayer(cotonou_and_lagos()))
    offline_page.open(m.save(tmp_path / "clusters.html"))
    offline_page.evaluate(SETTLED)  # the first, animated zoom to the focus is over; all clustered
    return offline_page


#: Every cluster group has ended its split and merge animations and has nothing queued.
CLUSTERS_STILL = "() => borderrisk.layers().every(g => !g._featureGroup || (!g._inZoomAnimation && !g._queueTimeout))"
APPLIED = "() => borderrisk.debug.applied()"


def zoom_to(page, zoom, centre=(6.45, 2.9)):
    page.evaluate(f"() => {{ borderrisk.maps()[0].setView({list(centre)}, {zoom}, {{animate: false}}); }}")
    page.page.wait_for_function(CLUSTERS_STILL)
    return page.evaluate(SHOWN)


def test_clusters_split_as_the_map_zooms_in_and_markers_stay_in_place(cluster_map):
    world = zoom_to(cluster_map, 4)
    assert [s["count"] for s in world["shown"]] == [124]  # one cluster: Cotonou and Lagos, 100 km apart

    country = zoom_to(cluster_map, 8)
    counts = sorted(s["count"] for s in country["shown"])
    assert counts == [30, 94]  # the two cities apart
    cotonou = next(s for s in country["shown"] if s["count"] == 94)
    assert abs(cotonou["lat"] - 6.3654) < 1e-6 and abs(cotonou["lng"] - 2.4183) < 1e-6  # at its true place

    cotonou = zoom_to(cluster_map, 14, (6.3654, 2.4183))
    assert [s["count"] for s in cotonou["shown"]] == [94]  # one place: one cluster, until clicked
    lagos = zoom_to(cluster_map, 14, (6.5244, 3.3792))
    counts = [s["count"] for s in lagos["shown"]]
    assert len(counts) > 5 and sum(counts) <= 30  # scattered over a city: apart at street zoom
    assert world["total"] == country["total"] == lagos["total"] == 124
    assert cluster_map.errors == [] and cluster_map.outside_requests == []


def test_a_cluster_shows_its_count_in_its_commonest_colour(cluster_map):
    zoom_to(cluster_map, 8)
    badges = cluster_map.page.locator(".br-cluster")
    assert sorted(badges.all_inner_texts()) == ["30", "94"]
    legend = cluster_map.page.locator(".br-legend").inner_text()
    assert "protests" in legend and "battles" in legend
    events = "borderrisk.debug.layer('Events')"
    colors = cluster_map.evaluate(f"() => borderrisk.debug.spec({events}).colorBy.colors")
    background = badges.first.evaluate("b => getComputedStyle(b).backgroundColor")
    hexes = {"rgb({}, {}, {})".format(*(int(c[i : i + 2], 16) for i in (1, 3, 5))): t for t, c in colors.items()}
    assert hexes[background] == "protests"


def test_the_time_slider_filters_clusters(cluster_map):
    zoom_to(cluster_map, 8)
    before = cluster_map.evaluate(APPLIED)
    cluster_map.page.locator(".br-time-slider").evaluate(
        "(s) => { s.value = Date.UTC(2023, 3, 1); s.dispatchEvent(new Event('input')); }"
    )
    cluster_map.page.wait_for_function(f"() => ({APPLIED})() > {before} && ({CLUSTERS_STILL})()")
    shown = cluster_map.evaluate(SHOWN)
    assert 0 < sum(s["count"] for s in shown["shown"]) < 124
    assert shown["total"] == sum(s["count"] for s in shown["shown"])
    assert cluster_map.errors == []


def test_many_events_at_one_place_are_listed_a_page_at_a_time_not_spread_over_the_map(cluster_map):
    zoom_to(cluster_map, 8)
    page = cluster_map.page
    cluster_map.evaluate(
        """() => {
            const group = borderrisk.debug.layer('Events');
            const cotonou = [];
            group._featureGroup.eachLayer(l => { if (l.getChildCount && l.getChildCount() === 94) cotonou.push(l); });
            cotonou[0].fire('click', {latlng: cotonou[0].getLatLng()}, true);
        }"""
    )
    listing = page.locator(".br-list")
    listing.wait_for()
    page.wait_for_function(CLUSTERS_STILL)  # a spiderfy, had it started, would have ended
    assert listing.locator(".br-popup-title").inner_text() == "94 at this place"
    assert listing.locator("li").count() == 10 and "page 1 of 10" in listing.inner_text()
    spread = cluster_map.evaluate(
        "() => { let n = 0; borderrisk.debug.layer('Events')._featureGroup"
        ".eachLayer(l => { if (!l.getChildCount && l._preSpiderfyLatlng) n++; }); return n; }"
    )
    assert spread == 0  # nothing fanned out over the map
    page.click(".br-list-page:has-text('next')")
    assert "page 2 of 10" in listing.inner_text() and listing.locator("ol").get_attribute("start") == "11"
    first = listing.locator("li a").first.inner_text()
    listing.locator("li a").first.click()
    assert first.split(" · ")[-1] in page.locator(".leaflet-popup-content").last.inner_text()
    assert cluster_map.errors == []
