"""The learned model's fit and back-test on a million events over 24 monthly origins, beside
one `score` of the same file: goal at most 3x (the learned back-test builds its features in
one pass over the pairs, carried from origin to origin, and refits its trees a dozen times,
not once per origin).

Each step runs in a fresh process, so its peak resident memory is its own.

    python benchmarks/bench_learned.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = """
import json, resource, sys, time
import numpy as np, pandas as pd
from borderrisk.geo.borders import all_borders
from borderrisk.scenarios.synthetic import synthetic_events

rows, step = int(sys.argv[1]), sys.argv[2]
all_borders()
events = synthetic_events(rows, seed=5, world=True)
# 25 months, 2022-01 to 2024-01: 24 monthly origins after the first month.
days = np.random.default_rng(5).integers(0, 761, rows)
events["date"] = pd.Timestamp("2022-01-01") + pd.to_timedelta(days, unit="D")
start = time.perf_counter()
if step == "score":
    from borderrisk.risk.model import score
    extra = {"segments": len(score(events=events))}
else:
    from borderrisk.risk.backtest import backtest
    result = backtest(events, every="month", model="learned")
    extra = {"segments": result.segments, "origins": result.origins, "positives": result.positives,
             "learned_aupr": result.metrics["learned"]["aupr"], "history_aupr": result.metrics["history"]["aupr"],
             "learners": result.as_dict()["learners"]}
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **extra}))
"""


def run(rows: int, step: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(rows), step], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    one = run(args.rows, "score")
    test = run(args.rows, "learned")
    print(f"{args.rows:,} events over 25 months, {one['segments']:,} segments of every land border")
    print(f"  one score (as of the last day)          {one['seconds']:7.1f} s   peak {one['peak_mb']:6.0f} MB")
    print(
        f"  learned fit + back-test ({test['origins']} origins)  {test['seconds']:7.1f} s"
        f"   peak {test['peak_mb']:6.0f} MB"
        f"   ({test['positives']:,} positives; AUPR learned {test['learned_aupr']}, history {test['history_aupr']};"
        f" learners {test['learners']})"
    )
    print(f"  ratio learned back-test / one score     {test['seconds'] / one['seconds']:7.2f}   (goal <= 3)")


if __name__ == "__main__":
    main()
