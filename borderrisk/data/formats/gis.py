"""An export saved as a GIS file (GeoJSON, GeoPackage, FlatGeobuf, Shapefile, GeoParquet), as
UCDP GED or ACLED extracts are often shared: its columns are still the export's, so the
export's own table reads it. GIS tools move the latitude and longitude columns into the
geometry, so a point stands in for them where they are gone or empty (another shape: its
representative point, see :func:`borderrisk.data.readers.event_points`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from borderrisk.data.formats.source import Batch, Progress, export_columns
from borderrisk.data.formats.table import Format
from borderrisk.data.readers import event_points, has_geometry, read_gis


def gis_columns(path: str | Path) -> list[str]:
    """The attribute columns of a GIS file, lower-cased, read from its schema only; none when
    the file cannot be read (reading it as borderrisk's own columns then says why)."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".parquet", ".geoparquet"):
            import pyarrow.parquet as pq

            names = pq.read_schema(path).names
        else:
            import pyogrio

            names = list(pyogrio.read_info(path)["fields"])
    except Exception:  # GDAL and pyarrow raise many types for one cause: unreadable
        return []
    return [str(name).strip().lower() for name in names]


def gis_batches(path: str | Path, spec: Format, progress: Progress | None = None) -> Iterator[Batch]:
    """The features of a GIS file as one batch of text cells ("feature N"), with the point's
    coordinates in the export's latitude and longitude columns where those are empty."""
    frame = read_gis(path)
    geometry = frame.geometry if has_geometry(frame) else None
    attributes = pd.DataFrame(frame.drop(columns=geometry.name) if geometry is not None else frame)
    names = export_columns(attributes.columns, str(path))
    cells = pd.DataFrame(
        {name: _as_text(attributes[column]) for name, column in zip(names, attributes.columns)},
        index=range(len(attributes)),
    )
    if geometry is not None:
        _fill_coordinates(cells, geometry, spec)
    if progress:
        progress(Path(path).stat().st_size)
    yield Batch(cells, np.arange(1, len(cells) + 1), "feature")


def _as_text(column: pd.Series) -> pd.Series:
    """A typed GIS column as the text an export has: dates as days (every format reads
    ``YYYY-MM-DD``), missing values empty."""
    column = column.reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.strftime("%Y-%m-%d").fillna("")
    text = column.astype(str).astype(object)
    text[column.isna()] = ""
    return text


def _fill_coordinates(cells: pd.DataFrame, geometry: Any, spec: Format) -> None:
    xy = event_points(geometry.to_numpy())  # other shapes: their representative point
    points = ~np.isnan(xy[:, 0])
    for field, values in (("lat", xy[:, 1]), ("lon", xy[:, 0])):
        column = next((r.columns[0] for r in spec.rules if r.field == field and len(r.columns) == 1), None)
        if column is None:
            continue
        current = cells[column].copy() if column in cells else pd.Series("", index=cells.index, dtype=object)
        empty = (current.str.strip() == "").to_numpy() & points
        current[empty] = values[empty].astype(str)
        cells[column] = current
