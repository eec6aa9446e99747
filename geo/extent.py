"""The extent a map shows: the focus borders it is about, finite, never empty, never a point.

A brief is about borders, so a map with focus countries opens on those borders (see
:func:`focus_bounds`), not on the countries: the countries' own bounds take in the Aleutians
across 180°, Hawaii, the Canaries and France's overseas departments, and left a 717 km border a
thin strip on a view of a continent.

Leaflet's ``fitBounds`` on a bounds with NaN (a country with an empty polygon: the Vatican is
too small for the 1:10m data) or with no area (one event, or all at one point) computes an
infinite zoom and the page breaks. These bounds stand in for the missing geometry with the
country's seat of government, and widen a point or a line to :data:`MIN_SPAN_DEGREES`.

Bounds are ``(west, south, east, north)``. A view across the antimeridian has ``east`` above
180 (Fiji is ``(177, -21, 182, -12)``), which is how Leaflet takes such a view.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import cache

import numpy as np
import shapely

from borderrisk.geo.countries import countries, resolve
from borderrisk.geo.errors import GeoRequestError
from borderrisk.geo.places import find_place, seat_of_government

Bounds = tuple[float, float, float, float]
#: The smallest extent shown, in degrees of longitude and latitude (about 55 km north–south).
MIN_SPAN_DEGREES = 0.5
#: What a map shows when it has nothing to show: the inhabited world.
WORLD: Bounds = (-170.0, -60.0, 170.0, 80.0)
#: Parts of a country this close to its largest part are home (Corsica, Hokkaido, the
#: Balearics); farther ones are overseas (the Canaries, Hawaii, French Guiana). Degrees, about 280 km.
HOME_DEGREES = 2.5
#: Web Mercator ends here: a view is never taller.
MAX_LATITUDE = 85.0
#: A view named by a town shows this far around it, in km.
TOWN_VIEW_KM = 50.0
KM_PER_DEGREE = 111.32


def focus_bounds(focus: Sequence[str], reach_km: float) -> Bounds:
    """The opening view of a map on ``focus``: the focus borders with ``reach_km`` around them
    (the scoring reach, so the events that count are in view).

    The focus borders are the land borders among the focus countries, or with one focus
    country all of its land borders; only the parts on a focus country's home territory (see
    :data:`HOME_DEGREES`) count, unless the border has no such part (France–Brazil runs in
    French Guiana). Focus countries that share no border are shown by their home territory.

    >>> [round(v, 1) for v in focus_bounds(["ARG", "BOL"], 0)]
    [-67.2, -22.9, -62.6, -21.8]
    """
    lines = focus_lines(focus)
    if not lines:
        return country_bounds(resolve(c).code for c in focus)
    xy = shapely.get_coordinates(lines)
    west, east = _longitude_arc(xy[:, 0])
    south, north = float(xy[:, 1].min()), float(xy[:, 1].max())
    return view_bounds(_widened_km((west, south, east, north), reach_km))


def country_bounds(codes: Iterable[str]) -> Bounds:
    """The bounds of the home territory of the countries ``codes`` (overseas parts left out);
    a country whose polygon is empty at this scale (the Vatican) counts as its seat of
    government."""
    xy = []
    for code in codes:
        home = _home(code)
        if home is None:
            seat = seat_of_government(code)
            xy.append(np.array([[seat.lon, seat.lat]]))
        else:
            xy.append(shapely.get_coordinates(home))
    if not xy:
        return view_bounds((math.nan,) * 4)
    points = np.concatenate(xy)
    west, east = _longitude_arc(points[:, 0])
    return view_bounds((west, float(points[:, 1].min()), east, float(points[:, 1].max())))


def parse_view(view: str | Sequence[float]) -> Bounds:
    """The view ``view`` names: bounds ``W,S,E,N`` in degrees, as text or numbers (``E`` below
    ``W`` crosses the antimeridian), a country (its home territory) or a town
    (:data:`TOWN_VIEW_KM` around it). Raises :class:`~borderrisk.geo.errors.GeoRequestError`
    or a lookup error naming the place.

    >>> parse_view("170,-20,-170,-10")
    (170.0, -20.0, 190.0, -10.0)
    >>> parse_view((170.0, -20.0, 190.0, -10.0))
    (170.0, -20.0, 190.0, -10.0)
    """
    text = view if isinstance(view, str) else ",".join(str(v) for v in view)
    numbers = _numbers([p.strip() for p in text.split(",")])
    if numbers is None:
        place = find_place(text.strip())
        if place.precision == "country":
            return country_bounds([place.country])
        return view_bounds(_widened_km((place.lon, place.lat, place.lon, place.lat), TOWN_VIEW_KM))
    west, south, east, north = numbers
    across = 180 < east <= west + 360  # as these bounds give a view across the antimeridian
    if not (-180 <= west <= 180 and (-180 <= east <= 180 or across) and -90 <= south < north <= 90):
        raise GeoRequestError(
            f"view {text!r}: bounds are W,S,E,N with longitudes from -180 to 180 and south below north"
        )
    return view_bounds((west, south, east + 360 if east < west else east, north))


def view_bounds(bounds: Bounds | Iterable[float]) -> Bounds:
    """``bounds`` (minx, miny, maxx, maxy) made fit to show: NaN bounds (nothing located) are
    the world; a point or a line is widened to at least :data:`MIN_SPAN_DEGREES` each way,
    about its middle, within the valid range of longitude and latitude."""
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        return WORLD
    minx, maxx = _widened(minx, maxx, -180.0, max(180.0, maxx))
    miny, maxy = _widened(miny, maxy, -90.0, 90.0)
    return minx, miny, maxx, maxy


def _numbers(parts: list[str]) -> tuple[float, float, float, float] | None:
    """Four finite numbers, or None when ``parts`` are not bounds (then they name a place)."""
    if len(parts) != 4:
        return None
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        return None
    return values if all(math.isfinite(v) for v in values) else None  # type: ignore[return-value]


def focus_lines(focus: Sequence[str]) -> list[shapely.Geometry]:
    """The focus borders a map opens on (see :func:`focus_bounds`): the parts of the borders
    among ``focus`` (of all its borders, for one country) that run on a focus country's home
    territory, or all of them when none does."""
    from borderrisk.geo.borders import all_borders

    codes = [resolve(c).code for c in dict.fromkeys(focus)]
    borders = all_borders()
    if len(codes) == 1:
        chosen = borders[(borders.a == codes[0]) | (borders.b == codes[0])]
    else:
        chosen = borders[borders.a.isin(codes) & borders.b.isin(codes)]
    parts = shapely.get_parts(chosen.geometry.to_numpy())
    homes = [home for code in codes if (home := _home(code)) is not None]
    at_home = np.zeros(len(parts), dtype=bool)
    for home in homes:
        at_home |= shapely.intersects(parts, home)
    return list(parts[at_home] if at_home.any() else parts)


@cache
def _home(code: str) -> shapely.Geometry | None:
    """A country's home territory: its largest part and the parts near it; None if its polygon
    is empty at this scale. Kept: Canada's thousands of islands take half a second."""
    shape = countries().loc[code, "geometry"]
    if shape is None or shape.is_empty:
        return None
    parts = shapely.get_parts(shape)
    largest = parts[np.argmax(shapely.area(parts))]
    near = np.zeros(len(parts), dtype=bool)
    for shift in (-360.0, 0.0, 360.0):  # a part across the antimeridian is near too (Fiji's)
        moved = shapely.transform(parts, lambda xy, shift=shift: xy + np.array([shift, 0.0]))
        near |= shapely.dwithin(moved, largest, HOME_DEGREES)
    return shapely.multipolygons(parts[near])


def _longitude_arc(lons: np.ndarray) -> tuple[float, float]:
    """The shortest range of longitude that holds ``lons``: across the antimeridian (east above
    180) when the widest gap between them is not the one at 180°."""
    ordered = np.unique(lons)
    gaps = np.diff(ordered)
    around = ordered[0] + 360 - ordered[-1]
    if len(gaps) == 0 or around >= gaps.max():
        return float(ordered[0]), float(ordered[-1])
    widest = int(np.argmax(gaps))
    return float(ordered[widest + 1]), float(ordered[widest] + 360)


def _widened_km(bounds: Bounds, km: float) -> Bounds:
    """``bounds`` with ``km`` more on every side, within Web Mercator's latitudes."""
    west, south, east, north = bounds
    dy = km / KM_PER_DEGREE
    widest = min(max(abs(south), abs(north)) + dy, MAX_LATITUDE)
    dx = km / (KM_PER_DEGREE * math.cos(math.radians(widest)))
    return west - dx, max(south - dy, -MAX_LATITUDE), east + dx, min(north + dy, MAX_LATITUDE)


def _widened(low: float, high: float, floor: float, ceiling: float) -> tuple[float, float]:
    if high - low >= MIN_SPAN_DEGREES:
        return low, high
    middle = min(max((low + high) / 2, floor + MIN_SPAN_DEGREES / 2), ceiling - MIN_SPAN_DEGREES / 2)
    return middle - MIN_SPAN_DEGREES / 2, middle + MIN_SPAN_DEGREES / 2
