"""The events layer: dated point events, coloured by type and sized by severity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from layers.base import DrawContext, Layer, Legend, columns, points
from layers.readers import read_records
from layers.schema import EVENTS
from layers.style import EVENT_RADIUS, EVENT_TYPE_COLORS, OTHER, colors_for

POPUP_FIELDS = [
    ["date", "Date"],
    ["end_date", "Until"],
    ["type", "Type"],
    ["severity", "Severity (1–5)"],
    ["actors", "Actors"],
    ["place", "Place"],
    ["location_precision", "Located to"],
    ["country", "Country"],
    ["description", "What happened"],
    ["confidence", "Confidence"],
]


class EventsLayer(Layer):
    """Point events. Required columns: ``date``, ``title``, ``type`` and ``lat``/``lon`` or
    ``place``; see :data:`layers.schema.EVENTS` for the rest."""

    kind = "events"
    description = "Dated point events (attacks, visits, statements ...) from CSV or GIS files."
    default_name = "Events"
    time_field = "date"

    @classmethod
    def read(cls, path: str | Path, **kwargs: Any) -> EventsLayer:
        """Read and validate an events file (CSV, GeoJSON, GeoPackage, GeoParquet)."""
        return cls(read_records(path, EVENTS), **kwargs)

    def spec(self, context: DrawContext) -> dict[str, Any]:
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

    def _colors(self) -> dict[str, str]:
        return colors_for(sorted(self.frame["type"].dropna().unique()), EVENT_TYPE_COLORS)

    def legend(self) -> Legend:
        return Legend(
            self.name, [{"label": label, "color": color, "shape": "point"} for label, color in self._colors().items()]
        )
