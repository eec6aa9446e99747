"""The borders layer: chosen borders drawn exactly, with both lengths and their sources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from layers.kinds.base import DrawContext, Layer, Legend, columns, shapes
from layers.kinds.spec import LayerSpec
from layers.kinds.style import BORDER_STYLE

SOURCE = "Natural Earth 1:10m; length measured geodesically on WGS84 by borderrisk"


class BordersLayer(Layer):
    """Shared land borders at full 1:10m detail, with geodesic and survey lengths.

    Parameters
    ----------
    pairs
        Country pairs, by code or any name, e.g. ``[("ARG", "Bolivia")]``.
    **kwargs
        ``name`` and ``show``, as for :class:`~layers.kinds.base.Layer`.
    """

    kind = "borders"
    description = "Chosen land borders, highlighted, with their geodesic and survey lengths."
    default_name = "Borders"

    def __init__(self, pairs: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        import geopandas as gpd

        from geo.borders import border
        from geo.countries import resolve

        rows = []
        for a, b in pairs:
            line = border(a, b)
            names = f"{resolve(line.a).name}–{resolve(line.b).name}"
            survey = f"{line.survey_km:,.0f} km ({line.survey_source})" if line.survey_km else None
            rows.append(
                {
                    "a": line.a,
                    "b": line.b,
                    "name": names,
                    "length_km": round(line.length_km, 3),
                    "label": f"{names}: {line.length_km:,.1f} km",
                    "length": f"{line.length_km:,.1f} km",
                    "survey_km": line.survey_km,
                    "survey": survey,
                    "length_method": line.length_method,
                    "source": SOURCE,
                    "geometry": line.geometry,
                }
            )
        super().__init__(gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326"), **kwargs)

    def spec(self, context: DrawContext) -> LayerSpec:
        return {
            "name": self.name,
            "n": len(self.frame),
            "geoms": shapes(self.frame.geometry, 5),
            "props": columns(self.frame, ["name", "label", "length", "survey", "length_method", "source"]),
            "style": BORDER_STYLE,
            "tooltip": ["label"],
            "popup": {
                "title": "name",
                "fields": [
                    ["length", "Length (1:10m line)"],
                    ["length_method", "Measured as"],
                    ["survey", "Survey figure"],
                ],
            },
        }

    def legend(self) -> Legend:
        return Legend(
            self.name, [{"label": label, "color": BORDER_STYLE["color"], "shape": "line"} for label in self.frame.label]
        )
