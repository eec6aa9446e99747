"""The map's draw tool: Leaflet-Geoman (vendored, inlined) draws, edits, moves and removes points,
lines and areas; ``static/draw.js`` gives each shape a title and a note and exports the shapes as
the GeoJSON ``borderrisk annotate import`` takes.

Only a map that asks for the tool carries the plugin (about 0.4 MB inlined), so a map without it
stays small. Every string the tool shows comes from one dict, :data:`DRAW_TEXT`, so a map in
another language passes its own translation of it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from borderrisk.language import N_, Language
from borderrisk.render.elements import RawScript, safe_json, static_text
from borderrisk.render.offline import data_uri, script_uri

#: Leaflet-Geoman free 2.20.2 from npm (MIT licence beside it); its CSS carries its icons as
#: data: URIs already.
GEOMAN = "vendor/leaflet-geoman"

#: Every visible string of the draw tool, in English. Keys in the groups ``tooltips``,
#: ``actions`` and ``buttonTitles`` are Leaflet-Geoman's own (its toolbar and drawing hints);
#: the others belong to borderrisk's part (the shape form and the export panel). ``{n}`` is a
#: number filled in by the page. Geoman writes its action labels as HTML: these are the
#: program's own strings (or a translator's), never a user's text.
DRAW_TEXT: dict[str, str] = {
    "buttonTitles.drawMarkerButton": N_("Draw a point"),
    "buttonTitles.drawLineButton": N_("Draw a line"),
    "buttonTitles.drawPolyButton": N_("Draw an area"),
    "buttonTitles.drawRectButton": N_("Draw a rectangle"),
    "buttonTitles.editButton": N_("Edit shapes: drag a vertex"),
    "buttonTitles.dragButton": N_("Move shapes"),
    "buttonTitles.deleteButton": N_("Delete shapes: click one"),
    "tooltips.placeMarker": N_("Click to place the point"),
    "tooltips.placeMarkerTouch": N_("Tap the map to place the point"),
    "tooltips.firstVertex": N_("Click to place the first vertex"),
    "tooltips.continueLine": N_("Click to continue drawing"),
    "tooltips.finishLine": N_("Double-click, or click the last vertex, to finish"),
    "tooltips.finishPoly": N_("Click the first vertex to finish"),
    "tooltips.finishRect": N_("Click to finish"),
    "actions.finish": N_("Finish"),
    "actions.cancel": N_("Cancel"),
    "actions.removeLastVertex": N_("Remove last vertex"),
    "panel.title": N_("Drawn shapes"),
    "panel.count": N_("Shapes drawn: {n}"),
    "panel.help": N_("Click a shape to give it a title and a note."),
    "panel.export": N_("Export GeoJSON"),
    "shape.title": N_("Title"),
    "shape.note": N_("Note"),
}


def _stylesheet_uri(css: str) -> str:
    """A stylesheet as a data URI, without its source-map comment."""
    return data_uri("text/css", re.sub(r"/\*# sourceMappingURL=\S+ \*/", "", css).encode("utf-8"))


class DrawTool(JSCSSMixin, RawScript, MacroElement):
    """The draw tool on one map, with its plugin and script inlined into the page."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        borderrisk.drawTool({{ this._parent.get_name() }}, {{ this.texts }});
        {% endmacro %}
        """
    )

    def __init__(self, texts: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "BorderRiskDraw"
        self.texts = safe_json(dict(texts))
        self.default_js = [
            ("leaflet_geoman", script_uri(static_text(f"{GEOMAN}/leaflet-geoman.min.js").encode())),
            ("borderrisk_draw", script_uri(static_text("draw.js").encode())),
        ]
        self.default_css = [
            ("leaflet_geoman_css", _stylesheet_uri(static_text(f"{GEOMAN}/leaflet-geoman.css"))),
            ("borderrisk_draw_css", _stylesheet_uri(static_text("draw.css"))),
        ]


def draw_words(language: Language) -> dict[str, str]:
    """The draw tool's strings in ``language`` (as :func:`borderrisk.render.words.runtime_words`)."""
    return {key: language.gettext(text) for key, text in DRAW_TEXT.items()}


def draw_tool(texts: Mapping[str, str] | None = None) -> DrawTool:
    """The draw tool, its strings from ``texts`` (default :data:`DRAW_TEXT`); a key missing from
    ``texts`` keeps its English text."""
    return DrawTool({**DRAW_TEXT, **(texts or {})})
