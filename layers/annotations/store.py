"""Annotations: briefers' notes on border regions, kept in a GeoJSON file they name.

Each annotation is a GeoJSON Feature with an ``id``, a geometry and the properties ``title``,
``note``, ``author``, ``created``, ``updated`` and, optionally, ``severity``,
``risk_adjustment`` with its ``reason``, and ``marking``. Other properties are kept.

A briefer's annotations are their work, so the store never loses one:

- every change is read-modify-write under an exclusive lock (``FILE.lock``), so concurrent
  writers are serialised and none overwrites another's change;
- the file is replaced atomically (temporary file, fsync, rename), so a process killed while
  writing leaves the file as it was before or as it is after, never half-written;
- the version before each change is kept (``FILE.previous``), so ``undo`` restores it;
- a malformed file is reported (file, feature, problem) and never rewritten.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from layers.data.errors import InputError, Problem, UserError
from layers.data.files import atomic_write

if TYPE_CHECKING:
    import geopandas as gpd

FIELDS = ("title", "note", "author", "created", "updated", "severity", "risk_adjustment", "reason", "marking")
GEOMETRY_TYPES = {
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
}


def now() -> str:
    """UTC time stamp, to the second, as annotations record it."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _feature_problems(number: int, feature: Any, file: str) -> list[Problem]:
    where = f"feature {number}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return [Problem(file, where, "", "is not a GeoJSON Feature")]
    properties = feature.get("properties")
    if properties is not None and not isinstance(properties, dict):
        return [Problem(file, where, "properties", "must be an object")]
    properties = properties or {}
    problems = []
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        problems.append(Problem(file, where, "geometry", "is missing or not a GeoJSON geometry"))
    elif not isinstance(
        geometry.get("geometries" if geometry["type"] == "GeometryCollection" else "coordinates"), list
    ):
        problems.append(Problem(file, where, "geometry", "has no coordinates"))
    for name in ("severity", "risk_adjustment"):
        value = properties.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            problems.append(Problem(file, where, name, f"{value!r} is not a number"))
    if properties.get("risk_adjustment") is not None and not properties.get("reason"):
        problems.append(Problem(file, where, "reason", "a risk adjustment needs a reason"))
    return problems


def parse_collection(text: str, file: str) -> list[dict[str, Any]]:
    """The features of an annotations file, checked; raises :class:`InputError` listing every
    problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError([Problem(file, f"line {error.lineno}", "", f"is not valid JSON: {error.msg}")]) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError([Problem(file, "", "", "is not a GeoJSON FeatureCollection")])
    features = data.get("features")
    if not isinstance(features, list):
        raise InputError([Problem(file, "", "features", "must be a list")])
    problems = [p for n, feature in enumerate(features, start=1) for p in _feature_problems(n, feature, file)]
    if problems:
        raise InputError(problems)
    return features


def _collection(features: list[dict[str, Any]]) -> bytes:
    return (
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"
    ).encode("utf-8")


class AnnotationStore:
    """The annotations in one GeoJSON file.

    >>> store = AnnotationStore("notes.geojson")                           # doctest: +SKIP
    >>> store.add({"type": "Point", "coordinates": [-65.6, -22.1]}, title="Patrol")
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.previous = self.path.with_name(self.path.name + ".previous")
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    def features(self) -> list[dict[str, Any]]:
        """Every annotation, as GeoJSON features; an absent file holds none."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except UnicodeDecodeError as error:
            raise InputError([Problem(str(self.path), "", "", f"is not UTF-8 text ({error.reason})")]) from None
        return parse_collection(text, str(self.path))

    def frame(self) -> gpd.GeoDataFrame:
        """Every annotation as a GeoDataFrame: ``id``, the fields, any other property, geometry."""
        return features_to_frame(self.features(), str(self.path))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                # Holding the lock, no one is mid-write: any temporary file is a killed writer's.
                for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
                    stale.unlink(missing_ok=True)
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def change(self, edit: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]) -> list[dict[str, Any]]:
        """Apply ``edit`` to the features under the lock, keep the old file as the previous
        version, and write the result atomically. Returns the new features."""
        with self._locked():
            changed = edit([dict(f) for f in self.features()])
            self._keep_previous()
            atomic_write(self.path, _collection(changed))
            return changed

    def _keep_previous(self) -> None:
        """The current file becomes the previous version: a hard link renamed into place, so
        no byte is copied and a crash leaves either version whole."""
        if not self.path.exists():
            return
        link = self.path.with_name(f".{self.path.name}.previous.tmp")
        link.unlink(missing_ok=True)
        os.link(self.path, link)
        os.replace(link, self.previous)
        # If a killed writer left the previous version as the current file itself, the rename
        # of two links to one file does nothing (POSIX); the link is then removed here.
        link.unlink(missing_ok=True)

    def add(self, geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
        """Add one annotation; returns it with its new ``id`` and time stamps."""
        stamp = now()
        feature = {
            "type": "Feature",
            "id": uuid.uuid4().hex[:12],
            "geometry": geometry,
            "properties": {
                "title": None,
                "note": None,
                "author": _default_author(),
                **_clean(properties),
                "created": stamp,
                "updated": stamp,
            },
        }
        problems = _feature_problems(1, feature, "new annotation")
        if problems:
            raise InputError(problems)
        self.change(lambda features: [*features, feature])
        return feature

    def add_features(self, new: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
        """Import features (e.g. drawn on the map and exported): geometry and every property
        are kept; each gets an id and time stamps if it has none."""
        problems = [p for n, feature in enumerate(new, start=1) for p in _feature_problems(n, feature, source)]
        if problems:
            raise InputError(problems)
        stamp = now()
        imported = []
        for feature in new:
            properties = dict(feature.get("properties") or {})
            properties.setdefault("author", _default_author())
            properties.setdefault("created", stamp)
            properties.setdefault("updated", stamp)
            imported.append(
                {
                    "type": "Feature",
                    "id": feature.get("id") or uuid.uuid4().hex[:12],
                    "geometry": feature["geometry"],
                    "properties": properties,
                }
            )

        def edit(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
            taken = {f.get("id") for f in features}
            clashes = [f["id"] for f in imported if f["id"] in taken]
            if clashes:
                raise InputError([Problem(source, "", "id", f"already in {self.path}: {', '.join(clashes)}")])
            return [*features, *imported]

        self.change(edit)
        return imported

    def edit(self, annotation_id: str, **properties: Any) -> dict[str, Any]:
        """Change some properties of one annotation (``None`` removes an optional one)."""
        result: dict[str, Any] = {}

        def edit(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
            feature = self._find(features, annotation_id)
            props = dict(feature.get("properties") or {})
            for key, value in properties.items():
                if value is None:
                    props.pop(key, None)
                else:
                    props[key] = value
            props["updated"] = now()
            feature["properties"] = props
            problems = _feature_problems(1, feature, f"annotation {annotation_id}")
            if problems:
                raise InputError(problems)
            result.update(feature)
            return features

        self.change(edit)
        return result

    def remove(self, annotation_id: str) -> None:
        def edit(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
            self._find(features, annotation_id)
            return [f for f in features if f.get("id") != annotation_id]

        self.change(edit)

    def undo(self) -> None:
        """Restore the version before the last change (undoing twice redoes it)."""
        with self._locked():
            if not self.previous.exists():
                raise UserError(f"nothing to undo: {self.previous} does not exist")
            before = self.previous.read_bytes()
            parse_collection(before.decode("utf-8"), str(self.previous))
            current = self.path.read_bytes() if self.path.exists() else _collection([])
            atomic_write(self.previous, current)
            atomic_write(self.path, before)

    def _find(self, features: list[dict[str, Any]], annotation_id: str) -> dict[str, Any]:
        for feature in features:
            if feature.get("id") == annotation_id:
                return feature
        raise UserError(f"no annotation {annotation_id!r} in {self.path}")


def geometry_for(
    *,
    border: tuple[str, str] | None = None,
    from_km: float | None = None,
    to_km: float | None = None,
    zone_km: float | None = None,
    side: str | None = None,
    at: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> dict[str, Any]:
    """The GeoJSON geometry of what a briefer names: a border stretch (``border`` with
    ``from_km``/``to_km``), a border zone (``border`` with ``zone_km``, optionally one
    ``side``), a place (``at``) or a point (``lat``/``lon``)."""
    import shapely

    from geo.borders import border_stretch, border_zone
    from geo.places import find

    if border is not None and zone_km is not None:
        shape = border_zone(*border, zone_km, side=side)
    elif border is not None:
        if from_km is None or to_km is None:
            raise UserError("a border stretch needs --from-km and --to-km (or --zone-km for a zone)")
        shape = border_stretch(*border, from_km, to_km)
    elif at is not None:
        place = find(at)
        shape = shapely.Point(place.lon, place.lat)
    elif lat is not None and lon is not None:
        shape = shapely.Point(lon, lat)
    else:
        raise UserError("say where: a border stretch or zone, a place, lat/lon, or a GeoJSON geometry")
    return json.loads(shapely.to_geojson(shapely.set_precision(shape, 1e-6)))


def _clean(properties: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in properties.items() if v is not None}


def _default_author() -> str:
    return os.environ.get("BORDERRISK_AUTHOR") or os.environ.get("USER") or "unknown"


def features_to_frame(features: list[dict[str, Any]], file: str = "annotations") -> gpd.GeoDataFrame:
    """Annotation features as a GeoDataFrame; unreadable coordinates are reported by feature."""
    import geopandas as gpd
    import shapely

    rows = [{"id": f.get("id"), **{k: None for k in FIELDS}, **(f.get("properties") or {})} for f in features]
    geometry, problems = [], []
    for number, feature in enumerate(features, start=1):
        try:
            geometry.append(shapely.from_geojson(json.dumps(feature["geometry"])))
        except Exception as error:  # GEOS reports bad coordinates in several ways
            problems.append(Problem(file, f"feature {number}", "geometry", f"cannot be read: {error}"))
    if problems:
        raise InputError(problems)
    return gpd.GeoDataFrame(rows, geometry=geometry, crs="EPSG:4326")


def read_annotations(path: str | Path) -> gpd.GeoDataFrame:
    """An annotations file as a GeoDataFrame; a missing or malformed file is an InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), "", "", "no such file")])
    return AnnotationStore(path).frame()
