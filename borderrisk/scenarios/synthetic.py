"""Synthetic events in an analyst's columns, for benchmarks, tests and demos: reproducible
from a seed, scattered over South America or near every land border of the world (where
scoring has work to do)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

#: ACLED's download layout from 2019 on (website and API CSV): every column, in order.
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
#: Event types of the synthetic ACLED rows, each with the sub-type it is given.
ACLED_TYPES = {
    "Battles": "Armed clash",
    "Protests": "Peaceful protest",
    "Riots": "Violent demonstration",
    "Explosions/Remote violence": "Shelling/artillery/missile attack",
    "Violence against civilians": "Attack",
    "Strategic developments": "Movement of forces",
}
#: Actor names in ACLED's style.
ACLED_ACTORS = [
    "Military Forces of Bolivia (2020-)",
    "Police Forces of Argentina (2019-2023)",
    "Protesters (Bolivia)",
    "Unidentified Armed Group (Colombia)",
    "Military Forces of Iran (1989-)",
    "Hezbollah",
    "Rioters (Peru)",
    "Civilians (Brazil)",
]
#: Columns that hold one value in every synthetic ACLED row.
_ACLED_CONSTANT = {
    "time_precision": "1",
    "disorder_type": "Political violence",
    "assoc_actor_1": "",
    "inter1": "1",
    "assoc_actor_2": "",
    "inter2": "7",
    "interaction": "17",
    "civilian_targeting": "",
    "iso": "68",
    "region": "South America",
    "country": "Bolivia",
    "admin1": "Potosi",
    "admin2": "Modesto Omiste",
    "admin3": "Villazon",
    "source": "El Deber; Pagina Siete",
    "source_scale": "National",
    "tags": "",
    "timestamp": "1700000000",
}


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

        from borderrisk.geo.borders import all_borders

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

    from borderrisk.risk.config import RiskConfig
    from borderrisk.risk.model import segments_for

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


def write_acled(
    path: Path, rows: int, seed: int = 11, chunk: int = 1_000_000, also: Callable[[int, Any], None] | None = None
) -> None:
    """A synthetic ACLED download as CSV: every column of the layout, realistic names and notes
    (~250 bytes a row), dates over 2015-2024, points around the world's land borders (border
    vertices jittered by ~50 km). Written ``chunk`` rows at a time with pyarrow, so any size fits
    in memory; ``also(number, table)`` gets each chunk (a ``pyarrow.Table`` of text columns) as
    it is written, e.g. to write the same events in another form."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pv
    import shapely

    from borderrisk.geo.borders import all_borders

    vertices = shapely.get_coordinates(all_borders().geometry.to_numpy())
    rng = np.random.default_rng(seed)
    calendar = pd.date_range("2015-01-01", periods=3650, freq="D")
    day_text = pa.array(calendar.strftime("%d %B %Y").tolist())
    types, subtypes = pa.array(list(ACLED_TYPES)), pa.array(list(ACLED_TYPES.values()))
    actors = pa.array(ACLED_ACTORS)
    schema = pa.schema([(c, pa.string()) for c in ACLED_COLUMNS])
    with pv.CSVWriter(path, schema, write_options=pv.WriteOptions(quoting_style="needed")) as writer:
        for number, start in enumerate(range(0, rows, chunk)):
            n = min(chunk, rows - start)
            xy = vertices[rng.integers(0, len(vertices), n)] + rng.normal(0, 0.5, (n, 2))
            lon, lat = xy[:, 0], np.clip(xy[:, 1], -89.0, 89.0)
            day, kind = rng.integers(0, len(calendar), n), rng.integers(0, len(ACLED_TYPES), n)
            one, two = rng.integers(0, len(ACLED_ACTORS), n), rng.integers(0, len(ACLED_ACTORS), n)
            serial = pa.array(np.arange(start, start + n)).cast(pa.string())
            town = pa.array(np.arange(start, start + n) % 5000).cast(pa.string())
            place = pc.binary_join_element_wise("Place ", town, "")
            date = day_text.take(pa.array(day))
            story = ": a synthetic account of what happened, who was involved and what followed."
            columns = {
                **{name: pa.array(np.full(n, value)) for name, value in _ACLED_CONSTANT.items()},
                "event_id_cnty": pc.binary_join_element_wise("BOL", serial, ""),
                "event_date": date,
                "year": pa.array(calendar.year.to_numpy()[day]).cast(pa.string()),
                "event_type": types.take(pa.array(kind)),
                "sub_event_type": subtypes.take(pa.array(kind)),
                "actor1": actors.take(pa.array(one)),
                "actor2": actors.take(pa.array(two)),
                "location": place,
                "latitude": pa.array(np.round(lat, 4)).cast(pa.string()),
                "longitude": pa.array(np.round(lon, 4)).cast(pa.string()),
                "geo_precision": pa.array(1 + np.arange(n) % 3).cast(pa.string()),
                "notes": pc.binary_join_element_wise("On ", date, ", in ", place, story, ""),
                "fatalities": pa.array(rng.poisson(0.8, n)).cast(pa.string()),
            }
            table = pa.table({c: columns[c] for c in ACLED_COLUMNS})
            writer.write_table(table)
            if also:
                also(number, table)
