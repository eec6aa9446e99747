"""Read CSV, GeoJSON, GeoPackage and GeoParquet files into validated records.

Every reader yields rows as ``(where, cells)``, "where" being "line N" for text files (the
physical line the record ends on, so an editor jumps to it) and "feature N" for GIS files, and
leaves validation to :mod:`borderrisk.data.schema`, which reports every problem at once.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from borderrisk.data.bounds import COUNT_MAX, LINE_MAX_BYTES, size_text
from borderrisk.data.errors import InputError, Problem, first_line
from borderrisk.data.paths import input_path
from borderrisk.data.schema import RecordType, header
from borderrisk.data.workbooks import cell_text, workbook_table
from borderrisk.geo.crs import to_wgs84

if TYPE_CHECKING:
    import geopandas as gpd

T = TypeVar("T")

TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
GIS_SUFFIXES = {".geojson", ".json", ".gpkg", ".parquet", ".geoparquet", ".fgb", ".shp"}
DATE_FIELDS = ("date", "end_date", "since")
#: The longest cell a CSV file may have; a longer one is reported with its line.
FIELD_LIMIT = 1_000_000


def _fail(path: Path, message: str, where: str = "") -> InputError:
    return InputError([Problem(str(path), where, "", message)])


def _xlsx_rows(path: Path, known: set[str]) -> tuple[list[str], Iterator[tuple[str, dict[str, Any]]]]:
    """A workbook's table (see :mod:`borderrisk.data.workbooks`) as a CSV's rows, each named
    by its spreadsheet row."""
    first, table = workbook_table(path, str(path))
    if not table:
        raise _fail(path, "is empty; a workbook's first row names its columns")
    columns = header(table[0], str(path), known)

    def rows() -> Iterator[tuple[str, dict[str, Any]]]:
        for number, cells in enumerate(table[1:], start=first + 1):
            texts = [cell_text(c) for c in cells]
            if any(t.strip() for t in texts):
                yield f"row {number}", dict(zip(columns, texts))

    return columns, rows()


def _csv_rows(path: Path, known: set[str]) -> tuple[list[str], Iterator[tuple[str, dict[str, Any]]]]:
    handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed by the generator
    dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.DictReader(_bounded_lines(handle, path), dialect=dialect)
    try:
        names = reader.fieldnames
    except (csv.Error, UnicodeDecodeError):
        handle.close()
        raise
    if not names:
        handle.close()
        raise _fail(path, "is empty; a CSV file starts with a header line naming its columns")
    try:
        columns = header(names, str(path), known)
    except InputError:
        handle.close()
        raise
    reader.fieldnames = columns

    def rows() -> Iterator[tuple[str, dict[str, Any]]]:
        with handle:
            try:
                for cells in reader:
                    if any((v or "").strip() for v in cells.values() if isinstance(v, str)):
                        cells.pop(None, None)  # cells beyond the header
                        yield f"line {reader.line_num}", cells
            except csv.Error as error:
                message = str(error)
                if "field limit" in message:
                    message = f"a cell is longer than {FIELD_LIMIT:,} characters"
                raise _fail(path, f"is not valid CSV: {message}", f"line {reader.line_num + 1}") from None

    return columns, rows()


def _bounded_lines(handle: Any, path: Path) -> Iterator[str]:
    """The lines of a text file, each read within :data:`~borderrisk.data.bounds.LINE_MAX_BYTES`
    (characters): a line of millions of commas would become millions of cells."""
    number = 0
    while line := handle.readline(LINE_MAX_BYTES + 1):
        number += 1
        if len(line) > LINE_MAX_BYTES:
            raise _fail(path, f"is longer than {size_text(LINE_MAX_BYTES)}: not a row", f"line {number}")
        yield line


def _gis_rows(path: Path, known: set[str]) -> tuple[list[str], Iterator[tuple[str, dict[str, Any]]]]:
    frame = read_gis(path)
    geometry = frame.geometry if has_geometry(frame) else None
    attributes = frame.drop(columns=geometry.name) if geometry is not None else frame
    columns = header(attributes.columns, str(path), known)
    attributes.columns = columns
    if geometry is not None and geometry.notna().any():
        columns = sorted({*columns, "lat", "lon"})

    def rows() -> Iterator[tuple[str, dict[str, Any]]]:
        shapes = geometry if geometry is not None else [None] * len(attributes)
        xy = event_points(shapes) if geometry is not None else None
        for number, row in enumerate(attributes.to_dict("records"), start=1):
            cells = {k: _cell(v) for k, v in row.items()}
            if xy is not None and xy[number - 1, 0] == xy[number - 1, 0] and not cells.get("lat"):
                cells["lat"], cells["lon"] = xy[number - 1, 1], xy[number - 1, 0]
            yield f"feature {number}", cells

    return columns, rows()


def event_points(shapes: Any) -> Any:
    """Where an event with each geometry happened, as ``(lon, lat)`` rows: a point is itself;
    any other shape (a polygon, a line, several points) is reduced by one stated rule to its
    representative point (``shapely.point_on_surface``: inside a polygon, on a line, one of
    the points), never dropped nor replaced by a place name; empty or missing, NaN."""
    import numpy as np
    import shapely

    shapes = np.asarray(shapes, dtype=object)
    xy = np.full((len(shapes), 2), np.nan)
    present = ~(shapely.is_missing(shapes) | shapely.is_empty(shapes))
    if present.any():
        xy[present] = shapely.get_coordinates(shapely.point_on_surface(shapes[present]))[:, :2]
    return xy


def has_geometry(frame: Any) -> bool:
    """Whether a frame read from a GIS file has a geometry column (a GeoPackage table or a CSV
    read by GDAL may have none)."""
    import geopandas as gpd

    if not isinstance(frame, gpd.GeoDataFrame):
        return False
    try:
        frame.geometry  # noqa: B018 - raises when the frame has no active geometry
    except AttributeError:
        return False
    return True


def read_gis(path: str | Path) -> Any:
    """A GIS file (GeoParquet, or anything GDAL reads) as a GeoDataFrame in EPSG:4326 (a
    DataFrame if it has no geometry); any failure to read it is an :class:`InputError`."""
    import geopandas as gpd

    path = input_path(path)
    try:
        frame = gpd.read_parquet(path) if path.suffix.lower() in {".parquet", ".geoparquet"} else gpd.read_file(path)
    except Exception as error:  # pyogrio and pyarrow raise many types for one cause: unreadable
        kind = path.suffix[1:] or "a GIS file"
        raise _fail(path, f"cannot be read as {kind}: {first_line(error)}") from None
    if has_geometry(frame):
        try:
            frame = to_wgs84(frame)
        except Exception as error:  # pyproj: a CRS without a transformation to WGS84
            raise _fail(path, f"cannot be reprojected to WGS84 from {frame.crs}: {first_line(error)}") from None
    return frame


#: Problems of one kind listed before "and N more".
SHOWN_ROWS = 20


def geometry_problems(geometry: Any, file: str, where: str = "feature", first: int = 1) -> list[Problem]:
    """Rows whose geometry is missing, empty or has a coordinate that is not a finite number
    (``POINT (nan nan)``), one problem per kind naming the first rows (numbered from ``first``)."""
    import numpy as np
    import shapely

    shapes = geometry.to_numpy()
    missing = shapely.is_missing(shapes) | shapely.is_empty(shapes)
    coordinates, index = shapely.get_coordinates(shapes, include_z=True, return_index=True)
    infinite = np.zeros(len(shapes), dtype=bool)
    # z is NaN for 2D shapes, which is fine; x and y must be finite, z not infinite.
    not_finite = ~np.isfinite(coordinates[:, :2]).all(axis=1) | np.isinf(coordinates[:, 2])
    infinite[index[not_finite]] = True
    problems = []
    for bad, message in ((missing, "has no geometry"), (infinite, "has a coordinate that is not a finite number")):
        rows = (np.flatnonzero(bad) + first).tolist()
        if rows:
            problems.append(_rows_problem(file, where, rows, "geometry", message))
    return problems


def _rows_problem(file: str, where: str, rows: list[int], field: str, message: str) -> Problem:
    """One problem of many rows: the first :data:`SHOWN_ROWS` named, the others counted."""
    more = f" and {len(rows) - SHOWN_ROWS} more" if len(rows) > SHOWN_ROWS else ""
    listed = ", ".join(map(str, rows[:SHOWN_ROWS]))
    return Problem(file, f"{where} {listed}{more}", field, message)


#: The numbers an events dataset may carry, and their ranges (as the events schema has them).
DATASET_NUMBERS = {"severity": (1, 5), "fatalities": (0, COUNT_MAX), "lat": (-90, 90), "lon": (-180, 180)}


def number_problems(frame: Any, file: str, where: str = "row", first: int = 1) -> list[Problem]:
    """Rows of a dataset whose numbers break the finite-number rule (:mod:`borderrisk.data.finite`:
    NaN is a missing value, ±inf never is) or their range, one problem per column naming the
    first rows (numbered from ``first``)."""
    import numpy as np
    import pandas as pd

    from borderrisk.data.finite import finite_mask

    problems = []
    for name, (low, high) in DATASET_NUMBERS.items():
        if name not in frame.columns:
            continue
        if not pd.api.types.is_numeric_dtype(frame[name].dtype):
            problems.append(Problem(file, "schema", name, f"must be a number column, not {frame[name].dtype}"))
            continue
        values = frame[name].to_numpy(dtype="float64", na_value=np.nan)
        bad = ~np.isnan(values) & (~finite_mask(values) | (values < low) | (values > high))
        rows = (np.flatnonzero(bad) + first).tolist()
        if rows:
            message = f"is not a finite number within [{low}, {high}] (e.g. {values[bad][0]})"
            problems.append(_rows_problem(file, where, rows, name, message))
    return problems


def date_problems(frame: Any, file: str, where: str = "row", first: int = 1) -> list[Problem]:
    """Rows of a dataset with a date outside the :data:`~borderrisk.data.schema.YEARS` (a
    GeoParquet file written by another tool may hold year 1600 in microseconds), one problem
    per column naming the first rows."""
    import numpy as np
    import pandas as pd

    from borderrisk.data.schema import YEARS

    problems = []
    for name in DATE_FIELDS:
        if name in frame.columns and pd.api.types.is_datetime64_any_dtype(frame[name].dtype):
            years = frame[name].dt.year
            rows = (np.flatnonzero((years.notna() & ~years.between(*YEARS)).to_numpy()) + first).tolist()
            if rows:
                message = f"is outside the years {YEARS[0]} to {YEARS[1]}"
                problems.append(_rows_problem(file, where, rows, name, message))
    return problems


def dataset_problems(frame: Any, file: str, where: str = "row", first: int = 1) -> list[Problem]:
    """Every problem of rows of a dataset: numbers, dates and geometries (see above)."""
    return (
        number_problems(frame, file, where, first)
        + date_problems(frame, file, where, first)
        + geometry_problems(frame.geometry, file, where, first)
    )


def as_nanoseconds(frame: Any) -> Any:
    """A dataset's dates as every layer holds them (checked in range by :func:`date_problems`)."""
    import pandas as pd

    for name in DATE_FIELDS:
        if name in frame.columns and pd.api.types.is_datetime64_any_dtype(frame[name].dtype):
            frame[name] = frame[name].astype("datetime64[ns]")
    return frame


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
    """Read and validate one file of ``record_type`` records into a GeoDataFrame. A file with
    a header and no rows is an empty frame with the type's columns.

    Raises :class:`borderrisk.data.errors.InputError` naming the file, the line or feature, the field
    and the problem, for every problem in the file; or, given a ``skipped`` list, leaves bad
    rows out and adds one problem per row to it.
    """
    path = input_path(path)
    suffix = path.suffix.lower()
    known = record_type.known
    try:
        if suffix in TEXT_SUFFIXES:
            columns, rows = _csv_rows(path, known)
        elif suffix in GIS_SUFFIXES:
            columns, rows = _gis_rows(path, known)
        elif suffix == ".xlsx":
            columns, rows = _xlsx_rows(path, known)
        else:
            choices = ", ".join(sorted(TEXT_SUFFIXES | GIS_SUFFIXES | {".xlsx"}))
            raise _fail(path, f"unknown file type {suffix or '(no extension)'!r}; use one of {choices}")
        records = record_type.validate(rows, str(path), columns, skipped)
    except UnicodeDecodeError as error:
        raise _fail(path, f"is not UTF-8 text ({error.reason}); save it as UTF-8") from None
    except csv.Error as error:
        raise _fail(path, f"is not valid CSV: {error}") from None
    return records_to_frame(records, record_type)


def records_to_frame(records: list[dict[str, Any]], record_type: RecordType | None = None) -> gpd.GeoDataFrame:
    """Validated records as a GeoDataFrame: dates as datetimes with their precision beside
    them, located records as points. No records give an empty frame with the type's columns."""
    import geopandas as gpd
    import pandas as pd

    names = [f.name for f in record_type.fields if f.always] if record_type else []
    frame = pd.DataFrame(records, columns=list(dict.fromkeys([*names, *(k for r in records for k in r)])))
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


def check_dataset(columns: list[str], path: str | Path, date_dtype: Any = None) -> None:
    """A GeoParquet events dataset needs borderrisk's required columns and (``date_dtype``:
    the date column's dtype, when known) its dates as timestamps."""
    import pandas as pd

    problems = [
        Problem(str(path), "schema", c, "required column is missing") for c in DATASET_COLUMNS if c not in columns
    ]
    if date_dtype is not None and not pd.api.types.is_datetime64_any_dtype(date_dtype):
        problems.append(Problem(str(path), "schema", "date", f"must be a timestamp column, not {date_dtype}"))
    if problems:
        raise InputError(problems)


def open_geoparquet(path: str | Path, read: Callable[[Path], T] | None = None) -> T:
    """A GeoParquet file or dataset folder of events, opened by ``read`` (geopandas' whole
    read by default; pyarrow's ``dataset`` for batches, dask-geopandas' ``read_parquet`` for
    partitions): the one place such a dataset is opened, so its path is checked, a failure
    to open it is an :class:`InputError` and its schema is checked (:func:`check_dataset`)
    the same way however it is read."""
    import geopandas as gpd
    import pandas as pd
    import pyarrow.dataset as ds

    path = input_path(path, folder=True)
    try:
        opened = (read or gpd.read_parquet)(path)
    except Exception as error:  # pyarrow and dask raise many types for one cause: unreadable
        raise _fail(path, f"cannot be read as GeoParquet: {first_line(error)}") from None
    if isinstance(opened, ds.Dataset):
        schema = opened.schema
        dates = pd.ArrowDtype(schema.field("date").type) if "date" in schema.names else None
        check_dataset(schema.names, path, dates)
    else:
        check_dataset(list(opened.columns), path, opened.dtypes.get("date"))
    return opened


def read_dataset(path: str | Path) -> gpd.GeoDataFrame:
    """A GeoParquet file or directory of events already in borderrisk's columns (as written by
    ``EventsLayer.read(...).frame.to_parquet(...)`` or dask-geopandas), read whole."""
    frame = open_geoparquet(path)
    problems = dataset_problems(frame, str(path))
    if problems:
        raise InputError(problems)
    return to_wgs84(as_nanoseconds(frame))
