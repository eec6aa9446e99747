"""Whole commands on big ACLED exports, each beside the floor measured in the same run.

    python benchmarks/bench_scale.py [--rows 1000000 10000000] [--workers 1 2 4] [--limit-gb 8]

For each size, a synthetic export in ACLED's download layout (31 columns, ~250 bytes a row,
points scattered around the world's land borders) is written to a temporary folder, then each
command runs in its own process, timed from start to exit with its peak resident memory:

- floor: pyarrow reads the CSV, shapely makes the points, an STRtree over every border segment
  finds the pairs within 100 km (``dwithin``) and ``shapely.distance`` measures them. Written
  here, independently of borderrisk's code: what any tool scoring this file must at least do.
- ``borderrisk score --events FILE --csv`` (every land border, 4,860 segments)
- ``borderrisk convert --events FILE -o DIR`` and ``borderrisk score --events DIR --csv``
  (GeoParquet, read batch by batch)
- ``borderrisk map --events FILE --focus ARG,BOL -o map.html``
- ``borderrisk score --events DIR --engine dask`` on a LocalCluster of 1, 2, 4 single-threaded
  workers, its CSV compared with the in-memory engine's.

A command whose memory passes ``--limit-gb`` is stopped and reported as such, so a run never
starves the machine. The load average is printed: on a shared machine, it says how much the
figures are worth.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
TYPES = {
    "Battles": "Armed clash",
    "Protests": "Peaceful protest",
    "Riots": "Violent demonstration",
    "Explosions/Remote violence": "Shelling/artillery/missile attack",
    "Violence against civilians": "Attack",
    "Strategic developments": "Movement of forces",
}
ACTORS = [
    "Military Forces of Bolivia (2020-)",
    "Police Forces of Argentina (2019-2023)",
    "Protesters (Bolivia)",
    "Unidentified Armed Group (Colombia)",
    "Military Forces of Iran (1989-)",
    "Hezbollah",
    "Rioters (Peru)",
    "Civilians (Brazil)",
]
FLOOR = """
import resource, sys, time
import numpy as np, pyarrow.csv as pv, shapely
start = time.perf_counter()
table = pv.read_csv(sys.argv[1])
points = shapely.points(table["longitude"].to_numpy(), table["latitude"].to_numpy())
segments = shapely.from_wkb(np.load(sys.argv[2], allow_pickle=True))
near, segment = shapely.STRtree(segments).query(points, predicate="dwithin", distance=100 / 111.32)
km = shapely.distance(points[near], segments[segment]) * 111.32
print(f"{len(near)} pairs in {time.perf_counter() - start:.2f} s", file=sys.stderr)
"""


def write_acled(path: Path, rows: int, seed: int = 11, chunk: int = 1_000_000) -> None:
    """A synthetic ACLED download: every column of the layout, realistic names and notes, and
    points around the world's land borders (border vertices jittered by ~50 km)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pv
    import shapely

    from geo.borders import all_borders

    vertices = shapely.get_coordinates(all_borders().geometry.to_numpy())
    rng = np.random.default_rng(seed)
    types, subtypes = np.array(list(TYPES)), np.array(list(TYPES.values()))
    actors = np.array(ACTORS)
    with pv.CSVWriter(path, pa.schema([(c, pa.string()) for c in ACLED_COLUMNS])) as writer:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            xy = vertices[rng.integers(0, len(vertices), n)] + rng.normal(0, 0.5, (n, 2))
            days = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, n), unit="D")
            kind = rng.integers(0, len(types), n)
            ids = np.char.add("BOL", np.arange(start, start + n).astype(str))
            place = np.char.add("Place ", (np.arange(start, start + n) % 5000).astype(str))
            actor1, actor2 = actors[rng.integers(0, len(actors), n)], actors[rng.integers(0, len(actors), n)]
            deaths = rng.poisson(0.8, n).astype(str)
            notes = np.char.add(
                np.char.add("On ", days.strftime("%d %B %Y").to_numpy().astype(str)),
                np.char.add(", in ", np.char.add(place, ": " + "synthetic account of what happened there. " * 3)),
            )
            columns = {
                "event_id_cnty": ids,
                "event_date": days.strftime("%d %B %Y").to_numpy().astype(str),
                "year": days.year.astype(str).to_numpy(),
                "time_precision": np.full(n, "1"),
                "disorder_type": np.full(n, "Political violence"),
                "event_type": types[kind],
                "sub_event_type": subtypes[kind],
                "actor1": actor1,
                "assoc_actor_1": np.full(n, ""),
                "inter1": np.full(n, "1"),
                "actor2": actor2,
                "assoc_actor_2": np.full(n, ""),
                "inter2": np.full(n, "7"),
                "interaction": np.full(n, "17"),
                "civilian_targeting": np.full(n, ""),
                "iso": np.full(n, "68"),
                "region": np.full(n, "South America"),
                "country": np.full(n, "Bolivia"),
                "admin1": np.full(n, "Potosi"),
                "admin2": np.full(n, "Modesto Omiste"),
                "admin3": np.full(n, "Villazon"),
                "location": place,
                "latitude": np.char.mod("%.4f", np.clip(xy[:, 1], -89.0, 89.0)),
                "longitude": np.char.mod("%.4f", xy[:, 0]),
                "geo_precision": (1 + np.arange(n) % 3).astype(str),
                "source": np.full(n, "El Deber; Pagina Siete"),
                "source_scale": np.full(n, "National"),
                "notes": notes,
                "fatalities": deaths,
                "tags": np.full(n, ""),
                "timestamp": np.full(n, "1700000000"),
            }
            writer.write_table(pa.table({c: pa.array(columns[c].tolist()) for c in ACLED_COLUMNS}))


def write_segments(path: Path) -> None:
    """Every land border's 50 km segments as WKB, for the floor (the geometry is data, not code)."""
    import shapely

    from layers.risk.model import segments_for

    np.save(path, np.array(shapely.to_wkb(segments_for(None, 50.0).geometry.to_numpy()), dtype=object))


def run(label: str, command: list[str], limit_gb: float, cwd: Path, stdout: Path | None = None) -> dict:
    """Run a command to its end; its wall time, its own peak memory, and whether it passed."""
    start = time.perf_counter()
    with open(stdout or os.devnull, "wb") as out, open(cwd / f"{label}.err", "wb") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd)
        stopped = threading.Event()
        watcher = threading.Thread(target=_watch, args=(process.pid, limit_gb, stopped), daemon=True)
        watcher.start()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    result = {"seconds": seconds, "peak_gb": usage.ru_maxrss / 1024**2, "ok": process.returncode == 0}
    if stopped.is_set():
        result["note"] = f"stopped above {limit_gb:g} GB"
    elif process.returncode != 0:
        result["note"] = (cwd / f"{label}.err").read_text(errors="replace").strip().splitlines()[-1][:100]
    return result


def _watch(pid: int, limit_gb: float, stopped: threading.Event) -> None:
    status = Path(f"/proc/{pid}/status")
    while True:
        try:
            text = status.read_text()
        except OSError:
            return
        rss_kb = next((int(line.split()[1]) for line in text.splitlines() if line.startswith("VmRSS:")), 0)
        if rss_kb > limit_gb * 1024**2:
            stopped.set()
            os.kill(pid, 9)
            return
        time.sleep(0.1)


def show(name: str, result: dict, floor: dict) -> None:
    ratio = result["seconds"] / floor["seconds"]
    note = f"  ({result['note']})" if "note" in result else ""
    print(
        f"  {name:<44} {result['seconds']:8.1f} s {result['peak_gb']:6.2f} GB   "
        f"{ratio:5.2f}x floor ({floor['seconds']:.1f} s, {floor['peak_gb']:.2f} GB){note}"
    )


def dask_runs(dataset: Path, workers: list[int], limit_gb: float, folder: Path, floor: dict, reference: Path) -> None:
    from distributed import LocalCluster

    first = None
    for count in workers:
        with LocalCluster(n_workers=count, threads_per_worker=1, dashboard_address=None) as cluster:
            out = folder / f"dask{count}.csv"
            command = ["borderrisk", "score", "--events", str(dataset), "--csv", "--engine", "dask"]
            result = run(f"dask{count}", [*command, "--scheduler", cluster.scheduler_address], limit_gb, folder, out)
        first = first or (count, result["seconds"])
        speed_up = first[1] / result["seconds"]
        same = out.read_bytes() == reference.read_bytes()
        result["note"] = (
            f"{speed_up:.2f}x the speed of {first[0]} worker(s), {speed_up / (count / first[0]):.0%} of linear; "
            f"same CSV as in memory: {same}"
        )
        show(f"score DIR --engine dask, {count} worker(s)", result, floor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--limit-gb", type=float, default=8.0, help="stop a command above this memory")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        segments = folder / "segments.npy"
        write_segments(segments)
        for rows in args.rows:
            export = folder / f"acled-{rows}.csv"
            start = time.perf_counter()
            write_acled(export, rows)
            print(
                f"\n{rows:,} rows: {export.stat().st_size / 1e6:,.0f} MB ACLED CSV "
                f"(written in {time.perf_counter() - start:.0f} s); load {os.getloadavg()[0]:.1f}"
            )
            floor = run("floor", [sys.executable, "-c", FLOOR, str(export), str(segments)], args.limit_gb, folder)
            show("floor: pyarrow read + points + dwithin + distance", floor, floor)
            scored = folder / "scored.csv"
            show("score FILE --csv", run("score", _cmd("score", export, "--csv"), args.limit_gb, folder, scored), floor)
            dataset = folder / f"events-{rows}"
            converted = run("convert", _cmd("convert", export, "-o", dataset), args.limit_gb, folder)
            show("convert FILE -o DIR", converted, floor)
            if dataset.exists():
                streamed = folder / "streamed.csv"
                result = run("score-dir", _cmd("score", dataset, "--csv"), args.limit_gb, folder, streamed)
                show("score DIR --csv (GeoParquet, batch by batch)", result, floor)
                if args.workers and streamed.exists():
                    dask_runs(dataset, args.workers, args.limit_gb, folder, floor, streamed)
                shutil.rmtree(dataset)
            html = folder / "map.html"
            result = run("map", _cmd("map", export, "--focus", "ARG,BOL", "-o", html), args.limit_gb, folder)
            show("map FILE --focus ARG,BOL -o map.html", result, floor)
            export.unlink()
            print(f"  load average after: {os.getloadavg()[0]:.1f}")


def _cmd(name: str, events: Path, *rest: object) -> list[str]:
    return ["borderrisk", name, "--events", str(events), *(str(r) for r in rest)]


if __name__ == "__main__":
    main()
