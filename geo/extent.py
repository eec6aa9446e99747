"""The extent a map shows: finite bounds, never empty, never a single point.

Leaflet's ``fitBounds`` on a bounds with NaN (a country with an empty polygon: the Vatican is
too small for the 1:10m data) or with no area (one event, or all at one point) computes an
infinite zoom and the page breaks. These bounds stand in for the missing geometry with the
country's seat of government, and widen a point or a line to :data:`MIN_SPAN_DEGREES`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from borderrisk.geo.countries import countries
from borderrisk.geo.places import seat_of_government

Bounds = tuple[float, float, float, float]
#: The smallest extent shown, in degrees of longitude and latitude (about 55 km north–south).
MIN_SPAN_DEGREES = 0.5
#: What a map shows when it has nothing to show: the inhabited world.
WORLD: Bounds = (-170.0, -60.0, 170.0, 80.0)


def country_bounds(codes: Iterable[str]) -> Bounds:
    """The bounds of the countries ``codes``; a country whose polygon is empty at this scale
    (the Vatican) counts as its seat of government."""
    frame = countries()
    boxes = []
    for code in codes:
        shape = frame.loc[code, "geometry"]
        if shape is None or shape.is_empty:
            seat = seat_of_government(code)
            boxes.append((seat.lon, seat.lat, seat.lon, seat.lat))
        else:
            boxes.append(shape.bounds)
    return view_bounds(_union(boxes))


def view_bounds(bounds: Bounds | Iterable[float]) -> Bounds:
    """``bounds`` (minx, miny, maxx, maxy) made fit to show: NaN bounds (nothing located) are
    the world; a point or a line is widened to at least :data:`MIN_SPAN_DEGREES` each way,
    about its middle, within the valid range of longitude and latitude."""
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        return WORLD
    minx, maxx = _widened(minx, maxx, -180.0, 180.0)
    miny, maxy = _widened(miny, maxy, -90.0, 90.0)
    return minx, miny, maxx, maxy


def _widened(low: float, high: float, floor: float, ceiling: float) -> tuple[float, float]:
    if high - low >= MIN_SPAN_DEGREES:
        return low, high
    middle = min(max((low + high) / 2, floor + MIN_SPAN_DEGREES / 2), ceiling - MIN_SPAN_DEGREES / 2)
    return middle - MIN_SPAN_DEGREES / 2, middle + MIN_SPAN_DEGREES / 2


def _union(boxes: list[Bounds]) -> Bounds:
    if not boxes:
        return (math.nan,) * 4
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
