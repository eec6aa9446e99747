"""The events dataset that fetching extends: the same GeoParquet folder ``borderrisk
convert`` writes and every command reads, plus a hidden ``.fetch.json`` recording, per
source, what was asked and how far the data goes (so the next run asks only for what is new).

Each run reads the dataset, merges what it fetched (an event id appears once: a changed event
replaces its old row; ACLED's deletions remove rows) and writes a new dataset in the old one's
place in one step (:func:`borderrisk.data.files.write_partitioned` with ``replace``): killed at
any moment, the folder holds the old dataset or the new one, and the next run finishes the job.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderrisk.data.files import restore_previous, write_partitioned
from borderrisk.data.formats import is_dataset
from borderrisk.data.formats.table import ORIGIN
from borderrisk.fetch.http import FetchError

if TYPE_CHECKING:
    import geopandas as gpd

STATE_FILE = ".fetch.json"
PARTITION_ROWS = 250_000


def read_state(folder: Path) -> dict[str, Any]:
    """What earlier fetches into ``folder`` recorded, by source ({} for a new dataset),
    checked here once for every source (a hand-edited or damaged file is one clear error, not
    a traceback inside a source)."""
    path = folder / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        _check_state(state)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError) as error:
        raise FetchError(f"{path} is damaged ({error}); fetch into a new folder") from None
    return state


def _check_state(state: Any) -> None:
    """Raise ValueError unless ``state`` is, per source, a record of the shape fetches write."""
    from datetime import date

    from borderrisk.fetch.query import Query

    if not isinstance(state, dict) or not all(isinstance(saved, dict) for saved in state.values()):
        raise ValueError("not a record per source")
    for saved in state.values():
        for key in ("timestamp", "deleted_since"):
            if not isinstance(saved.get(key, 0), int):
                raise ValueError(f"{key} is not a whole number")
        for key in ("last_date", "last_file", "release"):
            if not isinstance(saved.get(key) or "", str):
                raise ValueError(f"{key} is not a text")
        if saved.get("last_date"):
            date.fromisoformat(saved["last_date"])
        query = saved.get("query") or {}
        if not isinstance(query, dict) or not isinstance(query.get("countries") or [], list):
            raise ValueError("query is not countries and a day")
        Query.from_saved(query)


def read_events(folder: Path) -> gpd.GeoDataFrame | None:
    """The events already in ``folder``, or None when there is no dataset yet."""
    from borderrisk.data.readers import read_dataset

    restore_previous(folder)
    if not folder.exists():
        return None
    if not is_dataset(folder):
        raise FetchError(f"{folder} is not a GeoParquet events dataset (as convert and fetch write); name another -o")
    return read_dataset(folder)


def ours(old: gpd.GeoDataFrame, origin: str) -> Any:
    """Which rows of ``old`` may be the same events as rows from ``origin``: its own, and
    rows without an origin (converted before borderrisk recorded origins), matched by id."""
    if ORIGIN not in old:
        import pandas as pd

        return pd.Series(True, index=old.index)
    return old[ORIGIN].isna() | (old[ORIGIN] == origin)


def merge(
    old: gpd.GeoDataFrame | None, new: gpd.GeoDataFrame, origin: str, deleted: Iterable[str] = ()
) -> gpd.GeoDataFrame:
    """``old`` with ``new`` (events of ``origin``) merged in: an event id is kept once, in its
    newest row; ids in ``deleted`` are removed. Rows of ``old`` without an origin (converted
    from an export) are matched by id alone."""
    import geopandas as gpd
    import pandas as pd

    new = new.drop_duplicates("event_id", keep="last")
    if old is None or old.empty:
        merged = new
    else:
        gone = set(new["event_id"].astype(str)) | {str(i) for i in deleted}
        drop = ours(old, origin) & old["event_id"].astype(str).isin(gone)
        merged = pd.concat([old[~drop], new], ignore_index=True)
    merged = merged.sort_values("date", kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs="EPSG:4326")


def fresh(old: gpd.GeoDataFrame | None, new: gpd.GeoDataFrame, origin: str) -> gpd.GeoDataFrame:
    """The rows of ``new`` that ``old`` does not already hold as they are: new events, and
    events the source changed (a refresh that brings nothing new then writes nothing)."""
    if old is None or old.empty or new.empty:
        return new
    held = old[ours(old, origin)].drop_duplicates("event_id", keep="last")
    held = held.set_index(held["event_id"].astype(str).to_numpy())
    ids = new["event_id"].astype(str)
    known = ids.isin(held.index)
    columns = [c for c in new.columns if c in held.columns]
    before = _signature(held.loc[ids[known].tolist(), columns])
    after = _signature(new.loc[known, columns])
    return new[~known.to_numpy() | ~_same(known.to_numpy(), before, after)]


def _same(known: Any, before: list[str], after: list[str]) -> Any:
    import numpy as np

    same = np.zeros(len(known), dtype=bool)
    same[np.flatnonzero(known)] = [a == b for a, b in zip(before, after)]
    return same


def _signature(frame: gpd.GeoDataFrame) -> list[str]:
    """Each row as one text, comparable between a row fetched and the row read back from the
    dataset (lists come back as arrays, missing values as None or NaN)."""
    import numpy as np

    def text(value: Any) -> str:
        if isinstance(value, (list, tuple, np.ndarray)):
            return "|".join(map(str, value))
        if value is None or value is getattr(value, "NaT", None) or (isinstance(value, float) and value != value):
            return ""
        return str(value)

    plain = frame.drop(columns="geometry").astype(object)
    places = frame.geometry.to_wkb(hex=True)
    return ["\x1f".join([*map(text, row), place]) for row, place in zip(plain.itertuples(index=False), places)]


def write(folder: Path, events: gpd.GeoDataFrame, state: dict[str, Any]) -> int:
    """Put ``events`` and ``state`` in ``folder`` in one step; returns the events written."""
    extra = {STATE_FILE: json.dumps(state, indent=1, sort_keys=True).encode()}
    rows, _ = write_partitioned(events, folder, PARTITION_ROWS, replace=True, extra=extra)
    return rows
