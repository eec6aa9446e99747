"""Lengths, areas and km buffers on the WGS84 ellipsoid, correct anywhere on Earth."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

WGS84 = Geod(ellps="WGS84")


def segment_lengths_km(x1: np.ndarray, y1: np.ndarray, x2: np.ndarray, y2: np.ndarray) -> np.ndarray:
    """Geodesic length of many straight segments at once (lon/lat degrees in, km out)."""
    _, _, metres = WGS84.inv(x1, y1, x2, y2)
    return np.asarray(metres) / 1000.0


def line_vertex_distances_km(line: shapely.LineString) -> np.ndarray:
    """Cumulative geodesic distance of each vertex from the start of ``line``, in km."""
    xy = shapely.get_coordinates(line)
    steps = segment_lengths_km(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
    return np.concatenate([[0.0], np.cumsum(steps)])


def length_km(geom: shapely.Geometry) -> float:
    """Geodesic length of a (Multi)LineString on WGS84, in km."""
    return WGS84.geometry_length(geom) / 1000.0


def area_km2(geom: shapely.Geometry) -> float:
    """Geodesic area of a (Multi)Polygon on WGS84, in km²."""
    if geom.is_empty:
        return 0.0
    area, _ = WGS84.geometry_area_perimeter(shapely.orient_polygons(geom))
    return abs(area) / 1e6


@lru_cache(maxsize=256)
def _local_transformers(lon: float, lat: float) -> tuple[Transformer, Transformer]:
    local = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    forward = Transformer.from_crs("EPSG:4326", local, always_xy=True)
    back = Transformer.from_crs(local, "EPSG:4326", always_xy=True)
    return forward, back


def buffer_km(geom: shapely.Geometry, km: float) -> shapely.Geometry:
    """Everything within ``km`` of ``geom``, buffered in an azimuthal equidistant projection
    centred on it (distance error under 0.1 % within 500 km of the centre; split longer
    geometries first, as :func:`borderrisk.geo.borders.border_zone` does)."""
    centre = geom.centroid
    forward, back = _local_transformers(round(centre.x, 4), round(centre.y, 4))
    local = shapely.transform(geom, lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1])))
    buffered = local.buffer(km * 1000.0, quad_segs=16)
    return shapely.transform(buffered, lambda xy: np.column_stack(back.transform(xy[:, 0], xy[:, 1])))


def geodesic_arc(lon1: float, lat1: float, lon2: float, lat2: float, points: int = 64) -> shapely.LineString:
    """The shortest path on the ellipsoid between two points, as a line of ``points`` vertices.
    Longitudes are kept continuous (they may pass ±180) so a web map draws the arc across the
    antimeridian instead of across the whole world."""
    between = WGS84.npts(lon1, lat1, lon2, lat2, max(points - 2, 0))
    lons = np.array([lon1, *(p[0] for p in between), lon2])
    lats = np.array([lat1, *(p[1] for p in between), lat2])
    lons = np.degrees(np.unwrap(np.radians(lons)))
    return shapely.LineString(np.column_stack([lons, lats]))


#: Mean Earth radius (IUGG), for the spherical formulas of :func:`distances_to_lines_km`.
MEAN_RADIUS_KM = 6371.0088


class _Trig:
    """Radians, sines and cosines of many positions, computed once for all their pairs."""

    def __init__(self, lon: np.ndarray, lat: np.ndarray) -> None:
        self.lam, phi = np.radians(lon), np.radians(lat)
        self.sin, self.cos = np.sin(phi), np.cos(phi)

    def azimuthal_equidistant(self, at: np.ndarray, centre: _Trig, around: np.ndarray):
        """:func:`_azimuthal_equidistant` of positions ``at`` around centres ``around``,
        term for term (so to the digit)."""
        sin_phi, cos_phi, sin_phi0, cos_phi0 = self.sin[at], self.cos[at], centre.sin[around], centre.cos[around]
        delta = self.lam[at] - centre.lam[around]
        cos_delta = np.cos(delta)
        cos_c = np.clip(sin_phi0 * sin_phi + cos_phi0 * cos_phi * cos_delta, -1.0, 1.0)
        c = np.arccos(cos_c)
        with np.errstate(invalid="ignore", divide="ignore"):
            k = np.where(c < 1e-12, 1.0, c / np.sin(c))
        x = MEAN_RADIUS_KM * k * cos_phi * np.sin(delta)
        y = MEAN_RADIUS_KM * k * (cos_phi0 * sin_phi - sin_phi0 * cos_phi * cos_delta)
        return x, y


def _azimuthal_equidistant(lon: np.ndarray, lat: np.ndarray, lon0: np.ndarray, lat0: np.ndarray):
    """Spherical azimuthal equidistant coordinates (km) of points around per-point centres."""
    lam, phi, lam0, phi0 = (np.radians(v) for v in (lon, lat, lon0, lat0))
    cos_c = np.clip(np.sin(phi0) * np.sin(phi) + np.cos(phi0) * np.cos(phi) * np.cos(lam - lam0), -1.0, 1.0)
    c = np.arccos(cos_c)
    with np.errstate(invalid="ignore", divide="ignore"):
        k = np.where(c < 1e-12, 1.0, c / np.sin(c))
    x = MEAN_RADIUS_KM * k * np.cos(phi) * np.sin(lam - lam0)
    y = MEAN_RADIUS_KM * k * (np.cos(phi0) * np.sin(phi) - np.sin(phi0) * np.cos(phi) * np.cos(lam - lam0))
    return x, y


def _polyline_distances(
    px: np.ndarray, py: np.ndarray, vx: np.ndarray, vy: np.ndarray, first: np.ndarray, edges: np.ndarray
) -> np.ndarray:
    """Planar distance from each point to its polyline (vertices ``first … first + edges``),
    with GEOS's point-to-segment formula term for term, so the digits are GEOS's."""
    starts = np.cumsum(edges) - edges
    a = np.arange(starts[-1] + edges[-1]) + np.repeat(first - starts, edges)
    x, y = np.repeat(px, edges), np.repeat(py, edges)
    ax, ay, bx, by = vx[a], vy[a], vx[a + 1], vy[a + 1]
    ex, ey = bx - ax, by - ay
    dxa, dya = x - ax, y - ay
    length2 = ex * ex + ey * ey
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (dxa * ex + dya * ey) / length2
        across = np.abs(dxa * ey - dya * ex) / length2 * np.sqrt(length2)
    dxb, dyb = x - bx, y - by
    to_a = np.sqrt(dxa * dxa + dya * dya)
    to_b = np.sqrt(dxb * dxb + dyb * dyb)
    distance = np.where((length2 == 0) | (r <= 0.0), to_a, np.where(r >= 1.0, to_b, across))
    return np.minimum.reduceat(distance, starts)


#: Pairs measured at once: the edge-by-edge temporaries stay in the processor's cache.
PAIRS_PER_STEP = 8_192
#: Edges of a line looked at together: a pair measures only the stretches that may hold its
#: nearest edge, not every edge of the line.
STRETCH_EDGES = 4


class _Stretches:
    """Lines cut into stretches of :data:`STRETCH_EDGES` edges, each with the centre and
    radius of a circle around it in its line's frame: bounds on how near a point can be."""

    def __init__(self, vx: np.ndarray, vy: np.ndarray, first: np.ndarray, vertices: np.ndarray) -> None:
        edges = vertices - 1
        self.count = (edges + STRETCH_EDGES - 1) // STRETCH_EDGES
        self.start_of_line = np.cumsum(self.count) - self.count
        line = np.repeat(np.arange(len(edges)), self.count)
        k = np.arange(len(line)) - self.start_of_line[line]
        self.first = first[line] + k * STRETCH_EDGES
        self.edges = np.minimum(STRETCH_EDGES, edges[line] - k * STRETCH_EDGES)
        points = self.edges + 1
        offsets = np.cumsum(points) - points
        vertex = np.repeat(self.first - offsets, points) + np.arange(points.sum())
        x, y = vx[vertex], vy[vertex]
        self.cx = (np.minimum.reduceat(x, offsets) + np.maximum.reduceat(x, offsets)) / 2
        self.cy = (np.minimum.reduceat(y, offsets) + np.maximum.reduceat(y, offsets)) / 2
        self.radius = np.maximum.reduceat(
            np.hypot(x - np.repeat(self.cx, points), y - np.repeat(self.cy, points)), offsets
        )

    def distances(
        self, px: np.ndarray, py: np.ndarray, line: np.ndarray, vx: np.ndarray, vy: np.ndarray, within: float
    ) -> np.ndarray:
        """Each point's distance to its line, or inf when it is surely beyond ``within``. A
        stretch is measured only if its circle may hold a point nearer than the farthest
        point of the nearest circle: the nearest edge is always among those measured, and
        every edge is measured as :func:`_polyline_distances` measures it, so the minimum is
        the same number."""
        count = self.count[line]
        offsets = np.cumsum(count) - count
        pair = np.repeat(np.arange(len(line)), count)
        stretch = np.repeat(self.start_of_line[line] - offsets, count) + np.arange(count.sum())
        centre = np.hypot(px[pair] - self.cx[stretch], py[pair] - self.cy[stretch])
        limit = np.minimum(np.minimum.reduceat(centre + self.radius[stretch], offsets), within)
        # A whisker of slack, so rounding in the bounds never leaves out the nearest edge.
        measured = centre - self.radius[stretch] <= limit[pair] * (1 + 1e-9) + 1e-9
        km = np.full(len(line), np.inf)
        pair, stretch = pair[measured], stretch[measured]
        if len(pair):
            found = _polyline_distances(px[pair], py[pair], vx, vy, self.first[stretch], self.edges[stretch])
            starts = np.flatnonzero(np.concatenate([[True], pair[1:] != pair[:-1]]))
            km[pair[starts]] = np.minimum.reduceat(found, starts)
        return km


class NearLines:
    """Lines ready to be measured against many batches of points: their spatial index, and
    their vertices in each line's own azimuthal equidistant frame (centred on the line's
    centroid) cut into :class:`_Stretches`, all built once. Every number is computed as if
    built for each batch anew, so :meth:`within` gives the same digits either way."""

    def __init__(self, lines: np.ndarray) -> None:
        self.tree = shapely.STRtree(lines)
        centres = shapely.centroid(lines)
        cx, cy = shapely.get_x(centres), shapely.get_y(centres)
        xy, vertex_line = shapely.get_coordinates(lines, return_index=True)
        self.vx, self.vy = _azimuthal_equidistant(xy[:, 0], xy[:, 1], cx[vertex_line], cy[vertex_line])
        vertices = np.bincount(vertex_line, minlength=len(lines))
        self.stretches = _Stretches(self.vx, self.vy, np.cumsum(vertices) - vertices, vertices)
        self.centre = _Trig(cx, cy)

    def within_later(
        self, lon: np.ndarray, lat: np.ndarray, within_km: float
    ) -> Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """:meth:`within` as a call to make later, as lines measured in another process give it
        (``borderrisk.risk.measuring``); here the pairs are measured at once."""
        pairs = self.within(lon, lat, within_km)
        return lambda: pairs

    def within(self, lon: np.ndarray, lat: np.ndarray, within_km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every (point, line) pair closer than ``within_km``, with its distance in km (see
        :func:`distances_to_lines_km`)."""
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        # Degrees of longitude shrink towards the poles: a generous search box per point.
        reach_lat = within_km / 110.0
        reach = reach_lat / np.cos(np.radians(np.minimum(np.abs(lat) + reach_lat, 89.0)))
        # Neighbours in the query order walk the same branches of the tree: far fewer cache misses.
        order = np.lexsort((lon, np.floor(lat)))
        x, y, r = lon[order], lat[order], reach[order]
        found, line_idx = self.tree.query(shapely.box(x - r, y - r, x + r, y + r))
        point_idx = order[found]
        if len(point_idx) == 0:
            return point_idx, line_idx, np.zeros(0)
        km = np.empty(len(point_idx))
        points = _Trig(lon, lat)
        for start in range(0, len(point_idx), PAIRS_PER_STEP):
            step = slice(start, start + PAIRS_PER_STEP)
            p, line = point_idx[step], line_idx[step]
            px, py = points.azimuthal_equidistant(p, self.centre, line)
            km[step] = self.stretches.distances(px, py, line, self.vx, self.vy, within_km)
        close = km <= within_km
        return point_idx[close], line_idx[close], km[close]


def distances_to_lines_km(
    lon: np.ndarray, lat: np.ndarray, lines: np.ndarray, within_km: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (point, line) pair closer than ``within_km``, with its distance in km.

    Vectorised: a spatial index proposes candidate pairs (lines whose box meets a generous
    box around the point), then each pair is measured in an azimuthal equidistant frame
    centred on its line (spherical, mean radius), where distances within a few hundred km of
    the centre are true to about 0.5 % of the WGS84 geodesic; only the stretches of the line
    that may hold its nearest edge are measured edge by edge (see :class:`_Stretches`).
    Returns ``(point_index, line_index, km)``, in no particular order. To measure many
    batches of points against the same lines, build :class:`NearLines` once.
    """
    return NearLines(lines).within(lon, lat, within_km)
