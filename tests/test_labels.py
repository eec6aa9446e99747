"""Names on the map: countries where they fit, in the map's language, the focus countries in
bold, the main towns by population (more as the map zooms in, border towns early), never two
labels on top of each other, and none under the map's title, legend or other controls."""

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.language import Language
from borderrisk.render.labels import MOST_TOWNS, label_data

VISIBLE_LABELS = """() => Array.from(document.querySelectorAll('.br-label'))
    .filter(e => e.style.display !== 'none')
    .map(e => {
        const r = e.querySelector('.br-label-text').getBoundingClientRect();
        return {name: e.textContent, focus: e.classList.contains('br-label-focus'),
                town: e.classList.contains('br-label-town'), box: [r.left, r.top, r.right, r.bottom]};
    })
    .filter(l => l.box[2] > 0 && l.box[0] < innerWidth && l.box[3] > 0 && l.box[1] < innerHeight)"""


CONTROLS = """() => Array.from(document.querySelectorAll('.leaflet-control'))
    .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0)
    .map(r => ({name: 'control', box: [r.left, r.top, r.right, r.bottom]}))"""


SETTLED = """() => { const map = borderrisk.maps()[0];
    return !map._animatingZoom && map.getContainer().dataset.brLabelsZoom === String(map.getZoom()); }"""


def labels_at(offline_page, view=None):
    """The labels shown once the map has settled (after its opening zoom), at ``view``
    (lat, lon, zoom) if given."""
    offline_page.page.wait_for_function(SETTLED)
    if view:
        lat, lon, zoom = view
        offline_page.evaluate(f"() => borderrisk.maps()[0].setView([{lat}, {lon}], {zoom}, {{animate: false}}) && 1")
        offline_page.page.wait_for_function(SETTLED)
    return offline_page.evaluate(VISIBLE_LABELS)


@pytest.fixture(scope="module")
def spanish_map(tmp_path_factory):
    out = tmp_path_factory.mktemp("labels") / "mapa.html"
    result = CliRunner().invoke(cli, ["map", "--lang", "es", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def overlapping(labels):
    return [
        (a["name"], b["name"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if a["box"][0] < b["box"][2]
        and b["box"][0] < a["box"][2]
        and a["box"][1] < b["box"][3]
        and b["box"][1] < a["box"][3]
    ]


#: A view of both focus countries whole, where the opening view is their border.
COUNTRIES_VIEW = (-30.0, -64.0, 4)


def test_countries_are_named_in_the_map_s_language_without_overlap(spanish_map, offline_page):
    offline_page.open(spanish_map)
    labels = labels_at(offline_page, COUNTRIES_VIEW)
    names = {label["name"] for label in labels}
    assert {"Argentina", "Bolivia", "Brasil", "Paraguay", "Chile"} <= names
    assert {"Santiago", "Asunción"} <= names  # the main towns (Buenos Aires is under its cluster badge)
    assert {label["name"] for label in labels if label["focus"]} == {"Argentina", "Bolivia"}
    assert overlapping(labels) == []
    assert offline_page.errors == []


def test_no_name_hides_under_the_title_the_legend_or_another_control(spanish_map, offline_page):
    offline_page.open(spanish_map)

    def names_under_controls():
        labels = offline_page.evaluate(VISIBLE_LABELS)
        assert labels
        hidden = [name for name, other in overlapping(labels + offline_page.evaluate(CONTROLS)) if other == "control"]
        return [name for name in hidden if name != "control"]

    for view in (None, (-30.0, -75.0, 5), (-12.0, -50.0, 4)):  # opening view, then two others
        labels_at(offline_page, view)
        assert names_under_controls() == []
    offline_page.evaluate("() => borderrisk.printMode()")  # PNG/PDF: the title moves up, a north arrow comes
    assert names_under_controls() == []


def test_the_opening_view_of_the_border_names_its_towns_and_still_nothing_overlaps(spanish_map, offline_page):
    offline_page.open(spanish_map)
    whole = {label["name"] for label in labels_at(offline_page, COUNTRIES_VIEW) if label["town"]}
    assert not {"Villazón", "La Quiaca", "Yacuiba"} & whole  # too small for the whole of both countries
    offline_page.open(spanish_map)  # opens on the border
    labels = labels_at(offline_page)
    towns = {label["name"] for label in labels if label["town"]}
    assert {"Villazón", "La Quiaca"} & towns and "Yacuiba" in towns
    assert {label["name"] for label in labels if label["focus"]} == {"Argentina", "Bolivia"}  # both sides named
    assert overlapping(labels) == []


def test_a_country_is_named_only_once_its_shape_is_wide_enough(spanish_map, offline_page):
    offline_page.open(spanish_map)
    world = {label["name"] for label in labels_at(offline_page, (20, 0, 2))}
    assert "Rusia" in world and "Luxemburgo" not in world
    assert "Luxemburgo" in {label["name"] for label in labels_at(offline_page, (49.7, 6.1, 8))}


def test_the_page_carries_only_the_towns_of_the_map_s_extent():
    argentina_bolivia = [[-55.05, -73.59], [-9.68, -53.66]]
    data = label_data(("ARG", "BOL"), argentina_bolivia, Language("pt"))
    towns = {town["name"]: town for town in data["towns"]}
    assert len(towns) <= MOST_TOWNS
    assert "Villazón" in towns and "Yacuiba" in towns and "Lisbon" not in towns
    assert data["countries"][0]["focus"] and data["countries"][1]["focus"]
    assert "Brasil" in {country["name"] for country in data["countries"]}
