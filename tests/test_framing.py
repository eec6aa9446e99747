"""Maps open on the focus borders and nothing hides them: the opening view is the focus
borders with the scoring reach around them (never the whole world for USA,MEX, never the
Sahara for ESP,PRT,FRA), fitted where no control covers a border vertex or an event, at three
window sizes and in PNG/PDF; the legend closes; popups pan clear of the controls; cluster
badges never cover a name; every aggregated disc gives its count."""

from __future__ import annotations

import pytest
import shapely
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.geo.extent import country_bounds, focus_bounds, focus_lines, parse_view
from borderrisk.recipes import RecipeError, load_recipe
from borderrisk.render.export import SETTLED
from borderrisk.render.wrap import wrapped_labels, wrapped_spec

from conftest import OfflinePage

REACH_KM = 100.0  # risk.toml's distance_km
SIZES = [(1400, 900), (1280, 720), (1024, 768)]
#: The PNG/PDF default size, and a small one.
PRINT_SIZES = [(1600, 1000), (1024, 768)]


def span(bounds):
    west, south, east, north = bounds
    return east - west, north - south


def test_usa_mex_opens_on_their_border_not_on_the_whole_world():
    west, south, east, north = focus_bounds(["USA", "MEX"], REACH_KM)
    assert -120 < west < east < -95 and 24 < south < north < 35  # no Aleutians, no Hawaii


def test_esp_prt_fra_opens_on_europe_not_on_the_sahara():
    for focus in (["ESP", "PRT", "FRA"], ["ESP", "PRT"]):
        west, south, _, _ = focus_bounds(focus, REACH_KM)
        assert west > -11 and south > 35  # no Canaries, no overseas departments, no Africa


def test_arg_bol_is_framed_tight_on_its_717_km_border():
    width, height = span(focus_bounds(["ARG", "BOL"], REACH_KM))
    assert width < 8 and height < 3.5  # a continent was 20 x 45 degrees
    _, bare_height = span(focus_bounds(["ARG", "BOL"], 0))
    assert height - bare_height == pytest.approx(2 * REACH_KM / 111.32)  # the reach on both sides


def test_one_focus_country_opens_on_its_land_borders_at_home():
    west, south, east, _ = focus_bounds(["FRA"], REACH_KM)
    assert west > -5 and east < 11 and south > 40  # not French Guiana (BRA, SUR) or Saint Martin
    assert focus_bounds(["USA"], REACH_KM)[0] > -130  # not the Alaska-Yukon border
    west, _, east, _ = focus_bounds(["RUS"], REACH_KM)
    assert east < 180 and east - west < 120  # its land borders, Norway to North Korea


def test_overseas_parts_never_widen_a_country_and_a_view_may_cross_the_antimeridian():
    west, south, _, _ = country_bounds(["FRA"])
    assert west > -6 and south > 41  # Corsica is home; Réunion and Guiana are not
    west, _, east, _ = country_bounds(["FJI"])
    assert 175 < west < 180 < east < 185  # across 180, not the world
    assert parse_view("170,-20,-170,-10") == (170.0, -20.0, 190.0, -10.0)


def test_a_border_abroad_counts_when_it_is_the_only_one():
    (line,) = focus_lines(["FRA", "BRA"])  # French Guiana
    assert line.bounds[1] > 0 and line.bounds[0] > -55


def test_a_view_is_bounds_or_a_place():
    assert parse_view(" -70, -25, -60, -20 ") == (-70.0, -25.0, -60.0, -20.0)
    assert parse_view([-70, -25, -60, -20]) == (-70.0, -25.0, -60.0, -20.0)
    west, south, east, north = parse_view("Bolivia")
    assert -70 < west < east < -57 and -23 < south < north < -9
    west, south, east, north = parse_view("La Quiaca")
    assert west < -65.6 < east and south < -22.1 < north and east - west < 1.5


@pytest.mark.parametrize(
    ("view", "message"),
    [("10,50,20,40", "south below north"), ("Xyzzyville", "Xyzzyville"), ("-70,-25,-60", "-70,-25,-60")],
)
def test_a_wrong_view_is_a_usage_error_that_says_why(view, message, tmp_path):
    result = CliRunner().invoke(cli, ["map", "--view", view, "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "m.html").exists()


def test_a_recipe_names_its_view(tmp_path):
    recipe = tmp_path / "brief.toml"
    recipe.write_text('view = [-66, -23, -64, -21.5]\noutputs = ["m.html"]\n')
    assert load_recipe(recipe).view == (-66.0, -23.0, -64.0, -21.5)
    recipe.write_text('view = "Xyzzyville"\n')
    with pytest.raises(RecipeError, match=r"'view'.*Xyzzyville"):
        load_recipe(recipe)


# In Chromium ----------------------------------------------------------------------------------

TYPES = [f"type {k:02d}" for k in range(20)]  # a legend taller than a small window


def border_events(path, focus, per_type=2):
    """Events of 20 types on and beside the focus borders (all within the reach), as CSV."""
    xy = shapely.get_coordinates(focus_lines(focus))
    picks = xy[:: max(1, len(xy) // (len(TYPES) * per_type))][: len(TYPES) * per_type]
    rows = [
        f"2023-{1 + k % 12:02d}-{1 + k % 28:02d},Event {k},{TYPES[k % len(TYPES)]},{y + 0.3 * (-1) ** k:.4f},{x:.4f}"
        for k, (x, y) in enumerate(picks)
    ]
    path.write_text("date,title,type,lat,lon\n" + "\n".join(rows) + "\n")
    return [(float(y + 0.3 * (-1) ** k), float(x)) for k, (x, y) in enumerate(picks)]


MAPS = {
    "arg-bol": (["ARG", "BOL"], ["--marking", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"]),
    "usa-mex": (["USA", "MEX"], []),
    "syr-tur-irq": (["SYR", "TUR", "IRQ"], ["--title", "Syria, Turkey and Iraq: border incidents in 2023"]),
}


@pytest.fixture(scope="module")
def focus_maps(tmp_path_factory):
    """Each map's page and its focus points: every border vertex and every event."""
    folder = tmp_path_factory.mktemp("framing")
    made = {}
    for name, (focus, extra) in MAPS.items():
        events = border_events(folder / f"{name}.csv", focus)
        page = folder / f"{name}.html"
        args = ["map", "--events", str(folder / f"{name}.csv"), "--focus", ",".join(focus), *extra, "-o", str(page)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        vertices = [(float(y), float(x)) for x, y in shapely.get_coordinates(focus_lines(focus))]
        made[name] = page, vertices + events
    return made


#: The focus points that are off the map or under a control or a banner, and how much of the
#: map's width or height the border takes.
UNCOVERED = """(points) => {
    const map = borderrisk.maps()[0], box = map.getContainer().getBoundingClientRect();
    const covers = Array.from(map.getContainer().querySelectorAll('.leaflet-control, .br-marking'))
        .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
    const projected = points.map(p => map.latLngToContainerPoint(p)).map(p => [p.x + box.left, p.y + box.top]);
    const hidden = points.filter((p, k) => { const [x, y] = projected[k];
        return x < box.left || x > box.right || y < box.top || y > box.bottom
            || covers.some(r => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom); });
    const xs = projected.map(p => p[0]), ys = projected.map(p => p[1]);
    const spread = v => Math.max(...v) - Math.min(...v);
    const fill = Math.max(spread(xs) / box.width, spread(ys) / box.height);
    return {hidden, fill, covers: covers.length};
}"""


def opened(browser, page, size, print_mode=False):
    """A page of ``size`` on the map, settled (and in print mode, as PNG/PDF export puts it)."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    offline = OfflinePage(context.new_page())
    offline.open(page)
    if print_mode:  # what PNG and PDF export do before the screenshot
        offline.evaluate("() => borderrisk.printMode()")
        offline.evaluate(SETTLED)
    return context, offline


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("name", list(MAPS))
@pytest.mark.parametrize(
    ("size", "print_mode"), [(s, False) for s in SIZES] + [(s, True) for s in PRINT_SIZES], ids=str
)
def test_no_focus_vertex_or_event_is_under_a_control_at_opening(browser, focus_maps, name, size, print_mode):
    page, points = focus_maps[name]
    context, offline = opened(browser, page, size, print_mode)
    try:
        found = offline.evaluate(UNCOVERED, points)
        assert found["covers"] >= 4  # title, legend, footer, scale bar at least
        assert found["hidden"] == []
        assert found["fill"] > 0.35  # the focus fills the view left clear, not a strip of it
        assert offline.errors == [] and offline.outside_requests == []
    finally:
        context.close()


LEGEND = """() => { const box = document.querySelector('.br-legend'), body = box.querySelector('.br-legend-body');
    const toggle = box.querySelector('.br-legend-toggle');
    return {closed: box.classList.contains('br-legend-closed'), shown: body.offsetHeight > 0,
            toggle: toggle.offsetHeight > 0, scrolls: body.scrollHeight > body.clientHeight + 1}; }"""


@pytest.mark.browser
def test_the_legend_closes_is_closed_at_first_on_small_maps_and_scrolls_when_long(browser, focus_maps):
    page, _ = focus_maps["arg-bol"]
    context, offline = opened(browser, page, (1024, 768))
    try:
        assert offline.evaluate(LEGEND) == {"closed": True, "shown": False, "toggle": True, "scrolls": False}
        offline.page.click(".br-legend-toggle")
        assert offline.evaluate(LEGEND)["shown"] is True
    finally:
        context.close()
    context, offline = opened(browser, page, (1024, 480))  # shorter than the legend: it scrolls
    try:
        offline.page.click(".br-legend-toggle")
        assert offline.evaluate(LEGEND) == {"closed": False, "shown": True, "toggle": True, "scrolls": True}
    finally:
        context.close()
    context, offline = opened(browser, page, (1400, 900))
    try:
        assert offline.evaluate(LEGEND)["closed"] is False
    finally:
        context.close()
    context, offline = opened(browser, page, (1024, 768), print_mode=True)
    try:  # PNG/PDF: open, whole, no button
        assert offline.evaluate(LEGEND) == {"closed": True, "shown": True, "toggle": False, "scrolls": False}
    finally:
        context.close()


POPUP_UNDER_TITLE = """() => {
    const map = borderrisk.maps()[0], title = document.querySelector('.br-title').getBoundingClientRect();
    const at = map.containerPointToLatLng([title.left + 20, title.bottom - 5]);
    const content = document.createElement('div');
    content.style.width = '300px'; content.style.height = '160px'; content.textContent = 'Severity';
    borderrisk.popupAt(map, at, content); }"""

POPUP_CLEAR = """() => { const popup = document.querySelector('.leaflet-popup');
    if (!popup || borderrisk.maps()[0]._panAnim && borderrisk.maps()[0]._panAnim._inProgress) return false;
    const p = popup.getBoundingClientRect();
    return Array.from(document.querySelectorAll('.leaflet-control, .br-marking')).map(e => e.getBoundingClientRect())
        .filter(r => r.width > 0)
        .every(r => p.right <= r.left || r.right <= p.left || p.bottom <= r.top || r.bottom <= p.top); }"""


@pytest.mark.browser
def test_a_popup_under_the_title_pans_clear_of_every_control(browser, focus_maps):
    page, _ = focus_maps["arg-bol"]
    context, offline = opened(browser, page, (1280, 720))
    try:
        offline.evaluate(POPUP_UNDER_TITLE)
        offline.page.wait_for_function(POPUP_CLEAR)
    finally:
        context.close()


BADGES_OVER_NAMES = """() => {
    const seen = sel => Array.from(document.querySelectorAll(sel))
        .filter(e => e.offsetParent !== null && e.style.opacity !== '0');
    const names = seen('.br-label').filter(e => e.style.display !== 'none')
        .map(e => [e.textContent, e.querySelector('.br-label-text').getBoundingClientRect()]);
    const badges = seen('.br-cluster-icon').map(e => e.getBoundingClientRect());
    const under = n => badges.some(b => n.left < b.right && b.left < n.right && n.top < b.bottom && b.top < n.bottom);
    return names.filter(([, n]) => under(n)).map(([name]) => name);
}"""


@pytest.mark.browser
def test_no_cluster_badge_covers_a_name(tmp_path, offline_page):
    villazon = [
        f"2023-01-{1 + k % 28:02d},V{k},attack,{-22.09 + 0.001 * (k % 5)},{-65.6 + 0.001 * (k % 3)}" for k in range(40)
    ]
    yacuiba = [f"2023-02-01,Y{k},attack,-22.02,-63.68" for k in range(15)]
    (tmp_path / "e.csv").write_text("date,title,type,lat,lon\n" + "\n".join(villazon + yacuiba) + "\n")
    page = tmp_path / "m.html"
    result = CliRunner().invoke(
        cli, ["map", "--events", str(tmp_path / "e.csv"), "--focus", "ARG,BOL", "-o", str(page)]
    )
    assert result.exit_code == 0, result.output
    offline_page.open(page)
    assert offline_page.evaluate("() => document.querySelectorAll('.br-cluster-icon').length") >= 2
    assert offline_page.evaluate(BADGES_OVER_NAMES) == []
    for zoom in (6, 8, 10):
        offline_page.evaluate(f"() => borderrisk.maps()[0].setView([-22.05, -65], {zoom}, {{animate: false}}) && 1")
        offline_page.page.wait_for_function(
            f"() => document.querySelector('.br-map').dataset.brLabelsZoom === '{zoom}'"
        )
        assert offline_page.evaluate(BADGES_OVER_NAMES) == []


@pytest.mark.browser
def test_every_aggregated_disc_gives_its_count_on_hover(tmp_path, offline_page, focus_maps):
    page = tmp_path / "grid.html"
    events = focus_maps["arg-bol"][0].with_suffix(".csv")
    args = ["map", "--events", str(events), "--focus", "ARG,BOL", "--aggregate-above", "5", "-o", str(page)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    offline_page.open(page)
    said = offline_page.evaluate(POINT_AT_EACH_DISC)
    assert said and all(tooltip == f"{count} events" for count, tooltip in said)


#: The pointer moved over the middle of each disc (the topmost there): its count, and what the
#: tooltip then says.
POINT_AT_EACH_DISC = """() => {
    const map = borderrisk.maps()[0], grid = borderrisk.layers().find(l => l.cells);
    return grid.cells().filter(c => grid.discAt(map.latLngToLayerPoint(c.latlng)).cell === c.cell).map(c => {
        map.fire('mousemove', {latlng: c.latlng, containerPoint: map.latLngToContainerPoint(c.latlng)});
        const tips = [...document.querySelectorAll('.br-tooltip')].map(t => t.textContent);
        return [c.count, tips.find(t => t.endsWith(' events'))];
    });
}"""


@pytest.mark.browser
def test_a_cell_gives_its_dates_no_finer_than_its_events_are_known(tmp_path, offline_page):
    rows = ["2023-07,a,attack,-22.1,-65.6", "2023-08,b,attack,-22.1,-65.6", "2023-09,c,attack,-22.1,-65.6"]
    (tmp_path / "e.csv").write_text("date,title,type,lat,lon\n" + "\n".join(rows) + "\n")
    page = tmp_path / "m.html"
    args = ["map", "--events", str(tmp_path / "e.csv"), "--focus", "ARG,BOL", "--aggregate-above", "2", "-o", str(page)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    offline_page.open(page)
    offline_page.evaluate(
        """() => { const map = borderrisk.maps()[0], grid = borderrisk.layers().find(l => l.cells);
        map.fire('click', {latlng: grid.cells()[0].latlng}); }"""
    )
    text = offline_page.page.locator(".leaflet-popup-content").inner_text()
    assert "3 events" in text and "2023-07 to 2023-09" in text  # months, not 2023-07-01 to 2023-09-01


def test_a_view_across_the_antimeridian_draws_what_is_east_of_180_degrees_there():
    across = 181.25  # Fiji's view reaches 181.25 degrees east
    west_part = [[[178.0, -17.0], [179.9, -17.0], [179.9, -16.0], [178.0, -17.0]]]
    east_part = [[[-180.0, -17.0], [-179.0, -17.0], [-179.0, -16.0], [-180.0, -17.0]]]
    spec = {
        "name": "Countries",
        "n": 2,
        "geoms": [
            {"type": "MultiPolygon", "coordinates": [west_part, east_part]},
            {"type": "Point", "coordinates": [-100.0, 40.0]},
        ],
    }
    moved = wrapped_spec(spec, across)
    assert moved["geoms"][0]["coordinates"][0] == west_part
    assert [x for x, _ in moved["geoms"][0]["coordinates"][1][0]] == [180.0, 181.0, 181.0, 180.0]
    assert moved["geoms"][1] == spec["geoms"][1]  # the Americas stay where they are
    points = wrapped_spec({"name": "Events", "n": 2, "x": [-179.5, 178.0], "y": [-17.0, -17.0]}, across)
    assert points["x"] == [180.5, 178.0]
    labels = wrapped_labels({"towns": [{"name": "Lambasa", "x": -179.6, "y": -16.4, "zoom": 7}]}, across)
    assert labels["towns"][0]["x"] == pytest.approx(180.4)
    assert wrapped_spec(spec, 180.0) is spec  # a view within -180 to 180 moves nothing


@pytest.mark.browser
def test_fiji_is_drawn_whole_across_the_antimeridian(tmp_path, offline_page):
    page = tmp_path / "fiji.html"
    assert CliRunner().invoke(cli, ["map", "--focus", "FJI", "--no-risk", "-o", str(page)]).exit_code == 0
    offline_page.open(page)
    west, east = offline_page.evaluate(
        """() => { const map = borderrisk.maps()[0], view = map.getBounds();
        return [view.getWest(), view.getEast()]; }"""
    )
    drawn_east = offline_page.evaluate(
        "() => Math.max(...borderrisk.layers().filter(l => l.getBounds).map(l => l.getBounds().getEast()))"
    )
    assert west > 170 and east > 180 and 180 < drawn_east <= east + 1  # not a stripe around the world
