"""Files as delivered, opened and streamed as batches of text cells, with the physical line of
every record.

A file may be plain, gzipped (``.gz``) or zipped (one data file inside, as GDELT publishes);
CSV/TSV text in any encoding (detected: UTF-8, UTF-8 with BOM, UTF-16 with BOM, else cp1252 or
latin-1; or given), an Excel workbook (``.xlsx``, first sheet) or a JSON document (the ACLED API
answer ``{"data": [...]}``). Text is streamed with pyarrow's CSV reader in record batches, so a
million rows take a second or two and memory stays bounded; every cell is text, and the formats
parse it vectorised, batch by batch.

Line numbers are the ones an editor shows: a record that starts on line 12 is "line 12" even
when earlier records hold line breaks inside quoted cells, and blank lines count.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import logging
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from borderrisk.data.bounds import BLOCK_MAX_CELLS, BLOCK_MAX_LINES, LINE_MAX_BYTES, size_text
from borderrisk.data.documents import json_records
from borderrisk.data.errors import InputError, Problem
from borderrisk.data.formats.archives import DAMAGE, Unpacked, check_workbook, damaged
from borderrisk.data.paths import input_path
from borderrisk.data.readers import GIS_SUFFIXES
from borderrisk.data.schema import header
from borderrisk.data.workbooks import cell_text, workbook_table

Progress = Callable[[int], None]
logger = logging.getLogger("borderrisk.data")
#: Bytes looked at to tell the layout and the encoding.
SAMPLE_BYTES = 1 << 20
#: Bytes pyarrow parses at a time (one record batch each, ~37,000 ACLED rows): larger batches
#: cost less per row in pandas; a stream holds about five at once. A record may not be longer
#: than a block, so this is also the bound on a line's length.
BLOCK_BYTES = LINE_MAX_BYTES
#: Records of a JSON list put in one batch.
JSON_BATCH_RECORDS = 50_000
#: GIS files (GDAL or GeoParquet read them); a ``.json`` is sniffed, as the ACLED API's answer.
GIS_FILES = GIS_SUFFIXES - {".json"}
#: Files of a zip that can be an event table, when it holds others too.
TABLE_SUFFIXES = {".csv", ".tsv", ".tab", ".txt", ".xlsx", ".json"}
ENCODING_HINT = "pass --encoding (e.g. --encoding cp1252 or --encoding latin-1)"


@dataclass(frozen=True)
class Layout:
    """How the text is laid out: delimiter, whether the first line names the columns (else
    ``names`` does, and ``widths`` names rows of other known widths: GDELT 1.0 files mix rows of
    57 and 58 columns), whether quotes are quotes (GDELT's are not), whether an HXL hashtag
    row (``#date+start``, as HDX adds) follows the header, and whether the records end with one
    empty field past the header (``trailing``: a delimiter after every last cell, as UCDP's
    website export writes; ``widths`` then names the records without it)."""

    delimiter: str = ","
    header: bool = True
    names: tuple[str, ...] = ()
    quoting: bool = True
    widths: dict[int, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    hashtags: bool = False
    trailing: bool = False

    @property
    def first_line(self) -> int:
        """The line of the first record."""
        return 1 + self.header + self.hashtags


def is_hashtag_row(cells: Sequence[Any], header: Sequence[Any]) -> bool:
    """An HXL hashtag row: every filled cell under a named column a tag such as ``#date+start``
    or ``#geo+lat`` (an unnamed index column, as pandas writes one, numbers the tag row too)."""
    named = [c for c, name in zip(cells, header) if name is not None and str(name).strip()]
    tags = [str(c).strip() for c in named if c is not None and str(c).strip()]
    return bool(tags) and all(t.startswith("#") and " " not in t for t in tags)


@dataclass
class Batch:
    """Some consecutive records: text cells (column names lower-cased for files with a header)
    and where each record is: its number (``numbers``) counted in ``unit``, "line 12" or "row 3"."""

    cells: pd.DataFrame
    numbers: np.ndarray
    unit: str = "line"
    #: ``(where, problem)`` of records that could not be split into the header's fields.
    wrong: list[tuple[str, str]] = field(default_factory=list)

    def where(self, position: int) -> str:
        """Where the record at ``position`` is, as a user finds it: "line 12"."""
        return f"{self.unit} {self.numbers[position]}"


@dataclass
class Opened:
    """A file opened as delivered: its kind (``text``, ``xlsx``, ``json`` or ``gis``), the first
    bytes of its data (decompressed; none for GIS files), how to open it again from the start,
    and the file inside when it is a zip archive (problems name it: the archive alone does not
    say where to look)."""

    path: Path
    kind: str
    sample: bytes
    reopen: Callable[[Progress | None], io.BufferedIOBase]
    member: str | None = None

    @property
    def name(self) -> str:
        """The file as problems name it: "events.zip (file events.csv inside)" for a zip."""
        return str(self.path) if self.member is None else f"{self.path} (file {self.member} inside)"


class _Counting(io.RawIOBase):
    """A binary file that reports how many bytes have been read, for progress bars."""

    def __init__(self, path: Path, progress: Progress | None) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed in close()
        self._progress = progress

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def readinto(self, buffer: Any) -> int:
        count = self._file.readinto(buffer)
        if self._progress and count:
            self._progress(count)
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def open_file(path: str | Path) -> Opened:
    """Open a file as delivered; zipped and gzipped files are opened inside."""
    path = input_path(path)
    with open(path, "rb") as handle:
        magic = handle.read(4)
    packed = path.stat().st_size
    if magic.startswith(b"\x1f\x8b"):

        def reopen(progress: Progress | None) -> io.BufferedIOBase:
            inner = gzip.GzipFile(fileobj=io.BufferedReader(_Counting(path, progress)))
            return io.BufferedReader(Unpacked(inner, str(path), packed))

        return Opened(path, _kind(path.stem), _head(reopen), reopen)
    if magic.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if not n.endswith("/") and not n.startswith("__MACOSX")]
        except DAMAGE as error:
            raise damaged(str(path), error) from None
        if any(n.startswith("xl/") for n in names):
            return Opened(path, "xlsx", b"", lambda progress: io.BufferedReader(_Counting(path, progress)))
        member = _the_table(path, names)

        def reopen(progress: Progress | None) -> io.BufferedIOBase:
            archive = zipfile.ZipFile(io.BufferedReader(_Counting(path, progress)))
            return io.BufferedReader(Unpacked(archive.open(member), f"{path} (file {member} inside)", packed))

        return Opened(path, _kind(member), _head(reopen), reopen, member=member)

    def plain(progress: Progress | None) -> io.BufferedIOBase:
        return io.BufferedReader(_Counting(path, progress))

    if path.suffix.lower() in GIS_FILES:
        return Opened(path, "gis", b"", plain)
    return Opened(path, _kind(path.name), _head(plain), plain)


def data_bytes(path: Path) -> int:
    """Bytes a file holds once decompressed, from its own records: gzip's last four bytes (the
    size modulo 4 GiB, so never less than the compressed size is taken), a zip's directory;
    else its size. For estimates (of rows), not for reading."""
    size = path.stat().st_size
    try:
        with open(path, "rb") as handle:
            magic = handle.read(4)
            if magic.startswith(b"\x1f\x8b") and size >= 4:
                handle.seek(-4, io.SEEK_END)
                return max(size, int.from_bytes(handle.read(4), "little"))
        if magic.startswith(b"PK"):
            with zipfile.ZipFile(path) as archive:
                return max(size, sum(info.file_size for info in archive.infolist()))
    except (OSError, zipfile.BadZipFile):  # the reading proper says what is wrong
        pass
    return size


def _the_table(path: Path, names: list[str]) -> str:
    """The member of a zip to read: its only file, or its only table (:data:`TABLE_SUFFIXES`)
    among files that cannot be events (a project folder zipped whole: shapefile parts,
    metadata, documents); several tables are the user's choice."""
    tables = [n for n in names if Path(n).suffix.lower() in TABLE_SUFFIXES]
    chosen = names if len(names) == 1 else tables
    if len(chosen) != 1:
        listed = f": {', '.join(tables)}" if tables else ""
        raise InputError(
            [
                Problem(
                    str(path),
                    "",
                    "",
                    f"holds {len(names)} files, {len(tables)} tables{listed}; unzip it and name the one to read",
                )
            ]
        )
    if len(names) > 1:
        logger.info("%s: reading %s, the only table among its %d files", path, chosen[0], len(names))
    return chosen[0]


def _kind(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return {".xlsx": "xlsx", ".json": "json"}.get(suffix, "text")


def _head(reopen: Callable[[Progress | None], io.BufferedIOBase]) -> bytes:
    with reopen(None) as handle:
        return handle.read(SAMPLE_BYTES)


def guess_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, UTF-16 without one (every other byte a
    NUL, as Windows tools save it), else cp1252 (Windows), else latin-1."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = sample[: 1 << 12]
    if len(head) >= 4 and head.count(0) * 3 > len(head):  # text never holds NULs; UTF-16 half of them
        return "utf-16-le" if head[1::2].count(0) > head[::2].count(0) else "utf-16-be"
    for encoding in ("utf-8", "cp1252"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"


def sample_text(opened: Opened, encoding: str) -> str:
    """The first part of the text, decoded (a character cut at the end is dropped)."""
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(opened.sample, final=False)
    return text.lstrip("\ufeff")


def ends_past_header(header: Sequence[str], record: Sequence[str]) -> bool:
    """A record with one field more than its header, empty: a delimiter after its last cell."""
    return len(record) == len(header) + 1 and not record[-1].strip() and bool(header[-1].strip())


def header_of(text: str, layout: Layout) -> list[str]:
    """The column names of the first line, stripped and lower-cased."""
    first = next(csv.reader(io.StringIO(text, newline=None), delimiter=layout.delimiter), [])  # any line end
    return [name.strip().lower() for name in first]


def export_columns(names: Iterable[Any], file: str) -> list[str]:
    """An export's column names as its readers use them: checked by the one column rule
    (:func:`borderrisk.data.schema.header`: a name given twice, in any case, is an error) and
    lower-cased."""
    return [name.lower() for name in header(names, file)]


def _csv_options(opened: Opened, layout: Layout, encoding: str, on_invalid: Callable[[Any], str], threads: bool):
    """The column names and pyarrow's read, parse and convert options for a text file."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    if layout.header:
        names = export_columns(header_of(sample_text(opened, encoding), layout), opened.name)
        names = [n or f"column {i + 1}" for i, n in enumerate(names)]
        names += [f"column {len(names) + 1}"] * layout.trailing
    else:
        names = list(layout.names)
    read = pcsv.ReadOptions(
        column_names=names,
        skip_rows=layout.first_line - 1,
        encoding="utf8" if encoding in ("utf-8", "utf8") else encoding,
        block_size=BLOCK_BYTES,
        use_threads=threads,
    )
    parse = pcsv.ParseOptions(
        delimiter=layout.delimiter,
        quote_char='"' if layout.quoting else False,
        newlines_in_values=layout.quoting,
        ignore_empty_lines=False,
        invalid_row_handler=on_invalid,
    )
    convert = pcsv.ConvertOptions(
        column_types={n: pa.string() for n in names}, strings_can_be_null=False, quoted_strings_can_be_null=False
    )
    return names, read, parse, convert


def text_batches(
    opened: Opened, layout: Layout, encoding: str, progress: Progress | None, keep: Collection[str] | None = None
) -> Iterator[Batch]:
    """Records of a text file in batches, every cell as text; only the ``keep`` columns (all by
    default), and no blank records."""
    import pyarrow.compute as pc

    invalid: list[tuple[int, int, int, str]] = []

    def on_invalid(row: Any) -> str:
        invalid.append((row.number or 0, row.actual_columns, row.expected_columns, row.text))
        return "skip"

    # pyarrow numbers records (for line numbers) only when parsing alone
    names, read, parse, convert = _csv_options(opened, layout, encoding, on_invalid, threads=False)
    lines = _Lines(first=layout.first_line)
    if layout.hashtags:
        logger.info("%s: line 2 is an HXL hashtag row (as HDX adds under the header): left out", opened.name)
    with _csv_reader(opened, progress, read, parse, convert) as reader:
        for record_batch in reader:
            breaks = np.zeros(record_batch.num_rows, dtype="int64")
            if layout.quoting:
                for column in record_batch.columns:
                    if _holds_line_break(column):
                        breaks += pc.count_substring(column, "\n").to_numpy(zero_copy_only=False)
            starts, left_out = lines.place(record_batch.num_rows, breaks, invalid)
            filled = _filled(record_batch)
            kept = record_batch.select([n for n in names if keep is None or n in keep]).filter(filled)
            yield Batch(kept.to_pandas(), starts[filled.to_numpy(zero_copy_only=False)], "line")
            yield from _by_their_width(left_out, layout, names)
        _, left_out = lines.place(0, np.zeros(0, dtype="int64"), invalid, final=True)
        yield from _by_their_width(left_out, layout, names)


def _by_their_width(left_out: list[tuple[int, int, int, str]], layout: Layout, names: list[str]) -> Iterator[Batch]:
    """Records pyarrow left out for their number of fields, ``(line, fields, expected, text)``:
    those of another width the layout knows read by their own columns, the others wrong."""
    if not left_out:
        return
    known = [r for r in left_out if r[1] in layout.widths]
    wrong = [
        (f"line {r[0]}", f"has {r[1]} field(s) where the header has {r[2]}")
        for r in left_out
        if r[1] not in layout.widths
    ]
    for width in sorted({r[1] for r in known}):
        rows = [r for r in known if r[1] == width]
        cells = [next(csv.reader([r[3]], delimiter=layout.delimiter, quoting=_quoting(layout))) for r in rows]
        frame = pd.DataFrame(cells, columns=list(layout.widths[width]), dtype=object)
        yield Batch(frame, np.array([r[0] for r in rows], dtype="int64"), "line")
    if wrong:
        yield Batch(pd.DataFrame(columns=names, dtype=object), np.zeros(0, dtype="int64"), "line", wrong)


def _quoting(layout: Layout) -> int:
    return csv.QUOTE_MINIMAL if layout.quoting else csv.QUOTE_NONE


def text_columns(
    opened: Opened, layout: Layout, encoding: str, wanted: Collection[str]
) -> Iterator[pd.DataFrame] | None:
    """Only the ``wanted`` columns of a whole text file (those it has), block by block and
    unchecked: a quick look (e.g. at the dates), not a reading; memory stays one block deep
    however long the file. None if it has none of them."""

    names, read, parse, convert = _csv_options(opened, layout, encoding, lambda row: "skip", threads=True)
    present = [n for n in names if n in wanted]
    if not present:
        return None
    convert.include_columns = present

    def blocks() -> Iterator[pd.DataFrame]:
        with _csv_reader(opened, None, read, parse, convert) as reader:
            for block in reader:
                yield block.to_pandas()

    return blocks()


class _Stoppable(io.RawIOBase):
    """The file pyarrow's CSV reader reads in a background thread, made safe to abandon.

    That thread calls back into Python, so it needs the GIL; pyarrow's reader, when dropped,
    waits for the thread's current read while holding the GIL. Dropped after an error (a line
    past the block size) with a read under way, the command hung forever. Stopped first, every
    read ends at once with no data, and :meth:`stop` waits, GIL released, for the one under way.
    """

    #: How long :meth:`stop` waits for the thread to ask again (and find the end), when its
    #: read-ahead queue is not full.
    SETTLE_SECONDS = 0.5

    def __init__(self, inner: io.BufferedIOBase) -> None:
        self._inner = inner
        self._stopped = False
        self._ended = False  # a read has returned no data: the thread reads no more
        self._reading = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._stopped:
            self._ended = True
            return 0
        self._reading += 1
        try:
            count = self._inner.readinto(buffer)
        finally:
            self._reading -= 1
        self._ended = self._ended or not count
        return count

    def stop(self) -> None:
        import time

        self._stopped = True
        settled = time.monotonic() + self.SETTLE_SECONDS
        while self._reading or (not self._ended and time.monotonic() < settled):
            time.sleep(0.001)  # releases the GIL: the read under way, or the next one, can end

    def close(self) -> None:
        self._inner.close()
        super().close()


class _Sparse(io.RawIOBase):
    """A text file whose every :data:`BLOCK_BYTES` (counted from its start) holds at most
    :data:`~borderrisk.data.bounds.BLOCK_MAX_LINES` line breaks, and at most
    :data:`~borderrisk.data.bounds.BLOCK_MAX_CELLS` cells (line breaks times ``columns``), else
    refused.

    pyarrow makes each line a record of every column while it parses a block (blank lines too,
    which it must keep for records to be numbered by line), some hundreds of bytes each: 40 MB
    of line breaks took 7.8 GB. Counted here, before pyarrow sees the bytes, the refusal comes
    within one block. A line break is a byte 0x0A in every encoding read (UTF-16 too), so the
    count never misses one; the line named is exact for ASCII-compatible encodings.
    """

    def __init__(self, inner: io.BufferedIOBase, name: str, columns: int) -> None:
        self._inner = inner
        self._name = name
        self._columns = columns
        self._limit = min(BLOCK_MAX_LINES, BLOCK_MAX_CELLS // max(columns, 1))
        self._lines = 0  # line breaks before the current block
        self._in_block = 0  # line breaks in it so far
        self._left = BLOCK_BYTES  # bytes of it still to come

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._inner.readinto(buffer)
        view = memoryview(buffer)[:count]
        while len(view):
            part, view = view[: self._left], view[self._left :]
            self._in_block += int(np.count_nonzero(np.frombuffer(part, dtype=np.uint8) == ord("\n")))  # 1.5 ms a block
            self._left -= len(part)
            if self._in_block > self._limit:
                raise InputError(
                    [
                        Problem(
                            self._name,
                            f"line {self._lines + 1}",
                            "",
                            f"holds more than {self._limit:,} lines in the {size_text(BLOCK_BYTES)} from here "
                            f"(at most {BLOCK_MAX_LINES:,}, and {BLOCK_MAX_CELLS:,} cells of its "
                            f"{self._columns:,} columns): blank or nearly blank lines, not records; "
                            "the file is damaged or not an export",
                        )
                    ]
                )
            if not self._left:
                self._lines += self._in_block
                self._in_block, self._left = 0, BLOCK_BYTES
        return count

    def close(self) -> None:
        self._inner.close()
        super().close()


@contextmanager
def _csv_reader(opened: Opened, progress: Progress | None, read: Any, parse: Any, convert: Any) -> Iterator[Any]:
    """pyarrow's streaming CSV reader over ``opened`` (within the bounds of :class:`_Sparse`),
    stopped and closed however it ends."""
    import pyarrow.csv as pcsv

    source = _Stoppable(_Sparse(opened.reopen(progress), opened.name, len(read.column_names)))
    try:
        reader = pcsv.open_csv(source, read_options=read, parse_options=parse, convert_options=convert)
        try:
            yield reader
        finally:
            source.stop()
            del reader
    finally:
        source.stop()
        source.close()


def _holds_line_break(column: Any) -> bool:
    """Whether any cell of a text column holds a line break, from its bytes at once (most
    columns of most files hold none: only those that do are counted cell by cell)."""
    import pyarrow as pa

    if len(column) == 0:
        return False
    _, offsets, data = column.buffers()
    if data is None:
        return False
    kind = np.int64 if pa.types.is_large_string(column.type) else np.int32
    bounds = np.frombuffer(offsets, dtype=kind)[column.offset : column.offset + len(column) + 1]
    return bool((np.frombuffer(data, dtype=np.uint8)[bounds[0] : bounds[-1]] == ord("\n")).any())


def _filled(record_batch: Any) -> Any:
    """Which records have a cell that is not empty (blank lines are not rows); only records
    whose first cell is empty need a look at the others."""
    import pyarrow.compute as pc

    filled = pc.not_equal(pc.utf8_length(record_batch.column(0)), 0)
    if pc.all(filled).as_py() is not False:
        return filled
    for column in record_batch.columns[1:]:
        filled = pc.or_(filled, pc.not_equal(pc.utf8_length(column), 0))
    return filled


class _Lines:
    """Physical start lines of records, from record numbers and the line breaks inside them.

    pyarrow numbers records (a header and blank lines included) but not lines: a record starts
    on its number plus the line breaks inside all earlier records. Records with the wrong number
    of fields are left out of the batches by pyarrow and placed here, at their own lines.
    """

    def __init__(self, first: int) -> None:
        self.record = first  # number of the next record
        self.breaks = 0  # line breaks inside all records before it

    def place(
        self, count: int, breaks: np.ndarray, invalid: list, final: bool = False
    ) -> tuple[np.ndarray, list[tuple[int, int, int, str]]]:
        """Lines of the next ``count`` records (with ``breaks`` inside each), and the
        ``(line, fields, expected fields, text)`` of records among them (or, ``final``ly, after
        them) that pyarrow left out."""
        invalid.sort(key=lambda r: r[0])
        skipped: list = []
        while len(invalid) > len(skipped) and (final or invalid[len(skipped)][0] < self.record + count + len(skipped)):
            skipped.append(invalid[len(skipped)])
        if not count and not skipped:
            return np.zeros(0, dtype="int64"), []
        del invalid[: len(skipped)]
        span = np.arange(self.record, self.record + count + len(skipped))
        numbers = np.array([r[0] for r in skipped], dtype="int64")
        records = span[~np.isin(span, numbers)]
        inner = np.concatenate([[0], np.cumsum(breaks)])
        skipped_breaks = np.concatenate([[0], np.cumsum([r[3].count("\n") for r in skipped])]).astype("int64")
        starts = records + self.breaks + inner[:-1] + skipped_breaks[np.searchsorted(numbers, records)]
        wrong = []
        for i, (number, actual, expected, text) in enumerate(skipped):
            line = number + self.breaks + int(inner[np.searchsorted(records, number)]) + int(skipped_breaks[i])
            wrong.append((line, actual, expected, text))
        self.breaks += int(inner[-1]) + int(skipped_breaks[-1])
        self.record += len(span)
        return starts, wrong


def workbook_rows(opened: Opened, progress: Progress | None) -> tuple[int, list[list[Any]]]:
    """The number of a workbook's table's first row, and its rows as values (see
    :mod:`borderrisk.data.workbooks`)."""
    check_workbook(opened.path)
    first, rows = workbook_table(opened.path, opened.name)
    if progress:
        progress(opened.path.stat().st_size)
    return first, rows


def xlsx_batches(opened: Opened, progress: Progress | None) -> Iterator[Batch]:
    """The table of a workbook (see :func:`workbook_rows`), header lower-cased, every cell as text; ``where`` is the
    spreadsheet's row number."""
    first, rows = workbook_rows(opened, progress)
    names = export_columns(rows[0] if rows else [], opened.name)
    body = 1
    if len(rows) > 1 and is_hashtag_row(rows[1], rows[0]):
        logger.info("%s: row %d is an HXL hashtag row (as HDX adds under the header): left out", opened.name, first + 1)
        body = 2
    records, numbers = [], []
    for number, row in enumerate(rows[body:], start=first + body):
        if any(str(c).strip() for c in row if c is not None):
            records.append([cell_text(c) for c in row[: len(names)]] + [""] * (len(names) - len(row)))
            numbers.append(number)
    yield Batch(pd.DataFrame(records, columns=names, dtype=object), np.array(numbers, dtype="int64"), "row")


def first_json_record(opened: Opened, encoding: str) -> dict[str, Any]:
    """The first record of a JSON document (its keys tell the format, like a header), or an
    empty one; read by the same stream as the records (:func:`json_batches`)."""
    return next(json_records(_json_reopen(opened, encoding, None), opened.name), {})


def _json_reopen(opened: Opened, encoding: str, progress: Progress | None) -> Callable[[], IO[bytes]]:
    """What opens a JSON document's bytes as UTF-8 (ijson reads UTF-8 alone)."""

    def reopen() -> IO[bytes]:
        handle = opened.reopen(progress)
        return handle if encoding in ("utf-8", "utf8") else codecs.EncodedFile(handle, "utf-8", encoding)

    return reopen


def json_batches(opened: Opened, encoding: str, progress: Progress | None) -> Iterator[Batch]:
    """A JSON list of records, or an API's answer holding one under ``data`` (ACLED) or
    ``Result`` (UCDP), streamed :data:`JSON_BATCH_RECORDS` records at a time; no records, no batch."""
    records = json_records(_json_reopen(opened, encoding, progress), opened.name)
    first = 1
    while chunk := list(itertools.islice(records, JSON_BATCH_RECORDS)):
        frame = pd.DataFrame.from_records(chunk)
        frame.columns = export_columns(frame.columns, opened.name)
        frame = frame.apply(lambda column: column.map(_json_text))
        yield Batch(frame.astype(object), np.arange(first, first + len(frame)), "record")
        first += len(frame)


def _json_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def first_bad_byte(opened: Opened, encoding: str) -> tuple[int, str]:
    """The physical line of the first byte that ``encoding`` cannot decode, and that byte."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with opened.reopen(None) as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                at = min(max(error.start, 0), len(chunk) - 1)
                return line + chunk[:at].count(b"\n"), f"0x{chunk[at]:02x}"
            line += chunk.count(b"\n")
    return line, "?"
