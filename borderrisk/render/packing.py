"""A layer's geometry packed for the page: the coordinates of its GeoJSON geometries as whole
numbers (degrees × 10^decimals), each the difference from the position before, as zigzag
varints in base64, and the ring and part counts the same way. The countries alone are about
100,000 positions: as JSON text they made most of a map's size and of the text the browser
reads and parses before it draws; packed they take a quarter of it. ``static/runtime/packing.js``
(``unpackGeoms``) rebuilds the very same GeoJSON: ``n / 10^decimals`` is the number the JSON
text gave, since both are the double nearest that decimal.

Geometries it cannot pack exactly (a collection, a third dimension, more decimals than
:data:`MOST_DECIMALS`) are left as JSON.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

#: Decimals tried, fewest first; layers round their coordinates to 2–6 (about 1 km to 0.1 m).
MOST_DECIMALS = 7
#: Each geometry type's one-letter code for the page, and how many levels of counts (rings,
#: parts) it has above its positions.
TYPES = {
    "Point": ("P", 0),
    "MultiPoint": ("m", 1),
    "LineString": ("L", 1),
    "MultiLineString": ("l", 2),
    "Polygon": ("A", 2),
    "MultiPolygon": ("a", 3),
}


def pack_geoms(geoms: list[dict[str, Any]]) -> dict[str, Any] | None:
    """``{"decimals", "types", "counts", "coords"}`` for the page, or None when a geometry
    cannot be packed exactly (the caller then sends the JSON as it is)."""
    types, counts, positions = [], [], []
    for geom in geoms:
        if not isinstance(geom, dict) or geom.get("type") not in TYPES:
            return None
        code, depth = TYPES[geom["type"]]
        types.append(code)
        if not _walk(geom["coordinates"], depth, counts, positions):
            return None
    xy = np.asarray(positions, dtype=float).reshape(-1, 2)
    decimals = _decimals(xy)
    if decimals is None:
        return None
    whole = np.round(xy * 10.0**decimals).astype(np.int64)
    return {
        "decimals": decimals,
        "types": "".join(types),
        "counts": _varints(np.asarray(counts, dtype=np.int64)),
        "coords": _varints(np.diff(whole, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel()),
    }


def _walk(coordinates: Any, depth: int, counts: list[int], positions: list[float]) -> bool:
    """Append the counts (depth-first) and the positions of one geometry; False if a position
    is not two numbers."""
    if depth == 0:
        if len(coordinates) != 2:
            return False
        positions.extend(coordinates)
        return True
    counts.append(len(coordinates))
    return all(_walk(part, depth - 1, counts, positions) for part in coordinates)


def _decimals(xy: np.ndarray) -> int | None:
    """The fewest decimals that give back every coordinate exactly, if any up to MOST_DECIMALS."""
    for decimals in range(MOST_DECIMALS + 1):
        scale = 10.0**decimals
        if np.array_equal(np.round(xy * scale) / scale, xy):
            return decimals
    return None


def _varints(values: np.ndarray) -> str:
    """Whole numbers as zigzag varints (7 bits a byte, low first; the high bit says more
    follow), in base64."""
    zigzag = ((values << 1) ^ (values >> 63)).astype(np.uint64)
    widest = 1
    while widest < 10 and (zigzag >> np.uint64(7 * widest)).any():
        widest += 1
    shifts = np.arange(widest, dtype=np.uint64) * np.uint64(7)
    groups = ((zigzag[:, None] >> shifts[None, :]) & np.uint64(0x7F)).astype(np.uint8)
    sizes = np.ones(len(zigzag), dtype=np.int64)
    for k in range(1, widest):
        sizes += zigzag >= np.uint64(1 << (7 * k))
    used = np.arange(widest)[None, :] < sizes[:, None]
    groups |= (np.arange(widest)[None, :] < sizes[:, None] - 1).astype(np.uint8) << 7
    return base64.b64encode(groups[used].tobytes()).decode("ascii")
