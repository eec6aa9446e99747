"""How far rows placed by name land from their true points, on real ACLED files present locally.

Each file is read twice: as delivered (the true points), and with its coordinates removed, so
every row is placed by ``location`` within its ``admin1..3`` and country. Rows are matched by
``event_id_cnty``; the script prints the rows more than ``--km`` off and how many of those were
reported (placed only to their country, or at an ambiguous namesake), and how many rows
reported as ambiguous were in fact placed near their truth. Goal: none unreported. With
``--before``, namesakes are neither told apart nor reported (the reading before they were).
ACLED files are never committed: pass paths (e.g. under /work/realdata/).

    python benchmarks/namesakes_real.py /work/realdata/RPanlilio_acled.csv [--km 200]
"""

from __future__ import annotations

import argparse
import tempfile
import zipfile
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pandas as pd

from borderrisk.data.formats import namesakes
from borderrisk.data.formats.acled import ACLED
from borderrisk.data.formats.namesakes import settle
from borderrisk.geo.geodesy import segment_lengths_km
from borderrisk.layers.events import EventsLayer

#: A row placed this close (km) to its truth was right, even if reported as ambiguous.
NEAR_KM = 50.0
AREAS = list(ACLED.areas)


def table(path: Path) -> pd.DataFrame:
    """The export's rows as text, whatever the container (CSV, a zip's CSV, GeoJSON)."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            member = next(n for n in archive.namelist() if n.lower().endswith(".csv"))
            with archive.open(member) as handle:
                return pd.read_csv(handle, dtype=str, keep_default_na=False)
    if path.suffix in (".geojson", ".json"):
        import geopandas as gpd

        return pd.DataFrame(gpd.read_file(path).drop(columns="geometry")).astype(str)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def measure(path: Path, km: float, before: bool) -> str:
    truth = EventsLayer.read(path, skip_bad_rows=True).frame
    rows = table(path).rename(columns=str.lower).assign(latitude="", longitude="")
    # (location, admin3, admin2, admin1) judged ambiguous, one judgement each; a row placed by an
    # area is judged by that area and the larger ones: (admin2, admin1) for one placed by admin2
    doubted: set[tuple] = set()

    def recorded(names, codes, areas, spot):
        chosen, ambiguous = (
            (np.full(len(names), None), np.zeros(len(names), bool)) if before else settle(names, codes, areas, spot)
        )
        doubted.update(zip(*(column[ambiguous] for column in [names, *areas])))
        return chosen, ambiguous

    with tempfile.TemporaryDirectory() as folder, patch.object(namesakes, "settle", recorded):
        blind = Path(folder) / "acled.csv"
        rows.to_csv(blind, index=False)
        layer = EventsLayer.read(blind, skip_bad_rows=True)
    raw = rows.drop_duplicates("event_id_cnty").set_index("event_id_cnty")[["location", *AREAS]].add_prefix("raw_")
    named = layer.frame.merge(raw, left_on="event_id", right_index=True)
    both = truth[["event_id", "lat", "lon"]].merge(named, on="event_id", suffixes=("", "_named"))
    distance = segment_lengths_km(
        both.lon.to_numpy(), both.lat.to_numpy(), both.lon_named.to_numpy(), both.lat_named.to_numpy()
    )
    off, near = distance > km, distance < NEAR_KM
    keys = zip(*(both[f"raw_{c}"].str.strip() for c in ["location", *AREAS]))
    by_area = both.location_precision.eq("approximate").to_numpy()
    ambiguous = np.array(
        [
            key in doubted or (area and any(key[i:] in doubted for i in range(1, len(key))))
            for key, area in zip(keys, by_area)
        ],
        dtype=bool,
    )
    told = off & (both.location_precision.eq("country").to_numpy() | ambiguous)
    silent = both[off & ~told]
    commonest = ", ".join(f"{n} ({c})" for n, c in silent.place.value_counts().head(8).items())
    return (
        f"{path.name}: {len(both):,} rows compared; {int(off.sum()):,} more than {km:g} km off, "
        f"{int(told.sum()):,} of them reported, {len(silent):,} silent"
        + (f" ({commonest})" if len(silent) else "")
        + f"\n  reported as ambiguous: {int(ambiguous.sum()):,} rows ({int((ambiguous & near).sum()):,} of them "
        f"within {NEAR_KM:g} km of their truth); placed to their country: {sum(layer.skipped.unfound.values()):,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--km", type=float, default=200.0)
    parser.add_argument("--before", action="store_true", help="namesakes neither told apart nor reported")
    args = parser.parse_args()
    for path in args.paths:
        print(measure(path, args.km, args.before))


if __name__ == "__main__":
    main()
