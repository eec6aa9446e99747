"""Make a rendered map self-contained: every script and stylesheet it loads is inlined from an
installed package, the ones a borderrisk map does not use are dropped, and anything else is an
error. The result renders with no network and makes no outside request (unless the user asked
for online tiles, which are loaded by the map itself, not by the page).

folium's Map asks for Leaflet, jQuery, Bootstrap, Font Awesome and Leaflet.awesome-markers from
CDNs. borderrisk draws with Leaflet alone (its runtime builds popups, legends and controls
without jQuery or Bootstrap, and draws circle markers, not icon markers), so only Leaflet is
inlined, from the ``xstatic-leaflet`` package.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from importlib import resources

from layers.data.errors import UserError

#: Assets folium asks for that a borderrisk map never uses: (name in the URL, why).
UNUSED = {
    "jquery": "no jQuery: the runtime builds popups with the DOM",
    "bootstrap": "no Bootstrap: controls are styled by borderrisk.css",
    "glyphicons": "no icon fonts: markers are circles",
    "font-awesome": "no icon fonts: markers are circles",
    "fontawesome": "no icon fonts: markers are circles",
    "awesome-markers": "no icon markers: markers are circles",
    "leaflet.awesome.rotate": "no icon markers",
}

_SCRIPT = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>')
_STYLESHEET = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')
#: Tags that load a resource. Data in the page cannot forge one: it is JSON with "<" escaped.
_LOADING_TAG = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*\s(?:src|href)\s*=\s*["\']?(?:https?:)?//', re.I)
_STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
_STYLE_LOAD = re.compile(r'(?:url\(|@import)\s*["\']?(?:https?:)?//', re.I)


class OfflineError(UserError):
    """The page would load something from the network."""


def _leaflet_file(name: str) -> bytes:
    return (resources.files("xstatic.pkg.leaflet") / "data" / name).read_bytes()


@lru_cache(maxsize=1)
def _leaflet_css() -> str:
    """Leaflet's stylesheet with its images inlined as data URIs."""

    def inline(match: re.Match[str]) -> str:
        image = base64.b64encode(_leaflet_file(f"images/{match.group(1)}")).decode("ascii")
        return f"url(data:image/png;base64,{image})"

    return re.sub(r"url\(images/([\w.-]+\.png)\)", inline, _leaflet_file("leaflet.css").decode("utf-8"))


def _inline_script(url: str) -> str:
    if _is_leaflet(url, ".js"):
        code = _leaflet_file("leaflet.js").decode("utf-8").replace("</script", "<\\/script")
        code = re.sub(r"//# sourceMappingURL=\S+", "", code)
        return f"<script>{code}</script>"
    return _drop_or_fail(url)


def _inline_stylesheet(url: str) -> str:
    if _is_leaflet(url, ".css"):
        return f"<style>{_leaflet_css()}</style>"
    return _drop_or_fail(url)


def _is_leaflet(url: str, suffix: str) -> bool:
    return re.search(r"leaflet@1\.9\.\d+/dist/leaflet" + re.escape(suffix) + "$", url) is not None


def _drop_or_fail(url: str) -> str:
    for name in UNUSED:
        if name in url:
            return ""
    raise OfflineError(f"the map asks for {url}, which borderrisk cannot inline; it would need the network")


def make_offline(html: str) -> str:
    """Inline or drop every external script and stylesheet of a rendered folium page.

    Raises :class:`OfflineError` if anything would still be fetched from the network.
    """
    html = _SCRIPT.sub(lambda m: _inline_script(m.group(1)), html)
    html = _STYLESHEET.sub(lambda m: _inline_stylesheet(m.group(1)), html)
    for text in [html, *_STYLE_BLOCK.findall(html)]:
        leftover = (_LOADING_TAG if text is html else _STYLE_LOAD).search(text)
        if leftover:
            raise OfflineError(f"the map would load from the network: {text[leftover.start() : leftover.end() + 80]}")
    return html
