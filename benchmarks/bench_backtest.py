"""A monthly back-test over every land border of the world, beside one `score` of the same
file: the back-test should cost a few times one score, not one score per origin.

- ``--model formula`` (the default): a 12-month file, the score's own back-test.
- ``--model learned``: a 25-month file (24 monthly origins) whose events cluster around
  drifting hot spots, the learned model fitted and back-tested; goal at most 3x one score (its
  features are built in one pass over the pairs
  table, carried from origin to origin, its trees grown on one thread from bins placed on a
  sample, and refitted a dozen times, not once per origin).

Each step runs in a fresh process, so its peak resident memory is its own. Each prints its
wall-clock seconds and its CPU seconds (its own and its helper processes'): on a machine shared
with other jobs the wall clock waits for cores, the CPU time does not.

    python benchmarks/bench_backtest.py [--rows 200000 1000000] [--model learned]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

MONTHS = {"formula": 12, "learned": 25}

CHILD = """
import json, resource, sys, time
import numpy as np, pandas as pd, shapely
from borderrisk.geo.borders import all_borders
from borderrisk.scenarios.synthetic import synthetic_events


def clustered(events, first, months):
    # The same events moved where violence clusters, so that a learned model has something to
    # learn and quiet segments to tell apart (scattered evenly, a million events reach every
    # segment every month, and a model of all-positive outcomes grows no trees): 99 % fall
    # within ~20 km of 300 hot border points, a tenth of which move each month, 1 % anywhere.
    rng = np.random.default_rng(7)
    xy = shapely.get_coordinates(all_borders().geometry.to_numpy())
    hot = rng.integers(0, len(xy), 300)
    month = ((events["date"].dt.year - first.year) * 12 + events["date"].dt.month - first.month).to_numpy()
    picks = np.empty((len(events), 2))
    for m in range(months):
        moved = rng.random(len(hot)) < 0.1
        hot[moved] = rng.integers(0, len(xy), moved.sum())
        rows = np.flatnonzero(month == m)
        spot = xy[hot[rng.integers(0, len(hot), len(rows))]] + rng.normal(0, 0.2, (len(rows), 2))
        anywhere = xy[rng.integers(0, len(xy), len(rows))] + rng.normal(0, 0.5, (len(rows), 2))
        picks[rows] = np.where((rng.random(len(rows)) < 0.99)[:, None], spot, anywhere)
    picks[:, 1] = np.clip(picks[:, 1], -89, 89)
    return events.set_geometry(shapely.points(picks), crs="EPSG:4326")

rows, step, model, months = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
all_borders()
events = synthetic_events(rows, seed=5, world=True)
first = pd.Timestamp("2023-01-01") - pd.DateOffset(months=months - 12)
days = np.random.default_rng(5).integers(0, ((first + pd.DateOffset(months=months)) - first).days, rows)
events["date"] = first + pd.to_timedelta(days, unit="D")
if model == "learned":
    events = clustered(events, first, months)
cpu_before = sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
                 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
start = time.perf_counter()
if step == "score":
    from borderrisk.risk.model import score
    extra = {"segments": len(score(events=events))}
else:
    from borderrisk.risk.backtest import backtest
    result = backtest(events, every="month", model=model)
    extra = {"origins": result.origins, "positives": result.positives,
             "learners": sorted(set(result.predictions.learners)),
             "aupr": {name: figures["aupr"] for name, figures in result.metrics.items()}}
seconds = time.perf_counter() - start
used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
cpu = sum(u.ru_utime + u.ru_stime for u in used) - cpu_before
peak = used[0].ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak, **extra}))
"""


def run(rows: int, step: str, model: str) -> dict:
    arguments = [str(rows), step, model, str(MONTHS[model])]
    out = subprocess.run([sys.executable, "-c", CHILD, *arguments], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--model", choices=sorted(MONTHS), default="formula")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} before")
    for rows in args.rows:
        report(rows, args.model)
    print(f"load average {os.getloadavg()[0]:.1f} after")


def report(rows: int, model: str) -> None:
    one = run(rows, "score", model)
    test = run(rows, "backtest", model)
    print(f"{rows:,} events over {MONTHS[model]} months, {one['segments']:,} segments of every land border")
    print(
        f"  one score (as of the last day)          {one['seconds']:7.1f} s  CPU {one['cpu']:6.1f} s"
        f"   peak {one['peak_mb']:6.0f} MB"
    )
    print(
        f"  {model} back-test ({test['origins']} origins)  {test['seconds']:7.1f} s  CPU {test['cpu']:6.1f} s"
        f"   peak {test['peak_mb']:6.0f} MB   ({test['positives']:,} positives; AUPR {test['aupr']})"
    )
    if test["learners"]:
        print(f"  learners at the origins: {', '.join(test['learners'])}")
    goal = "   (goal <= 3)" if model == "learned" else ""
    print(
        f"  ratio back-test / one score             {test['seconds'] / one['seconds']:7.2f} wall clock,"
        f" {test['cpu'] / one['cpu']:.2f} CPU{goal}"
    )


if __name__ == "__main__":
    main()
