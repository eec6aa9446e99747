"""All land borders of the world: borderrisk's edge sort against the naive approach.

The naive approach is what a GIS user would write first: an STRtree query for touching
countries, ``boundary ∩ boundary`` per pair, and a ``Geod.geometry_length`` loop. Goal: our
time ≤ 0.15× the naive time, same lengths within 0.1 %.

    python benchmarks/bench_borders.py
"""

from __future__ import annotations

import time

import numpy as np
import shapely
from shapely.strtree import STRtree

from borderrisk.geo import borders, countries, geodesy


def naive_all_borders(predicate: str) -> dict[tuple[str, str], float]:
    world = countries.countries()
    geoms = world.geometry.to_numpy()
    codes = world.code.to_numpy()
    tree = STRtree(geoms)
    left, right = tree.query(geoms, predicate=predicate)
    lengths = {}
    for i, j in zip(left, right):
        if i >= j:
            continue
        shared = shapely.intersection(geoms[i].boundary, geoms[j].boundary)
        lines = [
            g
            for g in shapely.get_parts(
                shapely.line_merge(
                    shapely.union_all([p for p in shapely.get_parts(shared) if p.geom_type == "LineString"])
                )
            )
        ]
        if lines:
            a, b = sorted((codes[i], codes[j]))
            lengths[(a, b)] = sum(geodesy.WGS84.geometry_length(line) for line in lines) / 1000.0
    return lengths


def best_of(runs: int, fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    countries.countries()  # loading the data is not what is measured
    touches_s, _ = best_of(1, lambda: naive_all_borders("touches"))
    naive_s, naive = best_of(2, lambda: naive_all_borders("intersects"))

    def ours():
        borders._all_borders.cache_clear()  # measured as built, not as cached
        return borders.all_borders()

    ours_s, frame = best_of(5, ours)
    mine = {(r.a, r.b): r.length_km for r in frame.itertuples()}
    common = sorted(set(naive) & set(mine))
    differences = {k: abs(mine[k] - naive[k]) / naive[k] for k in common}
    worst_pair = max(differences, key=differences.get)
    worst = differences[worst_pair]
    print(f"pairs: naive {len(naive)}, borderrisk {len(mine)}, in both {len(common)}")
    print(f"only naive: {sorted(set(naive) - set(mine))}; only borderrisk: {sorted(set(mine) - set(naive))}")
    print(f"naive, STRtree 'touches'    {touches_s:7.3f} s")
    print(f"naive, STRtree 'intersects' {naive_s:7.3f} s (the faster naive: the baseline)")
    print(f"borderrisk                  {ours_s:7.3f} s")
    print(f"ratio                       {ours_s / naive_s:7.3f} (goal <= 0.15)")
    print(f"largest length difference {worst:.5%} at {worst_pair} (goal <= 0.1%)")
    print(f"ARG-BOL: naive {naive[('ARG', 'BOL')]:.2f} km, borderrisk {mine[('ARG', 'BOL')]:.2f} km")
    assert np.isfinite(worst)


if __name__ == "__main__":
    main()
