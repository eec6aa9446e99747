"""Shared fixtures: a headless Chromium that may not touch the network, and small inputs."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from borderrisk.render.chromium import ChromiumMissing, block_outside, chromium
from borderrisk.render.export import SETTLED

FIXTURES = Path(__file__).parent / "fixtures"

#: Pages made under the tests (here and in the CLI's subprocesses) carry the runtime's test
#: hooks, ``borderrisk.debug`` (see borderrisk.render.elements.debug_mode).
os.environ["BORDERRISK_PAGE_DEBUG"] = "1"


def pytest_collection_modifyitems(items):
    """Every test that opens Chromium carries the ``browser`` marker, whether or not its
    author remembered it, so ``-m "not browser"`` runs without a browser."""
    for item in items:
        if {"browser", "offline_page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def fresh_borderrisk_logger():
    """The CLI points the ``borderrisk`` logger at its own stderr (not propagating); each test
    starts from the defaults, so ``caplog`` sees what a library call logs after a CLI test."""
    logger = logging.getLogger("borderrisk")
    saved = logger.handlers[:], logger.level, logger.propagate
    yield
    logger.handlers[:], logger.level, logger.propagate = saved


@pytest.fixture(scope="session")
def browser():
    try:
        with chromium() as instance:
            yield instance
    except ChromiumMissing as missing:
        pytest.fail(f"browser tests need Chromium: {missing}")


class OfflinePage:
    """A page that refuses every request that would leave the file, and records them, with the
    console errors, page errors and dialogs (an ``alert`` would mean injected script ran)."""

    def __init__(self, page):
        self.page = page
        self.outside_requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        block_outside(page, self.outside_requests)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path) -> None:
        """Open a map and wait until it has settled (clusters built, no zoom animating, painted),
        the signal PNG export waits for: a click during the opening animation is lost."""
        self.page.goto(Path(path).resolve().as_uri())
        self.page.wait_for_function("window.L !== undefined && window.borderrisk !== undefined")
        self.page.evaluate(SETTLED)

    def evaluate(self, script: str, *args):
        return self.page.evaluate(script, *args)


@pytest.fixture
def offline_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = OfflinePage(context.new_page())
    yield page
    context.close()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def spoiled_dataset(tmp_path) -> Path:
    """A GeoParquet events folder, as ``convert`` writes one, then spoiled: an infinite severity
    on row 2 and a point at (NaN, NaN) on row 3."""
    import math

    import shapely

    from borderrisk.layers.events import EventsLayer

    frame = EventsLayer.read(FIXTURES / "events_ok.csv").frame
    frame["severity"] = frame.severity.astype("float64")
    frame.loc[frame.index[1], "severity"] = math.inf
    frame.loc[frame.index[2], "geometry"] = shapely.Point(math.nan, math.nan)
    folder = tmp_path / "events"
    folder.mkdir()
    frame.to_parquet(folder / "part.00000.parquet")
    return folder


@pytest.fixture(scope="session")
def clustered():
    """Two years of synthetic events clustered along Brazil's borders: enough history for the
    learned model's trees."""
    from borderrisk.scenarios.synthetic import clustered_events

    return clustered_events(["BRA"], months=24, seed=0)


def events_csv(events, path: Path) -> str:
    """Events as a CSV of date, title, type, severity, lat and lon, as a user would give them."""
    out = events.assign(lat=events.geometry.y.round(5), lon=events.geometry.x.round(5))
    out = out.assign(date=out["date"].dt.strftime("%Y-%m-%d"))
    out[["date", "title", "type", "severity", "lat", "lon"]].to_csv(path, index=False)
    return str(path)


@pytest.fixture(scope="session")
def clustered_csv(clustered, tmp_path_factory) -> str:
    return events_csv(clustered, tmp_path_factory.mktemp("learned") / "events.csv")
