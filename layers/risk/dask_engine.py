"""The dask engine: the event → segment aggregation of the risk model on dask-geopandas, on
a local cluster or an existing one, with results equal to the in-memory engine's to the digit.

Each partition of events is paired and tallied on a worker by the same code the in-memory
engine runs per batch (:class:`layers.risk.pairing.EventPairs`, :class:`EventTallies`); only
the tallies travel back (exact sums, counts and the largest contributions per segment, a few
MB whatever the number of events) and merge in a tree. The sums are exact, so the order in
which partitions finish changes no digit; events carry their position in the input, so ties
are broken the same way on both engines.

An in-memory frame is partitioned spatially (along a Hilbert curve), so a partition covers a
compact area and meets few segments; ``borderrisk convert`` writes datasets in the same order.

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
PARTITION_ROWS = 100_000
#: Partial tallies merged per task on the way back.
MERGE_FAN_IN = 8


def _dask_geopandas() -> Any:
    try:
        import dask_geopandas
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    return dask_geopandas


def read_events_dataset(path: str | Path) -> Any:
    """A GeoParquet file or directory of events (borderrisk's columns), partitioned, unread."""
    from layers.data.errors import InputError, Problem, first_line
    from layers.data.paths import input_path
    from layers.data.readers import check_dataset

    path = input_path(path, folder=True)
    try:
        events = _dask_geopandas().read_parquet(path)
    except Exception as error:  # pyarrow and dask raise many types for one cause: unreadable
        raise InputError([Problem(str(path), "", "", f"cannot be read as GeoParquet: {first_line(error)}")]) from None
    check_dataset(list(events.columns), path, events.dtypes.get("date"))
    return events


def as_partitioned(events: Any) -> Any:
    """Events as a dask-geopandas frame. An in-memory frame keeps each row's position as its
    index and is cut into partitions along a Hilbert curve, so each covers a compact area."""
    dask_geopandas = _dask_geopandas()
    if isinstance(events, dask_geopandas.GeoDataFrame):
        return events
    events = events.reset_index(drop=True)
    partitions = max(1, int(np.ceil(len(events) / PARTITION_ROWS)))
    if len(events) > 1:
        curve = events.geometry.hilbert_distance(total_bounds=(-180.0, -90.0, 180.0, 90.0))
        events = events.iloc[np.argsort(curve.to_numpy(), kind="stable")]
    return dask_geopandas.from_geopandas(events, npartitions=partitions, sort=False)


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


def _partition_tallies(part: pd.DataFrame, segments: Any, countries: list[str], config: Any, as_of: date) -> Any:
    from layers.risk.pairing import EventPairs, EventTallies

    tallies = EventTallies.empty(len(segments), len(countries))
    if len(part):
        tallies.add(part, EventPairs.of(part, segments, config, until=as_of), countries, config, as_of)
    return tallies


def _merged(*tallies: Any) -> Any:
    first, *rest = tallies
    for other in rest:
        first.merge(other)
    return first


class DaskEngine:
    """Pairs and tallies events partition by partition on a dask client (see the module)."""

    def __init__(self, connected: Any) -> None:
        self.client = connected

    def positioned(self, events: Any) -> Any:
        """Events partitioned, each row indexed by its position in the whole input."""
        dask_geopandas = _dask_geopandas()
        if isinstance(events, dask_geopandas.GeoDataFrame):
            return _with_positions(events)
        return as_partitioned(events)

    def tallies(self, events: Any, segments: gpd.GeoDataFrame, countries: list[str], config: Any, as_of: date) -> Any:
        """The events' tallies, computed where the partitions are and merged in a tree."""
        from dask import delayed

        shared = self.client.scatter(segments, broadcast=True)
        partial = [delayed(_partition_tallies)(part, shared, countries, config, as_of) for part in events.to_delayed()]
        while len(partial) > 1:
            partial = [
                delayed(_merged)(*partial[start : start + MERGE_FAN_IN])
                for start in range(0, len(partial), MERGE_FAN_IN)
            ]
        return self.client.compute(partial[0]).result()

    def event_distances(self, events: Any, segments: gpd.GeoDataFrame, reach_km: float):
        """:func:`layers.risk.timeline.event_distances`, partition by partition: ``(event
        position, segment, km)`` for every pair within ``reach_km``."""
        from layers.risk.timeline import event_distances

        def pairs_of(part: pd.DataFrame) -> pd.DataFrame:
            point, segment, km = event_distances(part, segments, reach_km)
            rows = part.index.to_numpy()[point].astype("int64")
            return pd.DataFrame({"point": rows, "segment": segment.astype("int64"), "km": km})

        meta = pd.DataFrame(
            {"point": pd.Series(dtype="int64"), "segment": pd.Series(dtype="int64"), "km": pd.Series(dtype="float64")}
        )
        pairs = self.positioned(events).map_partitions(pairs_of, meta=meta).compute()
        return pairs.point.to_numpy(), pairs.segment.to_numpy(), pairs.km.to_numpy()
