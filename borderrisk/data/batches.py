"""Events in batches, so a consumer's memory depends on the batch and not on the file.

A batch source can be iterated more than once; each batch is a GeoDataFrame in borderrisk's
columns whose index is each event's position in the whole input, so results that break ties
by input position are the same however the input is cut. ``len()`` counts its events (a
stream read as it goes estimates them until a pass has ended), ``latest(column)`` is the
latest value of a column and ``guess_latest(column)`` what it most likely is, cheaply (a
stream's latest date is only known after a pass; see :meth:`borderrisk.risk.model.Scorer.score`).
``parts()`` says where its events are, for an engine that reads them its own way (see :class:`Part`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard

import pandas as pd

from borderrisk.data.errors import InputError

if TYPE_CHECKING:
    import geopandas as gpd

#: Events per batch: large enough for vectorised work, small enough for bounded memory and
#: for the reading, pairing and tally of a stream to overlap (200,000 left them waiting).
BATCH_ROWS = 50_000


logger = logging.getLogger("borderrisk.data")


@dataclass(frozen=True)
class Part:
    """Where some of a source's events are, for an engine that reads them its own way (the
    dask engine reads each part into partitions on its workers): exactly one of ``frame`` (in
    memory), ``partitions`` (a dask frame) or ``path`` (a GeoParquet file or folder). A source
    says its parts in input order; ``filters`` keep the events that count from what is read
    (a filtered source's, lazily on a dask frame), one after the other."""

    frame: Any = None
    partitions: Any = None
    path: Path | None = None
    filters: tuple[Callable[[Any], Any], ...] = ()

    def keeping(self, only: Callable[[Any], Any]) -> Part:
        """This part with one more filter."""
        return replace(self, filters=(*self.filters, only))

    def kept(self, events: Any) -> Any:
        """What the filters keep of ``events``, this part as read."""
        for only in self.filters:
            events = only(events)
        return events


class EventSource(Protocol):
    """What every shape of events the model reads batch by batch is (an in-memory frame's
    batches, a GeoParquet dataset's, an export read as it goes, several of these one after
    the other, filtered ones): the one type the readers hand out and the model takes, so
    nothing downstream tells them apart (see the module for what each member means)."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[gpd.GeoDataFrame]: ...

    def latest(self, column: str) -> Any: ...

    def guess_latest(self, column: str) -> Any: ...

    def parts(self) -> list[Part]: ...


#: What :class:`EventSource` asks of a class.
SOURCE_MEMBERS = ("__len__", "__iter__", "latest", "guess_latest")


def is_event_source(events: object) -> TypeGuard[EventSource]:
    """Whether ``events`` is an :class:`EventSource`: its class has every member. Asked of
    the class, not the object, because pandas and dask hand columns out as attributes: a
    frame with a column named ``latest`` is still a frame."""
    return all(callable(getattr(type(events), name, None)) for name in SOURCE_MEMBERS)


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

    def parts(self) -> list[Part]:
        return [Part(frame=self.frame)]


class DaskFrameBatches:
    """A dask(-geopandas) frame of events given from Python, handed out partition by partition
    (each computed when its turn comes); ``len()`` and ``latest`` compute what they ask."""

    def __init__(self, frame: Any) -> None:
        self.frame = frame

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self) -> Iterator[gpd.GeoDataFrame]:
        start = 0
        for number in range(self.frame.npartitions):
            part = self.frame.get_partition(number).compute()
            yield part.set_axis(pd.RangeIndex(start, start + len(part)), axis=0)
            start += len(part)

    def latest(self, column: str) -> Any:
        return self.frame[column].max().compute() if column in self.frame.columns else None

    guess_latest = latest

    def parts(self) -> list[Part]:
        return [Part(partitions=self.frame)]


class ParquetBatches:
    """A GeoParquet file or dataset folder of events (``borderrisk convert`` writes them),
    read record batch by record batch: only ``columns`` (and the geometry), if given."""

    def __init__(self, path: str | Path, rows: int = BATCH_ROWS, columns: Iterable[str] | None = None) -> None:
        import json

        import pyarrow.dataset as ds

        from borderrisk.data.readers import open_geoparquet

        self.path, self.rows = Path(path), rows
        self.dataset = open_geoparquet(self.path, lambda found: ds.dataset(found, format="parquet"))
        schema = self.dataset.schema
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

    def parts(self) -> list[Part]:
        return [Part(path=self.path)]


class ChainedBatches:
    """Several sources one after the other, positions counted across them all."""

    def __init__(self, sources: list[Any], rows: int = BATCH_ROWS, columns: Iterable[str] | None = None) -> None:
        self.sources: list[EventSource] = [
            event_batches(source, rows, columns) for source in sources if source is not None
        ]

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

    def parts(self) -> list[Part]:
        return [part for source in self.sources for part in source.parts()]


def latest_of(values: Iterable[Any]) -> Any:
    """The latest of ``values``, missing ones (None, NaN, NaT) left out; None if none is left."""
    found = [value for value in values if value is not None and pd.notna(value)]
    return max(found) if found else None


class LatestSeen:
    """The latest ``date`` and ``since`` among the batches :meth:`add` has been shown, for a
    pass that has to learn them as it goes (a stream, a scoring pass checking its guess); it
    answers ``latest`` as a source does, so :func:`latest_date` takes it as one."""

    COLUMNS = ("date", "since")

    def __init__(self) -> None:
        self.found: dict[str, Any] = {}
        self.rows = 0

    def __len__(self) -> int:
        return self.rows

    def add(self, batch: pd.DataFrame) -> None:
        self.rows += len(batch)
        for column in self.COLUMNS:
            if column in batch and len(batch):
                value = latest_of([batch[column].max(), self.found.get(column)])
                if value is not None:
                    self.found[column] = value

    def latest(self, column: str) -> Any:
        return self.found.get(column)

    guess_latest = latest


def latest_date(*inputs: Any, guess: bool = False) -> date:
    """The as-of date when none is given: the latest ``date`` or ``since`` among the inputs
    (frames, dask frames, batch sources, :class:`LatestSeen`), so the output is reproducible,
    or today if they carry no date. ``guess`` asks batch sources for what their latest date
    most likely is, cheaply (``guess_latest``: a stream's date columns alone), instead of
    reading them whole; a guess that finds none is today, quietly (a GeoJSON's dates are seen
    only by the reading itself, so the clock is said only if the reading agrees). The one place
    the latest date of events is decided."""
    found = []
    for given in inputs:
        if given is None or not len(given):
            continue
        if isinstance(given, LatestSeen) or is_event_source(given):
            latest = given.guess_latest if guess else given.latest
            found += [latest(column) for column in LatestSeen.COLUMNS]
        else:
            found += [given[column].max() for column in LatestSeen.COLUMNS if column in given.columns]
    latest = latest_of(value.compute() if hasattr(value, "compute") else value for value in found)
    if latest is not None:
        return latest.date()
    today = date.today()
    if not guess:
        logger.warning("no input has a date: scoring as of today, %s, by the clock; give --as-of to choose", today)
    return today


def event_batches(events: Any, rows: int = BATCH_ROWS, columns: Iterable[str] | None = None) -> EventSource:
    """Events of any shape as an :class:`EventSource`, the one place the shape is told: an
    events frame (in memory or dask), a GeoParquet path (read for ``columns`` only, if given),
    a list of these (one after the other), or a source (e.g. filtered batches, an export's
    stream) as it is."""
    if is_event_source(events):
        return events
    if type(events).__module__.startswith("dask"):
        return DaskFrameBatches(events)
    if isinstance(events, (str, Path)):
        return ParquetBatches(events, rows, columns)
    if isinstance(events, (list, tuple)):
        return ChainedBatches(list(events), rows, columns)
    return FrameBatches(events, rows)
