"""Colours and symbols, chosen once so every map and legend agrees."""

from __future__ import annotations

from typing import Any

OTHER = "#8c8c8c"

EVENT_TYPE_COLORS = {
    "attack": "#c62828",
    "acquisition": "#ef6c00",
    "agreement signing": "#6a1b9a",
    "visit": "#1565c0",
    "statement": "#546e7a",
    "sanction": "#f9a825",
}

AGREEMENT_STATUS_COLORS = {  # purples: apart from the risk layer's yellow-to-red
    "announced": "#9e9ac8",
    "signed": "#6a51a3",
    "ratified": "#3f007d",
    "in force": "#3f007d",
    "suspended": "#9e9e9e",
    "expired": "#9e9e9e",
    "withdrawn": "#9e9e9e",
}
#: Statuses drawn dashed: not (or no longer) binding.
AGREEMENT_DASHED = ["announced", "suspended", "expired", "withdrawn"]

ALLIANCE_PALETTE = ["#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"]

COUNTRY_STYLE = {"color": "#ffffff", "weight": 0.8, "fillColor": "#f3f1ea", "fillOpacity": 1.0, "opacity": 1.0}
FOCUS_COUNTRY_STYLE = {**COUNTRY_STYLE, "fillColor": "#e9e2cf"}
BORDER_STYLE = {"color": "#212121", "weight": 2.5, "opacity": 0.9}

#: Circle radius in pixels: base + step × severity (1–5); events without severity get ``radius``.
EVENT_RADIUS = {"base": 3, "step": 1.6, "radius": 5}


def colors_for(values: list[str], known: dict[str, str]) -> dict[str, str]:
    """Colours for the values present: the known ones, then the palette, then grey."""
    palette = iter(ALLIANCE_PALETTE)
    return {v: known.get(v) or next(palette, OTHER) for v in dict.fromkeys(values)}


def class_labels(values: Any, classes: list[tuple[float, str, str]]) -> list[str]:
    """The label of the fixed class each value falls in; ``classes`` are (lower bound, label,
    colour) from lowest to highest, so maps of different weeks compare."""
    import numpy as np

    index = np.searchsorted([low for low, _, _ in classes], np.asarray(values, dtype=float), side="right") - 1
    return [classes[i][1] for i in index]
