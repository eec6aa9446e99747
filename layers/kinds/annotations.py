"""The annotations layer: briefers' notes drawn on the map, with author, time and reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from layers.annotations.store import read_annotations
from layers.kinds.base import DrawContext, Layer, Legend, columns, shapes
from layers.kinds.spec import LayerSpec

COLOR = "#00838f"
POPUP_FIELDS = [
    ["note", "Note"],
    ["author", "Author"],
    ["created", "Created"],
    ["updated", "Updated"],
    ["severity", "Severity (1–5)"],
    ["risk_adjustment", "Risk adjustment"],
    ["reason", "Reason"],
    ["marking", "Marking"],
    ["id", "Id"],
]


class AnnotationsLayer(Layer):
    """Annotations from a GeoJSON file kept by ``borderrisk annotate``.

    Parameters
    ----------
    frame
        Annotations as :func:`layers.annotations.store.read_annotations` returns them.
    name, show
        As for :class:`~layers.kinds.base.Layer`.
    """

    kind = "annotations"
    description = "Briefers' annotations on border regions (points, stretches, zones, drawn shapes)."
    default_name = "Annotations"

    @classmethod
    def read(cls, path: str | Path, **kwargs: Any) -> AnnotationsLayer:
        return cls(read_annotations(path), **kwargs)

    def spec(self, context: DrawContext) -> LayerSpec:
        frame = self.frame.assign(
            label=[t or "annotation" for t in self.frame["title"]],
            source=[f"annotation by {a or 'unknown'}" for a in self.frame["author"]],
        )
        return {
            "name": self.name,
            "n": len(frame),
            "geoms": shapes(frame.geometry, 6),
            "props": columns(frame, ["label", "source", *(f for f, _ in POPUP_FIELDS)]),
            "style": {
                "color": COLOR,
                "weight": 4,
                "opacity": 0.9,
                "fillColor": COLOR,
                "fillOpacity": 0.15,
                "dashArray": "2 6",
                "radius": 7,
            },
            "tooltip": ["label"],
            "popup": {"title": "label", "fields": POPUP_FIELDS},
        }

    def legend(self) -> Legend:
        return Legend(self.name, [{"label": "briefer's annotation", "color": COLOR, "shape": "area"}])
