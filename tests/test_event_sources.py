"""Every shape events come in answers "the latest date" the same way, through one function
(:func:`borderrisk.data.batches.latest_date`): a frame, its batches, several sources one after
the other, filtered batches, and the dates a pass has seen."""

import importlib.util
import logging
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from borderrisk.data.batches import ChainedBatches, FrameBatches, LatestSeen, latest_date
from borderrisk.data.errors import InputError
from borderrisk.data.filters import filtered_source


def events(*days: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"date": pd.to_datetime(list(days)), "event_type": ["Battles"] * len(days)},
        geometry=[Point(-65.6, -22.1)] * len(days),
        crs="EPSG:4326",
    )


def seen(*frames: gpd.GeoDataFrame) -> LatestSeen:
    found = LatestSeen()
    for frame in frames:
        found.add(frame)
    return found


@pytest.mark.parametrize("guess", [False, True])
def test_every_shape_has_the_same_latest_date(guess):
    early, late = events("2023-01-05", "2023-03-01"), events("2023-11-30", "2023-02-02")
    both = pd.concat([early, late], ignore_index=True)
    shapes = [
        both,
        FrameBatches(both, rows=1),
        ChainedBatches([early, late]),
        filtered_source(FrameBatches(both), since=date(2023, 2, 1)),
        seen(early, late),
    ]
    assert {latest_date(shape, guess=guess) for shape in shapes} == {date(2023, 11, 30)}


def test_the_latest_date_is_the_latest_among_the_inputs():
    agreements = pd.DataFrame({"since": pd.to_datetime(["2024-02-01"])})
    assert latest_date(FrameBatches(events("2023-11-30")), agreements, None) == date(2024, 2, 1)


def test_inputs_without_a_date_are_scored_as_of_today_and_say_so(caplog):
    with caplog.at_level(logging.WARNING):
        assert latest_date(LatestSeen(), events().iloc[:0], None) == date.today()
    assert "by the clock" in caplog.text


def _readings():
    """Every way a GeoParquet dataset of events is read: whole, in batches, in partitions."""
    from borderrisk.data.batches import ParquetBatches
    from borderrisk.data.readers import read_dataset

    readings = [read_dataset, ParquetBatches]
    if importlib.util.find_spec("dask_geopandas"):
        from borderrisk.risk.dask_engine import read_events_dataset

        readings.append(read_events_dataset)
    return readings


@pytest.mark.parametrize("read", _readings())
def test_geoparquet_is_refused_the_same_way_however_it_is_read(read, tmp_path):
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match="cannot be read as GeoParquet"):
        read(broken)
    lacking = tmp_path / "lacking.parquet"
    events("2023-11-30").to_parquet(lacking)
    with pytest.raises(InputError, match="required column is missing"):
        read(lacking)


def test_every_source_is_an_event_source_and_a_frame_never_is(tmp_path):
    from borderrisk.data.batches import event_batches, is_event_source
    from borderrisk.data.formats import EventsInput
    from borderrisk.data.formats.stream import EventStream

    export = tmp_path / "export.csv"
    export.write_text("event_date,latitude,longitude\n2023-11-30,-22.1,-65.6\n")
    frame = events("2023-11-30").assign(latest=1, guess_latest=2)
    sources = [
        FrameBatches(frame),
        ChainedBatches([frame]),
        filtered_source(FrameBatches(frame), since=date(2023, 1, 1)),
        EventStream(export, EventsInput()),
    ]
    assert all(is_event_source(source) and event_batches(source) is source for source in sources)
    assert not is_event_source(frame)
    assert isinstance(event_batches(frame), FrameBatches)
    assert not is_event_source(LatestSeen())


def test_a_geoparquet_source_is_filtered_batch_by_batch(tmp_path):
    """A dataset's batches carry a ``columns`` list, as frames do: they are still filtered as a source."""
    from borderrisk.data.batches import ParquetBatches
    from borderrisk.data.filters import FilteredBatches

    dataset = tmp_path / "events.parquet"
    events("2023-01-05", "2023-11-30").assign(title="x", type="battles").to_parquet(dataset)
    kept = filtered_source(ParquetBatches(dataset), since=date(2023, 6, 1))
    assert isinstance(kept, FilteredBatches)
    assert [str(d.date()) for batch in kept for d in batch.date] == ["2023-11-30"]
