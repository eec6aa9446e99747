"""An example plugin: border patrol sightings from a CSV (unit, date, lat, lon, note)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from borderrisk.layers.base import DrawContext, Layer, Legend, columns, points
from borderrisk.layers.spec import LayerSpec


class PatrolsLayer(Layer):
    """Patrol sightings, one colour for every unit."""

    kind = "patrols"
    description = "Border patrol sightings from a CSV: unit, date, lat, lon, note."
    default_name = "Patrols"
    time_field = "date"
    COLOR = "#2e7d32"

    @classmethod
    def read(cls, path: str | Path, **options: Any) -> PatrolsLayer:
        table = pd.read_csv(path, parse_dates=["date"])
        frame = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table.lon, table.lat), crs="EPSG:4326")
        return cls(frame, **options)

    def spec(self, context: DrawContext) -> LayerSpec:
        return {
            "name": self.name,
            "n": len(self.frame),
            **points(self.frame),
            "props": columns(self.frame, ["unit", "date", "note"]),
            "style": {"color": self.COLOR, "fillColor": self.COLOR, "radius": 6, "fillOpacity": 0.9},
            "tooltip": ["unit", "date"],
            "popup": {"title": "unit", "fields": [["date", "Date"], ["note", "Note"]]},
            "source": "example patrol log",
            "time": "date",
        }

    def legend(self, context: DrawContext | None = None) -> Legend:
        return Legend(self.name, [{"label": "patrol sighting", "color": self.COLOR, "shape": "point"}])
