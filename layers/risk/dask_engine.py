"""The dask engine: the event → segment aggregation of the risk model on dask-geopandas, on
a local cluster or an existing one, with results equal to the in-memory engine's to the digit.

Each partition of events is paired with the segments by the same function the in-memory
engine uses (:func:`layers.risk.pairing.event_pairs`); only the pairs travel back, and the reduction
(canonical order, sums, explanations) is shared. Events carry their position in the input, so
ties are broken the same way on both engines.

Install with ``pip install "borderrisk[scale]"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import geopandas as gpd

INSTALL_HINT = 'the dask engine needs dask-geopandas and distributed: pip install "borderrisk[scale]"'
#: Rows per partition when an in-memory frame is handed to the dask engine.
PARTITION_ROWS = 250_000


def _dask_geopandas() -> Any:
    try:
        import dask_geopandas
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    return dask_geopandas


def read_events_dataset(path: str | Path) -> Any:
    """A GeoParquet file or directory of events (borderrisk's columns), partitioned, unread."""
    from layers.data.readers import check_dataset

    events = _dask_geopandas().read_parquet(path)
    check_dataset(list(events.columns), path)
    return events


def as_partitioned(events: Any) -> Any:
    """Events as a dask-geopandas frame (an in-memory frame is split into partitions)."""
    dask_geopandas = _dask_geopandas()
    if isinstance(events, dask_geopandas.GeoDataFrame):
        return events
    partitions = max(1, int(np.ceil(len(events) / PARTITION_ROWS)))
    return dask_geopandas.from_geopandas(events.reset_index(drop=True), npartitions=partitions)


def combine(sources: list[Any]) -> Any:
    """One partitioned events frame from in-memory frames and GeoParquet paths, in order."""
    import dask.dataframe as dd

    parts = [
        read_events_dataset(s) if isinstance(s, (str, Path)) else as_partitioned(s) for s in sources if s is not None
    ]
    return parts[0] if len(parts) == 1 else dd.concat(parts)


@contextmanager
def client(scheduler: str | None = None) -> Iterator[Any]:
    """A dask client: on the scheduler at ``scheduler`` (e.g. ``tcp://10.0.0.5:8786``), or on a
    local cluster with one single-threaded worker per core, closed afterwards."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    if scheduler:
        with Client(scheduler) as connected:
            yield connected
        return
    import os

    with (
        LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as local,
    ):
        yield local


def _with_positions(events: Any) -> Any:
    """Each row's position in the whole input as its index, as the in-memory engine has it."""
    lengths = events.map_partitions(len).compute()
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])

    def place(part: pd.DataFrame, partition_info: dict | None = None) -> pd.DataFrame:
        start = offsets[partition_info["number"]] if partition_info else 0
        return part.set_axis(pd.RangeIndex(start, start + len(part)), axis=0)

    return events.map_partitions(place, meta=events._meta)


class DaskEngine:
    """Runs :func:`layers.risk.pairing.event_pairs` partition by partition on a dask client."""

    def __init__(self, connected: Any) -> None:
        self.client = connected

    def positioned(self, events: Any) -> Any:
        return _with_positions(as_partitioned(events))

    def event_pairs(
        self, events: Any, segments: gpd.GeoDataFrame, config: Any, as_of: date
    ) -> tuple[pd.DataFrame, Any]:
        from layers.risk.pairing import event_pairs

        meta = pd.DataFrame(
            {
                "segment": pd.Series(dtype="int64"),
                "row": pd.Series(dtype="int64"),
                "km": pd.Series(dtype="float64"),
                "value": pd.Series(dtype="float64"),
            }
        )
        pairs = events.map_partitions(event_pairs, segments, config, as_of, meta=meta).compute()

        def describe(rows: np.ndarray) -> dict[int, str]:
            from layers.risk.pairing import event_descriptions

            wanted = set(rows.tolist())
            chosen = events.map_partitions(lambda part: part[part.index.isin(wanted)], meta=events._meta).compute()
            return event_descriptions(chosen, rows)

        return pairs.reset_index(drop=True), describe
