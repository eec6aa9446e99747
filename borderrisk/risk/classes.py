"""Risk classes: how segment scores become the levels 1–5 that ``score`` reports and the map
colours, set in ``[classes]`` of ``risk.toml``.

- ``mode = "quantile"`` (the default): the breaks are the 20/40/60/80 % quantiles of the scores
  being classed, so segments spread over the levels whatever the volume of the data (a year of
  ACLED for one country scores every segment far above any fixed break). Level 5 is the hottest
  fifth of this map's segments; a level says how a segment compares with the others here.
  A break is kept only where the scores differ enough to rank: it must lie at least
  ``min_step`` (a share of the highest score) above the break below it and below the highest
  score. The first break may be the lowest score itself when segments tie there and the next
  score is that far above it: segments scored only from events located to their country (8.75
  on a GDELT map whose others reach 20.65) are a class of their own. Otherwise two levels are
  one class, so no class is empty, and the legend says why: the coolest class is level 1, the
  hottest level 5, and one between them has the level of its middle quantile (a 20–60 % class
  is level 3). Scores too alike for any break (66.8 to 69.5, all from country-level rows) are
  classed by the fixed breaks instead, and the legend says so.
- ``mode = "fixed"``: the ``breaks`` as given, the same every week, so maps compare over time.
- ``"probability"`` (not a config mode: the learned model's, :meth:`RiskClasses.bands`): fixed
  bands of the probability of an event within reach next month (:data:`PROBABILITY_BANDS`), so
  a colour means the same chance on every map.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from borderrisk.language import ENGLISH, N_, Language
from borderrisk.language.messages import number

MODES = ("quantile", "fixed")
QUANTILES = (0.2, 0.4, 0.6, 0.8)
#: The learned model's bands: under 5 %, 5–15 %, 15–35 %, 35–60 %, 60 % and over (why these:
#: docs/model.md, "Bands").
PROBABILITY_BANDS = (0.05, 0.15, 0.35, 0.60)
#: Why a map has fewer than five quantile classes, or fixed ones though it asked for quantiles.
FEWER, ALIKE = "fewer", "alike"


@dataclass(frozen=True)
class RiskClasses:
    """Breaks between classes, the level (1–5) of each class, and why they are so.

    Parameters
    ----------
    mode
        ``"quantile"`` (breaks from the scores) or ``"fixed"`` (breaks from the config).
    breaks
        Increasing scores between classes: four for five classes, fewer where quantiles were
        too close to rank.
    ranks
        The level of each class, lowest first (default: 1, 2, ... one more than the breaks).
    why
        ``"fewer"`` (quantile breaks dropped), ``"alike"`` (no quantile break kept: fixed
        breaks instead) or None.
    step, low, high
        The smallest difference ranked, and the lowest and highest scores, for the legend.
    reach_km
        For probability bands: the reach of the event whose chance they class.
    """

    mode: str
    breaks: tuple[float, ...]
    ranks: tuple[int, ...] = ()
    why: str | None = None
    step: float = 0.0
    low: float = 0.0
    high: float = 0.0
    reach_km: float = 0.0

    def __post_init__(self) -> None:
        if not self.ranks:
            object.__setattr__(self, "ranks", tuple(range(1, len(self.breaks) + 2)))

    @classmethod
    def for_scores(cls, scores: Any, section: dict[str, Any]) -> RiskClasses:
        """The classes a config's ``[classes]`` section asks for, for these scores."""
        fixed = tuple(float(b) for b in section["breaks"])
        if section["mode"] == "fixed":
            return cls("fixed", fixed)
        values = np.asarray(scores, dtype=float)
        if not len(values):
            return cls("fixed", fixed)
        low, high = float(values.min()), float(values.max())
        step = float(section["min_step"]) * max(abs(low), abs(high))
        # Breaks are scores of segments (not values between them), so every class holds one.
        candidates = np.quantile(values, QUANTILES, method="inverted_cdf")
        kept: list[tuple[float, float]] = []
        for share, score in zip(QUANTILES, candidates):
            below = kept[-1][1] if kept else low
            if (_apart(below, score, step) or _bottom_tie(values, score, step, kept)) and _apart(score, high, step):
                kept.append((share, float(score)))
        if not kept:
            return cls("fixed", fixed, why=ALIKE, step=step, low=low, high=high)
        edges = [0.0, *(share for share, _ in kept), 1.0]
        # The coolest class is level 1 and the hottest level 5; a class between them has the
        # level its middle quantile falls in (20-60 % is level 3).
        middles = [int((a + b) / 2 / 0.2 + 1e-9) + 1 for a, b in itertools.pairwise(edges)][1:-1]
        ranks = (1, *middles, 5)
        why = FEWER if len(kept) < len(QUANTILES) else None
        return cls("quantile", tuple(score for _, score in kept), ranks, why, step, low, high)

    @classmethod
    def bands(cls, reach_km: float) -> RiskClasses:
        """The learned model's fixed probability bands (:data:`PROBABILITY_BANDS`)."""
        return cls("probability", PROBABILITY_BANDS, reach_km=float(reach_km))

    @classmethod
    def from_attrs(cls, attrs: dict[str, Any]) -> RiskClasses:
        """The classes as :func:`classified` kept them in a frame's ``attrs``."""
        return cls(**{**attrs, "breaks": tuple(attrs["breaks"]), "ranks": tuple(attrs.get("ranks", ()))})

    def levels(self, scores: Any) -> np.ndarray:
        """Level 1–5 of each score. A fixed break starts its level ("4 and above"); a quantile
        ends the level below it (the lowest fifth is "up to" the 20 % quantile), so segments
        that tie at the bottom, such as many zeros, stay in level 1."""
        side = "left" if self.mode == "quantile" else "right"
        index = np.searchsorted(np.asarray(self.breaks), np.asarray(scores, dtype=float), side=side)
        return np.asarray(self.ranks)[index]

    def labels(self, language: Language = ENGLISH) -> dict[int, str]:
        """The label of each class by its level (in ``language``, e.g. "0,50 – 1,20" in Spanish)."""
        b = [_number(x, self.mode, language) for x in self.breaks]
        if self.mode == "probability":
            b = [f"{number(100 * x, 'g', language)} %" for x in self.breaks]
        low, high = (
            (N_("up to {0}"), N_("above {0}")) if self.mode == "quantile" else (N_("below {0}"), N_("{0} and above"))
        )
        middle = [f"{x} – {y}" for x, y in itertools.pairwise(b)]
        texts = [language.gettext(low).format(b[0]), *middle, language.gettext(high).format(b[-1])]
        return dict(zip(self.ranks, texts))

    def describe(self, language: Language = ENGLISH) -> str:
        """What the levels mean, and why there are fewer, for a legend's title."""
        if self.mode == "probability":
            text = language.gettext("probability of an event within {km} km next month")
            return text.format(km=number(self.reach_km, "g", language))
        if self.why == ALIKE and self.low == self.high:
            text = language.gettext("fixed breaks: every segment scores {score}, so none ranks above another")
            return text.format(score=language.number(self.low, 2))
        if self.why == ALIKE:
            text = language.gettext("fixed breaks: the scores ({low} to {high}) are too alike to rank")
            return text.format(low=language.number(self.low, 2), high=language.number(self.high, 2))
        if self.why == FEWER:
            text = language.gettext("relative, {count} classes: scores less than {step} apart are not ranked")
            return text.format(count=len(self.ranks), step=language.number(self.step, 2))
        if self.mode == "quantile":
            return language.gettext("relative: level 5 is the hottest fifth of the segments on this map")
        return language.gettext("fixed breaks, comparable from map to map")


def _bottom_tie(values: np.ndarray, score: float, step: float, kept: list[Any]) -> bool:
    """Whether ``score`` is the lowest score, tied by a quantile's share of the segments, and
    the next score above it differs enough to be ranked apart: then the tie is a class."""
    above = values[values > score]
    return not kept and score == values.min() and len(above) > 0 and _apart(score, float(above.min()), step)


def _apart(lower: float, upper: float, step: float) -> bool:
    """Whether two scores differ enough to be ranked apart (and differ at all)."""
    return upper > lower and upper - lower >= step


def classified(
    scored: pd.DataFrame, section: dict[str, Any], classes: RiskClasses | None = None, by: str = "score"
) -> pd.DataFrame:
    """``scored`` with each segment's ``level`` and ``risk_class`` (its label), and what the
    classes are in ``attrs["classes"]``, for the map's legend: the config ``section``'s classes
    of the scores, or the ``classes`` given of the column ``by`` (the learned probability)."""
    classes = classes or RiskClasses.for_scores(scored[by], section)
    levels = classes.levels(scored[by])
    labels = classes.labels()
    result = scored.assign(level=levels, risk_class=[labels[level] for level in levels])
    kept = {**asdict(classes), "breaks": list(classes.breaks), "ranks": list(classes.ranks)}
    result.attrs = {**scored.attrs, "classes": kept}
    return result


def _number(value: float, mode: str, language: Language) -> str:
    """A quantile break with two decimals, a fixed one as the config wrote it."""
    return number(value, ".2f" if mode == "quantile" else "g", language)


def check_classes(section: dict[str, Any], file: str) -> str | None:
    """The problem with a ``[classes]`` section, or None."""
    if section["mode"] not in MODES:
        return f"{file}: classes.mode must be 'quantile' or 'fixed', got {section['mode']!r}"
    breaks = section["breaks"]
    numbers = all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in breaks)
    if len(breaks) != 4 or not numbers or any(a >= b for a, b in itertools.pairwise(breaks)):
        return f"{file}: classes.breaks must be 4 increasing numbers, got {breaks!r}"
    if not 0 <= section["min_step"] < 1:
        return f"{file}: classes.min_step must be from 0 to below 1, got {section['min_step']!r}"
    return None
