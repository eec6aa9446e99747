"""Map speed and size, each printed beside its baseline from the same run.

1. The default map (the seed scenario): build time, HTML size, load time in Chromium.
   Goals: ≤ 1.5 s, ≤ 3 MB, ≤ 1 s to load.
2. 100,000 and 500,000 rows of a synthetic ACLED export, mapped by the whole ``borderrisk map``
   command (aggregated in cells, the default above 50,000 events, and as clusters of one marker
   per event), vs ``GeoDataFrame.explore()`` of the same points (reading not timed: in its
   favour). Goals: ≤ 0.2× explore's time, ≤ 0.3× its HTML size, ≤ 2 s in Chromium until the
   page has settled (the signal PNG export waits for; the median of several openings); the
   time per slider move is printed.

The machine's load average is printed: on a shared machine, every time is worth that much.

    pip install ".[brief,bench]"   # matplotlib and mapclassify: what explore() needs
    python benchmarks/bench_map.py [--points 100000 500000] [--skip-explore] [--skip-clusters]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from borderrisk.render.chromium import block_outside, chromium
from borderrisk.render.export import SETTLED

#: Seconds a page may take to settle before it is reported as too slow.
LOAD_TIMEOUT = 300.0


def open_settled(browser: Browser, path: Path, timeout_s: float = LOAD_TIMEOUT) -> Page:
    """A page of ``path`` (network cut off) once every map on it has settled, as PNG export
    waits for it: layers drawn, clusters all clustered, zoom animations over."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    block_outside(page)
    page.set_default_timeout(timeout_s * 1000)
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.borderrisk && borderrisk.layers().length > 0")
    page.evaluate(SETTLED)
    return page


#: Times each page is opened (each time in a new browser); the median is shown, since one
#: opening on a shared machine can take twice as long as the next.
OPENINGS = 5


def load_seconds(path: Path, openings: int = OPENINGS) -> float:
    """The median of ``openings`` times, from navigation until the page has settled, each in
    a new browser (nothing cached)."""
    times = []
    for _ in range(openings):
        with chromium() as browser:
            start = time.perf_counter()
            open_settled(browser, path)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def shown_load(path: Path) -> str:
    """The load time, or that it passed the time-out (then after one opening)."""
    try:
        return f"{load_seconds(path):.2f} s"
    except PlaywrightTimeout:
        return f"> {LOAD_TIMEOUT:.0f} s (stopped)"


def default_map(folder: Path) -> None:
    from borderrisk.render.mapping import BorderRiskMap

    BorderRiskMap.default().to_html()  # warm: imports and data caches are not the map's cost
    start = time.perf_counter()
    html = BorderRiskMap.default().to_html()
    build = time.perf_counter() - start
    path = folder / "default.html"
    path.write_text(html, encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "borderrisk.cli", "map", "-o", str(folder / "cli.html")], check=True, capture_output=True
    )
    cli = time.perf_counter() - start
    print("default map (seed scenario)")
    print(f"  build, in process     {build:6.2f} s   (goal <= 1.5 s)")
    print(f"  `borderrisk map`      {cli:6.2f} s   (whole command, interpreter start and imports included)")
    print(f"  HTML size             {len(html.encode()) / 1e6:6.2f} MB  (goal <= 3 MB)")
    print(f"  load in Chromium      {load_seconds(path):6.2f} s   (goal <= 1 s; median of {OPENINGS} openings)")
    print(f"  load average          {os.getloadavg()[0]:6.1f}     on {os.cpu_count()} cores")


def map_command(events: Path, out: Path, *options: str) -> float:
    """Seconds for the whole ``borderrisk map`` command, interpreter start to exit."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "borderrisk.cli", "map", "--events", str(events), *options, "-o", str(out)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


#: Milliseconds of JavaScript per slider move on an aggregated map: a week forward at a time over
#: the whole range (dragging), and jumps from end to end (the worst case), each recounting the
#: cells and redrawing them.
SLIDER = """async () => {
    const map = borderrisk.maps()[0], slider = document.querySelector('.br-time-slider');
    const min = Number(slider.min), max = Number(slider.max), week = 7 * 86400000, times = {drag: [], jump: []};
    const timed = (kind, until) => {
        const start = performance.now();
        borderrisk.applyTime(map, until);
        times[kind].push(performance.now() - start);
    };
    for (let until = min; until <= max; until += week) timed('drag', until);
    for (let i = 0; i < 10; i++) { timed('jump', min); timed('jump', max); }
    const mean = a => a.reduce((x, y) => x + y, 0) / a.length;
    const cells = borderrisk.layers().find(g => g.cells).cells().length;
    return {drag: mean(times.drag), dragMax: Math.max(...times.drag), jump: mean(times.jump), cells: cells};
}"""


def many_events(folder: Path, n: int, skip_explore: bool, skip_clusters: bool) -> None:
    """``n`` rows of a synthetic ACLED export mapped by the whole ``borderrisk map`` command:
    aggregated in cells (the default above 50,000 events) and as clusters of markers (one per
    event), against ``GeoDataFrame.explore()`` on the same points."""
    from borderrisk.layers.events import EventsLayer
    from borderrisk.scenarios.synthetic import write_acled

    export = folder / f"acled-{n}.csv"
    write_acled(export, n)
    size_mb, load = export.stat().st_size / 1e6, os.getloadavg()[0]
    print(f"{n:,} rows of an ACLED export ({size_mb:.0f} MB), load average {load:.1f} on {os.cpu_count()} cores")
    results = {}
    ways = [("cells (default)", ())] + ([] if skip_clusters else [("clusters", ("--aggregate-above", str(n)))])
    for label, options in ways:
        path = folder / f"map-{n}-{len(options)}.html"
        seconds = map_command(export, path, *options)
        size = path.stat().st_size
        results[label] = (seconds, size)
        print(
            f"  borderrisk map, {label:<16} {seconds:6.2f} s   {size / 1e6:6.1f} MB   "
            f"loads in Chromium until settled in {shown_load(path)} (goal <= 2 s; median of {OPENINGS})"
        )
        if not options:
            with chromium() as browser:
                page = open_settled(browser, path)
                for where, view in (("whole map", None), ("zoom 6, Europe", "[48, 15], 6")):
                    if view:
                        page.evaluate(f"() => {{ borderrisk.maps()[0].setView({view}, {{animate: false}}); }}")
                    times = page.evaluate(SLIDER)
                    print(
                        f"    slider move ({where}, {times['cells']} cells drawn): a week on {times['drag']:.1f} ms "
                        f"(at most {times['dragMax']:.1f} ms), end to end {times['jump']:.1f} ms (JS per update)"
                    )
    if skip_explore:
        return
    frame = EventsLayer.read(export).frame  # the same points and columns; reading is not timed
    start = time.perf_counter()
    frame.explore().save(folder / "explore.html")
    theirs, theirs_size = time.perf_counter() - start, (folder / "explore.html").stat().st_size
    print(f"  {'GeoDataFrame.explore + save':<32} {theirs:6.2f} s   {theirs_size / 1e6:6.1f} MB   (CDN assets)")
    for label, (seconds, size) in results.items():
        print(
            f"  ratio, {label:<24} {seconds / theirs:6.3f}     {size / theirs_size:6.3f}      "
            "(goals <= 0.2 time, <= 0.3 size)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, nargs="+", default=[100_000, 500_000])
    parser.add_argument("--skip-explore", action="store_true", help="do not run the (slow) baseline")
    parser.add_argument("--skip-clusters", action="store_true", help="do not map every event as a marker")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        default_map(Path(folder))
        for n in args.points:
            many_events(Path(folder), n, args.skip_explore, args.skip_clusters)


if __name__ == "__main__":
    main()
