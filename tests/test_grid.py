"""Events above ``aggregate_above`` are counts in grid cells that split as the map zooms in and
follow the time slider and the play button: every cell counts exactly the events up to the
slider's day, by type in its popup."""

import base64

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from borderrisk.layers.events import EventsLayer
from borderrisk.layers.grid import grid_spec
from borderrisk.render.export import SETTLED
from borderrisk.render.mapping import BorderRiskMap
from borderrisk.scenarios.synthetic import synthetic_events

#: Villazón and Tarija share a 4° cell but not a 1° one; Santa Cruz is apart at every level.
PLACES = {"Villazon": (-65.59, -22.09), "Tarija": (-64.73, -21.53), "Santa Cruz": (-63.18, -17.78)}
FIRST, SECOND = pd.Timestamp("2023-01-10"), pd.Timestamp("2023-03-20")
EVENTS = "borderrisk.debug.layer('Events')"
SHOWN = f"() => {EVENTS}.cells().map(c => ({{count: c.count, byType: c.byType, lat: c.latlng.lat, lng: c.latlng.lng}}))"


def two_dates(seed=5):
    """300 events at three places over two days: 40, 50 and 30 on the first day, 60, 70 and 50
    on the second, battles and protests mixed."""
    rng = np.random.default_rng(seed)
    rows = []
    for date, counts in ((FIRST, (40, 50, 30)), (SECOND, (60, 70, 50))):
        for (lon, lat), n in zip(PLACES.values(), counts):
            rows += [(date, lon + rng.normal(0, 0.02), lat + rng.normal(0, 0.02)) for _ in range(n)]
    frame = pd.DataFrame(rows, columns=["date", "lon", "lat"])
    frame["title"] = [f"event {i}" for i in range(len(frame))]
    frame["type"] = np.where(np.arange(len(frame)) % 3 == 0, "battles", "protests")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame.lon, frame.lat), crs="EPSG:4326")


@pytest.fixture
def grid_map(tmp_path, offline_page):
    m = BorderRiskMap(focus=["BOL"], title="Two days in Bolivia", aggregate_above=50)
    offline_page.open(m.add_layer(EventsLayer(two_dates())).save(tmp_path / "grid.html"))
    offline_page.evaluate(SETTLED)
    return offline_page


def expected(zoom_cell_degrees, until):
    """Events up to ``until`` per cell of the given size, as (count, battles, protests), by the
    grid's rule (a cell is floor(lon / size), floor(lat / size)), sorted."""
    events = two_dates()
    events = events[events.date <= until]
    key = [np.floor(events.lon / zoom_cell_degrees), np.floor(events.lat / zoom_cell_degrees)]
    counts = events.groupby(key).type.agg(
        count="size", battles=lambda t: (t == "battles").sum(), protests=lambda t: (t == "protests").sum()
    )
    return sorted(map(tuple, counts.to_numpy().tolist()))


def shown(page, zoom):
    page.evaluate(f"() => {{ borderrisk.maps()[0].setView([-20, -64.5], {zoom}, {{animate: false}}); }}")
    cells = page.evaluate(SHOWN)
    return sorted((c["count"], c["byType"].get("battles", 0), c["byType"].get("protests", 0)) for c in cells)


def move_slider(page, day):
    page.page.locator(".br-time-slider").evaluate(
        "(s, day) => { s.value = Date.parse(day); s.dispatchEvent(new Event('input')); }", day
    )
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


@pytest.mark.browser
def test_cells_split_as_the_map_zooms_in(grid_map):
    assert shown(grid_map, 3) == expected(4.0, SECOND)  # Villazón and Tarija in one 4° cell
    assert shown(grid_map, 5) == expected(1.0, SECOND)  # three cells at 1°
    assert len(shown(grid_map, 3)) == 2 and len(shown(grid_map, 5)) == 3
    assert grid_map.errors == []


@pytest.mark.browser
def test_the_slider_recounts_every_cell_to_the_events_up_to_its_day(grid_map):
    assert grid_map.page.locator(".br-time-slider").count() == 1
    for day in ("2023-01-10", "2023-02-15", "2023-03-20", "2023-01-10"):  # back and forth
        move_slider(grid_map, day)
        for zoom, degrees in ((3, 4.0), (5, 1.0)):
            assert shown(grid_map, zoom) == expected(degrees, pd.Timestamp(day)), (day, zoom)
    assert sum(c[0] for c in shown(grid_map, 5)) == 120  # 40 + 50 + 30 on the first day
    assert grid_map.errors == []


@pytest.mark.browser
def test_a_cells_popup_counts_its_events_by_type_up_to_the_slider(grid_map):
    move_slider(grid_map, "2023-02-15")
    shown(grid_map, 5)
    popup = grid_map.evaluate(
        f"""() => {{
            const map = borderrisk.maps()[0];
            const santaCruz = {EVENTS}.cells().find(c => c.latlng.lat > -19);
            map.fire('click', {{latlng: santaCruz.latlng}});
            return document.querySelector('.leaflet-popup-content').innerText;
        }}"""
    )
    assert "30 events" in popup and "protests\t20" in popup and "battles\t10" in popup
    assert "2023-01-10" in popup and "2023-03-20" not in popup
    assert grid_map.errors == []


@pytest.mark.browser
def test_play_steps_the_cells_through_time(grid_map):
    page = grid_map.page
    shown(grid_map, 5)
    page.select_option(".br-time-step", "month")
    page.click(".br-time-play")  # at the end of the range: play starts again from the first day
    assert sum(c[0] for c in shown(grid_map, 5)) == 120
    page.wait_for_function("() => document.querySelector('.br-time-play').innerText.endsWith('Play')")
    assert shown(grid_map, 5) == expected(1.0, SECOND)
    assert grid_map.errors == []


def crowded():
    """Sixty 1° cells side by side south of Bolivia, 1,000 to 9,400 events each (counts written
    as "1.0k" … "9.4k", as wide as a cell is apart at zoom 5)."""
    rng = np.random.default_rng(2)
    lon, lat = [], []
    for i in range(10):
        for j in range(6):
            n = 1_000 + 1_400 * ((i + 2 * j) % 7)
            lon += list(-70 + i + rng.uniform(0.05, 0.95, n))
            lat += list(-31 + j + rng.uniform(0.05, 0.95, n))
    frame = pd.DataFrame({"date": FIRST, "lon": lon, "lat": lat, "type": "battles", "title": "event"})
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame.lon, frame.lat), crs="EPSG:4326")


@pytest.mark.browser
def test_counts_written_on_neighbouring_cells_never_overlap(tmp_path, offline_page):
    m = BorderRiskMap(focus=["ARG"], aggregate_above=50)
    offline_page.open(m.add_layer(EventsLayer(crowded())).save(tmp_path / "crowded.html"))
    offline_page.evaluate(SETTLED)
    for zoom in (3, 4, 5, 6):
        offline_page.evaluate(f"() => {{ borderrisk.maps()[0].setView([-28, -65], {zoom}, {{animate: false}}); }}")
        cells = offline_page.evaluate(f"() => {EVENTS}.cells()")
        assert max(cells, key=lambda c: c["count"])["label"], zoom  # the biggest count is always written
        boxes = [c["label"]["box"] for c in cells if c["label"]]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (zoom, a, b)
    assert offline_page.errors == []


def unpacked(packed):
    return np.frombuffer(base64.b64decode(packed["data"]), dtype=f"<u{packed['bytes']}")


def test_the_tally_counts_every_event_once_on_its_day_and_in_its_cells():
    events = synthetic_events(2000, world=True)
    lon, lat = events.geometry.x, events.geometry.y
    spec = grid_spec(lon.to_numpy(), lat.to_numpy(), events.type, events.date)
    tally = spec["tally"]
    count, leaf = unpacked(tally["count"]), unpacked(tally["leaf"])
    assert count.sum() == 2000 and tally["undated"] == 0
    per_day = np.add.reduceat(count, np.r_[0, tally["ends"][:-1]])
    assert per_day.tolist() == events.date.value_counts().sort_index().tolist()
    for level, degrees in zip(spec["grid"], (4.0, 2.0, 1.0)):
        by_cell = np.bincount(unpacked(level["cell"])[leaf], weights=count).astype(int)
        direct = events.groupby([np.floor(lon / degrees), np.floor(lat / degrees)]).size()
        assert sorted(by_cell.tolist()) == sorted(direct.tolist())
