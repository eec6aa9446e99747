"""What ``borderrisk convert`` writes: borderrisk's event columns and nothing else, each with
its one type, whatever reader the events came from (a file in borderrisk's own columns reads
``severity`` as text where it is empty, and carries the reader's ``_where``). ``score``,
``map`` and ``trend`` then read every converted dataset the same way."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd

#: The event columns of a dataset, in order, and their types (``object``: lists of actors).
COLUMNS: dict[str, Any] = {
    "date": "datetime64[ns]",
    "date_precision": "string",
    "end_date": "datetime64[ns]",
    "title": "string",
    "type": "string",
    "severity": "Int64",
    "fatalities": "Int64",
    "actors": object,
    "place": "string",
    "admin1": "string",
    "country": "string",
    "lat": "float64",
    "lon": "float64",
    "location_precision": "string",
    "description": "string",
    "source": "string",
    "confidence": "string",
    "event_id": "string",
    "num_mentions": "Int64",
    "is_root_event": "boolean",
    # the source a row comes from (acled, gdelt, gtd, ucdp): its licence follows the rows
    "origin": "string",
}
_NUMBERS = {"severity", "fatalities", "num_mentions", "lat", "lon"}


def as_dataset(frame: Any) -> Any:
    """A frame of events with borderrisk's columns only (those it has), each of its type."""
    kept = frame[[c for c in COLUMNS if c in frame.columns] + [frame.geometry.name]].copy()
    for name in kept.columns.drop(frame.geometry.name):
        column = kept[name]
        if name in _NUMBERS:
            column = pd.to_numeric(column.astype(object).where(column.notna(), None), errors="coerce")
        if COLUMNS[name] == "string":
            column = column.astype(object).where(column.notna(), None)
        kept[name] = column.astype(COLUMNS[name])
    return kept


def dataset_batches(batches: Iterable[Any]) -> Iterator[Any]:
    """Each batch of events as :func:`as_dataset` makes it."""
    for batch in batches:
        yield as_dataset(batch)
