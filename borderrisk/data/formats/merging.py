"""One event, one row: rows of an export that share an event id (ACLED's ``event_id_cnty``,
GTD's ``eventid``, UCDP's ``id``, GDELT's ``GLOBALEVENTID``) are one event. ACLED's "monadic"
exports repeat each event once per actor; counted as rows, an event's deaths and weight count
twice.

Rows are merged as a file is read, batch by batch, so every reader (both engines, ``convert``)
gets the same events: the first row of an id stands for the event, with the actors of all its
rows. Repeats are usually next to each other, so the rows of a batch's last id wait for the
next batch; a repeat of an id already handed out is left out (counted as merged, its actors
lost), since a batch once handed out is not changed. Rows without an id are never merged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


class EventMerger:
    """Merges the rows of one file that share an event id; :attr:`merged` counts the rows
    folded into an earlier one."""

    def __init__(self) -> None:
        self.merged = 0
        #: The ids handed out so far, as sorted 64-bit hashes, a block per batch: 8 bytes an
        #: event, where a set of the ids themselves would take ~90 (a million GDELT rows).
        self._seen: list[np.ndarray] = []
        self._held: pd.DataFrame | None = None

    def add(self, events: pd.DataFrame) -> pd.DataFrame:
        """The rows of the next batch that can be handed out now, merged."""
        if "event_id" not in events:
            return events
        if self._held is not None:
            events = pd.concat([self._held, events], ignore_index=True)
            self._held = None
        ids = events["event_id"].fillna("").astype(str)
        if len(events) and ids.iat[-1]:  # the batch's last run of one id may go on in the next
            other = np.flatnonzero(ids.ne(ids.iat[-1]).to_numpy())
            start = other[-1] + 1 if len(other) else 0
            self._held, events, ids = events.iloc[start:], events.iloc[:start], ids.iloc[:start]
        return self._merge(events, ids)

    def flush(self) -> pd.DataFrame | None:
        """The rows held back for the next batch, once the file has none."""
        held, self._held = self._held, None
        if held is None:
            return None
        return self._merge(held, held["event_id"].fillna("").astype(str))

    def _merge(self, events: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
        has = ids.ne("")
        hashes = pd.util.hash_array(ids.to_numpy(dtype=object))
        repeat = has & (ids.duplicated() | self._handed_out(hashes))
        self._seen.append(np.sort(hashes[has.to_numpy()]))
        if not repeat.any():
            return events.reset_index(drop=True)
        if "actors" in events:
            shared = has & ids.duplicated(keep=False)
            joined = events.loc[shared, "actors"].groupby(ids[shared], sort=False).agg(_union)
            first = shared & ~repeat
            events = events.copy()
            events.loc[first, "actors"] = pd.Series(list(joined[ids[first]]), index=events.index[first])
        self.merged += int(repeat.sum())
        return events[~repeat.to_numpy()].reset_index(drop=True)

    def _handed_out(self, hashes: np.ndarray) -> np.ndarray:
        """Which ids are among those of earlier batches."""
        found = np.zeros(len(hashes), dtype=bool)
        for block in self._seen:
            if len(block):
                at = np.minimum(np.searchsorted(block, hashes), len(block) - 1)
                found |= block[at] == hashes
        return found


def _union(lists: pd.Series) -> list[str]:
    """The names of several rows' actors, each once, in order."""
    return list(dict.fromkeys(name for names in lists if isinstance(names, list) for name in names))
