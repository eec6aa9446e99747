"""Events aggregated in grid cells, for layers too big for one marker per event.

The page gets, besides each level's cell positions, a tally of the events by finest cell, type
and day, as compact typed arrays. The runtime recounts every cell for the time slider's day from
that tally (incrementally, as the slider moves), so counts, colours and popups always describe
the events up to the chosen day, without one object per event in the page.

Why cells and not Leaflet.markercluster (one marker per event) at this size, measured by
``python benchmarks/bench_map.py`` (whole ``borderrisk map`` command on a synthetic ACLED export;
one run on a 2-core machine shared with other jobs, load average 12-20, so every time is several
times an idle machine's; compare the two columns):

=============  ==========================================  ===============================
events         cells: page, Chromium until settled         clusters: page, until settled
=============  ==========================================  ===============================
100,000        3.7 MB, 3.6 s                               25.5 MB, 124 s
500,000        5.0 MB, 9.5 s                               108 MB, more than 300 s
=============  ==========================================  ===============================

Measured apart, the 500,000-event page settles in 3.1-3.7 s, as the same map with no events
does (2.9-3.8 s): the cells cost the page next to nothing. Both show counts that split as the
map zooms in and follow the time slider; only cells keep the page small and quick at this size.
"""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd

from borderrisk.data.schema import PRECISIONS
from borderrisk.layers.spec import GridLevel, LayerSpec, Packed

#: Aggregation grid: (cell size in degrees, first zoom level, last zoom level). Each size halves
#: the one before, so every cell lies inside one cell of each coarser level.
GRID_LEVELS = [(4.0, 0, 3), (2.0, 4, 4), (1.0, 5, 5), (0.5, 6, 6), (0.25, 7, 30)]
#: A level with more cells than this is left out (the coarser one stays up to the last zoom),
#: so the page stays small and quick whatever the number of events.
MAX_CELLS = 40_000
#: Days since 1970 given to undated events, which sort first and are always shown.
UNDATED = np.iinfo("int64").min


def grid_spec(
    lon: np.ndarray,
    lat: np.ndarray,
    types: pd.Series,
    dates: pd.Series,
    precisions: pd.Series | None = None,
    *,
    at_centres: bool = False,
) -> LayerSpec:
    """The ``grid``, ``tally`` and ``types`` keys of an aggregated events layer's spec (its
    ``name``, ``n`` and ``typeColors`` are the layer's to add); ``precisions`` says how
    precisely each date is known (default: to the day). A cell is drawn at the mean place of
    its events, or with ``at_centres`` at its centre: in a map to share, a cell that holds one
    event would otherwise give that event's own coordinates."""
    kinds = pd.Categorical(types)
    # A missing or unknown precision is a day (code 0), as ``precision_of`` says.
    known = np.zeros(len(dates), "int64") if precisions is None else pd.Categorical(precisions, PRECISIONS).codes
    known = np.maximum(known, 0)
    levels: list[GridLevel] = []
    cell_codes = []
    for cell_degrees, min_zoom, max_zoom in GRID_LEVELS:
        ix, iy = np.floor(lon / cell_degrees).astype("int64"), np.floor(lat / cell_degrees).astype("int64")
        codes, cells = pd.factorize((ix << 32) + (iy & 0xFFFFFFFF), sort=True)
        if len(cells) > MAX_CELLS and levels:
            levels[-1]["maxZoom"] = 30
            break
        count = np.bincount(codes, minlength=len(cells))
        if at_centres:
            first = np.unique(codes, return_index=True)[1]
            x, y = (ix[first] + 0.5) * cell_degrees, (iy[first] + 0.5) * cell_degrees
        else:
            x = np.bincount(codes, lon, len(cells)) / np.maximum(count, 1)
            y = np.bincount(codes, lat, len(cells)) / np.maximum(count, 1)
        levels.append(
            {
                "minZoom": min_zoom,
                "maxZoom": max_zoom,
                "x": np.round(x, 4).tolist(),
                "y": np.round(y, 4).tolist(),
                "biggest": int(max(count.max(initial=0), 1)),
            }
        )
        cell_codes.append(codes)
    # The finest level's cells are the leaves; each level says which of its cells holds each leaf.
    leaf = cell_codes[-1]
    leaves = int(leaf.max()) + 1 if len(leaf) else 0
    first = np.unique(leaf, return_index=True)[1]
    for level, codes in zip(levels, cell_codes):
        level["cell"] = packed(codes[first])
    day = dates.to_numpy(dtype="datetime64[D]")
    days = np.where(np.isnat(day), UNDATED, day.astype("int64"))
    tally = (
        pd.DataFrame({"day": days, "leaf": leaf, "type": kinds.codes, "precision": known})
        .groupby(["day", "leaf", "type", "precision"], sort=True)
        .size()
        .reset_index(name="count")
    )
    dated = tally["day"].to_numpy() != UNDATED
    distinct, ends = np.unique(tally["day"].to_numpy()[dated], return_index=True)
    ends = np.append(ends[1:], len(tally)) if len(distinct) else ends
    return {
        "grid": levels,
        "tally": {
            "leaves": leaves,
            "undated": int((~dated).sum()),
            "days": distinct.tolist(),
            "ends": ends.tolist(),
            "leaf": packed(tally["leaf"].to_numpy()),
            "type": packed(tally["type"].to_numpy()),
            "count": packed(tally["count"].to_numpy()),
            "precision": packed(tally["precision"].to_numpy()),
            "precisions": list(PRECISIONS),
        },
        "types": [str(t) for t in kinds.categories],
    }


def packed(values: np.ndarray) -> Packed:
    """Whole numbers ≥ 0 as little-endian unsigned integers of the fewest bytes that hold the
    largest, in base64: a quarter to an eighth of their size as JSON numbers."""
    largest = int(values.max()) if len(values) else 0
    width = 1 if largest < 2**8 else 2 if largest < 2**16 else 4
    data = values.astype(f"<u{width}").tobytes()
    return {"bytes": width, "data": base64.b64encode(data).decode("ascii")}
