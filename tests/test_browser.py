"""The HTML opened in headless Chromium with the network cut off: it renders, it draws, it
makes no outside request, and hostile text stays text."""

import time

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli

pytestmark = pytest.mark.browser

COUNT_FEATURES = "() => borderrisk.debug.counts()"


def render(tmp_path, *args):
    out = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["map", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_default_map_renders_offline_with_everything_on_it(tmp_path, offline_page):
    path = render(tmp_path)
    started = time.perf_counter()
    offline_page.open(path)
    print(f"default map ready in Chromium after {time.perf_counter() - started:.2f} s")
    page = offline_page.page
    assert offline_page.outside_requests == []
    assert offline_page.errors == []
    assert offline_page.evaluate("() => typeof window.L.map") == "function"
    drawn = dict(offline_page.evaluate(COUNT_FEATURES))
    assert drawn == {"Countries": 255, "Borders": 1, "Alliances": 9, "Agreements": 5, "Events": 14, "Risk": 15}
    assert page.locator(".leaflet-control-scale").count() == 1
    assert page.locator(".leaflet-control-scale-imperial").count() == 0  # borders are measured in km
    assert page.locator(".leaflet-control-layers").count() == 1
    assert "Bolivia–Iran defence ties" in page.locator(".br-title").inner_text()
    legend = page.locator(".br-legend").inner_text()
    assert "ALBA-TCP" in legend and "Argentina–Bolivia: 716.8 km" in legend and "attack" in legend
    assert page.locator(".br-time-slider").count() == 1


def test_a_long_legend_label_wraps_inside_the_legend_rather_than_being_cut(tmp_path, offline_page):
    offline_page.open(render(tmp_path, "--focus", "USA,MEX"))
    rows = offline_page.evaluate(
        "() => [...document.querySelectorAll('.br-legend-row')].map(r => [r.innerText, r.scrollWidth, r.clientWidth])"
    )
    assert "Mexico–United States of America: 2,644.8 km" in [text for text, _, _ in rows]
    assert [text for text, scrolled, shown in rows if scrolled > shown] == []


def test_popups_show_the_facts_and_their_source(tmp_path, offline_page):
    offline_page.open(render(tmp_path))
    texts = open_every_popup(offline_page, "Events")
    amia = next(t for t in texts if "AMIA" in t)
    assert "1994-07-18" in amia and "85 dead" in amia
    assert "Source: Seed article" in amia
    border = open_every_popup(offline_page, "Borders")[0]
    assert "716.8 km" in border and "942 km (CIA World Factbook)" in border
    risk = open_every_popup(offline_page, "Risk")
    assert len(risk) == 15
    assert "ARG–BOL km 0–50: score 3.31" in risk[0]
    assert "agreements\t+2.00: " in risk[0] and "brings IRN to BOL" in risk[0]


def test_the_time_slider_filters_events_offline(tmp_path, offline_page):
    offline_page.open(render(tmp_path))
    slider = offline_page.page.locator(".br-time-slider")
    slider.evaluate("(s) => { s.value = Date.UTC(2000, 0, 1); s.dispatchEvent(new Event('input')); }")
    drawn = dict(offline_page.evaluate(COUNT_FEATURES))
    assert drawn["Events"] == 2  # the 1992 and 1994 attacks
    assert drawn["Agreements"] == 0
    assert "2000-01-01" in offline_page.page.locator(".br-time-label").inner_text()


def test_hostile_text_is_shown_as_text_and_runs_nothing(tmp_path, offline_page, fixtures):
    path = render(
        tmp_path,
        "--events",
        str(fixtures / "events_hostile.csv"),
        "--agreements",
        str(fixtures / "agreements_ok.csv"),
        "--alliances",
        str(fixtures / "alliances_ok.csv"),
        "--title",
        "<script>alert(10)</script>{{7*7}}{% if x %}",
    )
    offline_page.open(path)
    texts = []
    for name in ("Events", "Agreements", "Alliances"):
        texts += open_every_popup(offline_page, name)
        texts += hover_every_feature(offline_page, name)
    page = offline_page.page
    assert offline_page.dialogs == []
    assert offline_page.evaluate("() => window.__pwned") is None
    assert offline_page.outside_requests == []
    joined = "\n".join(texts)
    for literal in (
        "<img src=x onerror=alert(1)>",
        "</script><script>window.__pwned=1;alert(2)</script>",
        "{{7*7}}",
        '"><svg onload=alert(4)>',
        "<script>alert(8)</script>",
        "<img src=y onerror=alert(9)>",
    ):
        assert literal in joined
    assert "<i>Test Pact</i>" in page.locator(".br-legend").inner_text()
    assert "<script>alert(10)</script>{{7*7}}{% if x %}" in page.locator(".br-title").inner_text()
    assert "{{7*7}}{% if x %}" in page.title()
    injected = page.locator(
        ".leaflet-container img, .leaflet-container svg[onload], .leaflet-container iframe, "
        ".leaflet-container script, .leaflet-container b, .leaflet-container i"
    )
    assert injected.count() == 0


def open_every_popup(offline_page, layer_name):
    """Click every feature of a layer (through Leaflet's own events, as they reach the layer's
    group, so a feature inside a cluster counts too) and return each popup's text."""
    return offline_page.evaluate(
        """(name) => {
            const group = borderrisk.debug.layer(name);
            const map = group._map;
            return group.getLayers().map(layer => {
                const latlng = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
                group.fire('click', {latlng: latlng, layer: layer});
                const popups = document.querySelectorAll('.leaflet-popup-content');  // closing ones fade out
                const text = popups.length ? popups[popups.length - 1].innerText : null;
                map.closePopup();
                return text;
            });
        }""",
        layer_name,
    )


def hover_every_feature(offline_page, layer_name):
    return offline_page.evaluate(
        """(name) => {
            const group = borderrisk.debug.layer(name);
            return group.getLayers().map(layer => {
                const latlng = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
                group.fire('mouseover', {latlng: latlng, layer: layer});
                const tips = document.querySelectorAll('.br-tooltip');
                const text = tips.length ? tips[tips.length - 1].innerText : null;
                group.fire('mouseout', {latlng: latlng, layer: layer});
                return text;
            });
        }""",
        layer_name,
    )


def test_many_events_are_drawn_as_counts_in_cells(tmp_path, offline_page, fixtures):
    path = render(tmp_path, "--events", str(fixtures / "events_ok.csv"), "--aggregate-above", "2", "--focus", "BOL")
    offline_page.open(path)
    levels, cells = offline_page.evaluate(
        "() => { const g = borderrisk.debug.layer('Events');"
        " return [borderrisk.debug.spec(g).grid.length, g.cells().length]; }"
    )
    assert levels >= 1 and cells >= 1
    assert offline_page.page.locator(".br-time-slider").count() == 1  # counts follow the slider (test_grid.py)
    texts = offline_page.evaluate(
        "() => { const g = borderrisk.debug.layer('Events');"
        " borderrisk.maps()[0].fire('click', {latlng: g.cells()[0].latlng});"
        " const p = document.querySelectorAll('.leaflet-popup-content'); return p[p.length - 1].innerText; }"
    )
    assert "events" in texts and "Aggregated" in texts
    assert offline_page.errors == []
