"""A monthly back-test of a 12-month events file over every land border of the world, beside
one `score` of the same file: the back-test should cost a few times one score, not one score
per origin.

Each step runs in a fresh process, so its peak resident memory is its own.

    python benchmarks/bench_backtest.py [--rows 1000000]
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
# Twelve months of 2023.
days = np.random.default_rng(5).integers(0, 365, rows)
events["date"] = pd.Timestamp("2023-01-01") + pd.to_timedelta(days, unit="D")
start = time.perf_counter()
if step == "score":
    from borderrisk.risk.model import score
    result = score(events=events)
    extra = {"segments": len(result)}
else:
    from borderrisk.risk.backtest import backtest
    result = backtest(events, every="month")
    extra = {"segments": result.segments, "origins": result.origins, "positives": result.positives,
             "auroc": result.metrics["score"]["auroc"], "persistence_auroc": result.metrics["persistence"]["auroc"]}
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
    test = run(args.rows, "backtest")
    print(f"{args.rows:,} events over 12 months, {one['segments']:,} segments of every land border")
    print(f"  one score (as of the last day)     {one['seconds']:7.1f} s   peak {one['peak_mb']:6.0f} MB")
    print(
        f"  monthly back-test ({test['origins']} origins)     {test['seconds']:7.1f} s   peak {test['peak_mb']:6.0f} MB"
        f"   ({test['positives']:,} positives; AUROC score {test['auroc']}, persistence {test['persistence_auroc']})"
    )
    print(f"  ratio back-test / one score        {test['seconds'] / one['seconds']:7.2f}")


if __name__ == "__main__":
    main()
