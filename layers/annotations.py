"""Annotations: briefers' notes on border regions, stored in a GeoJSON file they name.

Each annotation is a GeoJSON feature with an ``id``, a geometry and the properties ``title``,
``note``, ``author``, ``created``, ``updated`` and, optionally, ``severity``,
``risk_adjustment`` with its ``reason``, and ``marking``. Other properties are kept.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from layers.errors import InputError, Problem

if TYPE_CHECKING:
    import geopandas as gpd

FIELDS = ("id", "title", "note", "author", "created", "updated", "severity", "risk_adjustment", "reason", "marking")


def _feature_problems(number: int, feature: Any, file: str) -> list[Problem]:
    where = f"feature {number}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return [Problem(file, where, "", "is not a GeoJSON Feature")]
    problems = []
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        return [Problem(file, where, "properties", "must be an object")]
    if feature.get("geometry") is None:
        problems.append(Problem(file, where, "geometry", "is missing"))
    adjustment = properties.get("risk_adjustment")
    if adjustment is not None and (isinstance(adjustment, bool) or not isinstance(adjustment, (int, float))):
        problems.append(Problem(file, where, "risk_adjustment", f"{adjustment!r} is not a number"))
    if adjustment is not None and not properties.get("reason"):
        problems.append(Problem(file, where, "reason", "a risk adjustment needs a reason"))
    return problems


def parse_collection(text: str, file: str) -> list[dict[str, Any]]:
    """The features of an annotations file, checked; raises :class:`InputError` listing every
    problem (the file is never rewritten while it has any)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError([Problem(file, f"line {error.lineno}", "", f"is not valid JSON: {error.msg}")]) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError([Problem(file, "", "", "is not a GeoJSON FeatureCollection")])
    features = data.get("features")
    if not isinstance(features, list):
        raise InputError([Problem(file, "", "features", "must be a list")])
    problems = [p for number, feature in enumerate(features, start=1) for p in _feature_problems(number, feature, file)]
    if problems:
        raise InputError(problems)
    return features


def read_annotations(path: str | Path) -> gpd.GeoDataFrame:
    """An annotations file as a GeoDataFrame (columns of :data:`FIELDS` and the geometry)."""
    import geopandas as gpd
    import shapely

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError([Problem(str(path), "", "", error.strerror or str(error))]) from None
    features = parse_collection(text, str(path))
    rows = [
        {
            **{f: None for f in FIELDS},
            **(feature.get("properties") or {}),
            "id": feature.get("id") or (feature.get("properties") or {}).get("id"),
        }
        for feature in features
    ]
    geometry = [shapely.from_geojson(json.dumps(feature["geometry"])) for feature in features]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs="EPSG:4326")
