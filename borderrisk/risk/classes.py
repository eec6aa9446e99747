"""Risk classes: how segment scores become the five levels that ``score`` reports and the map
colours, set in ``[classes]`` of ``risk.toml``.

- ``mode = "quantile"`` (the default): the breaks are the 20/40/60/80 % quantiles of the scores
  being classed, so segments spread over the levels whatever the volume of the data (a year of
  ACLED for one country scores every segment far above any fixed break). Level 5 is the hottest
  fifth of this map's segments; a level says how a segment compares with the others here.
  Scores that hardly vary (fewer than three distinct values) cannot be ranked, and are classed
  by the fixed breaks instead.
- ``mode = "fixed"``: the ``breaks`` as given, the same every week, so maps compare over time.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from borderrisk.language import ENGLISH, N_, Language
from borderrisk.language.messages import number

MODES = ("quantile", "fixed")
QUANTILES = (0.2, 0.4, 0.6, 0.8)
#: Fewer distinct scores than this cannot be ranked into classes: fixed breaks class them.
MIN_DISTINCT = 3


@dataclass(frozen=True)
class RiskClasses:
    """Four breaks between five levels, and how they were chosen.

    Parameters
    ----------
    mode
        ``"quantile"`` (breaks from the scores) or ``"fixed"`` (breaks from the config).
    breaks
        Four increasing scores between levels 1–2, 2–3, 3–4 and 4–5.
    """

    mode: str
    breaks: tuple[float, ...]

    @classmethod
    def for_scores(cls, scores: Any, section: dict[str, Any]) -> RiskClasses:
        """The classes a config's ``[classes]`` section asks for, for these scores."""
        values = np.asarray(scores, dtype=float)
        if section["mode"] == "quantile" and len(np.unique(values)) >= MIN_DISTINCT:
            return cls("quantile", tuple(float(q) for q in np.quantile(values, QUANTILES)))
        return cls("fixed", tuple(float(b) for b in section["breaks"]))

    def levels(self, scores: Any) -> np.ndarray:
        """Level 1–5 of each score. A fixed break starts its level ("4 and above"); a quantile
        ends the level below it (the lowest fifth is "up to" the 20 % quantile), so segments
        that tie at the bottom, such as many zeros, stay in level 1."""
        side = "left" if self.mode == "quantile" else "right"
        return np.searchsorted(np.asarray(self.breaks), np.asarray(scores, dtype=float), side=side) + 1

    def labels(self, language: Language = ENGLISH) -> list[str]:
        """The label of each level, 1 to 5 (in ``language``, e.g. "0,50 – 1,20" in Spanish)."""
        b = [_number(x, self.mode, language) for x in self.breaks]
        low, high = (
            (N_("up to {0}"), N_("above {0}")) if self.mode == "quantile" else (N_("below {0}"), N_("{0} and above"))
        )
        middle = [f"{b[0]} – {b[1]}", f"{b[1]} – {b[2]}", f"{b[2]} – {b[3]}"]
        return [language.gettext(low).format(b[0]), *middle, language.gettext(high).format(b[3])]

    def describe(self, language: Language = ENGLISH) -> str:
        """What the levels mean, for a legend's title."""
        if self.mode == "quantile":
            return language.gettext("relative: level 5 is the hottest fifth of the segments on this map")
        return language.gettext("fixed breaks, comparable from map to map")


def classified(scored: pd.DataFrame, section: dict[str, Any]) -> pd.DataFrame:
    """``scored`` with each segment's ``level`` and ``risk_class`` (its label), and what the
    classes are in ``attrs["classes"]``, for the map's legend."""
    classes = RiskClasses.for_scores(scored["score"], section)
    levels = classes.levels(scored["score"])
    labels = classes.labels()
    result = scored.assign(level=levels, risk_class=[labels[level - 1] for level in levels])
    result.attrs = {
        **scored.attrs,
        "classes": {"mode": classes.mode, "breaks": list(classes.breaks)},
    }
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
    return None
