"""The events layer: dated point events, coloured by type and sized by severity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.data.formats import Progress, Skipped, is_dataset, read_events
from layers.data.readers import read_dataset
from layers.kinds.base import DrawContext, Layer, Legend, columns, points
from layers.kinds.style import EVENT_RADIUS, EVENT_TYPE_COLORS, OTHER, colors_for

#: Aggregation grid: (cell size in degrees, first zoom level, last zoom level).
GRID_LEVELS = [(4.0, 0, 3), (2.0, 4, 4), (1.0, 5, 5), (0.5, 6, 6), (0.25, 7, 30)]
#: A level with more cells than this is left out (the coarser one stays up to the last zoom),
#: so the page stays small and quick whatever the number of events.
MAX_CELLS = 40_000

POPUP_FIELDS = [
    ["date", "Date"],
    ["end_date", "Until"],
    ["type", "Type"],
    ["severity", "Severity (1–5)"],
    ["fatalities", "Fatalities"],
    ["actors", "Actors"],
    ["place", "Place"],
    ["location_precision", "Located to"],
    ["country", "Country"],
    ["description", "What happened"],
    ["confidence", "Confidence"],
    ["num_mentions", "Mentions"],
]


class EventsLayer(Layer):
    """Point events. Required columns: ``date``, ``title``, ``type`` and ``lat``/``lon`` or
    ``place``; see :data:`layers.data.schema.EVENTS` for the rest."""

    kind = "events"
    description = "Dated point events (attacks, visits, statements ...) from CSV or GIS files."
    default_name = "Events"
    time_field = "date"

    #: Rows left out of the files (bad rows with ``skip_bad_rows``, or by choice), by reason.
    skipped: Skipped | None = None

    @classmethod
    def read(
        cls,
        path: str | Path,
        *,
        format: str = "auto",
        columns: dict[str, str] | None = None,
        encoding: str | None = None,
        skip_bad_rows: bool = False,
        root_events_only: bool = False,
        once_per_source: bool = False,
        progress: Progress | None = None,
        **kwargs: Any,
    ) -> EventsLayer:
        """Read and validate events: borderrisk's own columns (CSV, GeoJSON, GeoPackage,
        GeoParquet), an ACLED, GDELT, GTD or UCDP export, or any table by a ``columns``
        mapping (see :mod:`layers.data.formats`); ``format="auto"`` tells them apart by their
        content. ``path`` may be a folder or a glob of such files, or a folder of GeoParquet
        partitions (a dataset, as ``borderrisk convert`` writes)."""
        if is_dataset(path):
            return cls(read_dataset(path), **kwargs)
        frame, skipped = read_events(
            path,
            format,
            columns=columns,
            encoding=encoding,
            skip_bad_rows=skip_bad_rows,
            root_events_only=root_events_only,
            once_per_source=once_per_source,
            progress=progress,
        )
        layer = cls(frame, **kwargs)
        layer.skipped = skipped
        return layer

    def time_filtered(self, context: DrawContext) -> bool:
        return len(self.frame) <= context.aggregate_above

    def spec(self, context: DrawContext) -> dict[str, Any]:
        if not self.time_filtered(context):
            return self._grid_spec()
        frame = self.frame
        props = columns(frame, ["title", *(f for f, _ in POPUP_FIELDS), "source"])
        return {
            "name": self.name,
            "n": len(frame),
            **points(frame),
            "props": props,
            "style": {"radius": EVENT_RADIUS["radius"], "weight": 1, "color": OTHER, "fillOpacity": 0.8},
            "colorBy": {"field": "type", "colors": self._colors(), "other": OTHER},
            "radiusBy": {"field": "severity", "base": EVENT_RADIUS["base"], "step": EVENT_RADIUS["step"]},
            "tooltip": ["date", "title"],
            "popup": {"title": "title", "fields": POPUP_FIELDS},
            "time": "date",
        }

    def _grid_spec(self) -> dict[str, Any]:
        """Too many events for markers: counts in grid cells, finer as the map zooms in.
        Each cell sits at the mean position of its events, coloured by its commonest type."""
        frame = self.frame
        lon, lat = frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()
        types = pd.Categorical(frame["type"])
        levels = []
        for cell_degrees, min_zoom, max_zoom in GRID_LEVELS:
            cells = pd.DataFrame(
                {
                    "ix": np.floor(lon / cell_degrees).astype("int64"),
                    "iy": np.floor(lat / cell_degrees).astype("int64"),
                    "lon": lon,
                    "lat": lat,
                    "type": types.codes,
                    "date": frame["date"].to_numpy(),
                }
            )
            grouped = cells.groupby(["ix", "iy"], sort=True)
            summary = grouped.agg(
                x=("lon", "mean"), y=("lat", "mean"), count=("lon", "size"), first=("date", "min"), last=("date", "max")
            )
            by_type = cells.groupby(["ix", "iy", "type"], sort=True).size().reset_index(name="n")
            commonest = by_type.sort_values(["ix", "iy", "n", "type"], ascending=[True, True, False, True])
            commonest = commonest.drop_duplicates(["ix", "iy"]).set_index(["ix", "iy"])["type"]
            if len(summary) > MAX_CELLS:
                levels[-1]["maxZoom"] = 30
                break
            levels.append(
                {
                    "minZoom": min_zoom,
                    "maxZoom": max_zoom,
                    "x": np.round(summary.x.to_numpy(), 4).tolist(),
                    "y": np.round(summary.y.to_numpy(), 4).tolist(),
                    "count": summary["count"].tolist(),
                    "type": commonest.loc[summary.index].tolist(),
                    "first": _days(summary["first"]),
                    "last": _days(summary["last"]),
                }
            )
        colors = self._colors()
        return {
            "name": self.name,
            "n": len(frame),
            "grid": levels,
            "types": list(types.categories),
            "typeColors": [colors.get(t, OTHER) for t in types.categories],
        }

    def _colors(self) -> dict[str, str]:
        return colors_for(sorted(self.frame["type"].dropna().unique()), EVENT_TYPE_COLORS)

    def legend(self) -> Legend:
        return Legend(
            self.name, [{"label": label, "color": color, "shape": "point"} for label, color in self._colors().items()]
        )


def _days(dates: pd.Series) -> list[int]:
    """Dates as whole days since 1970, the compact form the grid's popups format."""
    return (dates.to_numpy(dtype="datetime64[D]").astype("int64")).tolist()
