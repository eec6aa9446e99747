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


def clustered_events(
    focus: list[str] | tuple[str, ...] = ("BRA",),
    months: int = 24,
    seed: int = 0,
    shuffle: bool = False,
    start: str = "2020-01-01",
):
    """A world where violence clusters by construction, to check that a back-test can tell:
    one segment in ten of the focus borders is "hot" at first; each month a cold segment turns
    hot with chance 2 % and a hot one cools with chance 6 %. Hot segments see 0.6 battles a
    month on average, cold ones 0.005, and protests fall anywhere at 0.05 a month. Events lie
    on their segment, jittered ~3 km. ``shuffle=True`` then moves every event to a random
    segment, which leaves nothing for the past to tell about the future."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    from layers.risk.config import RiskConfig
    from layers.risk.model import segments_for

    rng = np.random.default_rng(seed)
    segments = segments_for(list(focus), float(RiskConfig.load()["segments"]["length_km"]))
    n = len(segments)
    hot = rng.random(n) < 0.1
    parts = []
    for m in range(months):
        month = pd.Timestamp(start) + pd.DateOffset(months=m)
        days = ((month + pd.DateOffset(months=1)) - month).days
        turn_on, turn_off = rng.random(n) < 0.02, rng.random(n) < 0.06
        hot = (hot & ~turn_off) | (~hot & turn_on)
        for kind, count in (("battles", rng.poisson(np.where(hot, 0.6, 0.005))), ("protests", rng.poisson(0.05, n))):
            where = np.repeat(np.arange(n), count)
            dates = month + pd.to_timedelta(rng.integers(0, days, len(where)), unit="D")
            parts.append(pd.DataFrame({"segment": where, "type": kind, "date": dates}))
    frame = pd.concat(parts, ignore_index=True)
    if shuffle:
        frame["segment"] = rng.integers(0, n, len(frame))
    lines = segments.geometry.to_numpy()[frame.segment.to_numpy()]
    points = shapely.line_interpolate_point(lines, rng.random(len(frame)), normalized=True)
    lon = shapely.get_x(points) + rng.normal(0, 0.03, len(frame))
    lat = shapely.get_y(points) + rng.normal(0, 0.03, len(frame))
    return gpd.GeoDataFrame(
        {
            "date": frame.date,
            "date_precision": "day",
            "title": [f"{kind} {i}" for i, kind in enumerate(frame.type)],
            "type": frame.type,
            "severity": 3,
            "location_precision": "exact",
            "country": None,
            "actors": [[] for _ in range(len(frame))],
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )
