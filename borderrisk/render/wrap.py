"""Features across the antimeridian drawn where a view across it shows them.

A view across 180° keeps going east past it (Fiji is 177°E to 181°E, see
:mod:`borderrisk.geo.extent`), but Leaflet draws a feature at its own longitude: Fiji's islands
east of 180° (-179.9°) would be drawn at the far west of the world, and the view would show
only sea where they are. For such a view each part of a geometry (each polygon of a
MultiPolygon, each point) that lies in the slice of the world the view shows east of 180° is
drawn 360° further east. Views that stay within -180° to 180° leave every spec as it is.
"""

from __future__ import annotations

from typing import Any

from borderrisk.layers.spec import LayerSpec

#: GeoJSON types whose coordinates are a list of parts, each shifted on its own.
_MULTI = {"MultiPoint", "MultiLineString", "MultiPolygon"}


def wrapped_spec(spec: LayerSpec, east: float) -> LayerSpec:
    """``spec`` with its features in the view's slice east of 180° (longitudes up to ``east`` -
    360, for a view reaching ``east``) moved 360° east; ``spec`` itself when ``east`` ≤ 180."""
    if east <= 180:
        return spec
    limit = east - 360
    out: dict[str, Any] = dict(spec)
    if "x" in spec:
        out["x"] = [_moved(x, limit) for x in spec["x"]]
    if "geoms" in spec:
        out["geoms"] = [_geometry(g, limit) if g else g for g in spec["geoms"]]
    if "grid" in spec:
        out["grid"] = [{**level, "x": [_moved(x, limit) for x in level["x"]]} for level in spec["grid"]]
    return out  # type: ignore[return-value]


def wrapped_labels(data: dict[str, Any], east: float) -> dict[str, Any]:
    """The place labels (see :mod:`borderrisk.render.labels`) moved as :func:`wrapped_spec`
    moves features."""
    if east <= 180:
        return data
    limit = east - 360

    def label(item: dict[str, Any]) -> dict[str, Any]:
        shift = _moved(item["x"], limit) - item["x"]
        if not shift:
            return item
        moved = {**item, "x": item["x"] + shift}
        if "bounds" in item:
            west, south, east_, north = item["bounds"]
            moved["bounds"] = [west + shift, south, east_ + shift, north]
        return moved

    return {key: [label(item) for item in items] for key, items in data.items()}


def _moved(x: float | None, limit: float) -> float | None:
    return x + 360 if x is not None and x <= limit else x


def _geometry(geometry: dict[str, Any], limit: float) -> dict[str, Any]:
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind in _MULTI:
        return {**geometry, "coordinates": [_part(part, limit) for part in coordinates]}
    return {**geometry, "coordinates": _part(coordinates, limit)}


def _part(coordinates: Any, limit: float) -> Any:
    """One part's coordinates, moved whole when its middle is in the slice."""
    xs = list(_longitudes(coordinates))
    if not xs or (min(xs) + max(xs)) / 2 > limit:
        return coordinates
    return _shifted(coordinates)


def _longitudes(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], (int, float)):
        yield coordinates[0]
        return
    for item in coordinates:
        yield from _longitudes(item)


def _shifted(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], (int, float)):
        return [coordinates[0] + 360, *coordinates[1:]]
    return [_shifted(item) for item in coordinates]
