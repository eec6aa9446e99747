"""The borders layer: chosen borders drawn exactly, with both lengths and their sources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from borderrisk.language import ENGLISH, N_
from borderrisk.layers.base import PLAIN, DrawContext, Layer, Legend, columns, country_name, labelled, shapes
from borderrisk.layers.spec import LayerSpec
from borderrisk.layers.style import BORDER_STYLE

if TYPE_CHECKING:
    import geopandas as gpd

SOURCE = N_("Natural Earth 1:10m; length measured geodesically on WGS84 by borderrisk")
POPUP_FIELDS = [
    ["length", N_("Length (1:10m line)")],
    ["length_method", N_("Measured as")],
    ["survey", N_("Survey figure")],
]
#: The frame's columns, in order.
COLUMNS = [
    "a",
    "b",
    "name",
    "length_km",
    "label",
    "length",
    "survey_km",
    "survey_source",
    "survey",
    "length_method",
    "source",
    "geometry",
]


class BordersLayer(Layer):
    """Shared land borders at full 1:10m detail, with geodesic and survey lengths.

    Parameters
    ----------
    pairs
        Country pairs, by code or any name, e.g. ``[("ARG", "Bolivia")]``.
    **kwargs
        ``name`` and ``show``, as for :class:`~borderrisk.layers.base.Layer`.
    """

    kind = "borders"
    description = "Chosen land borders, highlighted, with their geodesic and survey lengths."
    default_name = N_("Borders")

    def __init__(self, pairs: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        import geopandas as gpd

        from borderrisk.geo.borders import border

        lines = [border(a, b) for a, b in pairs]
        measured = gpd.GeoDataFrame(
            {
                "a": [line.a for line in lines],
                "b": [line.b for line in lines],
                "length_km": [round(line.length_km, 3) for line in lines],
                "survey_km": [line.survey_km for line in lines],
                "survey_source": [line.survey_source for line in lines],
                "length_method": [line.length_method for line in lines],
            },
            geometry=[line.geometry for line in lines],
            crs="EPSG:4326",
        )
        super().__init__(measured.assign(**_texts(measured, PLAIN))[COLUMNS], **kwargs)
        #: The frame with its texts in another language, by code: (the frame it was written
        #: from, the frame written), so each language is written once for a frame.
        self._written: dict[str, tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]] = {}

    def _shown(self, context: DrawContext) -> gpd.GeoDataFrame:
        """The frame's texts in the map's language (English: as written in ``__init__``)."""
        code = context.language.code
        if code == ENGLISH.code:
            return self.frame
        source, shown = self._written.get(code, (None, None))
        if source is not self.frame:
            shown = self.frame.assign(**_texts(self.frame, context))
            # A new dict, not an update: a copy from with_frame keeps its own.
            self._written = {**self._written, code: (self.frame, shown)}
        return shown

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


def _texts(frame: gpd.GeoDataFrame, context: DrawContext) -> dict[str, list[Any]]:
    """The borders' texts in the map's language: names, lengths with their unit, sources."""
    language = context.language
    names = [f"{country_name(context, a)}–{country_name(context, b)}" for a, b in zip(frame.a, frame.b)]
    lengths = [f"{language.number(km, 1)} km" for km in frame.length_km]
    return {
        "name": names,
        "length": lengths,
        "label": [f"{name}: {length}" for name, length in zip(names, lengths)],
        "survey": [
            None if km is None or km != km else f"{language.number(km)} km ({source})"
            for km, source in zip(frame.survey_km, frame.survey_source)
        ],
        "length_method": [language.gettext(m) for m in frame.length_method],
        "source": [language.gettext(SOURCE)] * len(frame),
    }
