"""Whole commands on big ACLED exports, each beside the floor measured in the same run.

    python benchmarks/bench_scale.py [--rows 1000000 10000000] [--workers 1 2 4] [--limit-gb 8]

For each size, a synthetic export in ACLED's download layout (31 columns, ~250 bytes a row,
points scattered around the world's land borders) is written to a temporary folder, then each
command runs in its own process, timed from start to exit with its peak resident memory
(that of the command and the processes it starts, together: ``score`` measures distances in
a helper process):

- floor: pyarrow reads the CSV, shapely makes the points, an STRtree over every border segment
  finds the pairs within 100 km (``dwithin``) and ``shapely.distance`` measures them. Written
  here, independently of borderrisk's code: what any tool scoring this file must at least do.
- ``borderrisk score --events FILE --csv`` (every land border, 4,860 segments)
- ``borderrisk convert --events FILE -o DIR``
- ``borderrisk score --events DIR --csv``: the same events as a GeoParquet dataset in
  borderrisk's columns (written by this script, as convert writes them), read batch by batch
- ``borderrisk score --events DIR --engine dask`` on a LocalCluster of 1, 2, 4 single-threaded
  workers, its CSV compared byte for byte with the in-memory engine's (peak memory: the client
  process; the cluster's workers are started by this script, not by the command)
- ``borderrisk map --events FILE --focus ARG,BOL -o map.html``

Inputs above ``--all-commands-up-to`` rows run only ``--big-steps`` (default: the floor,
score, convert and score DIR), e.g. ``--big-steps score`` to show ten million rows scored in
bounded memory in one run that still fits an afternoon.

A command whose memory passes ``--limit-gb`` is stopped and reported as such, so a run never
starves the machine. The load average is printed: on a shared machine, it says how much the
figures are worth.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from borderrisk.scenarios.synthetic import write_acled

STEPS = ("floor", "score", "convert", "score-dir", "dask", "map")
FLOOR = """
import resource, sys, time
import numpy as np, pyarrow.csv as pv, shapely
start = time.perf_counter()
used = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "latitude", "longitude",
        "geo_precision", "fatalities"]
table = pv.read_csv(sys.argv[1], convert_options=pv.ConvertOptions(include_columns=used))
points = shapely.points(table["longitude"].to_numpy(), table["latitude"].to_numpy())
segments = shapely.from_wkb(np.load(sys.argv[2], allow_pickle=True))
near, segment = shapely.STRtree(segments).query(points, predicate="dwithin", distance=100 / 111.32)
km = shapely.distance(points[near], segments[segment]) * 111.32
print(f"{len(near)} pairs in {time.perf_counter() - start:.2f} s", file=sys.stderr)
"""


def write_inputs(export: Path, dataset: Path, rows: int) -> None:
    """A synthetic ACLED download (:func:`borderrisk.scenarios.synthetic.write_acled`), and the same
    events as a GeoParquet dataset in borderrisk's columns, as ``borderrisk convert`` writes."""
    dataset.mkdir()
    write_acled(
        export,
        rows,
        also=lambda number, table: as_events(table).to_parquet(
            dataset / f"part.{number:05d}.parquet", compression="zstd"
        ),
    )


def as_events(table) -> object:
    """A chunk of the synthetic ACLED download in borderrisk's event columns."""
    import geopandas as gpd
    import pandas as pd
    import pyarrow.compute as pc
    import shapely

    deaths = table["fatalities"].to_numpy().astype("int64")
    lon, lat = (table[c].to_numpy().astype("float64") for c in ("longitude", "latitude"))
    return gpd.GeoDataFrame(
        {
            "date": pd.to_datetime(table["event_date"].to_pandas(), format="%d %B %Y"),
            "date_precision": "day",
            "title": pc.binary_join_element_wise(table["sub_event_type"], table["location"], ": ").to_pandas(),
            "type": pc.utf8_lower(table["event_type"]).to_pandas(),
            "severity": np.digitize(deaths, [1, 3, 10, 50]) + 1,
            "actors": [[one, two] for one, two in zip(table["actor1"].to_pylist(), table["actor2"].to_pylist())],
            "place": table["location"].to_pandas(),
            "location_precision": np.where(table["geo_precision"].to_numpy() == "1", "exact", "approximate"),
            "fatalities": deaths,
        },
        geometry=shapely.points(lon, lat),
        crs="EPSG:4326",
    )


def write_segments(path: Path) -> None:
    """Every land border's 50 km segments as WKB, for the floor (the geometry is data, not code)."""
    import shapely

    from borderrisk.risk.model import segments_for

    np.save(path, np.array(shapely.to_wkb(segments_for(None, 50.0).geometry.to_numpy()), dtype=object))


def run(label: str, command: list[str], limit_gb: float, cwd: Path, stdout: Path | None = None) -> dict:
    """Run a command to its end; its wall time, its peak memory (its own, or that of it and
    its helper processes together when higher: sampled every 0.1 s), and whether it passed."""
    start = time.perf_counter()
    with open(stdout or os.devnull, "wb") as out, open(cwd / f"{label}.err", "wb") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd)
        stopped, tree_peak_kb = threading.Event(), [0]
        watcher = threading.Thread(target=_watch, args=(process.pid, limit_gb, stopped, tree_peak_kb), daemon=True)
        watcher.start()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    peak_kb = max(usage.ru_maxrss, tree_peak_kb[0])
    result = {"seconds": seconds, "peak_gb": peak_kb / 1024**2, "ok": process.returncode == 0}
    if stopped.is_set():
        result["note"] = f"stopped above {limit_gb:g} GB"
    elif process.returncode != 0:
        result["note"] = (cwd / f"{label}.err").read_text(errors="replace").strip().splitlines()[-1][:100]
    return result


def _watch(pid: int, limit_gb: float, stopped: threading.Event, tree_peak_kb: list[int]) -> None:
    """Every 0.1 s: the memory of the command and its descendants together (the highest is
    kept in ``tree_peak_kb``); above ``limit_gb`` the command is stopped."""
    while Path(f"/proc/{pid}").exists():
        rss_kb = sum(_rss_kb(p) for p in _tree(pid))
        tree_peak_kb[0] = max(tree_peak_kb[0], rss_kb)
        if rss_kb > limit_gb * 1024**2:
            stopped.set()
            os.kill(pid, 9)
            return
        time.sleep(0.1)


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants, whichever of their threads started them."""
    found, waiting = [], [pid]
    while waiting:
        parent = waiting.pop()
        found.append(parent)
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                waiting += [int(c) for c in children.read_text().split()]
            except OSError:
                continue
    return found


def _rss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in text.splitlines() if line.startswith("VmRSS:")), 0)


def show(name: str, result: dict, floor: dict) -> None:
    ratio = result["seconds"] / floor["seconds"]
    note = f"  ({result['note']})" if "note" in result else ""
    print(
        f"  {name:<44} {result['seconds']:8.1f} s {result['peak_gb']:6.2f} GB   "
        f"{ratio:5.2f}x floor ({floor['seconds']:.1f} s, {floor['peak_gb']:.2f} GB){note}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--limit-gb", type=float, default=8.0, help="stop a command above this memory")
    parser.add_argument(
        "--all-commands-up-to", type=int, default=2_000_000, help="larger inputs: floor, score, convert only"
    )
    parser.add_argument(
        "--skip", nargs="+", default=[], choices=STEPS, help="leave these steps out (e.g. on a busy machine)"
    )
    parser.add_argument(
        "--big-steps",
        nargs="+",
        default=["floor", "score", "convert", "score-dir"],
        choices=STEPS,
        help="the steps of inputs above --all-commands-up-to rows",
    )
    parser.add_argument("--write", nargs=3, metavar=("CSV", "DIR", "ROWS"), help=argparse.SUPPRESS)
    parser.add_argument("--segments", metavar="NPY", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        return write_inputs(Path(args.write[0]), Path(args.write[1]), int(args.write[2]))
    if args.segments:
        return write_segments(Path(args.segments))
    # Inputs are written by child processes: this one stays small, so a child's peak memory
    # (which counts what it had before exec) is its own.
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        segments = folder / "segments.npy"
        subprocess.run([sys.executable, __file__, "--segments", str(segments)], check=True)
        for rows in args.rows:
            export, dataset = folder / f"acled-{rows}.csv", folder / f"events-{rows}"
            start = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--write", str(export), str(dataset), str(rows)], check=True)
            print(
                f"\n{rows:,} rows: {export.stat().st_size / 1e6:,.0f} MB ACLED CSV and its GeoParquet dataset "
                f"(written in {time.perf_counter() - start:.0f} s); load {os.getloadavg()[0]:.1f}"
            )
            skip = set(args.skip) | (set(STEPS) - set(args.big_steps) if rows > args.all_commands_up_to else set())
            floor = {"seconds": float("nan"), "peak_gb": float("nan")}
            if "floor" not in skip:
                floor = run("floor", [sys.executable, "-c", FLOOR, str(export), str(segments)], args.limit_gb, folder)
                show("floor: pyarrow read + points + dwithin + distance", floor, floor)
            if "score" not in skip:
                result = run("score", _cmd("score", export, "--csv"), args.limit_gb, folder)
                show("score FILE --csv", result, floor)
            if "convert" not in skip:
                converted = folder / "converted"
                result = run("convert", _cmd("convert", export, "-o", converted), args.limit_gb, folder)
                show("convert FILE -o DIR", result, floor)
                shutil.rmtree(converted, ignore_errors=True)
            streamed = folder / "streamed.csv"
            if "score-dir" not in skip:
                result = run("score-dir", _cmd("score", dataset, "--csv"), args.limit_gb, folder, streamed)
                show("score DIR --csv (GeoParquet, batch by batch)", result, floor)
            if "dask" not in skip and streamed.exists():
                from bench_dask import cluster_runs

                cluster_runs(
                    dataset,
                    args.workers,
                    streamed,
                    folder,
                    lambda label, command, cwd, out: run(label, command, args.limit_gb, cwd, out),
                    functools.partial(show, floor=floor),
                )
            if "map" not in skip:
                html = folder / "map.html"
                result = run("map", _cmd("map", export, "--focus", "ARG,BOL", "-o", html), args.limit_gb, folder)
                show("map FILE --focus ARG,BOL -o map.html", result, floor)
            export.unlink()
            shutil.rmtree(dataset)
            print(f"  load average after: {os.getloadavg()[0]:.1f}")


def _cmd(name: str, events: Path, *rest: object) -> list[str]:
    return ["borderrisk", name, "--events", str(events), *(str(r) for r in rest)]


if __name__ == "__main__":
    main()
