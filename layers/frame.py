"""Any GeoDataFrame as a layer, in one call: what notebook users add their own data with."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from borderrisk.data.errors import InputError, Problem, UserError, first_line
from borderrisk.geo.crs import to_wgs84
from borderrisk.layers.base import PLAIN, DrawContext, Layer, Legend, columns, points, shapes
from borderrisk.layers.spec import LayerSpec
from borderrisk.layers.style import OTHER, Categories

if TYPE_CHECKING:
    import geopandas as gpd

DEFAULT_COLOR = "#3949ab"


class FrameLayer(Layer):
    """A layer from any GeoDataFrame: points, lines or polygons, in any CRS.

    Parameters
    ----------
    frame
        The features, in any CRS (reprojected to EPSG:4326); it must have one.
    name
        The layer's name in the legend and the layer control.
    color
        The colour of every feature, unless ``color_by`` is given.
    color_by
        A column to colour features by, with a legend.
    tooltip, popup
        Columns shown on hover and on click (default: the first text column, and every column).
    date
        The date column the time filter and ``since``/``until`` use (default: ``date``, if any).
    source
        Shown in every popup that has no ``source`` column of its own.
    style
        Leaflet path options (``weight``, ``radius``, ``fillOpacity`` ...).
    show
        Whether the layer is switched on when the map opens.

    Raises
    ------
    ValueError
        The frame has no CRS, or an option names a column it does not have.

    Examples
    --------
    >>> m.add_layer(patrols, name="Patrols", popup=["unit", "date"], color_by="type")  # doctest: +SKIP
    """

    kind = "frame"
    description = "Any GeoDataFrame (or GIS file) as a layer, styled by a column."

    def __init__(
        self,
        frame: gpd.GeoDataFrame,
        *,
        name: str | None = None,
        color: str = DEFAULT_COLOR,
        color_by: str | None = None,
        tooltip: list[str] | None = None,
        popup: list[str] | None = None,
        date: str | None = None,
        source: str | None = None,
        style: dict[str, Any] | None = None,
        show: bool = True,
    ) -> None:
        if frame.crs is None:
            raise UserError("the GeoDataFrame has no CRS; set one, e.g. frame.set_crs('EPSG:4326')")
        frame = to_wgs84(frame)
        attributes = [c for c in frame.columns if c != frame.geometry.name]
        for option, names in (
            ("color_by", [color_by] if color_by else []),
            ("tooltip", tooltip or []),
            ("popup", popup or []),
            ("date", [date] if date else []),
        ):
            missing = [n for n in names if n not in attributes]
            if missing:
                known = ", ".join(attributes)
                raise UserError(f"{option}: no column {', '.join(map(repr, missing))}; columns: {known}")
        date = date or ("date" if "date" in attributes else None)
        if date is not None and not pd.api.types.is_datetime64_any_dtype(frame[date]):
            try:
                frame = frame.assign(**{date: pd.to_datetime(frame[date], errors="raise")})
            except (ValueError, OverflowError) as error:  # pandas: unparsable or out-of-range dates
                raise UserError(f"date column {date!r}: {first_line(error)}") from None
        super().__init__(frame, name=name or "Layer", show=show)
        self.time_field = date
        self.color, self.color_by, self.source, self.style = color, color_by, source, style or {}
        text_columns = [c for c in attributes if frame[c].dtype == object]
        self.tooltip = tooltip or text_columns[:1] or attributes[:1]
        self.popup = popup or attributes

    @classmethod
    def read(cls, path: str | Path, **options: Any) -> FrameLayer:
        """Any file GeoPandas reads (GeoJSON, GeoPackage, Shapefile, GeoParquet ...) as a layer."""
        from borderrisk.data.readers import geometry_problems, has_geometry, read_gis
        from borderrisk.data.schema import header

        path = Path(path)
        frame = read_gis(path)
        if not has_geometry(frame):
            raise InputError([Problem(str(path), "", "", "has no geometry; a layer needs points, lines or areas")])
        problems = geometry_problems(frame.geometry, str(path))
        if problems:
            raise InputError(problems)
        geometry = frame.geometry.name
        frame.columns = [
            c if c == geometry else n for c, n in zip(frame.columns, header(frame.columns, str(path), ["date"]))
        ]
        options.setdefault("name", path.stem)
        try:
            return cls(frame, **options)
        except InputError:
            raise
        except UserError as error:
            raise InputError([Problem(str(path), "", "", str(error))]) from None

    def _colors(self) -> Categories:
        return Categories.of(self.frame[self.color_by] if self.color_by else [])

    def spec(self, context: DrawContext) -> LayerSpec:
        frame = self.frame
        wanted = list(dict.fromkeys([*self.tooltip, *self.popup, *([self.color_by] if self.color_by else [])]))
        if self.color_by:
            frame = frame.assign(**{self.color_by: frame[self.color_by].astype("string")})
        geometry = (
            points(frame) if (frame.geom_type == "Point").all() and len(frame) else {"geoms": shapes(frame.geometry, 6)}
        )
        title = self.tooltip[0] if self.tooltip else None  # a layer without attributes has none
        spec: LayerSpec = {
            "name": self.name,
            "n": len(frame),
            **geometry,
            "props": columns(frame, [*wanted, "source"]),
            "style": {
                "color": self.color,
                "fillColor": self.color,
                "weight": 2,
                "radius": 5,
                "fillOpacity": 0.6,
                **self.style,
            },
            "tooltip": self.tooltip,
            "popup": {"title": title, "fields": [[c, c] for c in self.popup if c != title]},
            "source": self.source,
        }
        if self.color_by:
            spec["colorBy"] = {"field": self.color_by, "colors": self._colors().colors, "other": OTHER}
        if self.time_field:
            spec["time"] = self.time_field
        return spec

    def legend(self, context: DrawContext = PLAIN) -> Legend:
        shape = "point" if (self.frame.geom_type == "Point").all() else "area"
        if self.color_by and self._colors().colors:
            return Legend(self.name, self._colors().legend(shape, context.language))
        return Legend(self.name, [{"label": self.name, "color": self.color, "shape": shape}])
