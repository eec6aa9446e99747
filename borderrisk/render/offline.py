"""An offline folium map: :class:`OfflineMap` is a ``folium.Map`` whose ``default_js`` and
``default_css`` are installed copies of what it needs, as ``data:`` URIs, so folium's own
rendering (``fmap.save()``, a notebook's display) writes a page that loads nothing from the
network, whatever folium layers a user adds to it.

folium's Map asks CDNs for Leaflet, jQuery, Bootstrap, Font Awesome and Leaflet.awesome-markers.
Here Leaflet comes from ``xstatic-leaflet`` (its images inlined, its default marker icon pointed
at them), jQuery from ``xstatic-jquery`` only when an element on the map uses it (folium's
``Popup`` builds its content with ``$()``), and the rest is left out: nothing on a borderrisk
map uses Bootstrap or icon fonts. An element that needs an asset with no offline copy (a folium
plugin, ``folium.Icon``) makes rendering fail with an :class:`OfflineError` naming it, instead of
a page that quietly reaches out to the network.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import folium
from branca.element import Element
from folium.elements import JSCSSMixin

from borderrisk.data.errors import UserError

#: Elements that draw with a library that folium.Map would load from a CDN and that has no
#: offline copy here, with what to use instead.
NO_OFFLINE_COPY = {
    folium.Icon: (
        "draws with Leaflet.awesome-markers and Font Awesome, which have no offline copy; use "
        "folium.Marker without an icon, folium.CircleMarker or folium.DivIcon"
    ),
}


class OfflineError(UserError):
    """The page would load something from the network."""


def data_uri(mime: str, payload: bytes) -> str:
    """``payload`` as a ``data:`` URI, which a page reads without any request."""
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def _package_file(package: str, name: str) -> bytes:
    return (resources.files(package) / "data" / name).read_bytes()


def _leaflet_file(name: str) -> bytes:
    return _package_file("xstatic.pkg.leaflet", name)


def script_uri(code: bytes) -> str:
    """A script as a data URI, without its source-map comment (the map is not shipped)."""
    return data_uri("text/javascript", re.sub(rb"//# sourceMappingURL=\S+", b"", code))


def _image(name: str) -> str:
    return data_uri("image/png", _leaflet_file(f"images/{name}"))


@cache
def leaflet_js() -> str:
    return script_uri(_leaflet_file("leaflet.js"))


@cache
def leaflet_icons_js() -> str:
    """Points Leaflet's default marker at its inlined images (it would otherwise look for
    ``marker-icon.png`` beside the page)."""
    code = (
        'L.Icon.Default.imagePath = "";'
        f'L.Icon.Default.mergeOptions({{iconUrl: "{_image("marker-icon.png")}", '
        f'iconRetinaUrl: "{_image("marker-icon-2x.png")}", shadowUrl: "{_image("marker-shadow.png")}"}});'
    )
    return script_uri(code.encode("ascii"))


@cache
def leaflet_css() -> str:
    """Leaflet's stylesheet with its images inlined."""
    css = re.sub(
        r"url\(images/([\w.-]+\.png)\)",
        lambda match: f"url({_image(match.group(1))})",
        _leaflet_file("leaflet.css").decode("utf-8"),
    )
    return data_uri("text/css", css.encode("utf-8"))


@cache
def jquery_js() -> str:
    return script_uri(_package_file("xstatic.pkg.jquery", "jquery.min.js"))


def descendants(element: Element) -> Iterator[Element]:
    for child in element._children.values():
        yield child
        yield from descendants(child)


class OfflineMap(folium.Map):
    """A ``folium.Map`` that renders as a page with no outside request (unless a tile layer
    the user added is online).

    Parameters
    ----------
    **options
        As for ``folium.Map``; ``tiles`` defaults to none, since tiles come from the network.

    Raises
    ------
    OfflineError
        On rendering or saving, when an element on the map needs an asset from the network.
    """

    def __init__(self, *, tiles: Any = None, **options: Any) -> None:
        super().__init__(tiles=tiles, **options)
        self.default_js: list[tuple[str, str]] = []
        self.default_css: list[tuple[str, str]] = []

    def render(self, **kwargs: Any) -> None:
        elements = list(descendants(self))
        problems = [problem for element in elements for problem in _offline_problems(element)]
        if problems:
            raise OfflineError("the map cannot be made offline:\n" + "\n".join(problems))
        self.default_js = [("leaflet", leaflet_js()), ("leaflet_icons", leaflet_icons_js())]
        if self.objects_to_stay_in_front or any(isinstance(element, folium.Popup) for element in elements):
            self.default_js.append(("jquery", jquery_js()))
        self.default_css = [("leaflet_css", leaflet_css())]
        super().render(**kwargs)

    def save(self, outfile: Any, close_file: bool = True, **kwargs: Any) -> None:
        """Write the page; a path is written atomically (complete, or left untouched)."""
        if not isinstance(outfile, (str, Path)):
            return super().save(outfile, close_file=close_file, **kwargs)
        from borderrisk.data.files import atomic_write

        atomic_write(outfile, self.get_root().render(**kwargs).encode("utf-8"))
        return None


def _offline_problems(element: Element) -> list[str]:
    name = type(element).__name__
    for kind, advice in NO_OFFLINE_COPY.items():
        if isinstance(element, kind):
            return [f"{name} {advice}"]
    if not isinstance(element, JSCSSMixin):
        return []
    return [
        f"{name} loads {asset!r} from {url}; an offline map cannot load anything from the network"
        for asset, url in [*element.default_js, *element.default_css]
        if not url.startswith("data:")
    ]
