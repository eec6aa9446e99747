"""BorderRiskMap: layers composed into one offline HTML page."""

import re

import pytest
import shapely

from borderrisk.layers.agreements import AgreementsLayer
from borderrisk.layers.events import EventsLayer
from borderrisk.render.elements import safe_json
from borderrisk.render.mapping import BorderRiskMap


@pytest.fixture(scope="module")
def default_html():
    return BorderRiskMap.default().to_html()


def test_the_default_map_is_one_small_self_contained_file(default_html):
    assert len(default_html.encode()) < 3_000_000
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"?(https?:)?//", default_html)
    assert "cdn.jsdelivr" not in default_html and "code.jquery" not in default_html
    assert "L.map(" in default_html and "borderrisk.addLayer" in default_html
    assert "<title>Bolivia–Iran defence ties and the Argentina–Bolivia border</title>" in default_html


def test_the_default_map_has_every_layer_and_the_focus_border():
    m = BorderRiskMap.default()
    assert list(m.layers) == ["Countries", "Borders", "Alliances", "Agreements", "Events", "Risk"]
    assert len(m.layers["Risk"].frame) == 15
    borders = m.layers["Borders"].frame
    assert (borders.a.iloc[0], borders.b.iloc[0]) == ("ARG", "BOL")
    assert borders.length_km.iloc[0] == pytest.approx(717, rel=0.01)


def test_layers_are_data(fixtures):
    events = EventsLayer.read(fixtures / "events_ok.csv")
    assert len(events.frame) == 3
    assert events.frame.crs.to_epsg() == 4326


def test_agreements_are_geodesic_arcs_not_straight_lines(fixtures):
    arcs = AgreementsLayer.read(fixtures / "agreements_ok.csv").frame
    la_paz_tehran = arcs.geometry.iloc[0]
    straight = shapely.LineString([la_paz_tehran.coords[0], la_paz_tehran.coords[-1]])
    assert la_paz_tehran.hausdorff_distance(straight) > 5  # degrees: a great circle bows north


def test_dates_filter_the_layers():
    m = BorderRiskMap.default(as_of=__import__("datetime").date(2011, 12, 31))
    visible = {layer.kind: len(layer) for layer in m._visible_layers()}
    assert visible["events"] == 6
    assert visible["agreements"] == 1


def test_page_data_cannot_close_its_script_block():
    text = safe_json({"t": "</script><script>alert(1)</script>\u2028"})
    assert "</" not in text and "<script" not in text and "\u2028" not in text


def test_online_tiles_only_when_asked():
    assert "basemaps.cartocdn.com" not in BorderRiskMap(focus=["ARG"]).to_html()
    assert "tile.openstreetmap.org" in BorderRiskMap(focus=["ARG"], tiles="OpenStreetMap.Mapnik").to_html()
    with pytest.raises(ValueError, match="unknown tile provider"):
        BorderRiskMap(tiles="NoSuchTiles").to_html()


def test_save_writes_atomically(tmp_path):
    path = BorderRiskMap(focus=["BOL"]).save(tmp_path / "m.html")
    assert path.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["m.html"]


def test_a_borders_layer_writes_its_texts_once_a_language(monkeypatch):
    """Its frame holds the English texts, written when the layer is made; a map in another
    language writes them once for both popups and legend, and a copy holding other borders
    writes its own."""
    from borderrisk.language import Language
    from borderrisk.layers import borders
    from borderrisk.layers.base import DrawContext

    layer = borders.BordersLayer([("ARG", "BOL"), ("ARG", "CHL")])
    assert re.fullmatch(r"Argentina–Bolivia: \d{3}\.\d km", layer.frame.label.iloc[0])
    written = []
    write = borders._texts
    monkeypatch.setattr(
        borders, "_texts", lambda frame, context: written.append(context.language.code) or write(frame, context)
    )
    english, spanish = DrawContext(), DrawContext(language=Language("es"))
    for context in (english, spanish, english, spanish):
        layer.spec(context), layer.legend(context)
    assert written == ["es"]
    assert layer.spec(english)["props"]["label"] == list(layer.frame.label)
    assert re.fullmatch(r"Argentina–Bolivia: \d{3},\d km", layer.legend(spanish).items[0]["label"])
    chile = layer.with_frame(layer.frame.iloc[1:])
    assert [item["label"][:17] for item in chile.legend(spanish).items] == ["Argentina–Chile: "]
    assert written == ["es", "es"]
