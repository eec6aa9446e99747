"""Colours and symbols, chosen once so every map and legend agrees."""

from __future__ import annotations

from typing import Any

from borderrisk.language import N_

OTHER = "#8c8c8c"

#: Okabe & Ito's colours for colour-vision deficiencies (less black and yellow, which vanish on
#: the map's background): told apart with protanopia, deuteranopia and tritanopia too.
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"]

EVENT_TYPE_COLORS = {
    N_("attack"): "#d55e00",
    N_("acquisition"): "#e69f00",
    N_("agreement signing"): "#cc79a7",
    N_("visit"): "#0072b2",
    N_("statement"): "#56b4e9",
    N_("sanction"): "#009e73",
}
#: borderrisk's own event types (a reader's own vocabulary, e.g. ACLED's, is the data's).
EVENT_TYPES = list(EVENT_TYPE_COLORS)

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


def colors_for(values: list[str], known: dict[str, str]) -> dict[str, str]:
    """Colours for the values present: the known ones, then the palette colours no known value
    took, then grey."""
    values = list(dict.fromkeys(values))
    taken = {known[v] for v in values if v in known}
    palette = iter(c for c in PALETTE if c not in taken)
    return {v: known.get(v) or next(palette, OTHER) for v in values}


def class_labels(values: Any, classes: list[tuple[float, str, str]]) -> list[str]:
    """The label of the fixed class each value falls in; ``classes`` are (lower bound, label,
    colour) from lowest to highest, so maps of different weeks compare."""
    import numpy as np

    index = np.searchsorted([low for low, _, _ in classes], np.asarray(values, dtype=float), side="right") - 1
    return [classes[i][1] for i in index]
