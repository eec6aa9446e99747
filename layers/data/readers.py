"""Read CSV, GeoJSON, GeoPackage and GeoParquet files into validated records.

Every reader yields rows as ``(where, cells)``, "where" being "line N" for text files (the
physical line the record ends on, so an editor jumps to it) and "feature N" for GIS files, and
leaves validation to :mod:`layers.data.schema`, which reports every problem at once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.crs import to_wgs84
from layers.data.errors import InputError, Problem
from layers.data.schema import RecordType

if TYPE_CHECKING:
    import geopandas as gpd

TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
GIS_SUFFIXES = {".geojson", ".json", ".gpkg", ".parquet", ".geoparquet", ".fgb", ".shp"}
DATE_FIELDS = ("date", "end_date", "since")


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[str, dict[str, Any]]]]:
    handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed by the generator
    dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    reader = csv.DictReader(handle, dialect=dialect)
    columns = [c.strip() for c in (reader.fieldnames or [])]
    reader.fieldnames = columns

    def rows() -> Iterator[tuple[str, dict[str, Any]]]:
        with handle:
            for cells in reader:
                if any((v or "").strip() for v in cells.values() if isinstance(v, str)):
                    cells.pop(None, None)  # cells beyond the header
                    yield f"line {reader.line_num}", cells

    return columns, rows()


def _gis_rows(path: Path) -> tuple[list[str], Iterator[tuple[str, dict[str, Any]]]]:
    import geopandas as gpd

    try:
        frame = gpd.read_parquet(path) if path.suffix.lower() in {".parquet", ".geoparquet"} else gpd.read_file(path)
    except Exception as error:  # pyogrio and pyarrow raise many types for one cause: unreadable
        raise InputError([Problem(str(path), "", "", f"cannot be read as {path.suffix[1:]}: {error}")]) from None
    frame = to_wgs84(frame)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    points = frame.geometry.geom_type == "Point"
    if points.any():
        columns = sorted({*columns, "lat", "lon"})

    def rows() -> Iterator[tuple[str, dict[str, Any]]]:
        for number, (row, geom) in enumerate(
            zip(frame.drop(columns=frame.geometry.name).to_dict("records"), frame.geometry), start=1
        ):
            cells = {k: _cell(v) for k, v in row.items()}
            if geom is not None and geom.geom_type == "Point" and not cells.get("lat"):
                cells["lat"], cells["lon"] = geom.y, geom.x
            yield f"feature {number}", cells

    return columns, rows()


def _cell(value: Any) -> Any:
    """GIS readers give typed values; the schema parses text, so give it text (dates as ISO)."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def read_records(path: str | Path, record_type: RecordType, skipped: list[Problem] | None = None) -> gpd.GeoDataFrame:
    """Read and validate one file of ``record_type`` records into a GeoDataFrame.

    Raises :class:`layers.data.errors.InputError` naming the file, the line or feature, the field
    and the problem, for every problem in the file; or, given a ``skipped`` list, leaves bad
    rows out and adds one problem per row to it.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), "", "", "no such file")])
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        try:
            columns, rows = _csv_rows(path)
        except UnicodeDecodeError as error:
            raise InputError([Problem(str(path), "", "", f"is not UTF-8 text ({error.reason})")]) from None
    elif suffix in GIS_SUFFIXES:
        columns, rows = _gis_rows(path)
    else:
        known = ", ".join(sorted(TEXT_SUFFIXES | GIS_SUFFIXES))
        raise InputError([Problem(str(path), "", "", f"unknown file type {suffix!r}; use one of {known}")])
    try:
        records = record_type.validate(rows, str(path), columns, skipped)
    except UnicodeDecodeError as error:
        raise InputError([Problem(str(path), "", "", f"is not UTF-8 text ({error.reason})")]) from None
    except csv.Error as error:
        raise InputError([Problem(str(path), "", "", f"is not valid CSV: {error}")]) from None
    return records_to_frame(records)


def records_to_frame(records: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Validated records as a GeoDataFrame: dates as datetimes with their precision beside
    them, located records as points."""
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame(records)
    for name in DATE_FIELDS:
        if name in frame:
            values = frame[name]
            frame[name] = pd.to_datetime([v[0] if v else None for v in values])
            if name == "date" and "date_precision" not in frame:
                frame.insert(frame.columns.get_loc(name) + 1, "date_precision", [v[1] if v else None for v in values])
    located = {"lat", "lon"} <= set(frame.columns)
    geometry = gpd.points_from_xy(frame.lon, frame.lat) if located else [None] * len(frame)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


DATASET_COLUMNS = ("date", "title", "type")


def check_dataset(columns: list[str], path: str | Path) -> None:
    """A GeoParquet events dataset needs borderrisk's required columns."""
    problems = [
        Problem(str(path), "schema", c, "required column is missing") for c in DATASET_COLUMNS if c not in columns
    ]
    if problems:
        raise InputError(problems)


def read_dataset(path: str | Path) -> gpd.GeoDataFrame:
    """A GeoParquet file or directory of events already in borderrisk's columns (as written by
    ``EventsLayer.read(...).frame.to_parquet(...)`` or dask-geopandas), read whole."""
    import geopandas as gpd
    import pandas as pd

    try:
        frame = gpd.read_parquet(path)
    except Exception as error:  # pyarrow raises many types for one cause: unreadable
        raise InputError([Problem(str(path), "", "", f"cannot be read as GeoParquet: {error}")]) from None
    check_dataset(list(frame.columns), path)
    if not pd.api.types.is_datetime64_any_dtype(frame["date"]):
        raise InputError(
            [Problem(str(path), "schema", "date", f"must be a timestamp column, not {frame['date'].dtype}")]
        )
    return to_wgs84(frame)
