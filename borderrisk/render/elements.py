"""The folium elements borderrisk draws with: one runtime script, data layers, legend, title,
layer control and time filter.

Data reaches the page as JSON that cannot close its <script> block, and the runtime
(``static/runtime/``, see :data:`RUNTIME_MODULES`) turns every string into text nodes, so no input can become markup.
branca compiles the output of every element as a Jinja template a second time when the page is
assembled, so a title like ``{{7*7}}`` would be evaluated; these elements hand branca finished
text (:class:`Raw`) instead, which it inserts as it is.
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from typing import Any

import folium
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from borderrisk.language import Language
from borderrisk.render.offline import data_uri, script_uri
from borderrisk.render.packing import pack_geoms
from borderrisk.render.words import runtime_words

#: Leaflet.markercluster 1.5.3 from npm (MIT licence beside it), which clusters point layers.
MARKERCLUSTER = "vendor/leaflet.markercluster"

#: The runtime's modules (``static/runtime/``), joined in this order into the page's one script.
#: state.js comes first: it makes the ``borderrisk`` namespace the others register in; they look
#: each other up in it when called, so their order otherwise does not matter.
RUNTIME_MODULES = (
    "state.js",
    "dom.js",
    "format.js",
    "language.js",
    "packing.js",
    "features.js",
    "charts.js",
    "popups.js",
    "clusters.js",
    "cells.js",
    "layers.js",
    "time.js",
    "controls.js",
    "frame.js",
    "labels.js",
)

#: Test hooks (``borderrisk.debug``), joined last and only in debug mode (see :func:`debug_mode`).
DEBUG_MODULE = "debug.js"

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def safe_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: no "</script>", no "<!--", no line
    separators that end a JavaScript string."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


@cache
def static_text(name: str) -> str:
    """A file shipped in ``render/static``."""
    return (resources.files("borderrisk.render") / "static" / name).read_text(encoding="utf-8")


def debug_mode() -> bool:
    """Whether pages carry the runtime's test hooks: ``BORDERRISK_PAGE_DEBUG=1`` in the environment,
    which the test suite sets (for the pages its CLI runs make too); never in a normal page."""
    return os.environ.get("BORDERRISK_PAGE_DEBUG") == "1"


def runtime_script(debug: bool) -> str:
    """The runtime's modules joined into one script, in :data:`RUNTIME_MODULES` order."""
    names = RUNTIME_MODULES + ((DEBUG_MODULE,) if debug else ())
    return "\n".join(static_text(f"runtime/{name}") for name in names)


class Raw(Element):
    """Finished text for the page, never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class RawScript:
    """Mixin for MacroElements: add the rendered ``script`` macro to the page as :class:`Raw`,
    and the element's :attr:`data` (if any) as a JSON block of the page's body."""

    #: JSON (from :func:`safe_json`) the script reads with ``borderrisk.data(...)``, see :meth:`data_call`.
    data: str | None = None

    def data_call(self) -> str:
        """The script's expression for :attr:`data`. A large layer given as a JavaScript literal
        is compiled as code before the page runs, which costs more than reading the same data
        from a JSON block; safe_json already keeps it from closing that block."""
        return f'borderrisk.data("{self.get_name()}_data")'

    def render(self, **kwargs: Any) -> None:
        root = self.get_root()
        if self.data is not None:
            block = f'<script type="application/json" id="{self.get_name()}_data">{self.data}</script>'
            root.html.add_child(Raw(block), name=f"{self.get_name()}_data")
        script = self._template.module.__dict__["script"]
        root.script.add_child(Raw(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class Runtime(JSCSSMixin):
    """The borderrisk runtime (JS and CSS), inlined once per page as folium inlines assets."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "BorderRiskRuntime"
        css = [f"{MARKERCLUSTER}/MarkerCluster.css", "borderrisk.css", "labels.css"]
        self.default_js = [
            ("leaflet_markercluster", script_uri(static_text(f"{MARKERCLUSTER}/leaflet.markercluster.js").encode())),
            ("borderrisk_js", script_uri(runtime_script(debug_mode()).encode())),
        ]
        self.default_css = [(name, data_uri("text/css", static_text(name).encode())) for name in css]


class DataLayer(RawScript, folium.map.Layer):
    """A layer drawn by the runtime from a columnar spec; listed in the layer control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = borderrisk.addLayer({{ this._parent.get_name() }}, {{ this.data_call() }});
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(self, spec: dict[str, Any], name: str, show: bool = True, control: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = "BorderRiskLayer"
        self.data = safe_json(_packed(spec))


def _packed(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with its geometries packed (see :mod:`borderrisk.render.packing`), when they pack exactly."""
    packed = pack_geoms(spec["geoms"]) if spec.get("geoms") else None
    if packed is None:
        return spec
    return {**{key: value for key, value in spec.items() if key != "geoms"}, "packed": packed}


class _Call(RawScript, MacroElement):
    """A call of one runtime function with the map and JSON arguments."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        borderrisk.{{ this.function }}({{ this._parent.get_name() }}, {{ this.arguments }});
        {% endmacro %}
        """
    )

    def __init__(self, function: str, *arguments: Any, large: bool = False) -> None:
        super().__init__()
        self._name = f"BorderRisk_{function}"
        self.function = function
        if large:  # one large argument, read from a JSON block
            (argument,) = arguments
            self.data = safe_json(argument)
            self.arguments = self.data_call()
        else:
            self.arguments = ", ".join(safe_json(a) for a in arguments)


def language(lang: Language) -> MacroElement:
    """The map's language for the runtime: its words, date patterns and month names. Added
    before anything the runtime draws."""
    return _Call("language", {**lang.for_runtime(), "text": runtime_words(lang)})


def frame(bounds: list[list[float]]) -> MacroElement:
    """The opening view: ``bounds`` (``[[south, west], [north, east]]``) fitted in the part of
    the map its controls leave clear; added after every control."""
    return _Call("frame", bounds)


def place_labels(data: dict[str, Any]) -> MacroElement:
    """Country and town names (see :mod:`borderrisk.render.labels`), placed without overlap."""
    return _Call("labels", data, large=True)


def legend(sections: list[dict[str, Any]]) -> MacroElement:
    """Legend control: sections of ``{"title", "items": [{"label", "color", "shape", "dashed"}]}``."""
    return _Call("legend", sections)


def title(text: str, subtitle: str | None) -> MacroElement:
    return _Call("title", text, subtitle)


def layer_control() -> MacroElement:
    """The layer switcher, listing every data layer by name (names escaped: Leaflet's control
    inserts them as HTML)."""
    return _Call("layerControl", None)


def scale_bar() -> MacroElement:
    """A metric scale bar (folium's ``control_scale`` adds miles too; borders are in km)."""
    return _Call("scaleBar", None)


def marking(text: str) -> MacroElement:
    """A handling marking banner at the top and bottom of the map."""
    return _Call("marking", text)


def footer(text: str) -> MacroElement:
    """The source and date line."""
    return _Call("footer", text)


def time_filter(first_ms: int, last_ms: int, start_ms: int) -> MacroElement:
    """A slider that shows dated features up to the chosen day; works offline."""
    return _Call("timeFilter", {"min": first_ms, "max": last_ms, "value": start_ms})
