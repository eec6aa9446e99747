"""A million-row ACLED export, end to end: read (with progress), score on both engines, map.

    python benchmarks/bench_scale.py [--rows 1000000]

Prints time for each step, the peak memory of this process, whether the dask engine's scores
equal the in-memory ones, and the map's size and load time in Chromium.
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
from bench_map import load_seconds

from layers.data.formats.acled import ACLED
from layers.scenarios.synthetic import synthetic_events

TYPES = [
    "Battles",
    "Protests",
    "Riots",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Strategic developments",
]


def write_acled(path: Path, rows: int) -> None:
    """A synthetic export with the ACLED columns borderrisk reads, near the world's land borders."""
    events = synthetic_events(rows, seed=11, world=True)
    rng = np.random.default_rng(11)
    kinds = rng.integers(0, len(TYPES), rows)
    deaths = rng.poisson(0.8, rows)
    columns = ACLED.columns
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for i, (date, point) in enumerate(zip(events.date.dt.strftime("%d %B %Y"), events.geometry)):
            cells = {
                "event_id_cnty": f"X{i}",
                "event_date": date,
                "event_type": TYPES[kinds[i]],
                "sub_event_type": "Sub type",
                "actor1": "Actor A",
                "actor2": "Actor B",
                "country": "",  # points anywhere in the world: no one country
                "location": f"Place {i % 5000}",
                "latitude": f"{point.y:.4f}",
                "longitude": f"{point.x:.4f}",
                "geo_precision": 1 + i % 3,
                "fatalities": deaths[i],
                "notes": "Synthetic note",
                "source": "Synthetic source",
            }
            writer.writerow([cells.get(c, "") for c in columns])


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    print(f"  {label:<38} {time.perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    from layers.kinds.events import EventsLayer
    from layers.render.mapping import BorderRiskMap
    from layers.risk.model import score

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        export = folder / "acled.csv"
        timed(f"write a {args.rows:,}-row ACLED CSV", lambda: write_acled(export, args.rows))
        print(f"  (file size {export.stat().st_size / 1e6:.0f} MB)")
        seen = []
        layer = timed("read it (pyarrow batches, vectorised)", lambda: EventsLayer.read(export, progress=seen.append))
        print(f"  (progress callbacks: {len(seen)}, bytes reported {sum(seen) / 1e6:.0f} MB)")
        in_memory = timed("score every land border, in memory", lambda: score(events=layer.frame))
        dataset = folder / "events"
        import dask_geopandas

        timed(
            "write a GeoParquet dataset (8 parts)",
            lambda: dask_geopandas.from_geopandas(layer.frame, npartitions=8).to_parquet(dataset),
        )
        on_dask = timed(
            "score on dask (local cluster)", lambda: score(events=dask_geopandas.read_parquet(dataset), engine="dask")
        )
        same = in_memory.drop(columns="geometry").equals(on_dask.drop(columns="geometry"))
        print(f"  dask scores equal in-memory scores: {same}")
        html = folder / "map.html"
        m = BorderRiskMap(focus=["ARG", "BOL"], title="1M events").add_layer(layer)
        timed("map: build and write (aggregated)", lambda: m.save(html))
        print(f"  (HTML {html.stat().st_size / 1e6:.1f} MB; loads in Chromium in {load_seconds(html):.2f} s)")
        print(f"  peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
