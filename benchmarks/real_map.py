"""The real-volume map of docs/analyst.md: every event in UCDP's GED file for Syria, 1 January 2016 to
30 November 2019 (16,566 events of organised violence), mapped by the whole ``borderrisk map``
command with Syria's borders in focus. Prints the rows read and skipped, the command's time,
the HTML's size, the time Chromium takes until the page has settled (what PNG export waits
for) and the load average; writes the PNG, and a copy of it in 256 colours for the docs.

The data are UCDP's (CC BY 4.0; cite Sundberg & Melander 2013, JPR 50(4), and Pettersson,
Högbladh & Öberg 2019, JPR 56(4); codebook: Högbladh 2019, UCDP GED Codebook 19.1): the file
UCDP published as ``ged_syria.csv`` (GED 19.1 columns; unlike GED Global it keeps every clear
event, whatever its dyad's yearly death toll), as the R package knapply/data4ds4da keeps it:
``data/ucdp_syria_df.rda``, 1,025,210 bytes, commit a1a309a04617b235b59f4d90c92313d0237b6ea5.
It is not shipped here; fetch it once:

    curl -LO https://raw.githubusercontent.com/knapply/data4ds4da/a1a309a04617b235b59f4d90c92313d0237b6ea5/data/ucdp_syria_df.rda
    pip install ".[brief,bench]"   # pyreadr reads the .rda; the map reads the GED CSV written from it
    python benchmarks/real_map.py ucdp_syria_df.rda [--png docs/real-syria.png]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench_map import shown_load
from real_backtest import borderrisk, check_file

#: The file the docs' figures come from.
SHA256 = "8958fc493595566ce20b284b3142e55b313e6af4f699432adef0a09c5753db96"
MAP = ["map", "--focus", "SYR", "--title", "UCDP GED: Syria, 2016 to November 2019"]


def ged_csv(rda: Path, folder: Path) -> Path:
    """The events as the GED CSV UCDP published: the columns in the file's order, whole numbers
    written as whole numbers (R keeps every number as a double), dates as ``2016-01-01``."""
    import pyreadr

    frame = next(iter(pyreadr.read_r(str(rda)).values()))
    for column in frame.columns:
        values = frame[column]
        if values.dtype.kind == "f" and column not in ("latitude", "longitude") and (values.dropna() % 1 == 0).all():
            frame[column] = values.astype("Int64")
    path = folder / "ged_syria.csv"
    frame.to_csv(path, index=False)
    return path


def readme_copy(png: Path, target: Path) -> None:
    """The PNG in 256 colours (no dithering): the same picture at a quarter of the bytes."""
    from PIL import Image

    with Image.open(png) as picture:
        picture.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
            target, optimize=True
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rda", type=Path, help="ucdp_syria_df.rda from knapply/data4ds4da")
    parser.add_argument("--png", type=Path, default=Path("docs/real-syria.png"), help="the docs' picture")
    options = parser.parse_args()
    check_file(options.rda, SHA256)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        events = ged_csv(options.rda, folder)
        from borderrisk.layers.events import EventsLayer

        layer = EventsLayer.read(events, skip_bad_rows=True)
        frame = layer.frame
        print(
            f"{events.name}: {events.stat().st_size / 1e6:.1f} MB, {len(frame) + len(layer.skipped.problems):,} rows, "
            f"{len(frame):,} events read, {len(layer.skipped.problems):,} skipped; "
            f"{frame.date.min():%Y-%m-%d} to {frame.date.max():%Y-%m-%d}; "
            + ", ".join(f"{n:,} {kind}" for kind, n in frame["type"].value_counts().items())
        )
        html = folder / "syria.html"
        seconds = borderrisk(*MAP, "--events", str(events), "--skip-bad-rows", "-o", str(html))
        print(f"  whole command {seconds:.2f} s, HTML {html.stat().st_size / 1e6:.1f} MB")
        print(f"  in Chromium until settled: {shown_load(html)}")
        png = folder / "syria.png"
        seconds = borderrisk(*MAP, "--events", str(events), "--skip-bad-rows", "-o", str(png))
        options.png.parent.mkdir(parents=True, exist_ok=True)
        readme_copy(png, options.png)
        print(
            f"  whole command {seconds:.2f} s, PNG {png.stat().st_size / 1e3:.0f} kB; "
            f"{options.png} {options.png.stat().st_size / 1e3:.0f} kB"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
