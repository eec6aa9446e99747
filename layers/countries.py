"""The countries layer: the base map, drawn from the embedded geometry, so no tiles are needed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from borderrisk.language import N_
from borderrisk.layers.base import DrawContext, Layer, columns, labelled, shapes
from borderrisk.layers.spec import LayerSpec
from borderrisk.layers.style import COUNTRY_STYLE, FOCUS_COUNTRY_STYLE

if TYPE_CHECKING:
    import geopandas as gpd

SOURCE = N_("Natural Earth 1:10m admin-0 countries (public domain)")
POPUP_FIELDS = [["code", N_("Code")], ["official_name", N_("Official name")]]
#: Coordinate decimals per generalisation level: about 1 km and 100 m.
DECIMALS = {"coarse": 2, "fine": 3}


class CountriesLayer(Layer):
    """Every country, generalised for drawing: coarse (≈5 km) for the world, finer (≈1 km)
    for the focus countries and their neighbours. ``frame`` keeps the full 1:10m geometry.

    Parameters
    ----------
    frame
        Countries with ``code``, ``name``, ``official_name`` (default: all of the embedded data).
    **kwargs
        ``name`` and ``show``, as for :class:`~borderrisk.layers.base.Layer`.
    """

    kind = "countries"
    description = "Country outlines and names from the embedded Natural Earth 1:10m data."
    default_name = N_("Countries")

    def __init__(self, frame: gpd.GeoDataFrame | None = None, **kwargs: Any) -> None:
        from borderrisk.geo.countries import countries

        super().__init__(
            frame if frame is not None else countries()[["code", "name", "official_name", "geometry"]], **kwargs
        )

    def spec(self, context: DrawContext) -> LayerSpec:
        from borderrisk.geo.borders import neighbours
        from borderrisk.geo.countries import generalised

        codes = list(self.frame.code)
        detailed = set(context.focus)
        for code in context.focus:
            detailed |= set(neighbours(code).code)
        fine = [c for c in codes if c in detailed]
        coarse = [c for c in codes if c not in detailed]
        geoms = [
            *shapes(generalised("coarse").loc[coarse].geometry, DECIMALS["coarse"]),
            *shapes(generalised("fine").loc[fine].geometry, DECIMALS["fine"]),
        ]
        rows = self.frame.set_index("code", drop=False).loc[coarse + fine]
        rows = rows.assign(
            focus=pd.Series(rows.code.isin(context.focus), index=rows.index).map({True: "focus", False: "context"}),
            name=shown_names(rows, context),
        )
        return {
            "name": self.shown_name(context),
            "n": len(rows),
            "geoms": geoms,
            "props": columns(rows, ["name", "code", "official_name", "focus"]),
            # Over online tiles the base map only outlines countries; alone, it is the map.
            "style": {**COUNTRY_STYLE, "fillOpacity": 0.15, "color": "#555555"} if context.tiles else COUNTRY_STYLE,
            "colorBy": {
                "field": "focus",
                "target": "fill",
                "colors": {"focus": FOCUS_COUNTRY_STYLE["fillColor"]},
                "other": COUNTRY_STYLE["fillColor"],
            },
            "tooltip": ["name"],
            "popup": {"title": "name", "fields": labelled(context, POPUP_FIELDS)},
            "source": context.language.gettext(SOURCE),
        }


def shown_names(frame: gpd.GeoDataFrame, context: DrawContext) -> list[str]:
    """The countries' names in the map's language (by their ISO alpha-2 code)."""
    from borderrisk.geo.countries import countries

    iso2 = countries().iso2.reindex(frame.code)
    return [context.language.country(code, name) for code, name in zip(iso2, frame.name)]
