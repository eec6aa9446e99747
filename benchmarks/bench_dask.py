"""The dask engine on a LocalCluster of 1, 2 and 4 single-threaded workers, from one run.

    python benchmarks/bench_dask.py [--rows 1000000] [--workers 1 2 4] [--scheduler ADDRESS]

Events near every land border of the world (synthetic, with actors and deaths) are written as
a GeoParquet dataset in input order, ten parts of 100,000 rows, as ``borderrisk convert``
writes an export sorted by date: every part is scattered over the whole world. Then:

1. What regrouping by place would buy: each partition paired with the 4,860 segments of every
   land border and tallied, in this process on one core, as a worker does it; first the
   dataset's own parts (the engine pairs them where they are read), then the same events cut
   along a Hilbert curve (as the engine cuts an in-memory frame). Printed: the segments each
   partition meets and the seconds it takes.
2. ``borderrisk score --events DIR --csv``, the in-memory engine: the reference CSV, and a
   time to compare with.
3. ``borderrisk score --events DIR --engine dask --scheduler ADDRESS --csv`` on a LocalCluster
   of each size (started before the command, not timed; one thread per worker), each timed
   from start to exit, its speed printed as a ratio to one worker's and its CSV compared byte
   for byte with the in-memory engine's.

The machine's cores and load average are printed with every timing: workers beyond the cores
share them, so on 2 cores 4 workers cannot beat 2, and a loaded machine gives less to each.
CPU seconds are printed too (the command's and its workers'): a busy machine stretches wall
time, much less the CPU time the work takes, so they show what more workers cost.
With ``--scheduler``, step 3 runs once, on that cluster (whose workers must see the dataset
at the same path, e.g. with ``--folder`` on a shared disk).
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

PART_ROWS = 100_000
#: The as-of date of step 1: after every synthetic event.
AS_OF = date(2025, 1, 1)
ACTORS = np.array(["Rebels", "Police Forces", "Military Forces of Iran (1989-)", "Smugglers", "Civilians", "Hezbollah"])


def cores() -> str:
    """The cores this process may use and the load on them, for every printed timing."""
    return f"{len(os.sched_getaffinity(0))} cores, load average {os.getloadavg()[0]:.1f}"


def write_dataset(folder: Path, rows: int) -> None:
    """Events near every land border in parts of :data:`PART_ROWS`, each part world-wide."""
    from borderrisk.scenarios.synthetic import synthetic_events

    folder.mkdir()
    for number, start in enumerate(range(0, rows, PART_ROWS)):
        size = min(PART_ROWS, rows - start)
        part = synthetic_events(size, seed=number, world=True).set_axis(range(start, start + size))
        rng = np.random.default_rng(number)
        pairs = rng.integers(0, len(ACTORS), (size, 2))
        part["title"] = [f"Event {i}" for i in part.index]
        part["actors"] = [list(ACTORS[p]) for p in pairs]
        part["fatalities"] = rng.poisson(0.7, size)
        part.to_parquet(folder / f"part.{number:05d}.parquet", compression="zstd")


def pairing_per_partition(dataset: Path) -> None:
    """Step 1: the dataset's parts as the engine pairs them (where they are read), then the
    same events cut along the curve (as the engine cuts an in-memory frame), paired here."""
    import dask_geopandas
    import pandas as pd

    from borderrisk.risk.dask_engine import curve_order
    from borderrisk.risk.model import SCORED, segments_for

    given = dask_geopandas.read_parquet(dataset)
    given = given[[c for c in given.columns if c in (*SCORED, "geometry")]]
    parts = [given.get_partition(n).compute() for n in range(given.npartitions)]
    whole = pd.concat(parts)
    by_place = whole.iloc[curve_order(whole.geometry)]
    cut = np.cumsum([0, *map(len, parts)])
    segments = segments_for(None, 50.0)
    for label, partitions in (
        ("the dataset's parts (as read)", parts),
        ("the same events cut by place", [by_place.iloc[a:b] for a, b in itertools.pairwise(cut)]),
    ):
        met, seconds, cpu = zip(*(_paired_and_tallied(p, segments) for p in partitions))
        print(
            f"  {label:<36} {len(met):3d} partitions: segments met {np.mean(met):6.0f} on average "
            f"(min {min(met)}, max {max(met)} of {len(segments):,}); paired and tallied in {sum(seconds):5.1f} s, "
            f"{sum(cpu):5.1f} s of CPU ({cores()})"
        )


def _paired_and_tallied(part, segments) -> tuple[int, float, float]:
    """Segments met by a partition, and the wall and CPU seconds of its pairing and tally (CPU
    time is what a busy machine does not inflate)."""
    from borderrisk.risk.config import RiskConfig
    from borderrisk.risk.dask_engine import partition_tallies

    config, countries = RiskConfig.load(), sorted(set(segments.a) | set(segments.b))
    start, cpu = time.perf_counter(), time.process_time()
    tallies = partition_tallies(part, segments, countries, config, AS_OF)
    return int((tallies.segments.counts > 0).sum()), time.perf_counter() - start, time.process_time() - cpu


def cluster_runs(dataset: Path, workers: list[int], reference: Path, folder: Path, run, show) -> None:
    """Step 3: ``score --engine dask`` on a LocalCluster of each size, ``run`` timing the
    command and ``show`` printing it with a note (see ``bench_scale.py``)."""
    from distributed import LocalCluster

    available = len(os.sched_getaffinity(0))
    first = None
    for count in workers:
        before = _children_cpu()
        with LocalCluster(n_workers=count, threads_per_worker=1, dashboard_address=None) as cluster:
            result = _score_on(cluster.scheduler_address, dataset, folder, f"dask{count}", run)
        cpu = _children_cpu() - before
        first = first or (count, result["seconds"], cpu)
        speed = first[1] / result["seconds"]
        contended = f"; {count} workers on {available} cores cannot beat {available}" if count > available else ""
        result["note"] = (
            f"{speed:.2f}x the speed of {first[0]} worker(s) (linear: {count / first[0]:g}x){contended}; "
            f"{cpu:.0f} s of CPU in the command and its workers ({cpu / first[2]:.2f}x {first[0]} worker(s)'); "
            f"{cores()}; same CSV as in memory: {(folder / f'dask{count}.csv').read_bytes() == reference.read_bytes()}"
        )
        show(f"score DIR --engine dask, {count} worker(s)", result)


def _children_cpu() -> float:
    """CPU seconds of this process's ended children: the commands and the clusters' workers."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _score_on(scheduler: str, dataset: Path, folder: Path, label: str, run) -> dict:
    command = ["borderrisk", "score", "--events", str(dataset), "--csv", "--engine", "dask", "--scheduler", scheduler]
    return run(label, command, folder, folder / f"{label}.csv")


def main() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_scale import run

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--scheduler", metavar="ADDRESS", help="run step 3 once, on this cluster")
    parser.add_argument("--folder", type=Path, help="write the dataset here (default: a temporary folder)")
    parser.add_argument("--limit-gb", type=float, default=8.0, help="stop a command above this memory")
    args = parser.parse_args()

    def timed(label, command, folder, out):
        return run(label, command, args.limit_gb, folder, out)

    def show(name, result):
        note = f"  ({result['note']})" if "note" in result else ""
        print(f"  {name:<40} {result['seconds']:7.1f} s {result['peak_gb']:5.2f} GB client{note}")

    with tempfile.TemporaryDirectory(dir=args.folder) as tmp:
        folder = Path(tmp)
        dataset = folder / "events"
        start = time.perf_counter()
        write_dataset(dataset, args.rows)
        parts = len(list(dataset.iterdir()))
        print(f"{args.rows:,} events in {parts} parts, written in {time.perf_counter() - start:.0f} s ({cores()})")
        print("1. pairing and tallying per partition, one core:")
        pairing_per_partition(dataset)
        print("2. the in-memory engine:")
        reference = folder / "memory.csv"
        result = timed("memory", ["borderrisk", "score", "--events", str(dataset), "--csv"], folder, reference)
        result["note"] = cores()
        show("score DIR --csv", result)
        print("3. the dask engine:")
        if args.scheduler:
            result = _score_on(args.scheduler, dataset, folder, "given", timed)
            result["note"] = f"same CSV as in memory: {(folder / 'given.csv').read_bytes() == reference.read_bytes()}"
            show(f"score DIR --engine dask --scheduler {args.scheduler}", result)
        else:
            cluster_runs(dataset, args.workers, reference, folder, timed, show)


if __name__ == "__main__":
    main()
