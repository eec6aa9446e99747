"""The one headless Chromium borderrisk starts, for PNG/PDF export, the browser tests and the
benchmarks alike, and the one request filter that keeps a page from reaching the network."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ARGS = [
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
#: What a page may load: itself and what it carries.
LOCAL = ("file:", "data:", "blob:", "about:")


class ChromiumMissing(RuntimeError):
    """No Chromium (or no Playwright) to start; the message says what to install."""


def executable() -> str:
    """The Chromium to start: $BORDERRISK_CHROMIUM, or one on the PATH."""
    configured = os.environ.get("BORDERRISK_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumMissing(f"no Chromium found. {INSTALL_HINT}")


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed on leaving the block."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ChromiumMissing(INSTALL_HINT) from None
    path = executable()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def block_outside(page: Page, blocked: list[str] | None = None) -> None:
    """Let ``page`` load only what is local (see :data:`LOCAL`); abort every other request
    and, if ``blocked`` is given, record its URL there."""

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(LOCAL):
            request_route.continue_()
            return
        if blocked is not None:
            blocked.append(url)
        request_route.abort()

    page.route("**/*", route)
