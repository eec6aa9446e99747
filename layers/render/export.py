"""Static outputs for slides and documents: the same offline map, rendered to PNG or PDF by a
headless Chromium with the network cut off, in print mode (no buttons; a north arrow)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from layers.data.errors import UserError

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = 'PNG and PDF need playwright and Chromium: pip install "borderrisk[brief]" and apt-get install chromium'


#: Resolves once the map has finished zooming to its view (the first fitBounds is animated)
#: and painted twice: a screenshot taken mid-animation shows markers scaled with the zoom.
SETTLED = """() => new Promise(resolve => {
    const map = borderrisk.map;
    const painted = () => requestAnimationFrame(() => requestAnimationFrame(resolve));
    if (map._animatingZoom) map.once("zoomend", painted); else painted();
})"""


class ExportError(UserError):
    """A static output could not be rendered; the message says what to install or fix."""


def chromium() -> str:
    """The Chromium to render with: $BORDERRISK_CHROMIUM, or one on the PATH."""
    configured = os.environ.get("BORDERRISK_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    raise ExportError(f"no Chromium found. {INSTALL_HINT}")


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
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ExportError(INSTALL_HINT) from None
    executable = chromium()
    with tempfile.TemporaryDirectory(prefix="borderrisk-") as folder:
        page_path = Path(folder) / "map.html"
        page_path.write_text(html, encoding="utf-8")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=dpi / 96)
                    page.route(
                        "**/*",
                        lambda route: (
                            route.continue_()
                            if route.request.url.startswith(("file:", "data:", "blob:"))
                            else route.abort()
                        ),
                    )
                    page.goto(page_path.as_uri())
                    page.wait_for_function("window.borderrisk && window.borderrisk.map")
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
                finally:
                    browser.close()
        except PlaywrightError as error:
            raise ExportError(f"Chromium could not render the map: {error}") from None
