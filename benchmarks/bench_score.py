"""Scoring many events against every land-border segment of the world: time and peak memory.

Each size runs in a fresh process, so its peak resident memory is its own.

    python benchmarks/bench_score.py [--sizes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = """
import json, resource, sys, time
sys.path.insert(0, "benchmarks")
from borderrisk.scenarios.synthetic import synthetic_events
from borderrisk.risk.model import score
from borderrisk.geo.borders import all_borders

n = int(sys.argv[1])
all_borders()
events = synthetic_events(n, world=True)
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
result = score(events=events)
seconds = time.perf_counter() - start
print(json.dumps({"events": n, "segments": len(result), "seconds": seconds,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "before_mb": rss_before / 1024, "scored": int((result.events > 0).sum())}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    print(f"{'events':>10} {'segments':>9} {'seconds':>8} {'peak MB':>8} {'segments with events':>21}")
    for n in args.sizes:
        out = subprocess.run([sys.executable, "-c", CHILD, str(n)], check=True, capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['events']:>10,} {r['segments']:>9,} {r['seconds']:>8.2f} {r['peak_mb']:>8.0f} {r['scored']:>21,}")


if __name__ == "__main__":
    main()
