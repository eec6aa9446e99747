"""Reading an export: detect its format, stream its batches through the format's table, check
every row (vectorised, one problem per row), and never drop a row silently.

A row is usable when it has a date and a location: coordinates, or a place or country that
resolves offline (rows located only to a country count under ``country_events``). Bad rows stop
the read with every problem listed (file, the line an editor shows, the column, what is wrong),
or, with ``skip_bad_rows``, are left out and counted by reason.
"""

from __future__ import annotations

import csv
import io
import logging
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from borderrisk.data.batches import latest_of
from borderrisk.data.bounds import COUNT_MAX, FIRST_LINE_MAX_CHARS, LINE_MAX_BYTES, size_text
from borderrisk.data.errors import SHOWN_PROBLEMS, InputError, Problem
from borderrisk.data.formats.acled import ACLED
from borderrisk.data.formats.dates import AmbiguousDates
from borderrisk.data.formats.gdelt import GDELT, LAYOUTS
from borderrisk.data.formats.gis import gis_batches, gis_columns
from borderrisk.data.formats.gtd import GTD
from borderrisk.data.formats.mapped import mapped_format
from borderrisk.data.formats.merging import EventMerger
from borderrisk.data.formats.source import (
    ENCODING_HINT,
    Batch,
    Layout,
    Opened,
    Progress,
    ends_past_header,
    first_bad_byte,
    first_json_record,
    guess_encoding,
    header_of,
    is_hashtag_row,
    json_batches,
    open_file,
    sample_text,
    text_batches,
    text_columns,
    workbook_rows,
    xlsx_batches,
)
from borderrisk.data.formats.table import Format, bad_counts
from borderrisk.data.formats.ucdp import UCDP
from borderrisk.data.schema import YEARS

if TYPE_CHECKING:
    from collections.abc import Iterator

    import geopandas as gpd

#: The real export formats, by name.
EXPORTS: dict[str, Format] = {f.name: f for f in (ACLED, GDELT, GTD, UCDP)}
#: What ``--format`` accepts: ``auto`` detects; ``borderrisk`` is the events schema.
FORMATS = ("auto", "borderrisk", *EXPORTS)
#: Columns only ACLED names so: with ``event_date`` and ``event_type``, any one of them tells
#: ACLED, so an analyst's cut of an export (R without ids, or date, type, deaths and point) is
#: ACLED, while a table with just a date and a type is not taken for it.
ACLED_OWN = ("actor1", "sub_event_type", "fatalities", "disorder_type", "admin1", "interaction", "geo_precision")
#: Columns only the GTD names so: with ``eventid``, any one of them tells a GTD subset that
#: dropped the date triple (its id holds the date).
GTD_OWN = ("country_txt", "attacktype1_txt", "targtype1_txt", "gname", "provstate", "nkill")
#: Columns that tell each format apart (lower case; any one set is enough).
SIGNATURES = {
    "acled": ({"event_id_cnty", "event_date"}, *({"event_date", "event_type", c} for c in ACLED_OWN)),
    "gdelt": ({"globaleventid", "sqldate"},),
    "gtd": ({"iyear", "imonth", "iday"}, *({"eventid", c} for c in GTD_OWN)),
    "ucdp": ({"date_start", "type_of_violence"},),
}
#: How files saved by R begin once ungzipped: ``save()`` (.rda, .RData) and ``saveRDS()`` (.rds,
#: binary); bzip2 and xz are R's other compressions, recognised with the suffix.
R_DATA_MAGIC = (b"RDX2\n", b"RDX3\n", b"RDA2\n", b"RDA3\n", b"RDB2\n", b"RDB3\n", b"X\n\x00", b"B\n\x00")
R_DATA_PACKED = (b"BZh", b"\xfd7zXZ")
R_DATA_SUFFIXES = (".rda", ".rdata", ".rds")
SKIP_HINT = "use --skip-bad-rows (skip_bad_rows=True in Python) to leave such rows out; they are counted and reported"

logger = logging.getLogger("borderrisk.data")

#: Kinds of file read whole, as one batch (see :func:`read_whole`).
WHOLE_KINDS = ("gis", "xlsx")


@dataclass(frozen=True)
class Detected:
    """What a file is: its format, its layout (text files) and its encoding."""

    format: str
    layout: Layout | None
    encoding: str


@dataclass
class Skipped:
    """Rows left out with ``skip_bad_rows`` (one problem each, by reason), rows left out by
    choice (``root_events_only``, ``once_per_source``), and rows merged into an earlier row of
    the same event (:mod:`borderrisk.data.formats.merging`)."""

    problems: list[Problem] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)
    chosen: Counter = field(default_factory=Counter)
    merged: int = 0
    #: Place names not found offline, and how many rows named each: those rows were placed
    #: only to their country.
    unfound: Counter = field(default_factory=Counter)
    #: Town names placed with doubt, and how many rows named each: namesakes far apart in the
    #: row's country that nothing in the row told apart (placed at the most populous), or a
    #: town far from the cities the row's admin areas name.
    ambiguous: Counter = field(default_factory=Counter)

    def __len__(self) -> int:
        return sum(self.reasons.values())

    def __bool__(self) -> bool:
        return bool(self.reasons or self.chosen or self.merged or self.unfound or self.ambiguous)

    def add(self, other: Skipped) -> None:
        self.problems += other.problems
        self.reasons += other.reasons
        self.chosen += other.chosen
        self.merged += other.merged
        self.unfound += other.unfound
        self.ambiguous += other.ambiguous

    def summary(self) -> str:
        """One line: how many rows were skipped, by reason, and where the first ones are."""
        parts = []
        if self.reasons:
            by_reason = ", ".join(f"{n:,} {reason}" for reason, n in self.reasons.most_common())
            by_file: dict[str, list[str]] = {}  # the file (and zip member) of each: a folder has many
            for problem in self.problems[:10]:
                by_file.setdefault(problem.file, []).append(problem.where)
            more = len(self.problems) - 10
            shown = "; ".join(f"{file}: {', '.join(w for w in wheres if w)}" for file, wheres in by_file.items())
            shown += f" and {more:,} more" if more > 0 else ""
            parts.append(f"skipped {len(self):,} bad row(s) ({by_reason}): {shown}")
        parts += [f"left out {n:,} {why}" for why, n in self.chosen.items()]
        if self.unfound:
            commonest = ", ".join(f"{name} ({n:,})" for name, n in self.unfound.most_common(10))
            parts.append(
                f"placed {sum(self.unfound.values()):,} row(s) only to their country (at its seat of government): "
                f"their place is not in the offline gazetteer; commonest: {commonest}"
            )
        if self.ambiguous:
            commonest = ", ".join(f"{name} ({n:,})" for name, n in self.ambiguous.most_common(10))
            parts.append(
                f"placed {sum(self.ambiguous.values()):,} row(s) at a town of their name that may not be theirs "
                "(namesakes far apart in their country that nothing in the row tells apart, or far from the "
                f"cities their admin areas name); commonest: {commonest}"
            )
        if self.merged:
            parts.append(f"merged {self.merged:,} row(s) repeating an event id into their event (actors joined)")
        return "; ".join(parts)


def detect(opened: Opened, encoding: str | None = None) -> Detected:
    """The format, layout and encoding of an opened file, from its content."""
    _refuse_r_data(opened)
    encoding = encoding or guess_encoding(opened.sample)
    if opened.kind == "gis":
        return Detected(_by_header(gis_columns(opened.path)), None, encoding)
    if opened.kind == "xlsx":
        return Detected(_by_header(_xlsx_header(opened)), None, encoding)
    text = sample_text(opened, encoding)
    if opened.kind == "json" or text.lstrip()[:1] in ("{", "["):
        record = first_json_record(opened, encoding)
        name = _by_header([str(k).lower() for k in record])
        return Detected("acled" if name == "borderrisk" else name, None, encoding)  # the ACLED API's, by default
    first = (text.splitlines() or [""])[0]  # a lone \r ends a line too (csv refuses it inside one)
    if len(first) > FIRST_LINE_MAX_CHARS:
        message = f"its first line is longer than {FIRST_LINE_MAX_CHARS:,} characters: not a header nor a record"
        raise InputError([Problem(opened.name, "line 1", "", message)])
    gdelt = _gdelt_layout(first)
    if gdelt is not None:
        return Detected("gdelt", gdelt, encoding)
    delimiter = max((",", "\t", ";", "|"), key=lambda d: len(next(csv.reader(io.StringIO(first), delimiter=d), [])))
    records = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
    header = next(records, [])
    second = next(records, [])
    hashtags = is_hashtag_row(second, header)
    if ends_past_header(header, next(records, []) if hashtags else second):
        names = tuple(name.strip().lower() for name in header)
        layout = Layout(delimiter, hashtags=hashtags, trailing=True, widths={len(names): names})
    else:
        layout = Layout(delimiter, hashtags=hashtags)
    return Detected(_by_header(header_of(text, layout)), layout, encoding)


def _refuse_r_data(opened: Opened) -> None:
    """Say what an R data file is and how to export it: read as text, its compressed bytes were
    only "a first line longer than 65,536 characters" (public repositories ship event data so)."""
    packed = opened.sample.startswith(R_DATA_PACKED) and opened.path.suffix.lower() in R_DATA_SUFFIXES
    if opened.sample.startswith(R_DATA_MAGIC) or packed:
        message = (
            "is an R data file (written by save() or saveRDS()), not a table of events: in R, load it and "
            'write its events with write.csv(events, "events.csv", row.names = FALSE), then read that CSV'
        )
        raise InputError([Problem(opened.name, "", "", message)])


def _gdelt_layout(first: str) -> Layout | None:
    """A header-less GDELT file, by its first row's shape: 57, 58 or 61 fields, tab- or comma-
    separated (a database dump, quoted), an event id then an eight-digit date. Rows of the
    other GDELT widths are read by their own columns."""
    for delimiter in ("\t", ","):
        fields = next(csv.reader([first], delimiter=delimiter, quoting=csv.QUOTE_NONE if delimiter == "\t" else 0))
        fields = [f.strip().strip('"') for f in fields]
        if len(fields) in LAYOUTS and fields[0].isdigit() and len(fields[1]) == 8 and fields[1].isdigit():
            quoting = delimiter == ","
            return Layout(delimiter, header=False, names=LAYOUTS[len(fields)], quoting=quoting, widths=LAYOUTS)
    return None


def _by_header(header: list[str]) -> str:
    names = set(header)
    for name, signatures in SIGNATURES.items():
        if any(signature <= names for signature in signatures):
            return name
    return "borderrisk"


def _xlsx_header(opened: Opened) -> list[str]:
    _, rows = workbook_rows(opened, None)
    return [str(c).strip().lower() for c in (rows[0] if rows else []) if c is not None]


def detect_format(path: str | Path) -> str:
    """``acled``, ``gdelt``, ``gtd``, ``ucdp`` or ``borderrisk``, from the file's content: a
    text file's header, or a GIS file's (GeoJSON, GeoPackage, GeoParquet ...) columns."""
    return detect(open_file(path)).format


class ReadAgain(Exception):
    """A file turned out not to be in the encoding it was being read in after some of its
    batches were handed out: whoever consumes them starts over (the file is then read in
    ``encoding`` from its start), as :func:`whole_passes` has it done."""

    def __init__(self, path: Path, encoding: str) -> None:
        super().__init__(f"{path}: read again as {encoding}")
        self.path, self.encoding = path, encoding


class Attempt:
    """One attempt at a pass over events batches (see :func:`whole_passes`): used as a
    ``with`` block, it ends the attempts when the block ends, and swallows :class:`ReadAgain`
    so that another attempt follows."""

    def __init__(self) -> None:
        self.done = False

    def __enter__(self) -> Attempt:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: Any) -> bool:
        self.done = kind is None
        return kind is not None and issubclass(kind, ReadAgain)


def whole_passes() -> Iterator[Attempt]:
    """Attempts at a pass over events batches until one gets to its end: a pass is started
    over when a file turns out not to be UTF-8 after some of its batches were handed out
    (:class:`ReadAgain`; the stream then reads that file in the right encoding from its
    start)::

        for attempt in whole_passes():
            with attempt:
                result = a_pass()

    The caller runs its pass itself, in its own room: reading hands out attempts and never
    calls back into the code above it (``tests/test_recipe_path.py``)."""
    while True:
        attempt = Attempt()
        yield attempt
        if attempt.done:
            return


def read_export(
    path: str | Path,
    fmt: str = "auto",
    *,
    columns: dict[str, str] | None = None,
    encoding: str | None = None,
    skip_bad_rows: bool = False,
    progress: Progress | None = None,
    date_format: str | None = None,
) -> tuple[gpd.GeoDataFrame, Skipped]:
    """Read an export (ACLED, GDELT, GTD, UCDP, or any table by a ``columns`` mapping) as
    events. Returns the events and the rows left out; raises :class:`InputError` listing every
    bad row unless ``skip_bad_rows``, and when no row at all is usable. ``date_format`` says
    how dates are written when their column alone cannot (see :mod:`.dates`)."""
    import geopandas as gpd

    skipped = Skipped()
    reading = dict(columns=columns, skip_bad_rows=skip_bad_rows, date_format=date_format)
    try:
        batches = list(export_batches(path, fmt, skipped, encoding=encoding, progress=progress, **reading))
    except ReadAgain as again:
        return read_export(path, fmt, encoding=again.encoding, **reading)
    if batches:
        return gpd.GeoDataFrame(pd.concat(batches, ignore_index=True), crs="EPSG:4326"), skipped
    spec = mapped_format(columns) if columns else EXPORTS[_format_name(path, fmt, columns, encoding)]
    events = spec.to_events(pd.DataFrame(columns=spec.columns))
    return gpd.GeoDataFrame(events, geometry=gpd.points_from_xy(events.lon, events.lat), crs="EPSG:4326"), skipped


def _format_name(path: str | Path, fmt: str, columns: dict[str, str] | None, encoding: str | None) -> str:
    return "columns" if columns else (detect(open_file(path), encoding).format if fmt == "auto" else fmt)


def export_batches(
    path: str | Path,
    fmt: str,
    skipped: Skipped,
    *,
    columns: dict[str, str] | None = None,
    encoding: str | None = None,
    skip_bad_rows: bool = False,
    progress: Progress | None = None,
    points: bool = True,
    date_format: str | None = None,
) -> Iterator[pd.DataFrame]:
    """The usable events of an export, batch by batch as they are read (located, as points;
    with ``points=False`` as frames with ``lon`` and ``lat`` only, for a reader that needs the
    coordinates alone: making a million points holds Python's lock for over a second), the rows
    left out added to ``skipped``. After the last batch, raises :class:`InputError`
    listing every bad row unless ``skip_bad_rows`` (no batch is handed out after the first bad
    row: a consumer never finishes with part of a bad file), and when no row at all is usable.
    A file found not to be UTF-8 past its first batches raises :class:`ReadAgain`."""
    import geopandas as gpd
    from pyarrow import ArrowInvalid

    opened = open_file(path)
    detected = detect(opened, encoding)
    name = "columns" if columns else (detected.format if fmt == "auto" else fmt)
    if name == "borderrisk":
        raise InputError(
            [
                Problem(
                    opened.name,
                    "",
                    "",
                    "is not an ACLED, GDELT, GTD or UCDP export; "
                    "map its columns with --columns date=...,type=...,lat=...,lon=...",
                )
            ]
        )
    spec = replace(mapped_format(columns) if columns else EXPORTS[name], date_format=date_format)
    file = opened.name
    found = Skipped()
    problems = found.problems
    total = usable = 0
    merger = EventMerger()

    def handed_out(events: pd.DataFrame | None) -> Iterator[pd.DataFrame]:
        if events is not None and len(events) and (skip_bad_rows or not problems):
            if points:
                located = gpd.points_from_xy(events.lon, events.lat)
                events = gpd.GeoDataFrame(events, geometry=located, crs="EPSG:4326")
            yield events

    try:
        for batch in _batches(opened, detected, spec, progress):
            total += len(batch.cells) + len(batch.wrong)
            for where, message in batch.wrong:
                problems.append(Problem(file, where, "", message))
                found.reasons["with the wrong number of fields"] += 1
            if spec.date_format is None and (order := spec.date_order(batch.cells)):
                spec = replace(spec, date_format=order)  # one order for the whole file, once shown
            try:
                converted = spec.to_events(batch.cells)
            except AmbiguousDates as error:  # the batch does not tell: all the file's dates may
                order = _file_order(opened, detected, spec)
                if order is None:
                    raise InputError([Problem(file, "", spec.source_of("date"), str(error))]) from None
                spec = replace(spec, date_format=order)
                converted = spec.to_events(batch.cells)
            events, bad, unfound, ambiguous = check_rows(converted, batch, spec, file)
            found.unfound.update(unfound)
            found.ambiguous.update(ambiguous)
            for reason, problem in bad:
                problems.append(problem)
                found.reasons[reason] += 1
            usable += len(events)
            yield from handed_out(merger.add(events))
        yield from handed_out(merger.flush())
    except UnicodeDecodeError as error:
        raise _decode_error(opened, detected.encoding, error) from None
    except ArrowInvalid as error:  # unreadable text, bad UTF-8 (damaged archives: see archives.py)
        if "UTF8" in str(error):
            if encoding is None:
                if usable:
                    raise ReadAgain(Path(path), _fallback(opened)) from None
                yield from export_batches(
                    path,
                    fmt,
                    skipped,
                    columns=columns,
                    encoding=_fallback(opened),
                    skip_bad_rows=skip_bad_rows,
                    points=points,
                    date_format=date_format,
                )
                return
            raise _decode_error(opened, detected.encoding, error) from None
        if "straddling" in str(error):  # pyarrow's words for a record longer than a block
            message = (
                f"has a line longer than {size_text(LINE_MAX_BYTES)} (after its first {total:,} records): "
                "not a record; the file is damaged or not an export"
            )
            raise InputError([Problem(file, "", "", message)]) from None
        raise InputError([Problem(file, "", "", f"cannot be read as {spec.name}: {error}")]) from None
    if problems and not skip_bad_rows:
        shown = problems[:SHOWN_PROBLEMS]
        raise InputError(shown, total=len(problems), hint=SKIP_HINT)
    if total and not usable:
        raise InputError(
            [Problem(file, "", "", f"no usable row: all {total:,} rows are bad"), *problems[:SHOWN_PROBLEMS]],
            total=len(problems) + 1,
        )
    found.merged = merger.merged
    skipped.add(found)


def latest_date_guess(
    path: str | Path,
    fmt: str = "auto",
    *,
    columns: dict[str, str] | None = None,
    encoding: str | None = None,
    date_format: str | None = None,
) -> pd.Timestamp | None:
    """The latest date in a text export or a JSON list, from its date columns alone, read block
    by block (memory stays small however long the file): what its latest usable event's date
    most likely is (bad rows count too), found in a fraction of a reading. None when there is no
    quick way (files read whole: :func:`read_whole`) or no date."""
    opened = open_file(path)
    if opened.kind in WHOLE_KINDS:
        return None
    detected = detect(opened, encoding)
    name = "columns" if columns else (detected.format if fmt == "auto" else fmt)
    if name == "borderrisk":
        return None
    spec = mapped_format(columns) if columns else EXPORTS[name]
    dated = replace(spec, rules=tuple(r for r in spec.rules if r.field == "date"), date_format=date_format)
    try:
        with _unsaid():
            found = [dated.to_events(cells)["date"].max() for cells in _date_blocks(opened, detected, dated) or ()]
    except Exception:  # a guess only: the reading proper reports what is wrong
        return None
    latest = latest_of(found)
    return None if latest is None else pd.Timestamp(latest)


def _date_blocks(opened: Opened, detected: Detected, dated: Format) -> Iterator[pd.DataFrame] | None:
    """A text file's date columns alone, block by block; a JSON list's records, batch by batch
    (a JSON parser reads every value; only converting the dates is left out)."""
    if detected.layout is not None:
        blocks = text_columns(opened, detected.layout, detected.encoding, dated.columns)
        return None if blocks is None else (cells for cells in blocks if len(cells))
    return (dated.own_names(batch.cells) for batch in json_batches(opened, detected.encoding, None))


@contextmanager
def _unsaid() -> Iterator[None]:
    """What this thread's reading would say (a column's dates read swapped, ...) left unsaid
    in the block: a guess converts cells as the reading does, and the reading says it once."""
    thread = threading.get_ident()

    def said(record: logging.LogRecord) -> bool:
        return record.thread != thread

    logger.addFilter(said)
    try:
        yield
    finally:
        logger.removeFilter(said)


def read_whole(
    path: str | Path, fmt: str = "auto", *, columns: dict[str, str] | None = None, encoding: str | None = None
) -> bool:
    """Whether a file is read whole, as one batch (a workbook, a GIS file, or borderrisk's own
    layout; a JSON list is streamed): nothing is saved by reading it batch by batch, and there is
    no quick look at its dates (:func:`latest_date_guess`), so a reader keeps what it read."""
    opened = open_file(path)
    if opened.kind in WHOLE_KINDS:
        return True
    return not columns and (detect(opened, encoding).format if fmt == "auto" else fmt) == "borderrisk"


def _file_order(opened: Opened, detected: Detected, spec: Format) -> str | None:
    """The day/month order of a text file's dates, from all its date cells (read alone, block
    by block), when its first batch does not show it; None if the file does not either."""
    if detected.layout is None:
        return None  # a workbook or JSON is one batch: it was the whole file
    wanted = [c for rule in spec.rules if rule.dated for c in rule.columns]
    blocks = text_columns(opened, detected.layout, detected.encoding, wanted)
    return next((order for cells in blocks or () if (order := spec.date_order(cells))), None)


def _batches(opened: Opened, detected: Detected, spec: Format, progress: Progress | None) -> Iterator[Batch]:
    if opened.kind == "gis":
        batches = gis_batches(opened.path, spec, progress)
    elif opened.kind == "xlsx":
        batches = xlsx_batches(opened, progress)
    elif detected.layout is None:
        batches = json_batches(opened, detected.encoding, progress)
    else:
        batches = text_batches(opened, detected.layout, detected.encoding, progress, keep=set(spec.columns))
    first = True
    for batch in batches:
        batch = replace(batch, cells=spec.own_names(batch.cells))
        if first:
            missing = [c for c in spec.required if c not in batch.cells.columns]
            located = [spec.source_of(f) for f in ("lat", "place", "country") if spec.reads(f)]
            if located and not any(c in batch.cells.columns for c in located):
                missing.append("/".join(located))
            if missing:
                raise InputError([Problem(opened.name, "header", c, f"{_required(spec)} is missing") for c in missing])
            first = False
        yield batch


def _required(spec: Format) -> str:
    """What a missing column is, in words: "required acled column", or the mapping's."""
    return "a column named by --columns" if spec.name == "columns" else f"required {spec.name} column"


def _fallback(opened: Opened) -> str:
    """cp1252 when it decodes the whole file, else latin-1 (which decodes anything)."""
    _, byte = first_bad_byte(opened, "cp1252")
    return "latin-1" if byte != "?" else "cp1252"


def _decode_error(opened: Opened, encoding: str, error: Exception) -> InputError:
    line, byte = first_bad_byte(opened, encoding)
    return InputError(
        [Problem(opened.name, f"line {line}", "", f"is not {encoding} text (byte {byte}); {ENCODING_HINT}")]
    )


def check_rows(
    events: pd.DataFrame, batch: Batch, spec: Format, file: str
) -> tuple[pd.DataFrame, list, Counter, Counter]:
    """The usable rows of a batch, located; ``(reason, problem)`` for each other row (the
    first thing wrong with it); and the place names not found (rows each), whose rows were
    placed at their country's seat of government; and the town names left ambiguous (rows each)."""
    from borderrisk.data.formats.locating import locate_missing, resolve_countries

    events = events.reset_index(drop=True)
    for name in ("lat", "lon"):  # a mapping by place or country alone gives none
        if name not in events:
            events[name] = np.nan
    if "date_precision" not in events:
        events.insert(events.columns.get_loc("date") + 1, "date_precision", "day")
    if "location_precision" not in events:
        events["location_precision"] = np.where(events.lat.notna(), "exact", None)
    countries, unknown = resolve_countries(events.get("country"), len(events))
    if countries is not None:
        events["country"] = countries
    lat, lon = events["lat"], events["lon"]
    unreadable = _unreadable(events, batch, spec)
    no_coordinates = lat.isna() & lon.isna() & ~unreadable
    unknown = unknown & no_coordinates.to_numpy()  # coordinates win: a point needs no country
    unfound: Counter = Counter()
    ambiguous: Counter = Counter()
    if no_coordinates.any():
        areas = [batch.cells[c].reset_index(drop=True) for c in spec.areas if c in batch.cells]
        events, no_coordinates, unfound, ambiguous = locate_missing(events, no_coordinates, areas)
        lat, lon = events["lat"], events["lon"]
    country = events["country"] if "country" in events else pd.Series(None, index=events.index, dtype=object)
    to_country = events["location_precision"].eq("country") & country.isna()
    checks = [
        ("with no usable date", events["date"].isna(), spec.source_of("date"), _date_message(batch, spec)),
        (
            "with an unreadable coordinate",
            unreadable,
            "lat/lon",
            _coordinates_message(
                batch, spec, "a coordinate is given but is not a finite number; it is not replaced by a place lookup"
            ),
        ),
        (
            "with half a coordinate",
            lat.isna() ^ lon.isna(),
            "lat/lon",
            _coordinates_message(batch, spec, "give both as finite numbers in range, or neither"),
        ),
        (
            "with coordinates out of range",
            ~(lat.between(-90, 90) | lat.isna()) | ~(lon.between(-180, 180) | lon.isna()),
            "lat/lon",
            _range_message(lat, lon),
        ),
        ("with an unknown country", unknown, spec.source_of("country"), _country_message(events, batch, spec)),
        (
            "with a severity not from 1 to 5",
            _bad_severity(events),
            spec.source_of("severity"),
            "is not a whole number from 1 to 5",
        ),
        *(
            ("with a count that is not a whole number", rows, column, _count_message(batch, column))
            for _, column, rows in bad_counts(events, batch.cells.reset_index(drop=True), spec)
        ),
        (
            "without any location",
            no_coordinates,
            "",
            "no location: no coordinates, and no place or country that resolves offline",
        ),
        (
            "located only to an unknown country",
            to_country.to_numpy(),
            spec.source_of("country"),
            "located only to a country, and the country is not known",
        ),
    ]
    bad = np.zeros(len(events), dtype=bool)
    found: list[tuple[int, str, Problem]] = []
    for reason, mask, column, message in checks:
        mask = np.asarray(mask, dtype=bool) & ~bad
        for position in np.flatnonzero(mask):
            text = message(position) if callable(message) else message
            found.append((position, reason, Problem(file, batch.where(position), column, text)))
        bad |= mask
    found.sort(key=lambda item: item[0])
    events = events[~bad].reset_index(drop=True)
    if "severity" in events:
        events["severity"] = events["severity"].astype("Int64")
    return events, [(reason, problem) for _, reason, problem in found], unfound, ambiguous


def _unreadable(events: pd.DataFrame, batch: Batch, spec: Format) -> np.ndarray:
    """Rows whose latitude or longitude cell holds something that is not a finite number
    (a missing cell is not given; a bad one is a row problem, never a reason to look up)."""
    bad = np.zeros(len(events), dtype=bool)
    for name in ("lat", "lon"):
        source = spec.source_of(name)
        if not spec.reads(name) or source not in batch.cells:
            continue
        given = ~batch.cells[source].fillna("").astype(str).str.strip().isin(["", *spec.empty]).to_numpy()
        bad |= given & events[name].isna().to_numpy()
    return bad


def _bad_severity(events: pd.DataFrame) -> np.ndarray:
    if "severity" not in events:
        return np.zeros(len(events), dtype=bool)
    values = events["severity"].astype("Float64")
    good = values.isna() | (values.between(1, 5) & (values == values.round()))
    return ~good.fillna(False).to_numpy(dtype=bool)


def _date_message(batch: Batch, spec: Format):
    columns = [c for c in spec.source_of("date").split("/") if c in batch.cells]
    raw = batch.cells[columns].reset_index(drop=True) if columns else None

    def message(position: int) -> str:
        value = "/".join(raw.iloc[position]) if raw is not None else ""
        return f"{value!r} is not a date from {YEARS[0]} to {YEARS[1]}" if value.strip("/ ") else "is empty: no date"

    return message


def _coordinates_message(batch: Batch, spec: Format, problem: str):
    """What a row's coordinates were, quoted (``inf`` or ``north`` is not "missing"), and the
    ``problem`` with them."""
    columns = [spec.source_of(name) for name in ("lat", "lon")]
    raw = [batch.cells[c].reset_index(drop=True) if c in batch.cells else None for c in columns]

    def message(position: int) -> str:
        given = [repr(r.iloc[position].strip()) if r is not None else "''" for r in raw]
        return f"latitude {given[0]}, longitude {given[1]}: {problem}"

    return message


def _count_message(batch: Batch, column: str):
    raw = batch.cells[column].reset_index(drop=True)

    def message(position: int) -> str:
        return f"{raw.iloc[position].strip()!r} is not a whole number from 0 to {COUNT_MAX:,}"

    return message


def _range_message(lat: pd.Series, lon: pd.Series):
    def message(position: int) -> str:
        where = f"({lat.iloc[position]:g}, {lon.iloc[position]:g})"
        return f"{where} is out of range: latitude −90 to 90, longitude −180 to 180"

    return message


def _country_message(events: pd.DataFrame, batch: Batch, spec: Format):
    columns = [c for c in spec.source_of("country").split("/") if c in batch.cells]
    raw = batch.cells[columns[0]].reset_index(drop=True) if columns else None

    def message(position: int) -> str:
        value = raw.iloc[position] if raw is not None else ""
        return (
            f"unknown country {value!r}, and no coordinates to place the row by; "
            "give its latitude and longitude, or a country name or ISO code"
        )

    return message
