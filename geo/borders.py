"""Shared land borders: lines, geodesic lengths, neighbours, km zones and fixed-length segments.

Borders come from the shared edges of the embedded Natural Earth 1:10m polygons. Neighbouring
countries there are built from the same TopoJSON arcs, so a border is exactly the set of
polygon edges two countries have in common. Finding them is a sort of all edges of the world,
not a geometric intersection per pair.

Pairs are reported in alphabetical order of their codes (``ARG``–``BOL``). A border runs from
its western end: parts are ordered west to east and a closed border starts at its westernmost
vertex, so "km 200–250 of ARG–BOL" always names the same stretch.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
import shapely

from borderrisk.geo import geodesy
from borderrisk.geo.countries import countries, resolve
from borderrisk.geo.errors import GeoRequestError, NoBorderError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

LENGTH_METHOD = "geodesic length on WGS84 of the Natural Earth 1:10m border line"
#: Longest piece buffered in one local projection by :func:`border_zone`.
ZONE_PIECE_KM = 400.0
#: The shortest segment: the 1:10m lines have vertices about a kilometre apart, and shorter
#: pieces would only multiply the work (a 1e-9 km request once asked for 7e11 segments).
SEGMENT_MIN_KM = 1.0


@dataclass(frozen=True)
class Border:
    """One shared land border and both of its lengths, each with where it comes from."""

    a: str
    b: str
    geometry: shapely.Geometry
    length_km: float
    survey_km: float | None = None
    survey_source: str | None = None
    length_method: str = LENGTH_METHOD


def pair(a: str, b: str) -> tuple[str, str]:
    """Resolve two country names to their codes, in the canonical (alphabetical) order."""
    code_a, code_b = resolve(a).code, resolve(b).code
    return (code_a, code_b) if code_a <= code_b else (code_b, code_a)


@dataclass(frozen=True)
class _Rings:
    """The polygon rings that may touch another country's, as one vertex array; edge ``k``
    runs from vertex ``start[k]`` to ``start[k] + 1`` and belongs to country ``owner[k]``."""

    xy: np.ndarray
    start: np.ndarray
    owner: np.ndarray

    @classmethod
    def of(cls, geoms: np.ndarray) -> _Rings:
        parts, part_owner = shapely.get_parts(geoms, return_index=True)
        # Only a part whose box meets another country's can share an edge: skip the islands.
        left, right = shapely.STRtree(parts).query(parts)
        touching = np.unique(left[part_owner[left] != part_owner[right]])
        parts, part_owner = parts[touching], part_owner[touching]
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        xy, vertex_ring = shapely.get_coordinates(rings, return_index=True)
        start = np.flatnonzero(vertex_ring[:-1] == vertex_ring[1:])
        return cls(xy + 0.0, start, part_owner[ring_part[vertex_ring[start]]])  # + 0.0: no -0.0

    def edge_keys(self) -> np.ndarray:
        """A 64-bit key per edge, the same whichever way the edge is traversed."""
        bits = self.xy.view(np.uint64)
        with np.errstate(over="ignore"):
            point = (bits[:, 0] * np.uint64(0x9E3779B97F4A7C15)) ^ (bits[:, 1] * np.uint64(0xC2B2AE3D27D4EB4F))
            point ^= point >> np.uint64(29)
            return point[self.start] + point[self.start + 1]

    def same_edge(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Whether edges ``i`` and ``j`` join the same two points, in either direction."""
        a0, a1 = self.xy[self.start[i]], self.xy[self.start[i] + 1]
        b0, b1 = self.xy[self.start[j]], self.xy[self.start[j] + 1]
        return (np.all(a0 == b0, axis=1) & np.all(a1 == b1, axis=1)) | (
            np.all(a0 == b1, axis=1) & np.all(a1 == b0, axis=1)
        )

    def partners(self) -> np.ndarray:
        """For each edge, the other country that has the same edge, or -1. Each shared edge is
        kept once, on the side of the country listed first, so every border is drawn once."""
        import pandas as pd

        keys = self.edge_keys()
        # Most edges are coastline and unique: a hash pass finds the few worth sorting.
        repeated = np.flatnonzero(pd.Series(keys).duplicated(keep=False).to_numpy())
        order = repeated[np.argsort(keys[repeated])]
        keys, owner = keys[order], self.owner[order]
        candidates = np.flatnonzero((keys[1:] == keys[:-1]) & (owner[1:] != owner[:-1]))
        i, j = order[candidates], order[candidates + 1]
        keep = self.same_edge(i, j)
        i, j = i[keep], j[keep]
        i, j = np.where(self.owner[i] < self.owner[j], i, j), np.where(self.owner[i] < self.owner[j], j, i)
        partner = np.full(len(self.start), -1)
        partner[i] = self.owner[j]
        return partner

    def runs(self, partner: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Consecutive shared edges with the same partner as linestrings, with their two owners."""
        shared = np.flatnonzero(partner >= 0)
        breaks = np.ones(len(shared), dtype=bool)
        breaks[1:] = (partner[shared[1:]] != partner[shared[:-1]]) | (
            self.start[shared[1:]] != self.start[shared[:-1]] + 1
        )
        run = np.cumsum(breaks) - 1
        last = np.append(np.flatnonzero(breaks[1:]), len(shared) - 1)
        vertex = np.concatenate([self.start[shared], self.start[shared[last]] + 1])
        vertex_run = np.concatenate([run, run[last]])
        order = np.lexsort((vertex, vertex_run))
        lines = shapely.linestrings(self.xy[vertex[order]], indices=vertex_run[order])
        first_edge = shared[breaks]
        return lines, self.owner[first_edge], partner[first_edge]


def _orient(line: shapely.Geometry) -> shapely.Geometry:
    """Order and direct the parts of a border line so that it runs from its western end."""
    parts = []
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        if part.is_closed:
            west = int(np.lexsort((-xy[:-1, 1], xy[:-1, 0]))[0])
            xy = np.concatenate([xy[west:-1], xy[: west + 1]])
        elif (xy[-1, 0], -xy[-1, 1]) < (xy[0, 0], -xy[0, 1]):
            xy = xy[::-1]
        parts.append(xy)
    parts.sort(key=lambda xy: (xy[0, 0], -xy[0, 1]))
    lines = [shapely.LineString(xy) for xy in parts]
    return lines[0] if len(lines) == 1 else shapely.MultiLineString(lines)


def all_borders() -> gpd.GeoDataFrame:
    """Every shared land border of the world: columns ``a``, ``b``, ``length_km``, geometry;
    a copy of its own (the caller may change it: the one this module builds once stays as
    built)."""
    return _all_borders().copy()


@lru_cache(maxsize=1)
def _all_borders() -> gpd.GeoDataFrame:
    """The borders built once, shared by this module's lookups (which never change them).

    Vectorised: one sort of all polygon edges by a direction-free key finds the edges two
    countries share, and one call computes their geodesic lengths.
    """
    import geopandas as gpd
    import pandas as pd

    world = countries()
    rings = _Rings.of(world.geometry.to_numpy())
    partner = rings.partners()
    shared = np.flatnonzero(partner >= 0)
    a0, a1 = rings.xy[rings.start[shared]], rings.xy[rings.start[shared] + 1]
    edge_km = geodesy.segment_lengths_km(a0[:, 0], a0[:, 1], a1[:, 0], a1[:, 1])
    codes = world.code.to_numpy()  # sorted, so the owner listed first has the smaller code
    lines, owner, other = rings.runs(partner)
    pieces = pd.DataFrame({"a": codes[owner], "b": codes[other], "line": lines})
    pieces["pair"] = pieces.groupby(["a", "b"], sort=True).ngroup()
    pieces = pieces.sort_values("pair", kind="stable")
    merged = shapely.line_merge(shapely.multilinestrings(pieces.line.to_numpy(), indices=pieces.pair.to_numpy()))
    totals = pieces.groupby("pair").agg(a=("a", "first"), b=("b", "first"))
    lengths = pd.Series(edge_km).groupby([codes[rings.owner[shared]], codes[partner[shared]]]).sum()
    totals["length_km"] = lengths.loc[list(zip(totals.a, totals.b))].to_numpy()
    totals["geometry"] = [_orient(line) for line in merged]
    return gpd.GeoDataFrame(totals.reset_index(drop=True), geometry="geometry", crs="EPSG:4326")


@lru_cache(maxsize=1)
def _survey_lengths() -> dict[tuple[str, str], tuple[float, str]]:
    table = resources.files("borderrisk.geo.data") / "survey_lengths.csv"
    with table.open(encoding="utf-8") as f:
        return {(r["a"], r["b"]): (float(r["length_km"]), r["source"]) for r in csv.DictReader(f)}


def border(a: str, b: str) -> Border:
    """The shared land border of two countries, by any name or code.

    >>> round(border("Argentina", "Bolivia").length_km)
    717
    """
    code_a, code_b = pair(a, b)
    borders = _all_borders()
    match = borders[(borders.a == code_a) & (borders.b == code_b)]
    if match.empty:
        raise NoBorderError(f"{code_a} and {code_b} share no land border in Natural Earth 1:10m")
    row = match.iloc[0]
    survey_km, survey_source = _survey_lengths().get((code_a, code_b), (None, None))
    return Border(code_a, code_b, row.geometry, float(row.length_km), survey_km, survey_source)


def borders_among(countries: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    """The land borders between any two of these countries, as canonical code pairs."""
    codes = {resolve(c).code for c in countries}
    borders = _all_borders()
    chosen = borders[borders.a.isin(codes) & borders.b.isin(codes)]
    return list(zip(chosen.a, chosen.b))


def neighbours(country: str) -> pd.DataFrame:
    """Land neighbours of a country with border lengths, longest first: ``code``, ``name``,
    ``length_km``."""
    code = resolve(country).code
    borders = _all_borders()
    touching = borders[(borders.a == code) | (borders.b == code)]
    other = touching.b.where(touching.a == code, touching.a)
    result = touching.assign(code=other.to_numpy())[["code", "length_km"]]
    result.insert(1, "name", countries().loc[result.code, "name"].to_numpy())
    return result.sort_values("length_km", ascending=False).reset_index(drop=True)


def border_segments(a: str, b: str, km: float = 50.0) -> gpd.GeoDataFrame:
    """The border cut into consecutive pieces of ``km`` (the last one shorter), each with its
    ``start_km`` and ``end_km`` measured geodesically from the border's start.

    Multi-part borders are measured part after part; a piece never spans two parts.
    """
    line = border(a, b)
    return segments_of([(line.a, line.b)], km)


def segments_of(pairs: list[tuple[str, str]], km: float = 50.0) -> gpd.GeoDataFrame:
    """:func:`border_segments` of many borders (canonical code pairs) at once, border after
    border, each numbered from 0: the whole world's 4,860 in a fraction of a second."""
    import geopandas as gpd

    if not km >= SEGMENT_MIN_KM:
        raise GeoRequestError(f"a segment is at least {SEGMENT_MIN_KM:g} km long, not {km:g} km")
    table = _all_borders()
    lines = dict(zip(zip(table.a, table.b), table.geometry))
    a, b, number, start_km, end_km, coords = [], [], [], [], [], []
    for code_a, code_b in pairs:
        if (code_a, code_b) not in lines:
            raise NoBorderError(f"{code_a} and {code_b} share no land border in Natural Earth 1:10m")
        offset, first = 0.0, len(start_km)
        for part in shapely.get_parts(lines[code_a, code_b]):
            distances = geodesy.line_vertex_distances_km(part)
            cuts = np.append(np.arange(0.0, distances[-1], km), distances[-1])
            pieces = _substrings(shapely.get_coordinates(part), distances, cuts[:-1], cuts[1:])
            coords += pieces
            start_km += (offset + cuts[:-1]).tolist()
            end_km += (offset + cuts[1:]).tolist()
            offset += distances[-1]
        count = len(start_km) - first
        a += [code_a] * count
        b += [code_b] * count
        number += range(count)
    piece_of = np.repeat(np.arange(len(coords)), [len(c) for c in coords])
    geometry = shapely.linestrings(np.concatenate(coords) if coords else np.zeros((0, 2)), indices=piece_of)
    frame = gpd.GeoDataFrame(
        {"a": a, "b": b, "segment": number, "start_km": start_km, "end_km": end_km},
        geometry=geometry if len(coords) else [],
        crs="EPSG:4326",
    )
    frame["length_km"] = frame.end_km - frame.start_km
    return frame


def border_stretch(a: str, b: str, from_km: float, to_km: float) -> shapely.Geometry:
    """The stretch of a border between two distances from its start (see :func:`border_segments`
    for how distances are measured), e.g. km 200–350 of ARG–BOL."""
    line = border(a, b)
    if not 0 <= from_km < to_km:
        raise GeoRequestError(f"a stretch needs 0 <= from_km < to_km, got {from_km:g}-{to_km:g} km")
    # the length as shown, rounded up to the km, is still the end (so "km 700-717" on 716.8 km)
    for km in (from_km, to_km if to_km > math.ceil(line.length_km) else 0.0):
        if km >= line.length_km:
            raise GeoRequestError(f"{line.a}-{line.b} is {line.length_km:.1f} km long; km {km:g} is beyond its end")
    pieces, offset = [], 0.0
    for part in shapely.get_parts(line.geometry):
        distances = geodesy.line_vertex_distances_km(part)
        start, end = max(from_km - offset, 0.0), min(to_km - offset, distances[-1])
        if start < end:
            pieces.append(_substring(part, distances, start, end))
        offset += distances[-1]
    return pieces[0] if len(pieces) == 1 else shapely.MultiLineString(pieces)


def _substring(line: shapely.LineString, distances: np.ndarray, start: float, end: float) -> shapely.LineString:
    """The piece of ``line`` between two geodesic distances along it (vertex distances given)."""
    return shapely.LineString(_substrings(shapely.get_coordinates(line), distances, [start], [end])[0])


def _substrings(xy: np.ndarray, distances: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[np.ndarray]:
    """The vertices of :func:`_substring` for many consecutive pieces of one line at once."""
    x0, y0 = np.interp(starts, distances, xy[:, 0]), np.interp(starts, distances, xy[:, 1])
    x1, y1 = np.interp(ends, distances, xy[:, 0]), np.interp(ends, distances, xy[:, 1])
    first = np.searchsorted(distances, starts, side="right")
    last = np.searchsorted(distances, ends, side="left")
    return [np.vstack([[x0[k], y0[k]], xy[first[k] : last[k]], [x1[k], y1[k]]]) for k in range(len(starts))]


#: The widest border zone: buffers are drawn in local equidistant projections, which stop being
#: true far beyond this (a zone of 10,000 km would wrap round the Earth).
ZONE_MAX_KM = 5_000


def border_zone(a: str, b: str, km: float, side: str | None = None) -> shapely.Geometry:
    """The land within ``km`` of the border of ``a`` and ``b``: on both sides, or only inside
    country ``side``. Buffered piecewise in local equidistant projections, so it is
    km-accurate at any latitude and for borders thousands of km long."""
    if not 0 < km <= ZONE_MAX_KM:
        raise GeoRequestError(f"zone width must be more than 0 and at most {ZONE_MAX_KM:,} km, got {km} km")
    code_a, code_b = pair(a, b)
    world = countries()
    sides: list[str]
    if side is None:
        sides = [code_a, code_b]
    else:
        sides = [resolve(side).code]
        if sides[0] not in (code_a, code_b):
            raise GeoRequestError(f"side {side!r} is neither {code_a} nor {code_b}")
    pieces = border_segments(code_a, code_b, km=ZONE_PIECE_KM).geometry
    reach = shapely.union_all([geodesy.buffer_km(piece, km) for piece in pieces])
    land = shapely.union_all(world.loc[sides, "geometry"].to_numpy())
    return shapely.intersection(reach, land)
