"""Static outputs for slides and documents: the same offline map, rendered to PNG or PDF by a
headless Chromium with the network cut off, in print mode (no buttons; a north arrow)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from borderrisk.data.errors import UserError
from borderrisk.render.chromium import INSTALL_HINT, ChromiumMissing, block_outside, chromium, executable

#: Resolves once every map has finished zooming to its view (the first fitBounds is animated),
#: clustered all its markers (added in chunks), moved its clusters to the last zoom (print mode
#: fits the view again; Leaflet.markercluster animates that for 200 ms) and painted twice: a
#: screenshot taken earlier shows markers scaled with the zoom, clusters of only some of the
#: events, or badges halfway to their place.
SETTLED = """() => Promise.all(borderrisk.maps().map(map => new Promise(resolve => {
    const painted = () => requestAnimationFrame(() => requestAnimationFrame(resolve));
    const done = g => borderrisk.clustered(g) && !g._inZoomAnimation;
    const ready = () => borderrisk.layers(map).every(done) ? painted() : setTimeout(ready, 50);
    if (map._animatingZoom) map.once("zoomend", ready); else ready();
})))"""


class ExportError(UserError):
    """A static output could not be rendered; the message says what to install or fix."""


def check_static_export() -> None:
    """Raise :class:`ExportError` now, before any work, if PNG/PDF cannot be rendered here."""
    try:
        import playwright.sync_api  # noqa: F401 - only whether it is installed
    except ImportError:
        raise ExportError(INSTALL_HINT) from None
    try:
        path = executable()
    except ChromiumMissing as error:
        raise ExportError(str(error)) from None
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise ExportError(f"{path} is not an executable Chromium. {INSTALL_HINT}")


def render_static(html: str, fmt: str, *, width: int = 1600, height: int = 1000, dpi: int = 192) -> bytes:
    """The page rendered as ``png`` or ``pdf`` bytes; nothing but the page itself is loaded.

    Rendering runs in a thread of its own: Playwright's sync API refuses a thread with a
    running event loop, which Jupyter (and any running Playwright session) has."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_render, html, fmt, width, height, dpi).result()


def _render(html: str, fmt: str, width: int, height: int, dpi: int) -> bytes:
    try:
        from playwright.sync_api import Error as PlaywrightError
    except ImportError:
        raise ExportError(INSTALL_HINT) from None
    with tempfile.TemporaryDirectory(prefix="borderrisk-") as folder:
        page_path = Path(folder) / "map.html"
        page_path.write_text(html, encoding="utf-8")
        try:
            with chromium() as browser:
                page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=dpi / 96)
                block_outside(page)
                page.goto(page_path.as_uri())
                page.wait_for_function("window.borderrisk && borderrisk.maps().length > 0")
                page.evaluate("() => borderrisk.printMode()")
                page.evaluate(SETTLED)
                if fmt == "png":
                    return page.screenshot(full_page=False)
                page.emulate_media(media="screen")
                return page.pdf(
                    width=f"{width}px",
                    height=f"{height}px",
                    print_background=True,
                    margin={"top": "0", "right": "0", "bottom": "0", "left": "0"},
                )
        except ChromiumMissing as missing:
            raise ExportError(str(missing)) from None
        except PlaywrightError as error:
            raise ExportError(f"Chromium could not render the map: {error}") from None
