"""The map's draw tool (Leaflet-Geoman, inlined): points, lines and areas are drawn with the mouse,
edited, deleted, given a title and a note, exported as GeoJSON, imported with `borderrisk
annotate import` and drawn again on a new map, every coordinate and character unchanged. The page
asks for nothing but itself, and every string the tool shows comes from the dict Python passes."""

import json

import pytest
from click.testing import CliRunner

from borderrisk.annotations.store import AnnotationStore
from borderrisk.cli.main import cli
from borderrisk.render.drawing import DRAW_TEXT, draw_tool
from borderrisk.render.mapping import BorderRiskMap

pytestmark = pytest.mark.browser
HOSTILE = "<img src=x onerror=alert(1)>"
NOTE = 'Villazón – «paso» {{7*7}}\n</script><b>"quoted"</b> & more'
BUTTON = "[title='{}'] a".format
#: The shapes' page coordinates, far enough apart that Geoman's snapping never joins them.
AREA = [(560, 250), (680, 250), (620, 340)]
LINE = [(820, 200), (900, 230), (960, 300)]
SHORT_LINE = [(820, 450), (900, 480)]
POINT = (700, 520)
MOVED_VERTEX = (700, 230)


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def map_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("draw") / "map.html"
    run("map", "--focus", "ARG,BOL", "--no-risk", "-o", str(path))
    return path


@pytest.fixture
def page(offline_page, map_page):
    """The map opened in Chromium, with every request the page makes recorded."""
    offline_page.requests = []
    offline_page.page.on("request", lambda request: offline_page.requests.append(request.url))
    offline_page.open(map_page)
    offline_page.page.wait_for_function("() => !!(window.L && L.PM && borderrisk.drawnCollection)")
    return offline_page


def place(page, x, y):
    """The longitude and latitude under page pixel (x, y), to the 6 decimals the tool exports."""
    return page.evaluate(
        """([x, y]) => { const ll = borderrisk.maps()[0].containerPointToLatLng([x, y]);
                         return [L.Util.formatNum(ll.lng, 6), L.Util.formatNum(ll.lat, 6)]; }""",
        [x, y],
    )


def close_popup(page):
    """Closes the open popup and waits until it has faded out of the page."""
    page.page.click(".leaflet-popup-close-button")
    page.page.wait_for_selector(".leaflet-popup", state="detached")


def describe(page, title, note):
    """Types a title and a note into the form of the shape whose popup is open, and closes it."""
    page.page.fill(".leaflet-popup .br-shape-title", title)
    page.page.fill(".leaflet-popup .br-shape-note", note)
    close_popup(page)


def drawn(page):
    return page.evaluate("() => borderrisk.drawnCollection()")["features"]


def test_shapes_drawn_edited_deleted_and_described_survive_export_import_and_a_new_map(page, tmp_path):
    mouse = page.page.mouse
    page.page.click(BUTTON(DRAW_TEXT["buttonTitles.drawPolyButton"]))
    for x, y in AREA:
        mouse.click(x, y)
    mouse.click(*AREA[0])  # the first vertex again closes the area
    describe(page, HOSTILE, NOTE)
    mouse.move(620, 280)
    assert page.page.locator(".leaflet-tooltip").inner_text() == HOSTILE  # the title, as text

    page.page.click(BUTTON(DRAW_TEXT["buttonTitles.drawLineButton"]))
    for x, y in LINE[:-1]:
        mouse.click(x, y)
    mouse.dblclick(*LINE[-1])  # finished by double-click
    describe(page, "Route 9", "")

    page.page.click(BUTTON(DRAW_TEXT["buttonTitles.drawLineButton"]))
    for x, y in SHORT_LINE:
        mouse.click(x, y)
    page.page.click(".button-container.active .action-finish")  # finished by the Finish action
    close_popup(page)

    page.page.click(BUTTON(DRAW_TEXT["buttonTitles.drawMarkerButton"]))
    mouse.click(*POINT)
    describe(page, "  Bridge  ", "one lane")

    lines = [f["geometry"]["coordinates"] for f in drawn(page) if f["geometry"]["type"] == "LineString"]
    assert lines == [[place(page, *p) for p in LINE], [place(page, *p) for p in SHORT_LINE]]  # no vertex twice
    assert page.page.locator(".br-draw-count").inner_text() == "Shapes drawn: 4"

    page.page.click(BUTTON(DRAW_TEXT["buttonTitles.editButton"]))  # drag the area's second vertex
    mouse.move(*AREA[1])
    mouse.down()
    mouse.move(690, 240, steps=5)
    mouse.move(*MOVED_VERTEX, steps=5)
    mouse.up()
    page.page.click(".button-container.active .action-finishMode")

    page.page.click(BUTTON(DRAW_TEXT["buttonTitles.deleteButton"]))  # delete the short line
    mouse.click(860, 465)
    page.page.click(".button-container.active .action-finishMode")
    assert page.page.locator(".br-draw-count").inner_text() == "Shapes drawn: 3"

    with page.page.expect_download() as download:
        page.page.click(".br-draw-export")
    assert download.value.suggested_filename == "drawn.geojson"
    exported = tmp_path / "drawn.geojson"
    download.value.save_as(exported)
    features = json.loads(exported.read_text(encoding="utf-8"))["features"]
    area_ring = [place(page, *p) for p in (AREA[0], MOVED_VERTEX, AREA[2], AREA[0])]
    assert [(f["geometry"], f["properties"]) for f in features] == [
        ({"type": "Polygon", "coordinates": [area_ring]}, {"title": HOSTILE, "note": NOTE}),
        ({"type": "LineString", "coordinates": [place(page, *p) for p in LINE]}, {"title": "Route 9"}),
        ({"type": "Point", "coordinates": place(page, *POINT)}, {"title": "  Bridge  ", "note": "one lane"}),
    ]
    assert page.dialogs == [] and page.errors == []
    assert page.page.locator("img[src='x']").count() == 0  # the hostile title stayed text
    assert [url for url in page.requests if not url.startswith(("data:", "blob:"))] == [page.page.url]

    store = tmp_path / "notes.geojson"
    run("annotate", "import", str(exported), "--store", str(store))
    stored = AnnotationStore(store).features()
    assert [
        (f["geometry"], {k: f["properties"][k] for k in ("title", "note") if k in f["properties"]}) for f in stored
    ] == [(f["geometry"], f["properties"]) for f in features]

    again = tmp_path / "again.html"
    run("map", "--focus", "ARG,BOL", "--no-risk", "--annotations", str(store), "-o", str(again))
    page.open(again)
    shown = page.evaluate(
        """() => { const spec = borderrisk.debug.spec(borderrisk.debug.layer('Annotations'));
                   return [spec.geoms, spec.props.label, spec.props.note]; }"""
    )
    assert shown[0] == [f["geometry"] for f in features]
    assert shown[1] == [HOSTILE, "Route 9", "  Bridge  "]
    assert shown[2] == [NOTE, None, "one lane"]
    page.page.mouse.click(*POINT)
    assert page.page.locator(".leaflet-popup .br-popup-title").inner_text() == "Bridge"  # shown trimmed
    assert page.dialogs == [] and page.page.locator("img[src='x']").count() == 0


def test_the_tool_shows_only_the_strings_python_passes(tmp_path, offline_page):
    marked = {key: f"«{key}»" for key in DRAW_TEXT}
    fmap = BorderRiskMap(focus=["ARG", "BOL"], draw=False).to_folium()
    draw_tool(marked).add_to(fmap)
    path = tmp_path / "marked.html"
    fmap.save(path)
    offline_page.open(path)
    page = offline_page.page
    page.click(BUTTON(marked["buttonTitles.drawLineButton"]))
    page.mouse.click(600, 300)
    page.mouse.move(650, 320)
    page.mouse.click(700, 300)
    shown = page.evaluate(
        """() => [
            ...[...document.querySelectorAll('.leaflet-pm-toolbar [title]')].map(e => e.title),
            ...[...document.querySelectorAll('.leaflet-pm-action:not(.pos-hidden), .leaflet-tooltip, .br-draw > *')]
                .map(e => e.textContent)]"""
    )
    page.mouse.dblclick(800, 350)
    shown += page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-popup .br-shape-form span')].map(e => e.textContent)"
    )
    words = [text for text in shown if text.strip()]
    assert len(words) >= 15
    assert [text for text in words if not (text.startswith("«") and text.endswith("»"))] == []
    assert "«tooltips.finishLine»" in words and "«shape.note»" in words and "«actions.removeLastVertex»" in words


def test_only_a_map_that_asks_for_the_draw_tool_carries_it(tmp_path, offline_page):
    with_tool = BorderRiskMap(focus=["ARG", "BOL"]).to_html()
    without = BorderRiskMap(focus=["ARG", "BOL"], draw=False).to_html()
    assert len(with_tool) - len(without) > 300_000  # Leaflet-Geoman, inlined
    path = tmp_path / "plain.html"
    path.write_text(without, encoding="utf-8")
    offline_page.open(path)
    assert offline_page.evaluate("() => [typeof L.PM, typeof borderrisk.drawnCollection]") == ["undefined", "undefined"]
    assert offline_page.page.locator(".br-draw, .leaflet-pm-toolbar").count() == 0
