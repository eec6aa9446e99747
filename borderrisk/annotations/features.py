"""Annotation features checked on the way in, so the store never holds what it cannot use later.

Every geometry is checked whole: coordinates are finite numbers within longitude/latitude range,
lines have two or more positions, polygon rings are closed with four or more, nothing is empty.
A file's ``crs`` member (GeoJSON 2008, e.g. EPSG:3857 metres from a GIS export) is honoured:
its coordinates are reprojected to WGS84 degrees; a CRS that cannot be recognised is refused.
Ids are strings or integers and unique; numbers (``severity``, ``risk_adjustment``) are finite.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from borderrisk.data.documents import load_json
from borderrisk.data.errors import InputError, Problem
from borderrisk.data.finite import is_finite_number

FIELDS = ("title", "note", "author", "created", "updated", "severity", "risk_adjustment", "reason", "marking")
#: How many positions deep each geometry type nests (a Point is one position).
DEPTHS = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
GEOMETRY_TYPES = {*DEPTHS, "GeometryCollection"}
#: The largest risk adjustment, either way: more than any score the model gives (an
#: adjustment of 1e308 made every score infinite), still a number JSON can write.
RISK_ADJUSTMENT_MAX = 100
WGS84_NAMES = {"OGC:CRS84", "EPSG:4326"}

Position = list[float]


def _position_problem(position: Any) -> str | None:
    if not isinstance(position, list) or len(position) not in (2, 3):
        return f"{_short(position)} is not a position [lon, lat]"
    for value in position:
        if not is_finite_number(value):
            return f"{_short(value)} is not a {'finite ' if isinstance(value, float) else ''}number"
    return None


def _range_problem(position: Position) -> str | None:
    lon, lat = position[0], position[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return f"[{lon:g}, {lat:g}] is outside longitude -180..180, latitude -90..90"
    return None


def _ring_problem(ring: Any) -> str | None:
    problem = _list_problem(ring, 4, "position", _position_problem)
    if problem is None and ring[0] != ring[-1]:
        return "is not closed (its last position must repeat its first)"
    return problem


def _list_problem(items: Any, minimum: int, what: str, check: Callable[[Any], str | None]) -> str | None:
    if not isinstance(items, list):
        return f"{_short(items)} is not a list of {what}s"
    if len(items) < minimum:
        return f"has {len(items)} {what}(s); it needs at least {minimum}"
    for number, item in enumerate(items, start=1):
        problem = check(item)
        if problem:
            return f"{what} {number}: {problem}"
    return None


def _line_problem(line: Any) -> str | None:
    return _list_problem(line, 2, "position", _position_problem)


def _polygon_problem(polygon: Any) -> str | None:
    return _list_problem(polygon, 1, "ring", _ring_problem)


SHAPE_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "Point": _position_problem,
    "MultiPoint": lambda c: _list_problem(c, 1, "position", _position_problem),
    "LineString": _line_problem,
    "MultiLineString": lambda c: _list_problem(c, 1, "line", _line_problem),
    "Polygon": _polygon_problem,
    "MultiPolygon": lambda c: _list_problem(c, 1, "polygon", _polygon_problem),
}


def geometry_problem(geometry: Any) -> str | None:
    """What is wrong with the shape of a GeoJSON geometry (before any reprojection), or None."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        return "is missing or not a GeoJSON geometry"
    if geometry["type"] == "GeometryCollection":
        return _list_problem(geometry.get("geometries"), 1, "geometry", geometry_problem)
    problem = SHAPE_CHECKS[geometry["type"]](geometry.get("coordinates"))
    return f"{geometry['type']}: {problem}" if problem else None


def positions(geometry: dict[str, Any]) -> list[Position]:
    """Every position of a (checked) geometry."""
    if geometry["type"] == "GeometryCollection":
        return [p for part in geometry["geometries"] for p in positions(part)]
    found: list[Position] = []
    _walk(geometry["coordinates"], DEPTHS[geometry["type"]], found.append)
    return found


def _walk(coordinates: Any, depth: int, visit: Callable[[Position], Any]) -> Any:
    if depth == 0:
        return visit(coordinates)
    return [_walk(c, depth - 1, visit) for c in coordinates]


def reprojected(geometry: dict[str, Any], to_degrees: Callable[[Position], Position]) -> dict[str, Any]:
    """A (checked) geometry with every position passed through ``to_degrees``."""
    if geometry["type"] == "GeometryCollection":
        return {**geometry, "geometries": [reprojected(g, to_degrees) for g in geometry["geometries"]]}
    return {**geometry, "coordinates": _walk(geometry["coordinates"], DEPTHS[geometry["type"]], to_degrees)}


def _crs_transform(data: dict[str, Any], file: str) -> Callable[[Position], Position] | None:
    """The file's ``crs`` member as a function to WGS84 degrees; None when it is WGS84 already
    (or absent, as RFC 7946 has it)."""
    crs = data.get("crs")
    if crs is None:
        return None
    name = (crs.get("properties") or {}).get("name") if isinstance(crs, dict) and crs.get("type") == "name" else None
    if not isinstance(name, str):
        raise InputError([Problem(file, "", "crs", 'only a named CRS ({"type": "name", ...}) can be read')])
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(name)
    except CRSError:
        raise InputError([Problem(file, "", "crs", f"{_short(name)} is not a CRS borderrisk knows")]) from None
    if any(source.equals(CRS.from_user_input(wgs84), ignore_axis_order=True) for wgs84 in WGS84_NAMES):
        return None
    transformer = Transformer.from_crs(source, "OGC:CRS84", always_xy=True)

    def to_degrees(position: Position) -> Position:
        lon, lat = transformer.transform(position[0], position[1])
        return [round(lon, 9), round(lat, 9), *position[2:]]

    return to_degrees


def _valid_id(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and value.strip() != "")


def feature_problems(where: str, feature: Any, file: str) -> list[Problem]:
    """Every problem of one feature (its geometry in degrees, its id, its numbers)."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return [Problem(file, where, "", "is not a GeoJSON Feature")]
    problems = []
    if feature.get("id") is not None and not _valid_id(feature["id"]):
        problems.append(Problem(file, where, "id", f"{_short(feature['id'])} is not a string or a whole number"))
    properties = feature.get("properties")
    if properties is not None and not isinstance(properties, dict):
        return [*problems, Problem(file, where, "properties", "must be an object")]
    properties = properties or {}
    geometry = feature.get("geometry")
    problem = geometry_problem(geometry)
    if problem is None:
        problem = next(filter(None, map(_range_problem, positions(geometry))), None)
    if problem:
        problems.append(Problem(file, where, "geometry", problem))
    for name, low, high in (("severity", 1, 5), ("risk_adjustment", -RISK_ADJUSTMENT_MAX, RISK_ADJUSTMENT_MAX)):
        value = properties.get(name)
        if value is None:
            continue
        if not is_finite_number(value):
            problems.append(Problem(file, where, name, f"{_short(value)} is not a finite number"))
        elif not low <= value <= high:
            problems.append(Problem(file, where, name, f"{value:g} is out of range [{low}, {high}]"))
    if properties.get("risk_adjustment") is not None and not properties.get("reason"):
        problems.append(Problem(file, where, "reason", "a risk adjustment needs a reason"))
    return problems


def check_features(features: list[Any], file: str, taken: dict[str, str] | None = None) -> None:
    """Raise :class:`InputError` listing every problem of ``features``, including ids used twice
    among them or already ``taken`` (id -> where it is)."""
    problems = [p for n, f in enumerate(features, start=1) for p in feature_problems(f"feature {n}", f, file)]
    problems += id_problems(features, file, taken)
    if problems:
        raise InputError(problems)


def id_problems(features: list[Any], file: str, taken: dict[str, str] | None = None) -> list[Problem]:
    """Ids used twice among ``features``, or already ``taken`` (id -> where it is)."""
    problems = []
    seen = dict(taken or {})
    for number, feature in enumerate(features, start=1):
        if isinstance(feature, dict) and _valid_id(feature.get("id")):
            key = str(feature["id"])
            if key in seen:
                problems.append(Problem(file, f"feature {number}", "id", f"{key!r} is also the id of {seen[key]}"))
            seen.setdefault(key, f"feature {number}" + ("" if taken is None else f" of {file}"))
    return problems


def parse_collection(text: str, file: str) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection, checked, in WGS84 degrees; raises
    :class:`InputError` listing every problem."""
    data = load_json(text, file)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError([Problem(file, "", "", "is not a GeoJSON FeatureCollection")])
    features = data.get("features")
    if not isinstance(features, list):
        raise InputError([Problem(file, "", "features", "must be a list")])
    to_degrees = _crs_transform(data, file)
    if to_degrees is not None:
        features = [
            {**f, "geometry": reprojected(f["geometry"], to_degrees)}
            if isinstance(f, dict) and geometry_problem(f.get("geometry")) is None
            else f
            for f in features
        ]
    check_features(features, file)
    return features


def _short(value: Any, width: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=True, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"
