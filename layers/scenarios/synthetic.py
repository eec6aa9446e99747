"""Synthetic events in an analyst's columns, for benchmarks, tests and demos: reproducible
from a seed, scattered over South America or near every land border of the world (where
scoring has work to do)."""

from __future__ import annotations

import numpy as np


def synthetic_events(n: int, seed: int = 0, world: bool = False):
    """``n`` events scattered over South America (or all land-border regions of the world),
    with the columns an analyst's file has."""
    import geopandas as gpd
    import pandas as pd

    rng = np.random.default_rng(seed)
    types = np.array(["attack", "visit", "statement", "sanction", "acquisition", "protest"])
    dates = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, n), unit="D")
    frame = pd.DataFrame(
        {
            "date": dates,
            "date_precision": "day",
            "title": [f"Event {i}" for i in range(n)],
            "type": types[rng.integers(0, len(types), n)],
            "severity": rng.integers(1, 6, n),
            "source": "synthetic",
            "location_precision": "exact",
        }
    )
    if world:
        import shapely

        from geo.borders import all_borders

        # Near borders, where scoring does work: vertices of the world's borders, jittered ~50 km.
        xy = shapely.get_coordinates(all_borders().geometry.to_numpy())
        picks = xy[rng.integers(0, len(xy), n)] + rng.normal(0, 0.5, (n, 2))
        lon, lat = picks[:, 0], np.clip(picks[:, 1], -89, 89)
    else:
        lon, lat = rng.uniform(-75, -40, n), rng.uniform(-50, 5, n)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
