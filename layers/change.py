"""The change layer: border segments coloured by how much their score rose or fell since a
previous scoring (``score --compare-to``), each popup saying which factor moved most."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from borderrisk.language import N_, Language
from borderrisk.language.messages import number, stretch_label
from borderrisk.layers.base import PLAIN, DrawContext, Layer, Legend, columns, labelled, shapes
from borderrisk.layers.risk import FACTOR_LABELS
from borderrisk.layers.style import class_labels

if TYPE_CHECKING:
    import geopandas as gpd

    from borderrisk.risk.assessment import Assessment

#: Fixed change classes, as the risk layer has fixed score classes: (lower bound, label, colour).
CHANGE_CLASSES = [
    (-np.inf, N_("fell by 1 or more"), "#2166ac"),
    (-1.0, N_("fell 0.25 – 1"), "#67a9cf"),
    (-0.25, N_("steady (within ±0.25)"), "#bdbdbd"),
    (0.25, N_("rose 0.25 – 1"), "#ef8a62"),
    (1.0, N_("rose by 1 or more"), "#b2182b"),
]

FIELDS = [["compared_with", N_("Compared with")], ["scores_text", N_("Score")], ["moved_text", N_("Moved most")]]


class ChangeLayer(Layer):
    """Scored segments with ``previous_score``, ``change`` and ``moved`` (see
    :func:`borderrisk.risk.compare.compare`) as the frame."""

    kind = "change"
    description = "Border segments coloured by the rise or fall of their risk score since an earlier date."
    default_name = N_("Change")

    def __init__(self, compared: gpd.GeoDataFrame, *, since_label: str = "before", **kwargs: Any) -> None:
        kwargs.setdefault("show", False)
        super().__init__(compared, **kwargs)
        self.since_label = since_label

    @classmethod
    def of(cls, assessment: Assessment, **kwargs: Any) -> ChangeLayer:
        """The layer that draws an assessment's comparison (``ValueError`` if it has none)."""
        if assessment.comparison is None:
            raise ValueError("this assessment compares with no earlier scoring: assess it with compare_to")
        return cls(assessment.comparison, since_label=assessment.compared_with or "before", **kwargs)

    def spec(self, context: DrawContext) -> dict[str, Any]:
        language = context.language
        gettext = language.gettext

        def shown(value: float, spec: str = ".2f") -> str:
            return number(value, spec, language)

        rows = list(self.frame.itertuples())
        frame = self.frame.assign(
            change_class=[gettext(label) for label in class_labels(self.frame.change, CHANGE_CLASSES)],
            label=[
                f"{stretch_label(r.a, r.b, r.start_km, r.end_km, language)}: {shown(r.change, '+.2f')}" for r in rows
            ],
            scores_text=[f"{shown(r.previous_score)} → {shown(r.score)}" for r in rows],
            moved_text=[
                f"{gettext(FACTOR_LABELS.get(r.moved, r.moved))} ({shown(r.moved_by, '+.2f')})"
                if isinstance(r.moved, str)
                else gettext("no factor moved")
                for r in rows
            ],
            compared_with=self.shown_since(language),
            source=gettext("borderrisk risk model, scored twice (see 'The model' in the docs)"),
        )
        return {
            "name": self.shown_name(context),
            "n": len(frame),
            "geoms": shapes(frame.geometry, 5),
            "props": columns(frame, ["label", "change_class", "scores_text", "moved_text", "compared_with", "source"]),
            "style": {"weight": 9, "opacity": 0.85, "lineCap": "butt", "color": CHANGE_CLASSES[2][2]},
            "colorBy": {
                "field": "change_class",
                "colors": {gettext(label): color for _, label, color in CHANGE_CLASSES},
                "other": CHANGE_CLASSES[2][2],
            },
            "tooltip": ["label"],
            "popup": {
                "title": "label",
                "fields": labelled(context, FIELDS),
            },
        }

    def legend(self, context: DrawContext = PLAIN) -> Legend:
        gettext = context.language.gettext
        present = set(class_labels(self.frame.change, CHANGE_CLASSES))
        return Legend(
            gettext("{name} (score since {since})").format(
                name=self.shown_name(context), since=self.shown_since(context.language)
            ),
            [
                {"label": gettext(label), "color": color, "shape": "line"}
                for _, label, color in CHANGE_CLASSES
                if label in present
            ],
        )

    def shown_since(self, language: Language) -> str:
        """The earlier scoring's date (or first..last window) with its dates in ``language``."""
        return "..".join(_day(part, language) for part in self.since_label.split(".."))


def _day(text: str, language: Language) -> str:
    try:
        return language.date(date.fromisoformat(text))
    except ValueError:
        return text
