"""Reading events placed by name against the same events with coordinates.

100,000 GTD-style rows naming 2,000 distinct towns of 20 countries (and one name in a hundred
that is nowhere to be found), read once with their coordinates and once with the coordinate
cells empty, so every row is placed by its ``city`` within its ``country_txt``. Goal: the
place-only read takes at most 3x the time of the read with coordinates. The gazetteer's
one-off load (once per process) is printed apart; the lookups themselves are measured with
their cache emptied, as a new command starts.

    python benchmarks/bench_places.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

import numpy as np

from borderrisk.data.formats import locating, namesakes
from borderrisk.geo.countries import resolve
from borderrisk.geo.places import find_place, places
from borderrisk.layers.events import EventsLayer

GOAL = 3.0
#: The GTD columns the reading uses.
COLUMNS = ["eventid", "iyear", "imonth", "iday", "city", "country_txt", "latitude", "longitude", "nkill", "gname"]


def write(path: Path, rows: int, with_coordinates: bool) -> None:
    towns = places()[~places().seat]
    chosen = towns[towns.country.isin(towns.country.value_counts().index[:20])].sample(2_000, random_state=1)
    names = {code: resolve(code).name for code in chosen.country.unique()}
    picks = np.random.default_rng(2).integers(0, len(chosen), rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        for i, pick in enumerate(picks):
            town = chosen.iloc[pick]
            city = "Nowhere Junction" if i % 100 == 0 else town["name"]
            cells = {"latitude": f"{town.geometry.y:.5f}", "longitude": f"{town.geometry.x:.5f}"}
            if not with_coordinates:
                cells = {"latitude": "", "longitude": ""}
            date = {"iyear": "1995", "imonth": str(1 + i % 12), "iday": str(1 + i % 28)}
            row = {
                "eventid": str(i),
                "city": city,
                "country_txt": names[town.country],
                "nkill": "1",
                "gname": "Unknown",
            }
            writer.writerow({**row, **date, **cells})


def timed(path: Path) -> tuple[float, EventsLayer]:
    locating._spot.cache_clear()
    locating._country.cache_clear()
    namesakes._spread.cache_clear()
    namesakes._candidates.cache_clear()
    start = time.perf_counter()
    layer = EventsLayer.read(path)
    return time.perf_counter() - start, layer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        located, named = Path(folder) / "located.csv", Path(folder) / "named.csv"
        write(located, args.rows, True)
        write(named, args.rows, False)
        start = time.perf_counter()
        find_place("La Paz, BO")  # loads the gazetteer and its indexes
        load = time.perf_counter() - start
        timed(located)  # warm: imports, first reads
        with_coordinates, _ = min((timed(located) for _ in range(2)), key=lambda t: t[0])
        by_name, layer = min((timed(named) for _ in range(2)), key=lambda t: t[0])
    ratio = by_name / with_coordinates
    print(f"rows: {args.rows:,}; gazetteer load (once per process): {load:.2f} s")
    print(f"with coordinates: {with_coordinates:.2f} s; by place name: {by_name:.2f} s")
    print(f"placed to their country (name not found): {sum(layer.skipped.unfound.values()):,}")
    print(f"placed at an ambiguous namesake: {sum(layer.skipped.ambiguous.values()):,}")
    print(f"ratio: {ratio:.2f}x (goal <= {GOAL:g}x) {'OK' if ratio <= GOAL else 'OVER'}")


if __name__ == "__main__":
    main()
