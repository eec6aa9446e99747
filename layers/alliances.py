"""The alliances layer: members of alliances and organisations (e.g. ALBA-TCP), shaded."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderrisk.data.readers import read_records
from borderrisk.data.schema import MEMBERSHIPS
from borderrisk.language import N_
from borderrisk.layers.base import PLAIN, DrawContext, Layer, Legend, columns, country_name, labelled, shapes
from borderrisk.layers.spec import LayerSpec
from borderrisk.layers.style import OTHER, Categories

if TYPE_CHECKING:
    import geopandas as gpd

POPUP_FIELDS = [
    ["alliance", N_("Alliance")],
    ["country_name", N_("Country")],
    ["role", N_("Role")],
    ["since", N_("Since")],
    ["note", N_("Note")],
]


class AlliancesLayer(Layer):
    """Memberships. Required columns: ``alliance`` and ``country``; optional ``since``,
    ``role``, ``note``, ``source``.

    Parameters
    ----------
    frame
        Validated membership records (see :meth:`read`).
    name, show
        As for :class:`~borderrisk.layers.base.Layer`.
    """

    kind = "alliances"
    description = "Alliance and organisation memberships, shown as shaded countries with a legend."
    default_name = N_("Alliances")

    def __init__(self, frame: gpd.GeoDataFrame, **kwargs: Any) -> None:
        import geopandas as gpd

        from borderrisk.geo.countries import countries

        world = countries()
        frame = frame.copy()
        frame["country_name"] = world.loc[frame.country, "name"].to_numpy()
        geometry = world.loc[frame.country, "geometry"].to_numpy()
        super().__init__(gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326"), **kwargs)

    @classmethod
    def read(cls, path: str | Path, **kwargs: Any) -> AlliancesLayer:
        """Read and validate a memberships file (CSV, GeoJSON, GeoPackage, GeoParquet)."""
        return cls(read_records(path, MEMBERSHIPS), **kwargs)

    def _colors(self) -> Categories:
        return Categories.of(self.frame.alliance)

    def spec(self, context: DrawContext) -> LayerSpec:
        from borderrisk.geo.countries import generalised

        drawn = generalised("coarse").loc[self.frame.country].geometry
        frame = self.frame.assign(country_name=[country_name(context, code) for code in self.frame.country])
        return {
            "name": self.shown_name(context),
            "n": len(frame),
            "geoms": shapes(drawn, 2),
            "props": columns(frame, ["alliance", "country_name", "role", "since", "note", "source"]),
            "style": {"weight": 1.5, "opacity": 0.9, "fillOpacity": 0.35, "color": OTHER},
            "colorBy": {"field": "alliance", "colors": self._colors().colors, "other": OTHER},
            "tooltip": ["alliance", "country_name"],
            "popup": {"title": "country_name", "fields": labelled(context, POPUP_FIELDS)},
        }

    def legend(self, context: DrawContext = PLAIN) -> Legend:
        return Legend(self.shown_name(context), self._colors().legend("area", context.language))
