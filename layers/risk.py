"""The risk layer: scored border segments coloured by score, each popup listing its factors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from borderrisk.data.schema import format_date
from borderrisk.language import N_
from borderrisk.language.messages import number, percent, stretch_label, written
from borderrisk.layers.base import PLAIN, DrawContext, Layer, Legend, columns, shapes, terms
from borderrisk.layers.spec import LayerSpec
from borderrisk.layers.style import AGREEMENT_STATUSES, EVENT_TYPES, RISK_LEVEL_COLORS
from borderrisk.risk.assessment import Assessment, classes_of
from borderrisk.risk.classes import RiskClasses
from borderrisk.risk.config import FACTORS
from borderrisk.risk.reasons import counted

if TYPE_CHECKING:
    import geopandas as gpd

#: Each factor's name in popups.
FACTOR_LABELS = {
    "events": N_("events"),
    "country_events": N_("country events"),
    "agreements": N_("agreements"),
    "alliances": N_("alliances"),
    "annotations": N_("annotations"),
}
#: The learned model's forecast for a segment, in its popup.
CHANCE = N_("{percent} chance of at least one event within {km} km next month")
#: A segment's label (its tooltip, its popup's title), with the learned model and without.
LABELS = {True: N_("{stretch}: {percent} chance next month"), False: N_("{stretch}: score {score}")}
SOURCE = N_("borderrisk risk model (see 'The model' in the docs); inputs as cited on their layers")


class RiskLayer(Layer):
    """Border segments scored by :func:`borderrisk.risk.model.score`, coloured by risk class.
    It draws what it is given and never runs the model: :meth:`of` draws an
    :class:`~borderrisk.risk.assessment.Assessment`.

    Parameters
    ----------
    scored
        What ``score`` returned; it becomes the layer's frame.
    trend
        Per-segment scores at each period's end (:func:`borderrisk.risk.trend.trend`), for
        the popups' charts.
    classes
        The classes the levels were drawn from (default: those ``score`` gave ``scored``).
    **kwargs
        ``name`` and ``show``, as for :class:`~borderrisk.layers.base.Layer`.
    """

    kind = "risk"
    description = "Border segments coloured by risk score, with every factor in the popup."
    default_name = N_("Risk")

    def __init__(
        self,
        scored: gpd.GeoDataFrame,
        *,
        trend: pd.DataFrame | None = None,
        classes: RiskClasses | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scored, **kwargs)
        self.trend = trend
        self.classes = classes if classes is not None else classes_of(scored)

    @classmethod
    def of(cls, assessment: Assessment, **kwargs: Any) -> RiskLayer:
        """The layer that draws an assessment's scores, classes and trend."""
        return cls(assessment.scores, trend=assessment.trend, classes=assessment.classes, **kwargs)

    def _classes(self, context: DrawContext) -> list[str]:
        """Each segment's class label in the map's language."""
        if self.classes is None or context.language.code == "en":
            return list(self.frame.risk_class)
        labels = self.classes.labels(context.language)
        return [labels[level] for level in self.frame.level]

    def _colors(self, context: DrawContext) -> dict[str, str]:
        """The colour of each class present, by its level (see :mod:`borderrisk.risk.classes`);
        every probability band, present or not, so two maps' legends read the same."""
        if self.classes is not None and self.classes.mode == "probability":
            labels = self.classes.labels(context.language)
            return {label: RISK_LEVEL_COLORS[level - 1] for level, label in labels.items()}
        present = self.frame.assign(risk_class=self._classes(context))[["level", "risk_class"]]
        present = present.drop_duplicates().sort_values("level")
        return {label: RISK_LEVEL_COLORS[level - 1] for level, label in zip(present.level, present.risk_class)}

    @property
    def learned(self) -> bool:
        """Whether the layer draws the learned model's probabilities (and its bands)."""
        return "probability" in self.frame and self.classes is not None and self.classes.mode == "probability"

    def spec(self, context: DrawContext) -> LayerSpec:
        language = context.language
        learned = _learned_texts(self.frame, self.classes.reach_km, context) if self.learned else {}
        segment = language.gettext(LABELS[bool(learned)])
        frame = self.frame.assign(
            label=[
                segment.format(
                    stretch=stretch_label(r.a, r.b, r.start_km, r.end_km, language),
                    score=language.number(r.score, 2),
                    percent=percent(r.probability, language) if learned else "",
                )
                for r in self.frame.itertuples()
            ],
            score_text=[language.number(s, 2) for s in self.frame.score],
            risk_class=self._classes(context),
            source=language.gettext(SOURCE),
            **_factor_texts(self.frame.factors, context),
            **learned,
        )
        return {
            "name": self.shown_name(context),
            "n": len(frame),
            "geoms": shapes(frame.geometry, 5),
            "props": columns(
                frame, ["label", "risk_class", "score_text", "source", *(f"{f}_text" for f in FACTORS), *learned]
            ),
            "style": {"weight": 9, "opacity": 0.85, "lineCap": "butt", "color": RISK_LEVEL_COLORS[0]},
            "colorBy": {"field": "risk_class", "colors": self._colors(context), "other": RISK_LEVEL_COLORS[0]},
            "tooltip": ["label"],
            "popup": {
                "title": "label",
                "fields": [
                    *zip(learned, [language.gettext("Probability"), language.gettext("Why")] + [""] * len(learned)),
                    ["score_text", language.gettext("Score")],
                    ["risk_class", language.gettext("Risk class")],
                    *([f"{f}_text", language.gettext(FACTOR_LABELS[f])] for f in FACTORS),
                ],
                **self._charts(context),
            },
        }

    def _charts(self, context: DrawContext) -> dict[str, Any]:
        """Each segment's score over the recent periods (a sparkline) and its border's (the
        hottest segment's, a full chart), as numbers the runtime draws as inline SVG."""
        if self.trend is None or self.trend.empty:
            return {}
        keys = ["a", "b", "start_km"]
        wide = self.trend.pivot_table(index=keys, columns="period", values="score", aggfunc="first").round(3)
        border = wide.groupby(level=["a", "b"]).max()
        rows = list(zip(self.frame.a, self.frame.b, self.frame.start_km))
        periods = [format_date(pd.Timestamp(p), "month") for p in wide.columns]
        return {
            "periods": periods,
            "charts": [
                {
                    "label": context.language.gettext("Score by month, this segment"),
                    "full": False,
                    "values": [wide.loc[r].tolist() for r in rows],
                },
                {
                    "label": context.language.gettext("Score by month, whole border (hottest segment)"),
                    "full": True,
                    "values": [border.loc[(a, b)].tolist() for a, b, _ in rows],
                },
            ],
        }

    def legend(self, context: DrawContext = PLAIN) -> Legend:
        language, classes = context.language, self.classes
        name = self.shown_name(context)
        if classes and classes.mode == "probability":
            title = language.gettext("{name} ({about})").format(name=name, about=classes.describe(language))
        elif classes:
            about = classes.describe(language)
            title = language.gettext("{name} (score per segment; {about})").format(name=name, about=about)
        else:
            title = language.gettext("{name} (score per segment)").format(name=name)
        return Legend(
            title, [{"label": label, "color": color, "shape": "line"} for label, color in self._colors(context).items()]
        )


def _factor_texts(factors: Any, context: DrawContext) -> dict[str, list[str]]:
    """One column per factor: "+2.00: <explanation>" for each segment, in the map's language
    (the model's explanations are messages; event types and statuses are borderrisk's words)."""
    language = context.language
    vocabulary = terms(context, [*EVENT_TYPES, *AGREEMENT_STATUSES])
    by_name = [{f["name"]: f for f in row} for row in factors]
    shown = counted if context.share else (lambda explanation: explanation)
    return {
        f"{name}_text": [
            f"{number(row[name]['contribution'], '+.2f', language)}: "
            f"{written(shown(row[name]['explanation']), language, vocabulary)}"
            for row in by_name
        ]
        for name in FACTORS
    }


def _learned_texts(frame: pd.DataFrame, reach_km: float, context: DrawContext) -> dict[str, list[str | None]]:
    """The learned model's columns of the popup, in the map's language: the chance of an event
    within reach next month, and one column per reason (its words and its signed share of the
    probability, "events within 100 km, half-life 30 days: +0.18"); None where a segment has
    fewer reasons (the popup leaves the row out)."""
    language = context.language
    chance = language.gettext(CHANCE)
    km = number(reach_km, "g", language)
    vocabulary = {**terms(context, list(EVENT_TYPES)), **{f: language.gettext(w) for f, w in FACTOR_LABELS.items()}}
    said = [
        [f"{written(r['reason'], language, vocabulary)}: {number(r['share'], '+.2f', language)}" for r in reasons]
        for reasons in frame.reasons
    ]
    return {
        "probability_text": [chance.format(percent=percent(p, language), km=km) for p in frame.probability],
        **{
            f"reason_{i + 1}_text": [texts[i] if i < len(texts) else None for texts in said]
            for i in range(max(map(len, said), default=0))
        },
    }
