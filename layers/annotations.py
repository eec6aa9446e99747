"""The annotations layer: briefers' notes drawn on the map, with author, time and reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from borderrisk.annotations.store import read_annotations
from borderrisk.language import N_
from borderrisk.layers.base import PLAIN, DrawContext, Layer, Legend, columns, labelled, shapes
from borderrisk.layers.spec import LayerSpec

COLOR = "#00838f"
POPUP_FIELDS = [
    ["note", N_("Note")],
    ["author", N_("Author")],
    ["created", N_("Created")],
    ["updated", N_("Updated")],
    ["severity", N_("Severity (1–5)")],
    ["risk_adjustment", N_("Risk adjustment")],
    ["reason", N_("Reason")],
    ["marking", N_("Marking")],
    ["id", N_("Id")],
]


class AnnotationsLayer(Layer):
    """Annotations from a GeoJSON file kept by ``borderrisk annotate``.

    Parameters
    ----------
    frame
        Annotations as :func:`borderrisk.annotations.store.read_annotations` returns them.
    name, show
        As for :class:`~borderrisk.layers.base.Layer`.
    """

    kind = "annotations"
    description = "Briefers' annotations on border regions (points, stretches, zones, drawn shapes)."
    default_name = N_("Annotations")

    @classmethod
    def read(cls, path: str | Path, **kwargs: Any) -> AnnotationsLayer:
        return cls(read_annotations(path), **kwargs)

    def spec(self, context: DrawContext) -> LayerSpec:
        gettext = context.language.gettext
        frame = self.frame.assign(
            label=[t or gettext("annotation") for t in self.frame["title"]],
            source=[
                gettext("annotation by {author}").format(author=a or gettext("unknown")) for a in self.frame["author"]
            ],
        )
        return {
            "name": self.shown_name(context),
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
            "popup": {"title": "label", "fields": labelled(context, POPUP_FIELDS)},
        }

    def legend(self, context: DrawContext = PLAIN) -> Legend:
        label = context.language.gettext("briefer's annotation")
        return Legend(self.shown_name(context), [{"label": label, "color": COLOR, "shape": "area"}])
