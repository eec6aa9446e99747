"""The risk layer: scored border segments coloured by score, each popup listing its factors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layers.kinds.base import DrawContext, Layer, Legend, columns, shapes
from layers.kinds.spec import LayerSpec
from layers.kinds.style import RISK_LEVEL_COLORS
from layers.risk.config import FACTORS

if TYPE_CHECKING:
    import geopandas as gpd


class RiskLayer(Layer):
    """Border segments scored by :func:`layers.risk.model.score`, coloured by risk class.

    Parameters
    ----------
    scored
        What ``score`` returned; it becomes the layer's frame.
    **kwargs
        ``name`` and ``show``, as for :class:`~layers.kinds.base.Layer`.
    """

    kind = "risk"
    description = "Border segments coloured by risk score, with every factor in the popup."
    default_name = "Risk"

    def __init__(self, scored: gpd.GeoDataFrame, **kwargs: Any) -> None:
        super().__init__(scored, **kwargs)

    def _colors(self) -> dict[str, str]:
        """The colour of each class present, by its level (see :mod:`layers.risk.classes`)."""
        present = self.frame[["level", "risk_class"]].drop_duplicates().sort_values("level")
        return {label: RISK_LEVEL_COLORS[level - 1] for level, label in zip(present.level, present.risk_class)}

    def spec(self, context: DrawContext) -> LayerSpec:
        frame = self.frame.assign(
            label=[
                f"{r.a}–{r.b} km {r.start_km:.0f}–{r.end_km:.0f}: score {r.score:.2f}" for r in self.frame.itertuples()
            ],
            score_text=[f"{s:.2f}" for s in self.frame.score],
            source="borderrisk risk model (see the README); inputs as cited on their layers",
            **_factor_texts(self.frame.factors),
        )
        return {
            "name": self.name,
            "n": len(frame),
            "geoms": shapes(frame.geometry, 5),
            "props": columns(frame, ["label", "risk_class", "score_text", "source", *(f"{f}_text" for f in FACTORS)]),
            "style": {"weight": 9, "opacity": 0.85, "lineCap": "butt", "color": RISK_LEVEL_COLORS[0]},
            "colorBy": {"field": "risk_class", "colors": self._colors(), "other": RISK_LEVEL_COLORS[0]},
            "tooltip": ["label"],
            "popup": {
                "title": "label",
                "fields": [
                    ["score_text", "Score"],
                    ["risk_class", "Risk class"],
                    *([f"{f}_text", f.replace("_", " ")] for f in FACTORS),
                ],
            },
        }

    def legend(self) -> Legend:
        about = self.frame.attrs.get("classes", {}).get("about")
        return Legend(
            f"{self.name} (score per segment{'; ' + about if about else ''})",
            [{"label": label, "color": color, "shape": "line"} for label, color in self._colors().items()],
        )


def _factor_texts(factors: Any) -> dict[str, list[str]]:
    """One column per factor: "+2.00: <explanation>" for each segment."""
    by_name = [{f["name"]: f for f in row} for row in factors]
    return {
        f"{name}_text": [f"{row[name]['contribution']:+.2f}: {row[name]['explanation']}" for row in by_name]
        for name in FACTORS
    }
