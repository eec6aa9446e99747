"""The dask engine: the event → segment aggregation of the risk model on dask-geopandas, on
a local cluster or an existing one, with results equal to the in-memory engine's to the digit.

Events stay where their partitions are read: a worker reads its partitions once (``persist``)
and they never move between workers, so a second worker adds its core and not traffic. Each
row is indexed by its position in the whole input (from the partitions' lengths, counted where
they are). An in-memory frame given alone is sorted along a Hilbert curve over the world before
it is cut into partitions, so each partition covers a compact area and meets few segments; a
dataset (or a frame given with one) is not regrouped by place, because moving its events
between workers costs more than it saves: ``benchmarks/bench_dask.py`` measures both. The
segments' index and projection are built once and shared by every partition.

Each partition is paired and tallied on a worker by the same code the in-memory engine runs
per batch (:class:`borderrisk.risk.pairing.EventPairs`, :class:`EventTallies`); only the tallies
travel back (exact sums, counts and the largest contributions per segment, a few MB whatever
the number of events) and merge in a tree. The sums are exact, so the order in which
partitions finish changes no digit; events carry their position in the input, so ties are
broken the same way on both engines. A back-test's whole pairs table is made the same way,
one :class:`EventPairs` per partition, and joined (:meth:`DaskEngine.pairs`).

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

from borderrisk.data.batches import EventSource, Part, event_batches

if TYPE_CHECKING:
    import geopandas as gpd

    from borderrisk.geo.geodesy import NearLines

#: Events per partition the engine pairs and tallies at once.
PARTITION_ROWS = 100_000
#: Partial tallies merged per task on the way back.
MERGE_FAN_IN = 8
#: The box the Hilbert curve covers: the whole world, so a place has one curve position in
#: every partition and every input.
WORLD = (-180.0, -90.0, 180.0, 90.0)
#: The curve's level: 2**16 cells a side, about 600 m at the equator.
CURVE_LEVEL = 16


def _dask_geopandas() -> Any:
    try:
        import dask_geopandas
    except ImportError:
        raise _missing() from None
    return dask_geopandas


def read_events_dataset(path: str | Path) -> Any:
    """A GeoParquet file or directory of events (borderrisk's columns), partitioned, unread."""
    from borderrisk.data.readers import open_geoparquet

    events = open_geoparquet(path, _dask_geopandas().read_parquet)
    _check_rows(events, str(path))
    # dask-geopandas leaves the file's spatial partitions (a GeoSeries) in the empty frame that
    # describes the partitions, where pandas compares them with ``==`` on concatenation: two
    # datasets could not be given together (dask-geopandas#327). The frame keeps them.
    events._meta.attrs.pop("spatial_partitions", None)
    return events


def _check_rows(events: Any, file: str) -> None:
    """The dataset's numbers and geometry, partition by partition, by the rules every reader
    uses (:func:`borderrisk.data.readers.dataset_problems`: numbers, dates, geometries)."""
    from borderrisk.data.errors import InputError
    from borderrisk.data.readers import DATASET_NUMBERS, DATE_FIELDS, dataset_problems

    checked = [c for c in (*DATASET_NUMBERS, *DATE_FIELDS, events.geometry.name) if c in events.columns]

    def problems(part: pd.DataFrame, partition_info: dict | None = None) -> pd.Series:
        where = f"partition {partition_info['number'] + 1}, row" if partition_info else "row"
        return pd.Series([dataset_problems(part, file, where)])

    found = [p for listed in events[checked].map_partitions(problems, meta=(None, "object")).compute() for p in listed]
    if found:
        raise InputError(found)


def as_partitioned(events: gpd.GeoDataFrame) -> Any:
    """An in-memory frame as a dask-geopandas frame in input order, each row indexed by its
    position (to be combined with datasets, see :func:`combine`)."""
    events = events.reset_index(drop=True)
    return _from_geopandas(events, _partitions_for(len(events)))


def _from_geopandas(events: gpd.GeoDataFrame, partitions: int) -> Any:
    with _cells_as_they_are():
        return _dask_geopandas().from_geopandas(events, npartitions=partitions, sort=False)


def _cells_as_they_are() -> Any:
    """dask turns object columns into text by default: a list of actors would reach the
    watchlist as "['a', 'b']", escapes and all. In this context, cells stay as they are."""
    import dask

    return dask.config.set({"dataframe.convert-string": False})


def _partitions_for(rows: int) -> int:
    return max(1, int(np.ceil(rows / PARTITION_ROWS)))


def combine(parts: list[Part]) -> Any:
    """One partitioned events frame from a source's parts (see
    :meth:`borderrisk.data.batches.EventSource.parts`), in order, each kept as its filters say."""
    import dask.dataframe as dd

    read = [part.kept(_partitioned(part)) for part in parts]
    return read[0] if len(read) == 1 else dd.concat(read)


def _partitioned(part: Part) -> Any:
    """A part as a dask frame: a dataset read where it is, a dask frame as it is, a frame cut."""
    if part.path is not None:
        return read_events_dataset(part.path)
    if part.partitions is not None:
        return part.partitions
    return as_partitioned(part.frame)


def _missing() -> Exception:
    from borderrisk.data.errors import MissingExtra

    return MissingExtra("the dask engine (--engine dask)", "scale")


@contextmanager
def client(scheduler: str | None = None) -> Iterator[Any]:
    """A dask client, closed afterwards: on the scheduler at ``scheduler`` (e.g.
    ``tcp://10.0.0.5:8786``), else on the one dask's configuration names (the
    ``DASK_SCHEDULER_ADDRESS`` environment variable, as ``distributed.Client()`` finds it), else
    on a local cluster with one single-threaded worker per core."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise _missing() from None
    scheduler = scheduler or dask.config.get("scheduler-address", None)
    if scheduler:
        from borderrisk.data.errors import UserError, first_line

        try:
            connected = Client(scheduler)
        except (OSError, ValueError) as error:
            raise UserError(f"cannot reach the dask scheduler at {scheduler}: {first_line(error)}") from None
        with connected:
            yield connected
        return
    import os

    with (
        LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as local,
    ):
        yield local


def curve_order(points: gpd.GeoSeries) -> np.ndarray:
    """Positions that put points in order along a Hilbert curve over the world: points next
    to each other in that order are close on Earth (ties keep their input order)."""
    distance = points.hilbert_distance(total_bounds=WORLD, level=CURVE_LEVEL).to_numpy()
    return np.argsort(distance, kind="stable")


def _placed(part: pd.DataFrame, start: int) -> pd.DataFrame:
    """A partition indexed by position in the whole input, from ``start``."""
    return part.set_axis(pd.RangeIndex(start, start + len(part)), axis=0)


def partition_tallies(
    part: pd.DataFrame, segments: Any, countries: list[str], config: Any, as_of: date, near: NearLines | None = None
) -> Any:
    """What a worker does with a partition: pair its events with the segments (``near``: the
    segments' index and projection, built once for every partition) and tally them."""
    from borderrisk.risk.pairing import EventPairs, EventTallies

    tallies = EventTallies.empty(len(segments), len(countries))
    if len(part):
        tallies.add(part, EventPairs.of(part, segments, config, until=as_of, near=near), countries, config, as_of)
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
        #: How many events :meth:`positioned` handed out.
        self.rows = 0

    def positioned(self, events: EventSource | Any, columns: tuple[str, ...] | None = None) -> Any:
        """A source's events (any shape :func:`borderrisk.data.batches.event_batches` opens as
        one; a source as it is) in partitions, each row indexed by its position in the whole
        input, with only ``columns`` (and the geometry) if given, held on the workers (a frame
        alone is first sorted by place, see the module); None for a source of no parts.
        :attr:`rows` counts them. The engine reads what the source's parts say, so it tells
        no shape of events apart itself."""
        parts = event_batches(events).parts()
        if len(parts) == 1 and parts[0].frame is not None:
            return self._by_place(parts[0].kept(parts[0].frame))
        self.rows = 0
        return self._in_place(combine(parts), columns) if parts else None

    def _by_place(self, events: gpd.GeoDataFrame) -> Any:
        """An in-memory frame sorted along the curve, then cut into partitions."""
        events = events.reset_index(drop=True)
        self.rows = len(events)
        if len(events) > 1:
            events = events.iloc[curve_order(events.geometry)]
        return self.client.persist(_from_geopandas(events, _partitions_for(len(events))))

    def _in_place(self, events: Any, columns: tuple[str, ...] | None) -> Any:
        """Partitions read once, where each is read, then placed in the whole input where they
        are: no event moves between workers."""
        import dask.dataframe as dd
        from dask import delayed

        if columns is not None:
            events = events[[c for c in events.columns if c in columns or c == events._meta.geometry.name]]
        events = self.client.persist(events)
        lengths = self.client.compute([delayed(len)(part) for part in events.to_delayed()], sync=True)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(int)
        placed = [delayed(_placed)(part, int(start)) for part, start in zip(events.to_delayed(), starts)]
        meta = events._meta.set_axis(pd.RangeIndex(0), axis=0)
        with _cells_as_they_are():
            frame = dd.from_delayed(placed, meta=meta, verify_meta=False)
        self.rows = int(sum(lengths))
        return self.client.persist(_dask_geopandas().from_dask_dataframe(frame, geometry=meta.geometry.name))

    def tallies(self, events: Any, segments: gpd.GeoDataFrame, countries: list[str], config: Any, as_of: date) -> Any:
        """The events' tallies, computed where the partitions are and merged in a tree."""
        from dask import delayed

        from borderrisk.geo.geodesy import NearLines

        shared = self.client.scatter(segments, broadcast=True)
        near = self.client.scatter(NearLines(segments.geometry.to_numpy()), broadcast=True)
        work = delayed(partition_tallies)
        partial = [work(part, shared, countries, config, as_of, near=near) for part in events.to_delayed()]
        while len(partial) > 1:
            partial = [
                delayed(_merged)(*partial[start : start + MERGE_FAN_IN])
                for start in range(0, len(partial), MERGE_FAN_IN)
            ]
        return self.client.compute(partial[0]).result()

    def pairs(self, events: Any, segments: gpd.GeoDataFrame, config: Any, reach_km: float) -> Any:
        """The pairs table (:class:`borderrisk.risk.pairing.EventPairs`) of every located event
        within ``reach_km`` of a segment, made partition by partition by the code the in-memory
        engine runs, and joined; each event's ``row`` is its position in the input."""
        from dask import delayed

        from borderrisk.geo.geodesy import NearLines
        from borderrisk.risk.pairing import EventPairs

        shared = self.client.scatter(segments, broadcast=True)
        near = self.client.scatter(NearLines(segments.geometry.to_numpy()), broadcast=True)
        work = delayed(EventPairs.of)
        parts = [
            work(part, shared, config, near=near, reach_km=reach_km) for part in self.positioned(events).to_delayed()
        ]
        return EventPairs.joined(self.client.compute(parts, sync=True))
