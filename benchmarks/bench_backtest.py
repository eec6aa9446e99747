"""A monthly back-test over every land border of the world, beside one `score` of the same
file: the back-test should cost a few times one score, not one score per origin.

- ``--model formula`` (the default): a 12-month file, the score's own back-test.
- ``--model learned``: a 25-month file (24 monthly origins), the learned model fitted and
  back-tested; goal at most 3x one score (its features are built in one pass over the pairs,
  carried from origin to origin, and its trees refitted a dozen times, not once per origin).

Each step runs in a fresh process, so its peak resident memory is its own.

    python benchmarks/bench_backtest.py [--rows 1000000] [--model learned]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

MONTHS = {"formula": 12, "learned": 25}

CHILD = """
import json, resource, sys, time
import numpy as np, pandas as pd
from borderrisk.geo.borders import all_borders
from borderrisk.scenarios.synthetic import synthetic_events

rows, step, model, months = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
all_borders()
events = synthetic_events(rows, seed=5, world=True)
first = pd.Timestamp("2023-01-01") - pd.DateOffset(months=months - 12)
days = np.random.default_rng(5).integers(0, ((first + pd.DateOffset(months=months)) - first).days, rows)
events["date"] = first + pd.to_timedelta(days, unit="D")
start = time.perf_counter()
if step == "score":
    from borderrisk.risk.model import score
    extra = {"segments": len(score(events=events))}
else:
    from borderrisk.risk.backtest import backtest
    result = backtest(events, every="month", model=model)
    extra = {"origins": result.origins, "positives": result.positives,
             "aupr": {name: figures["aupr"] for name, figures in result.metrics.items()}}
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **extra}))
"""


def run(rows: int, step: str, model: str) -> dict:
    arguments = [str(rows), step, model, str(MONTHS[model])]
    out = subprocess.run([sys.executable, "-c", CHILD, *arguments], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--model", choices=sorted(MONTHS), default="formula")
    args = parser.parse_args()
    one = run(args.rows, "score", args.model)
    test = run(args.rows, "backtest", args.model)
    print(f"{args.rows:,} events over {MONTHS[args.model]} months, {one['segments']:,} segments of every land border")
    print(f"  one score (as of the last day)          {one['seconds']:7.1f} s   peak {one['peak_mb']:6.0f} MB")
    print(
        f"  {args.model} back-test ({test['origins']} origins)  {test['seconds']:7.1f} s"
        f"   peak {test['peak_mb']:6.0f} MB   ({test['positives']:,} positives; AUPR {test['aupr']})"
    )
    goal = "   (goal <= 3)" if args.model == "learned" else ""
    print(f"  ratio back-test / one score             {test['seconds'] / one['seconds']:7.2f}{goal}")


if __name__ == "__main__":
    main()
