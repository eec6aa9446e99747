"""The risk layer: scored border segments coloured by score, each popup listing its factors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from layers.kinds.base import DrawContext, Layer, Legend, columns, shapes
from layers.kinds.spec import LayerSpec
from layers.risk.config import FACTORS

if TYPE_CHECKING:
    import geopandas as gpd

#: Fixed score classes, so maps of different weeks compare: (lower bound, label, colour).
CLASSES = [
    (-np.inf, "below 0.5", "#ffffb2"),
    (0.5, "0.5 – 1", "#fecc5c"),
    (1.0, "1 – 2", "#fd8d3c"),
    (2.0, "2 – 4", "#f03b20"),
    (4.0, "4 and above", "#bd0026"),
]


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

    def _classes(self) -> list[str]:
        bounds = [low for low, _, _ in CLASSES]
        index = np.searchsorted(bounds, self.frame.score.to_numpy(), side="right") - 1
        return [CLASSES[i][1] for i in index]

    def spec(self, context: DrawContext) -> LayerSpec:
        frame = self.frame.assign(
            risk_class=self._classes(),
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
            "style": {"weight": 9, "opacity": 0.85, "lineCap": "butt", "color": CLASSES[0][2]},
            "colorBy": {
                "field": "risk_class",
                "colors": {label: color for _, label, color in CLASSES},
                "other": CLASSES[0][2],
            },
            "tooltip": ["label"],
            "popup": {
                "title": "label",
                "fields": [["score_text", "Score"], *([f"{f}_text", f.replace("_", " ")] for f in FACTORS)],
            },
        }

    def legend(self) -> Legend:
        present = set(self._classes())
        return Legend(
            f"{self.name} (score per segment)",
            [{"label": label, "color": color, "shape": "line"} for _, label, color in CLASSES if label in present],
        )


def _factor_texts(factors: Any) -> dict[str, list[str]]:
    """One column per factor: "+2.00: <explanation>" for each segment."""
    by_name = [{f["name"]: f for f in row} for row in factors]
    return {
        f"{name}_text": [f"{row[name]['contribution']:+.2f}: {row[name]['explanation']}" for row in by_name]
        for name in FACTORS
    }
