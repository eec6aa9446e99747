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
    """What earlier fetches into ``folder`` recorded, by source ({} for a new dataset)."""
    try:
        return json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise FetchError(f"{folder / STATE_FILE} is damaged ({error}); fetch into a new folder") from None


def read_events(folder: Path) -> gpd.GeoDataFrame | None:
    """The events already in ``folder``, or None when there is no dataset yet."""
    from borderrisk.data.readers import read_dataset

    restore_previous(folder)
    if not folder.exists():
        return None
    if not is_dataset(folder):
        raise FetchError(f"{folder} is not a GeoParquet events dataset (as convert and fetch write); name another -o")
    return read_dataset(folder)


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
        origins = old[ORIGIN] if ORIGIN in old else pd.Series(pd.NA, index=old.index)
        ours = origins.isna() | (origins == origin)
        drop = ours & old["event_id"].astype(str).isin(gone)
        merged = pd.concat([old[~drop], new], ignore_index=True)
    merged = merged.sort_values("date", kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs="EPSG:4326")


def write(folder: Path, events: gpd.GeoDataFrame, state: dict[str, Any]) -> int:
    """Put ``events`` and ``state`` in ``folder`` in one step; returns the events written."""
    extra = {STATE_FILE: json.dumps(state, indent=1, sort_keys=True).encode()}
    rows, _ = write_partitioned(events, folder, PARTITION_ROWS, replace=True, extra=extra)
    return rows
