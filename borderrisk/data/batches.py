"""Events in batches, so a consumer's memory depends on the batch and not on the file.

A batch source can be iterated more than once; each batch is a GeoDataFrame in borderrisk's
columns whose index is each event's position in the whole input, so results that break ties
by input position are the same however the input is cut. ``len()`` counts its events (a
stream read as it goes estimates them until a pass has ended), ``latest(column)`` is the
latest value of a column and ``guess_latest(column)`` what it most likely is, cheaply (a
stream's latest date is only known after a pass; see :meth:`borderrisk.risk.model.Scorer.score`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from borderrisk.data.errors import InputError, Problem

if TYPE_CHECKING:
    import geopandas as gpd

#: Events per batch: large enough for vectorised work, small enough for bounded memory and
#: for the reading, pairing and tally of a stream to overlap (200,000 left them waiting).
BATCH_ROWS = 50_000

T = TypeVar("T")


class FrameBatches:
    """An in-memory events frame, handed out in slices."""

    def __init__(self, frame: gpd.GeoDataFrame, rows: int = BATCH_ROWS) -> None:
        self.frame = frame.reset_index(drop=True)
        self.rows = rows

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self) -> Iterator[gpd.GeoDataFrame]:
        for start in range(0, len(self.frame), self.rows):
            yield self.frame.iloc[start : start + self.rows]

    def latest(self, column: str) -> Any:
        return self.frame[column].max() if column in self.frame else None

    guess_latest = latest


class ParquetBatches:
    """A GeoParquet file or dataset folder of events (``borderrisk convert`` writes them),
    read record batch by record batch: only ``columns`` (and the geometry), if given."""

    def __init__(self, path: str | Path, rows: int = BATCH_ROWS, columns: Iterable[str] | None = None) -> None:
        import json

        import pyarrow.dataset as ds

        from borderrisk.data.readers import check_dataset

        self.path, self.rows = Path(path), rows
        try:
            self.dataset = ds.dataset(self.path, format="parquet")
        except Exception as error:  # pyarrow raises many types for one cause: unreadable
            raise InputError([Problem(str(path), "", "", f"cannot be read as GeoParquet: {error}")]) from None
        schema = self.dataset.schema
        date_dtype = pd.ArrowDtype(schema.field("date").type) if "date" in schema.names else None
        check_dataset(schema.names, path, date_dtype)
        geo = json.loads((schema.metadata or {}).get(b"geo", b"{}"))
        wanted = None if columns is None else {*columns, geo.get("primary_column", "geometry")}
        self.columns = [c for c in schema.names if wanted is None or c in wanted]

    def __len__(self) -> int:
        return self.dataset.count_rows()

    def __iter__(self) -> Iterator[gpd.GeoDataFrame]:
        import geopandas as gpd
        import pyarrow as pa

        from borderrisk.data.readers import as_nanoseconds, dataset_problems

        start = 0
        metadata = self.dataset.schema.metadata
        # No read-ahead beyond the next batch: memory stays one batch deep however many files.
        batches = self.dataset.to_batches(
            batch_size=self.rows, columns=self.columns, batch_readahead=1, fragment_readahead=1
        )
        for batch in batches:
            if batch.num_rows == 0:
                continue
            table = pa.Table.from_batches([batch]).replace_schema_metadata(metadata)
            frame = gpd.GeoDataFrame.from_arrow(table)
            frame.index = pd.RangeIndex(start, start + len(frame))
            problems = dataset_problems(frame, str(self.path), first=start + 1)
            if problems:
                raise InputError(problems)
            frame = as_nanoseconds(frame)
            if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
                frame = frame.to_crs("EPSG:4326")
            start += len(frame)
            yield frame

    def latest(self, column: str) -> Any:
        import pyarrow.compute as pc

        if column not in self.dataset.schema.names:
            return None
        value = pc.max(self.dataset.to_table(columns=[column])[column]).as_py()
        return pd.Timestamp(value) if value is not None else None

    guess_latest = latest


class ChainedBatches:
    """Several sources one after the other, positions counted across them all."""

    def __init__(self, sources: list[Any], rows: int = BATCH_ROWS, columns: Iterable[str] | None = None) -> None:
        self.sources = [event_batches(source, rows, columns) for source in sources if source is not None]

    def __len__(self) -> int:
        return sum(len(source) for source in self.sources)

    def __iter__(self) -> Iterator[gpd.GeoDataFrame]:
        offset = 0
        for source in self.sources:
            for batch in source:
                yield batch.set_axis(batch.index + offset, axis=0)
            offset += len(source)

    def latest(self, column: str) -> Any:
        return latest_of(s.latest(column) for s in self.sources)

    def guess_latest(self, column: str) -> Any:
        return latest_of(s.guess_latest(column) for s in self.sources)


def latest_of(values: Iterable[Any]) -> Any:
    """The latest of ``values``, missing ones (None, NaN, NaT) left out; None if none is left."""
    found = [value for value in values if value is not None and pd.notna(value)]
    return max(found) if found else None


class LatestSeen:
    """The latest ``date`` and ``since`` among the batches :meth:`add` has been shown, for a
    pass that has to learn them as it goes (a stream, a scoring pass checking its guess)."""

    COLUMNS = ("date", "since")

    def __init__(self) -> None:
        self.found: dict[str, Any] = {}

    def add(self, batch: pd.DataFrame) -> None:
        for column in self.COLUMNS:
            if column in batch and len(batch):
                value = latest_of([batch[column].max(), self.found.get(column)])
                if value is not None:
                    self.found[column] = value

    def get(self, column: str) -> Any:
        return self.found.get(column)


Batches = FrameBatches | ParquetBatches | ChainedBatches


def event_batches(events: Any, rows: int = BATCH_ROWS, columns: Iterable[str] | None = None) -> Batches:
    """Batches of an events frame, of a GeoParquet path (read for ``columns`` only, if given),
    of a list of these (one after the other), or a batch source (anything with ``latest``, e.g.
    filtered batches) as it is."""
    if isinstance(events, (FrameBatches, ParquetBatches, ChainedBatches)) or hasattr(events, "latest"):
        return events
    if isinstance(events, (str, Path)):
        return ParquetBatches(events, rows, columns)
    if isinstance(events, (list, tuple)):
        return ChainedBatches(list(events), rows, columns)
    return FrameBatches(events, rows)


class ReadAhead(Iterator[T]):
    """The items of ``items`` in order, read in a thread of its own from the moment this is
    made, while the consumer works on the previous ones: reading a file (pyarrow, pandas,
    shapely) and scoring it (numpy, shapely) mostly release the GIL, so on two cores they
    overlap. At most ``waiting`` items wait to be taken, so memory stays bounded; an error
    raised by the reading is raised here, where its item would have come. :meth:`close` (or
    the end, an error, or letting go of this) stops the reading at its next item and closes
    ``items``."""

    def __init__(self, items: Iterable[T], waiting: int = 1) -> None:
        import queue
        import threading

        self._handed: queue.Queue = queue.Queue(maxsize=waiting)
        self._stop = threading.Event()
        # The thread holds no reference to this object, so letting go of it stops the thread.
        self._reader = threading.Thread(
            target=_read_ahead, args=(items, self._handed, self._stop), name="borderrisk-read-ahead", daemon=True
        )
        self._reader.start()

    def __next__(self) -> T:
        if self._stop.is_set():
            raise StopIteration
        item, error = self._handed.get()
        if error is not None or item is _END:
            self.close()
            if error is not None:
                raise error
            raise StopIteration
        return item

    def close(self) -> None:
        self._stop.set()
        self._reader.join()

    def __del__(self) -> None:
        if hasattr(self, "_reader"):
            self.close()


_END = object()


def _read_ahead(items: Iterable[Any], handed: Any, stop: Any) -> None:
    """The reading thread of :class:`ReadAhead`: each item (or the error) handed over, then
    :data:`_END`; it stops when ``stop`` is set, and closes ``items``."""
    import queue

    def hand(item: Any) -> bool:
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    iterator = iter(items)
    try:
        for item in iterator:
            if not hand((item, None)):
                return
        hand((_END, None))
    except BaseException as error:  # raised again in the consumer
        hand((None, error))
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
