"""Events paired with the border segments they are near, and each event's weight: the part of
the risk model that every engine runs, on all events at once or partition by partition."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from layers.data.schema import format_date

if TYPE_CHECKING:
    import geopandas as gpd

    from layers.risk.config import RiskConfig


def known_by(frame: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Rows dated on or before the as-of date (undated rows count as known)."""
    if "date" not in frame:
        return frame
    return frame[frame["date"].isna() | (frame["date"] <= pd.Timestamp(as_of))]


def country_codes(names: list[str]) -> set[str]:
    from geo.countries import resolve

    return {resolve(name).code for name in names}


def event_weights(events: pd.DataFrame, config: RiskConfig, as_of: date) -> np.ndarray:
    """Each event's weight before distance: type × severity × age decay × watch multiplier."""
    from geo.countries import resolve
    from geo.text import fold

    cfg = config["events"]
    types = cfg["type_weights"]
    type_w = np.array([types.get(t, types.get("other", 0.0)) for t in events["type"]], dtype=float)
    severity = events["severity"] if "severity" in events else pd.Series(np.nan, index=events.index)
    severity = severity.astype(float).fillna(cfg["default_severity"]).to_numpy() / 3.0
    age_days = (pd.Timestamp(as_of) - events["date"]).dt.days.to_numpy(dtype=float)
    decay = 0.5 ** (age_days / float(cfg["half_life_days"]))
    watched_countries = country_codes(config["watchlist"]["countries"])
    watched_names = {fold(a) for a in config["watchlist"]["actors"]}
    for code in watched_countries:
        watched_names |= {fold(code), fold(resolve(code).name)}
    actors = events["actors"] if "actors" in events else pd.Series([None] * len(events), index=events.index)
    country = events["country"] if "country" in events else pd.Series([None] * len(events), index=events.index)
    watched = np.array(
        [
            (c in watched_countries) or any(fold(a) in watched_names for a in (acts or []))
            for acts, c in zip(actors, country)
        ]
    )
    return type_w * severity * decay * np.where(watched, float(cfg["watch_multiplier"]), 1.0)


def event_descriptions(events: pd.DataFrame, rows: np.ndarray) -> dict[int, str]:
    """:func:`_describe_event` for the rows with these index labels."""
    chosen = events.loc[rows]
    if "date_precision" not in chosen:
        chosen = chosen.assign(date_precision="day")
    return dict(zip(rows.tolist(), (describe_event(row) for row in chosen.itertuples())))


def describe_event(row: Any) -> str:
    when = format_date(row.date, getattr(row, "date_precision", "day")) if pd.notna(row.date) else "undated"
    return f"{row.title} ({when}, {row.type})"


def located(events: pd.DataFrame) -> pd.Series:
    if "location_precision" not in events:
        return pd.Series(True, index=events.index)
    return events["location_precision"].fillna("exact") != "country"


def event_pairs(events: gpd.GeoDataFrame, segments: gpd.GeoDataFrame, config: RiskConfig, as_of: date) -> pd.DataFrame:
    """Every (located, known) event within reach of a segment: ``segment``, ``row`` (the event's
    index label, its position in the input), ``km`` and its weighted contribution ``value``.
    Works on any slice of the events, so engines can run it partition by partition."""
    from geo.geodesy import distances_to_lines_km

    cfg = config["events"]
    reach = float(cfg["distance_km"])
    known = known_by(events[located(events)], as_of)
    if known.empty:
        return pd.DataFrame(
            {"segment": np.zeros(0, "int64"), "row": np.zeros(0, "int64"), "km": np.zeros(0), "value": np.zeros(0)}
        )
    base = float(cfg["weight"]) * event_weights(known, config, as_of)
    point, segment, km = distances_to_lines_km(
        known.geometry.x.to_numpy(), known.geometry.y.to_numpy(), segments.geometry.to_numpy(), reach
    )
    nearness = 1.0 - km / reach if cfg["distance_decay"] == "linear" else np.ones_like(km)
    return pd.DataFrame(
        {
            "segment": segment.astype("int64"),
            "row": known.index.to_numpy()[point].astype("int64"),
            "km": km,
            "value": base[point] * nearness,
        }
    )
