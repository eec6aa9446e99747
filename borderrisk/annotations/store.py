"""Annotations: briefers' notes on border regions, kept in a GeoJSON file they name.

Each annotation is a GeoJSON Feature with an ``id``, a geometry and the properties ``title``,
``note``, ``author``, ``created``, ``updated`` and, optionally, ``severity``,
``risk_adjustment`` with its ``reason``, and ``marking``. Other properties are kept.

A briefer's annotations are their work, so the store never loses one:

- a symbolic link is followed: writing through it writes its target, and writers through
  different links to one file share one lock;
- every change is read-modify-write under an exclusive lock (``FILE.lock``, portable through
  ``filelock``), so concurrent writers are serialised and none overwrites another's change;
- the new version is written beside the file and flushed to disk first; only then does it
  replace the file (atomic rename) and the replaced version become ``FILE.previous``. A process
  killed, or a disk that fills up, at any point leaves the file whole and ``FILE.previous`` the
  version before the last change that completed, which is what ``undo`` restores;
- what goes in is checked (:mod:`borderrisk.annotations.features`), and a malformed or read-only
  file is reported (file, feature, problem) and never rewritten.
"""

from __future__ import annotations

import json
import os
import stat
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderrisk.annotations.features import FIELDS, check_features, id_problems, parse_collection
from borderrisk.data.errors import InputError, Problem, UserError
from borderrisk.data.files import fsync_folder, stage
from borderrisk.data.paths import input_path, read_input_text

if TYPE_CHECKING:
    import geopandas as gpd


#: How often a writer waiting for the lock tries again (filelock polls the lock): with many
#: writers queued one of them soon finds the lock free, and the polling costs little CPU.
LOCK_POLL_SECONDS = 0.05


def now() -> str:
    """UTC time stamp, to the second, as annotations record it."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _collection(features: list[dict[str, Any]]) -> bytes:
    """The file's text: one feature per line, so it reads (and diffs) well and writes fast."""
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, allow_nan=False) for f in features)
    return f'{{"type": "FeatureCollection", "features": [\n{lines}\n]}}\n'.encode()


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


class AnnotationStore:
    """The annotations in one GeoJSON file, changed under a lock and written atomically.

    Parameters
    ----------
    path
        The GeoJSON file (created on the first change).

    Examples
    --------
    >>> store = AnnotationStore("notes.geojson")                           # doctest: +SKIP
    >>> store.add({"type": "Point", "coordinates": [-65.6, -22.1]}, title="Patrol")
    """

    def __init__(self, path: str | Path) -> None:
        #: The file as the user named it (for messages) and the file it is (links followed).
        self.name = str(path)
        self.path = Path(os.path.realpath(path))
        self.previous = self.path.with_name(self.path.name + ".previous")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        #: The replaced version, kept under a second name until the new one is in place.
        self.keeping = self.path.with_name(f".{self.path.name}.previous.tmp")

    def features(self) -> list[dict[str, Any]]:
        """Every annotation, as GeoJSON features; an absent file holds none."""
        if not self._exists():
            return []
        return parse_collection(read_input_text(self.name), self.name)

    def _exists(self) -> bool:
        """Whether the store exists, checked by the one input rule: a FIFO, a device (or a link
        to one) or a folder is refused before anything opens it or locks beside it."""
        if not os.path.exists(self.name):  # a link to nothing yet is a store to create
            return False
        input_path(self.name)
        return True

    def frame(self) -> gpd.GeoDataFrame:
        """Every annotation as a GeoDataFrame: ``id``, the fields, any other property, geometry."""
        return features_to_frame(self.features(), self.name)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        from filelock import FileLock

        self._exists()  # a refused store gets no FILE.lock beside it (nor beside a link's target)
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(self.lock_path, poll_interval=LOCK_POLL_SECONDS):
            # Holding the lock, no one is mid-write: what is left is a killed writer's.
            self._finish_keeping()
            for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
                stale.unlink(missing_ok=True)
            yield

    def _finish_keeping(self) -> None:
        """Complete or discard what a killed writer left: if its new version replaced the file,
        the version it replaced becomes the previous one; if not, nothing changed."""
        if not self.keeping.exists():
            return
        if self.path.exists() and os.path.samefile(self.keeping, self.path):
            self.keeping.unlink()
        else:
            self._keep_previous()

    def _keep_previous(self) -> None:
        os.replace(self.keeping, self.previous)
        # Renaming a link onto another link of the same file does nothing (POSIX): remove it.
        self.keeping.unlink(missing_ok=True)

    def change(self, edit: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]) -> list[dict[str, Any]]:
        """Apply ``edit`` to the features under the lock and write the result; the version it
        replaces becomes the previous one. Features without an id get one. Returns the new
        features."""
        with self._locked():
            changed = edit([dict(f) for f in self.features()])
            for feature in changed:
                if feature.get("id") is None:
                    feature["id"] = _new_id()
            # Features read are checked, and so is what add, edit and import bring: only the
            # ids of the result need a look.
            problems = id_problems(changed, self.name)
            if problems:
                raise InputError(problems)
            self._replace(_collection(changed))
            return changed

    def _replace(self, data: bytes) -> None:
        """``data`` becomes the file, and the file it replaces the previous version, in the order
        that never loses either: new version on disk, current one linked aside, rename, rename."""
        if self.path.exists() and not self.path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise InputError([Problem(self.name, "", "", "is read-only; it was not changed")])
        try:
            temporary = stage(self.path, data)
        except OSError as error:
            raise InputError([Problem(self.name, "", "", f"cannot be written: {error.strerror or error}")]) from None
        keep = self.path.exists()
        try:
            if keep:
                os.link(self.path, self.keeping)
            os.replace(temporary, self.path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            self._finish_keeping()
            raise
        if keep:
            self._keep_previous()
        fsync_folder(self.path.parent)

    def add(self, geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
        """Add one annotation; returns it with its new ``id`` and time stamps."""
        stamp = now()
        feature = {
            "type": "Feature",
            "id": _new_id(),
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
        check_features([feature], "new annotation")
        self.change(lambda features: [*features, feature])
        return feature

    def add_features(self, new: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
        """Import features (e.g. drawn on the map and exported): geometry and every property
        are kept; each gets time stamps if it has none, and an id if it has none. An id used
        twice in ``new``, or already in the store, is an error naming both."""
        check_features(new, source)
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
                    "id": _new_id() if feature.get("id") is None else feature["id"],
                    "geometry": feature["geometry"],
                    "properties": properties,
                }
            )

        def edit(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
            taken = {
                str(f["id"]): f"feature {n} of {self.name}"
                for n, f in enumerate(features, start=1)
                if f.get("id") is not None
            }
            check_features(imported, source, taken)
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
            check_features([feature], f"annotation {annotation_id}")
            result.update(feature)
            return features

        self.change(edit)
        return result

    def remove(self, annotation_id: str) -> None:
        def edit(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
            found = self._find(features, annotation_id)
            return [f for f in features if f is not found]

        self.change(edit)

    def undo(self) -> None:
        """Restore the version before the last completed change; the current one becomes the
        previous, so undoing twice redoes it."""
        with self._locked():
            if not self.previous.exists():
                raise UserError(f"nothing to undo: {self.previous} does not exist")
            before = self.previous.read_bytes()
            try:
                parse_collection(before.decode("utf-8"), str(self.previous))
            except UnicodeDecodeError as error:
                raise InputError([Problem(str(self.previous), "", "", f"is not UTF-8 text ({error.reason})")]) from None
            self._replace(before)

    def _find(self, features: list[dict[str, Any]], annotation_id: str) -> dict[str, Any]:
        for feature in features:
            if str(feature.get("id")) == annotation_id:
                return feature
        raise UserError(f"no annotation {annotation_id!r} in {self.name}")


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

    from borderrisk.geo.borders import border_stretch, border_zone
    from borderrisk.geo.places import find_place

    if border is not None and zone_km is not None:
        shape = border_zone(*border, zone_km, side=side)
    elif border is not None:
        if from_km is None or to_km is None:
            raise UserError("a border stretch needs --from-km and --to-km (or --zone-km for a zone)")
        shape = border_stretch(*border, from_km, to_km)
    elif at is not None:
        place = find_place(at)
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
    import pandas as pd
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
    frame = gpd.GeoDataFrame(rows, geometry=geometry, crs="EPSG:4326")
    missing = [c for c in ("id", *FIELDS) if c not in frame]  # no features: no columns either
    return frame.assign(**{c: pd.Series(dtype=object) for c in missing}) if missing else frame


def read_annotations(path: str | Path) -> gpd.GeoDataFrame:
    """An annotations file as a GeoDataFrame; a missing or malformed file is an InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), "", "", "no such file")])
    return AnnotationStore(path).frame()
