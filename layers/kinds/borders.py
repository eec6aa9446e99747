"""The borders layer: chosen borders drawn exactly, with both lengths and their sources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from layers.kinds.base import PLAIN, DrawContext, Layer, Legend, columns, country_name, labelled, shapes
from layers.kinds.spec import LayerSpec
from layers.kinds.style import BORDER_STYLE
from layers.language import N_

if TYPE_CHECKING:
    import geopandas as gpd

SOURCE = N_("Natural Earth 1:10m; length measured geodesically on WGS84 by borderrisk")
POPUP_FIELDS = [
    ["length", N_("Length (1:10m line)")],
    ["length_method", N_("Measured as")],
    ["survey", N_("Survey figure")],
]


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
    default_name = N_("Borders")

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
                    "survey_source": line.survey_source,
                    "survey": survey,
                    "length_method": line.length_method,
                    "source": SOURCE,
                    "geometry": line.geometry,
                }
            )
        super().__init__(gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326"), **kwargs)

    def _shown(self, context: DrawContext) -> gpd.GeoDataFrame:
        """The frame's texts in the map's language: names, lengths with their unit, sources."""
        language = context.language
        names = [f"{country_name(context, a)}–{country_name(context, b)}" for a, b in zip(self.frame.a, self.frame.b)]
        lengths = [f"{language.number(km, 1)} km" for km in self.frame.length_km]
        return self.frame.assign(
            name=names,
            length=lengths,
            label=[f"{name}: {length}" for name, length in zip(names, lengths)],
            survey=[
                None if km is None or km != km else f"{language.number(km)} km ({source})"
                for km, source in zip(self.frame.survey_km, self.frame.survey_source)
            ],
            length_method=[language.gettext(m) for m in self.frame.length_method],
            source=language.gettext(SOURCE),
        )

    def spec(self, context: DrawContext) -> LayerSpec:
        frame = self._shown(context)
        return {
            "name": self.shown_name(context),
            "n": len(frame),
            "geoms": shapes(frame.geometry, 5),
            "props": columns(frame, ["name", "label", "length", "survey", "length_method", "source"]),
            "style": BORDER_STYLE,
            "tooltip": ["label"],
            "popup": {"title": "name", "fields": labelled(context, POPUP_FIELDS)},
        }

    def legend(self, context: DrawContext = PLAIN) -> Legend:
        return Legend(
            self.shown_name(context),
            [{"label": label, "color": BORDER_STYLE["color"], "shape": "line"} for label in self._shown(context).label],
        )
