"""A monthly trend against one score of the same events: the goal is a trend costing no more
than 3× a score, however many periods (events are paired with segments once).

Events: near every land border of the world, dated over the 12 months of 2023. Each size
runs in a fresh process, timing one ``score`` and one ``trend --every month`` there.

    python benchmarks/bench_trend.py [--sizes 100000 1000000] [--every month] [--by border]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = """
import json, sys, time
import numpy as np, pandas as pd
from borderrisk.geo.borders import all_borders
from borderrisk.scenarios.synthetic import synthetic_events
from borderrisk.risk.model import score
from borderrisk.risk.trend import trend

n, every, by = int(sys.argv[1]), sys.argv[2], sys.argv[3]
all_borders()
events = synthetic_events(n, world=True)
days = np.random.default_rng(1).integers(0, 365, n)
events["date"] = pd.Timestamp("2023-01-01") + pd.to_timedelta(days, unit="D")
start = time.perf_counter()
scored = score(events=events)
score_s = time.perf_counter() - start
start = time.perf_counter()
series = trend(events=events, every=every, by=by)
trend_s = time.perf_counter() - start
print(json.dumps({"events": n, "segments": len(scored), "periods": int(series.period.nunique()),
                  "rows": len(series), "score_s": score_s, "trend_s": trend_s}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--every", choices=["week", "month", "quarter"], default="month")
    parser.add_argument("--by", choices=["segment", "border", "country"], default="border")
    args = parser.parse_args()
    print(f"{'events':>10} {'segments':>9} {'periods':>8} {'score s':>8} {'trend s':>8} {'trend/score':>12}")
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(n), args.every, args.by], check=True, capture_output=True, text=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        ratio = r["trend_s"] / r["score_s"]
        print(
            f"{r['events']:>10,} {r['segments']:>9,} {r['periods']:>8} {r['score_s']:>8.2f} {r['trend_s']:>8.2f} "
            f"{ratio:>11.2f}× (goal ≤ 3×)"
        )


if __name__ == "__main__":
    main()
