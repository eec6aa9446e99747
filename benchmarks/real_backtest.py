"""The back-test on real data of docs/validation.md: every UCDP GED 23.1 event in the Central African
Republic (1,848 events, 1991-08-08 to 2022-12-30), scored monthly over the country's borders
from January 2014, beside persistence, history and a random rank; then the fit, judged on the
later third of the months only.

The data are UCDP's (CC BY 4.0; cite Davies, Pettersson & Öberg 2023, JPR 60(4), and Sundberg &
Melander 2013, JPR 50(4)), as the public extract github.com/optgeo/ucdp-23.1-482 (CC0) saves
them: GEDEvent_v23_1.geojson, 2,844,617 bytes, commit be05b36cd56d147ca1d47bb392c186b6b7447d56.
It is not shipped here; fetch it once:

    curl -LO https://raw.githubusercontent.com/optgeo/ucdp-23.1-482/be05b36cd56d147ca1d47bb392c186b6b7447d56/GEDEvent_v23_1.geojson
    python benchmarks/real_backtest.py GEDEvent_v23_1.geojson [--charts docs]

It prints both reports and writes backtest-real.png (the default config) and
backtest-real-fitted.png (the fitted one, out of sample) into --charts.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The file the docs' figures come from.
SHA256 = "50d8777d20bfae5be57e96dd49289483c70f8cbf6afd8d7962a8a6cb4c8d6bc0"
BACKTEST = ["backtest", "--focus", "CAF", "--every", "month", "--from", "2014-01-01"]


def borderrisk(*arguments: str) -> float:
    """Runs one whole command, shown as typed; its seconds, interpreter start to exit."""
    print("$ borderrisk " + " ".join(arguments), flush=True)
    start = time.perf_counter()
    code = subprocess.run([sys.executable, "-m", "borderrisk.cli", *arguments], check=False).returncode
    if code:
        sys.exit(code)  # the command said why on stderr
    return time.perf_counter() - start


def check_file(path: Path, sha256: str) -> None:
    """Says so when ``path`` is not the file the docs' figures come from."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        print(f"note: {path} is not the docs' file (sha256 {digest}); figures will differ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", type=Path, help="GEDEvent_v23_1.geojson from optgeo/ucdp-23.1-482")
    parser.add_argument("--charts", type=Path, default=Path("docs"), help="folder for the two charts")
    options = parser.parse_args()
    check_file(options.events, SHA256)
    events = str(options.events)
    options.charts.mkdir(parents=True, exist_ok=True)
    borderrisk(*BACKTEST, "--events", events, "-o", str(options.charts / "backtest-real.png"))
    with tempfile.TemporaryDirectory() as folder:
        fitted = Path(folder) / "risk-fitted.toml"
        borderrisk(
            *BACKTEST, "--events", events, "--fit", str(fitted), "-o", str(options.charts / "backtest-real-fitted.png")
        )
        print(fitted.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
