"""Colours and symbols, chosen once so every map and legend agrees."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from borderrisk.language import N_, Language
from borderrisk.language.vocabulary import READ_EVENT_TYPES

#: Okabe & Ito's colours for colour-vision deficiencies, less yellow (it vanishes on the map's
#: light land): seven that are told apart with protanopia, deuteranopia and tritanopia too.
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000"]
#: The eighth colour, for "other": a dark grey, since a mid grey comes within ΔE 10 of the
#: green and the pink with deuteranopia (tests/test_colors.py).
OTHER = "#555555"

EVENT_TYPE_COLORS = {
    N_("attack"): "#d55e00",
    N_("acquisition"): "#e69f00",
    N_("agreement signing"): "#cc79a7",
    N_("visit"): "#0072b2",
    N_("statement"): "#56b4e9",
    N_("sanction"): "#009e73",
}
#: borderrisk's own event types, shown in the map's language: the scenario's and those its
#: readers write (ACLED's, UCDP's, GDELT's); a type of a user's own file is the data's.
EVENT_TYPES = list(dict.fromkeys([*EVENT_TYPE_COLORS, *READ_EVENT_TYPES]))

AGREEMENT_STATUS_COLORS = {  # purples: apart from the risk layer's yellow-to-red
    N_("announced"): "#9e9ac8",
    N_("signed"): "#6a51a3",
    N_("ratified"): "#3f007d",
    N_("in force"): "#3f007d",
    N_("suspended"): "#9e9e9e",
    N_("expired"): "#9e9e9e",
    N_("withdrawn"): "#9e9e9e",
}
#: Statuses drawn dashed: not (or no longer) binding.
AGREEMENT_DASHED = ["announced", "suspended", "expired", "withdrawn"]
AGREEMENT_STATUSES = list(AGREEMENT_STATUS_COLORS)

#: Risk levels 1–5, light to dark (ColorBrewer YlOrRd, readable with colour-vision deficiencies).
RISK_LEVEL_COLORS = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]

COUNTRY_STYLE = {"color": "#ffffff", "weight": 0.8, "fillColor": "#f3f1ea", "fillOpacity": 1.0, "opacity": 1.0}
FOCUS_COUNTRY_STYLE = {**COUNTRY_STYLE, "fillColor": "#e9e2cf"}
BORDER_STYLE = {"color": "#212121", "weight": 2.5, "opacity": 0.9}

#: Circle radius in pixels: base + step × severity (1–5); events without severity get ``radius``.
EVENT_RADIUS = {"base": 3, "step": 1.6, "radius": 5}


@dataclass(frozen=True)
class Categories:
    """The colours of a layer's categories (event types, alliances, a column's values), at most
    eight that stay apart and none shared: up to eight categories each have their own; beyond
    that the seven commonest have one and the rest are grey, "other" (their popups still name
    them). Known categories (borderrisk's own event types) keep their colour when they have one.

    ``colors`` maps each coloured category to its colour, commonest first; ``others`` are the
    categories drawn as "other".
    """

    colors: dict[str, str]
    others: tuple[str, ...] = ()

    @classmethod
    def of(cls, values: Iterable[Any], known: Mapping[str, str] | None = None) -> Categories:
        """The categories of ``values`` (one per feature, so the commonest can be told)."""
        counts = Counter(str(v) for v in values if isinstance(v, str) or pd.notna(v))
        ranked = sorted(counts, key=lambda v: (-counts[v], v))
        kept = ranked if len(ranked) <= len(PALETTE) + 1 else ranked[: len(PALETTE)]
        known = {v: c for v, c in (known or {}).items() if v in kept}
        free = iter(c for c in PALETTE if c not in known.values())
        return cls({v: known.get(v) or next(free, OTHER) for v in kept}, tuple(ranked[len(kept) :]))

    def renamed(self, names: Mapping[str, str]) -> Categories:
        """The same colours, each category as the map writes it (``names``, else as it is)."""
        return Categories({names.get(v, v): c for v, c in self.colors.items()}, self.others)

    def legend(self, shape: str, language: Language) -> list[dict[str, Any]]:
        """Legend items: each coloured category, then "other" with how many it holds."""
        items = [{"label": label, "color": color, "shape": shape} for label, color in self.colors.items()]
        if self.others:
            label = language.gettext("other ({count} more)").format(count=len(self.others))
            items.append({"label": label, "color": OTHER, "shape": shape})
        return items


def class_labels(values: Any, classes: list[tuple[float, str, str]]) -> list[str]:
    """The label of the fixed class each value falls in; ``classes`` are (lower bound, label,
    colour) from lowest to highest, so maps of different weeks compare."""
    import numpy as np

    index = np.searchsorted([low for low, _, _ in classes], np.asarray(values, dtype=float), side="right") - 1
    return [classes[i][1] for i in index]
