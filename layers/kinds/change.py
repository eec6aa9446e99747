"""The change layer: border segments coloured by how much their score rose or fell since a
previous scoring (``score --compare-to``), each popup saying which factor moved most."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from layers.kinds.base import DrawContext, Layer, Legend, columns, shapes
from layers.kinds.style import class_labels

if TYPE_CHECKING:
    import geopandas as gpd

    from layers.risk.config import RiskConfig

#: Fixed change classes, as the risk layer has fixed score classes: (lower bound, label, colour).
CHANGE_CLASSES = [
    (-np.inf, "fell by 1 or more", "#2166ac"),
    (-1.0, "fell 0.25 – 1", "#67a9cf"),
    (-0.25, "steady (within ±0.25)", "#bdbdbd"),
    (0.25, "rose 0.25 – 1", "#ef8a62"),
    (1.0, "rose by 1 or more", "#b2182b"),
]


class ChangeLayer(Layer):
    """Scored segments with ``previous_score``, ``change`` and ``moved`` (see
    :func:`layers.risk.compare.compare`) as the frame."""

    kind = "change"
    description = "Border segments coloured by the rise or fall of their risk score since an earlier date."
    default_name = "Change"

    def __init__(self, compared: gpd.GeoDataFrame, *, since_label: str = "before", **kwargs: Any) -> None:
        kwargs.setdefault("show", False)
        super().__init__(compared, **kwargs)
        self.since_label = since_label

    @classmethod
    def against(
        cls,
        scored: gpd.GeoDataFrame,
        frames: dict[str, Any],
        window: tuple[date | None, date],
        *,
        focus: tuple[str, ...],
        where: Any = None,
        config: RiskConfig | None = None,
    ) -> ChangeLayer:
        """The change of ``scored`` since the scoring of ``window``: ``(None, day)`` as of that
        day, or ``(first, last)`` the events of that window as of its last day."""
        from layers.risk.compare import compare
        from layers.risk.model import score

        since, until = window
        previous = score(**frames, focus=focus, as_of=until, since=since, until=until, where=where, config=config)
        label = f"{since.isoformat()}..{until.isoformat()}" if since else until.isoformat()
        return cls(compare(scored, previous), since_label=label)

    def spec(self, context: DrawContext) -> dict[str, Any]:
        frame = self.frame.assign(
            change_class=class_labels(self.frame.change, CHANGE_CLASSES),
            label=[f"{r.a}–{r.b} km {r.start_km:.0f}–{r.end_km:.0f}: {r.change:+.2f}" for r in self.frame.itertuples()],
            scores_text=[f"{r.previous_score:.2f} → {r.score:.2f}" for r in self.frame.itertuples()],
            moved_text=[
                f"{r.moved} ({r.moved_by:+.2f})" if isinstance(r.moved, str) else "no factor moved"
                for r in self.frame.itertuples()
            ],
            compared_with=self.since_label,
            source="borderrisk risk model, scored twice (see the README)",
        )
        return {
            "name": self.name,
            "n": len(frame),
            "geoms": shapes(frame.geometry, 5),
            "props": columns(frame, ["label", "change_class", "scores_text", "moved_text", "compared_with", "source"]),
            "style": {"weight": 9, "opacity": 0.85, "lineCap": "butt", "color": CHANGE_CLASSES[2][2]},
            "colorBy": {
                "field": "change_class",
                "colors": {label: color for _, label, color in CHANGE_CLASSES},
                "other": CHANGE_CLASSES[2][2],
            },
            "tooltip": ["label"],
            "popup": {
                "title": "label",
                "fields": [["compared_with", "Compared with"], ["scores_text", "Score"], ["moved_text", "Moved most"]],
            },
        }

    def legend(self) -> Legend:
        present = set(class_labels(self.frame.change, CHANGE_CLASSES))
        return Legend(
            f"{self.name} (score since {self.since_label})",
            [
                {"label": label, "color": color, "shape": "line"}
                for _, label, color in CHANGE_CLASSES
                if label in present
            ],
        )
