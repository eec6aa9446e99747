"""Map speed and size, each printed beside its baseline from the same run.

1. The default map (the seed scenario): build time, HTML size, load time in Chromium.
   Goals: ≤ 1.5 s, ≤ 3 MB, ≤ 1 s to load.
2. 100,000 events: borderrisk vs ``GeoDataFrame.explore()`` on the same points.
   Goals: ≤ 0.2× explore's time and ≤ 0.3× its HTML size; the page stays usable.

    pip install matplotlib mapclassify   # what explore() needs
    python benchmarks/bench_map.py [--points 100000] [--skip-explore]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from layers.render.chromium import block_outside, chromium
from layers.scenarios.synthetic import synthetic_events


def load_seconds(path: Path) -> float:
    """Seconds from navigation until every borderrisk layer is drawn, network cut off."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        block_outside(page)
        start = time.perf_counter()
        page.goto(path.resolve().as_uri(), timeout=120_000)
        page.wait_for_function("window.borderrisk && borderrisk.layers().length > 0", timeout=120_000)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        return time.perf_counter() - start


def default_map(folder: Path) -> None:
    from layers.render.mapping import BorderRiskMap

    BorderRiskMap.default().to_html()  # warm: imports and data caches are not the map's cost
    start = time.perf_counter()
    html = BorderRiskMap.default().to_html()
    build = time.perf_counter() - start
    path = folder / "default.html"
    path.write_text(html, encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "layers.cli", "map", "-o", str(folder / "cli.html")], check=True, capture_output=True
    )
    cli = time.perf_counter() - start
    print("default map (seed scenario)")
    print(f"  build, in process     {build:6.2f} s   (goal <= 1.5 s)")
    print(f"  `borderrisk map`      {cli:6.2f} s   (whole command, interpreter start and imports included)")
    print(f"  HTML size             {len(html.encode()) / 1e6:6.2f} MB  (goal <= 3 MB)")
    print(f"  load in Chromium      {load_seconds(path):6.2f} s   (goal <= 1 s)")


def many_events(folder: Path, n: int, skip_explore: bool) -> None:
    """Every event as a marker (like explore()), and aggregated in grid cells (the default
    above 50,000 events), against explore() on the same points."""
    from layers.kinds.events import EventsLayer
    from layers.render.mapping import BorderRiskMap

    events = synthetic_events(n)
    print(f"{n:,} events")
    results = {}
    for label, threshold in (("borderrisk, markers", n), ("borderrisk, aggregated", 0)):
        start = time.perf_counter()
        m = BorderRiskMap(title=f"{n:,} events", aggregate_above=threshold).add_layer(EventsLayer(events))
        html = m.to_html()
        seconds = time.perf_counter() - start
        path = folder / f"many-{threshold}.html"
        path.write_text(html, encoding="utf-8")
        results[label] = (seconds, len(html.encode()))
        print(
            f"  {label:<24} {seconds:6.2f} s   {len(html.encode()) / 1e6:6.1f} MB   "
            f"loads in Chromium in {load_seconds(path):.2f} s (offline)"
        )
    if skip_explore:
        return
    start = time.perf_counter()
    explore_html = events.explore().get_root().render()
    theirs, theirs_size = time.perf_counter() - start, len(explore_html.encode())
    print(f"  {'GeoDataFrame.explore':<24} {theirs:6.2f} s   {theirs_size / 1e6:6.1f} MB")
    for label, (seconds, size) in results.items():
        print(
            f"  ratio, {label:<17} {seconds / theirs:6.3f}     {size / theirs_size:6.3f}      "
            "(goals <= 0.2 time, <= 0.3 size)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--skip-explore", action="store_true", help="do not run the (slow) baseline")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        default_map(Path(folder))
        many_events(Path(folder), args.points, args.skip_explore)


if __name__ == "__main__":
    main()
