"""Events files as a batch source (:mod:`borderrisk.data.batches`): each batch read, checked and
located as the file is read, so a consumer's memory depends on the batch and not on the file.

Line-level errors, ``skip_bad_rows`` and "all rows are bad" are those of
:func:`borderrisk.data.formats.read_events` (both run :func:`export_batches`); the rows left out
are known, in :attr:`EventStream.skipped`, once a pass has ended. Counting each source once
(``once_per_source``) compares rows across all the files of a name, so those are read whole,
as one batch (its rows left out known the same way).

A file read whole anyway (a workbook, a GIS file, borderrisk's own layout) and the files
counted once per source are read once per stream and kept: later passes, and the guess
at the latest date that has to read them to know it, hand out what the first reading gave
(its warnings said once, its time spent once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from borderrisk.data.batches import LatestSeen, Part, latest_of
from borderrisk.data.formats.events import expand, read_events, read_own, root_events
from borderrisk.data.formats.reading import (
    ReadAgain,
    Skipped,
    detect_format,
    export_batches,
    latest_date_guess,
    read_whole,
)
from borderrisk.data.formats.source import Progress, data_bytes

if TYPE_CHECKING:
    import geopandas as gpd

#: Bytes a row takes, for the estimate of a file's rows before it is read.
BYTES_PER_ROW = 250


@dataclass(frozen=True)
class EventsInput:
    """How events files are read, as the commands' options say it once: ``format`` (``auto``
    detects), a ``columns`` mapping, an ``encoding``, ``skip_bad_rows``, GDELT's
    ``root_events_only`` and ``once_per_source``, a ``date_format``, and the ``where`` conditions that choose
    events (see :mod:`borderrisk.data.filters`). The fields but ``where`` are the reading options
    that every reader gets from here (:meth:`of`, :meth:`reading`); a new one is also a click
    option (:func:`borderrisk.cli.options.input_files`) and a recipe key (:class:`borderrisk.recipes.Recipe`,
    ``map``'s ``RECIPE_FIELDS``) of the same name."""

    format: str = "auto"
    columns: dict[str, str] | None = None
    encoding: str | None = None
    skip_bad_rows: bool = False
    root_events_only: bool = False
    once_per_source: bool = False
    date_format: str | None = None
    where: tuple[Any, ...] = field(default=())

    @classmethod
    def of(cls, options: Mapping[str, Any], where: Iterable[Any] | None = ()) -> EventsInput:
        """The reading options of a command's keyword arguments or a recipe's fields, by the
        names they give them (:data:`OPTION_NAMES`; those missing keep their defaults), and
        the ``where`` conditions."""
        given = {name: options[option] for name, option in OPTION_NAMES.items() if option in options}
        return cls(**given, where=tuple(where or ()))

    def reading(self) -> dict[str, Any]:
        """The options of :meth:`borderrisk.layers.events.EventsLayer.read`."""
        return {name: getattr(self, name) for name in OPTION_NAMES}


#: Each reading option of :class:`EventsInput` and the name commands and recipes give it
#: (``--format`` is ``events_format`` there, beside the other ``format`` options).
OPTION_NAMES = {
    f.name: "events_format" if f.name == "format" else f.name for f in fields(EventsInput) if f.name != "where"
}


class EventStream:
    """The events files a name stands for (a file, a folder, a glob), read batch by batch on
    every pass; batches are indexed by each event's position among all of them.

    ``progress(path)`` gives the callback for the bytes read from the files of ``path`` (a
    progress bar), once a pass. With ``points=False``, exports' batches are frames with ``lon``
    and ``lat`` and no point geometry (see :func:`export_batches`), for the risk model.
    """

    def __init__(
        self,
        path: str | Path,
        how: EventsInput,
        progress: Callable[[Path], Progress | None] | None = None,
        *,
        points: bool = True,
    ):
        self.path, self.how, self.progress, self.points = Path(path), how, progress, points
        self.files = expand(path)
        #: Rows left out, by reason, in the last whole pass.
        self.skipped = Skipped()
        self.encodings: dict[Path, str] = {}
        self._rows: int | None = None
        self._latest = LatestSeen()
        #: What each whole reading gave (by file; by the stream's path when counted once per
        #: source): its batches and the rows it left out.
        self._kept: dict[Path, tuple[list[gpd.GeoDataFrame], Skipped]] = {}

    def __len__(self) -> int:
        """The events of the last whole pass; before one, an estimate from the files' sizes."""
        if self._rows is None:
            return sum(max(1, data_bytes(f) // BYTES_PER_ROW) for f in self.files)
        return self._rows

    def __iter__(self) -> Iterator[gpd.GeoDataFrame]:
        position, skipped, latest = 0, Skipped(), LatestSeen()
        progress = self.progress(self.path) if self.progress and not self._all_kept() else None
        for batch in self._batches(skipped, progress):
            batch.index = pd.RangeIndex(position, position + len(batch))
            position += len(batch)
            latest.add(batch)
            yield batch
        self._rows, self.skipped, self._latest = position, skipped, latest

    def _batches(self, skipped: Skipped, progress: Progress | None) -> Iterator[gpd.GeoDataFrame]:
        if self.how.once_per_source:  # rows are compared across the files: read whole
            yield from self._whole(self.path, skipped, lambda found: self._once_per_source(found, progress))
            return
        for file in self.files:
            if self._reads_whole(file):
                yield from self._whole(file, skipped, lambda found, f=file: self._file_batches(f, found, progress))
            else:
                yield from self._file_batches(file, skipped, progress)

    def _whole(
        self, key: Path, skipped: Skipped, read: Callable[[Skipped], Iterable[gpd.GeoDataFrame]]
    ) -> Iterator[gpd.GeoDataFrame]:
        """The batches of a whole reading (``read``, given where to count the rows it leaves
        out), read the first time only: it is in memory whole anyway, and reading it again
        would say its warnings again and take its time again."""
        if key not in self._kept:
            found = Skipped()
            self._kept[key] = (list(read(found)), found)
        batches, found = self._kept[key]
        skipped.add(found)
        for batch in batches:
            yield batch.copy(deep=False)  # a pass sets its index; the kept batch stays as read

    def _reads_whole(self, file: Path) -> bool:
        how = self.how
        return file in self._kept or read_whole(
            file, how.format, columns=how.columns, encoding=self.encodings.get(file, how.encoding)
        )

    def _all_kept(self) -> bool:
        """Whether a pass reads nothing (every reading is kept), so it needs no progress bar."""
        return self.path in self._kept or all(file in self._kept for file in self.files)

    def _once_per_source(self, skipped: Skipped, progress: Progress | None) -> Iterator[gpd.GeoDataFrame]:
        how = self.how
        frame, left_out = read_events(
            self.path,
            how.format,
            columns=how.columns,
            encoding=how.encoding,
            skip_bad_rows=how.skip_bad_rows,
            root_events_only=how.root_events_only,
            once_per_source=True,
            progress=progress,
            date_format=how.date_format,
        )
        skipped.add(left_out)
        if len(frame):
            yield frame

    def _file_batches(self, file: Path, skipped: Skipped, progress: Progress | None) -> Iterator[gpd.GeoDataFrame]:
        how = self.how
        chosen = "columns" if how.columns else (detect_format(file) if how.format == "auto" else how.format)
        if chosen == "borderrisk":
            batches: Any = [read_own(file, how.skip_bad_rows, skipped)]
            if progress:
                progress(file.stat().st_size)
        else:
            batches = export_batches(
                file,
                how.format,
                skipped,
                columns=how.columns,
                encoding=self.encodings.get(file, how.encoding),
                skip_bad_rows=how.skip_bad_rows,
                progress=progress,
                points=self.points,
                date_format=how.date_format,
            )
        try:
            for batch in batches:
                if how.root_events_only:
                    batch = root_events(batch, self.path, skipped)
                if len(batch):
                    yield batch
        except ReadAgain as again:
            self.encodings[file] = again.encoding
            raise

    def latest(self, column: str) -> Any:
        """The latest value of ``column`` among the events (a whole pass, unless one has ended)."""
        if self._rows is None:
            for _ in self:
                pass
        return self._latest.latest(column)

    def guess_latest(self, column: str) -> Any:
        """What :meth:`latest` most likely is, at a fraction of a pass: the latest date in the
        files' date columns (see :func:`latest_date_guess`); exact after a whole pass. A file
        read whole has no quicker look than its reading: it is read, and kept for the pass."""
        if self._rows is not None:
            return self._latest.latest(column)
        if column != "date":
            return None
        whole = [] if self.how.once_per_source else [f for f in self.files if self._reads_whole(f)]
        progress = self.progress(self.path) if self.progress and whole else None
        return latest_of(self._guess(f, progress) if f in whole else self._quick_guess(f) for f in self.files)

    def parts(self) -> list[Part]:
        """The events read whole, as one part in memory: an export has no place an engine
        reading by parts could read it from by itself."""
        batches = list(self)
        return [Part(frame=pd.concat(batches))] if batches else []

    def _quick_guess(self, file: Path) -> Any:
        how = self.how
        encoding = self.encodings.get(file, how.encoding)
        return latest_date_guess(file, how.format, columns=how.columns, encoding=encoding, date_format=how.date_format)

    def _guess(self, file: Path, progress: Progress | None) -> Any:
        read = self._whole(file, Skipped(), lambda found: self._file_batches(file, found, progress))
        return latest_of(batch["date"].max() for batch in read)
