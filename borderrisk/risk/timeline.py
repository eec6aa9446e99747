"""The event factors of the risk model at many as-of dates and for many configs, pairing the
events only once.

A back-test scores every segment at every period start, and a fit does so again for every
candidate config: half-life, reach, distance decay, type weights, watch multiplier. Where an
event lies against a segment depends on none of them, so :class:`Timeline` holds the model's one
pairs table, :class:`borderrisk.risk.pairing.EventPairs`, made once (within the farthest reach
any config may ask for; in memory or partition by partition on the dask engine) and kept in date
order, and weighs it for any date and config with the model's own steps from
:mod:`borderrisk.risk.pairing` (``ageless_weights``, ``aged``, ``pair_values``). The results equal
``score(...)``'s ``events`` and ``country_events`` columns for the same date and config, to the
last bits of a float sum (``score`` sums exactly; here a float sum is enough to rank).

For one config and the full explanations at a few dates, use :class:`borderrisk.risk.model.Scorer`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from borderrisk.risk.pairing import (
    AGELESS_KEYS,
    EventPairs,
    aged,
    ageless_weights,
    country_values,
    located,
    pair_values,
    watched,
)

if TYPE_CHECKING:
    import geopandas as gpd

    from borderrisk.risk.config import RiskConfig


def paired(
    events: gpd.GeoDataFrame, segments: gpd.GeoDataFrame, config: RiskConfig, reach_km: float, engine: Any = None
) -> EventPairs:
    """The pairs table of every located event within ``reach_km`` of a segment, each event's
    ``row`` its position in ``events``. ``engine`` is a
    :class:`~borderrisk.risk.dask_engine.DaskEngine` to pair partition by partition."""
    if engine is not None:
        return engine.pairs(events, segments, config, reach_km)
    return EventPairs.of(events, segments, config, reach_km=reach_km)


def known_by_date(dates: np.ndarray, as_of: date) -> int:
    """How many of the date-ordered ``dates`` fall on or before the as-of date."""
    return int(np.searchsorted(dates, np.datetime64(pd.Timestamp(as_of).to_datetime64(), "ns"), side="right"))


class _Events:
    """Date-ordered events with what their weight needs whatever the date and config: the
    ageless weights under ``config`` as given, and what re-weighs them under another."""

    def __init__(self, frame: pd.DataFrame, config: RiskConfig, weights: tuple | None = None) -> None:
        self.frame = frame.reset_index(drop=True)
        self.frame["type"] = self.frame["type"].astype("category")  # weighed per type, not per row
        self.dates = self.frame["date"].to_numpy(dtype="datetime64[ns]")
        self.config = config
        if weights is None:
            is_watched = watched(self.frame, config)
            weights = (*ageless_weights(self.frame, config, is_watched), is_watched)
        #: The ageless weight, watch multiplier and watched mark of each event under ``config``.
        self.weight, self.multiplier, self.watched = weights  # the watchlist is not fitted

    @classmethod
    def ordered(cls, frame: pd.DataFrame, config: RiskConfig) -> _Events:
        """Events put in date order here (those located only to a country: no pairs table)."""
        return cls(frame.iloc[np.argsort(frame["date"].to_numpy(dtype="datetime64[ns]"), kind="stable")], config)

    def __len__(self) -> int:
        return len(self.dates)

    def base(self, config: RiskConfig, as_of: date, known: int) -> np.ndarray:
        """The first ``known`` events' weights before distance, by the model's own steps (the
        ageless weights kept when ``config`` weighs events as the table's config does)."""
        if all(config["events"][key] == self.config["events"][key] for key in AGELESS_KEYS):
            weight, multiplier = self.weight[:known], self.multiplier[:known]
        else:
            weight, multiplier = ageless_weights(self.frame.iloc[:known], config, self.watched[:known])
        return aged(weight, multiplier, self.dates[:known], config, as_of)


class Timeline:
    """The pairs table of all events, scored at any as-of date with any config.

    ``reach_km`` is the farthest distance any later config may ask for (default: the config's
    ``distance_km``). :attr:`pairs` is in date order, so "known by a date" and "during a
    window" are slices, not passes over the events; :attr:`located` is the same events as a
    frame, in the same order (what outcomes and features read besides the pairs).
    """

    def __init__(
        self,
        events: gpd.GeoDataFrame,
        segments: gpd.GeoDataFrame,
        config: RiskConfig,
        reach_km: float | None = None,
        engine: Any = None,
    ) -> None:
        self.config = config
        self.segments = len(segments)
        #: Which segment each column of the results is: border sides and kilometres.
        self.segment_table = segments[["a", "b", "segment", "start_km", "end_km"]].reset_index(drop=True)
        #: The segments themselves, in the same order (what an annotation's shape is matched with).
        self.segment_frame = segments.reset_index(drop=True)
        self.reach_km = float(reach_km if reach_km is not None else config["events"]["distance_km"])
        events = events.reset_index(drop=True)
        #: The one pairs table (:class:`~borderrisk.risk.pairing.EventPairs`), in date order.
        self.pairs = paired(events, segments, config, self.reach_km, engine).in_date_order()
        table = self.pairs
        self.located = _Events(events.iloc[table.row], config, (table.weight, table.multiplier, table.watched))
        self._country_setup(events[~located(events).to_numpy()], segments, config)

    def _country_setup(self, only_country: pd.DataFrame, segments: gpd.GeoDataFrame, config: RiskConfig) -> None:
        if "country" not in only_country:
            only_country = only_country.assign(country=None)
        self.by_country = _Events.ordered(only_country[only_country["country"].notna()], config)
        names = self.by_country.frame["country"].to_numpy(dtype=object).astype(str)
        countries, code = np.unique(names, return_inverse=True)
        self.country_code = code.astype("int64")
        index = {c: i for i, c in enumerate(countries)}
        # Each segment's two sides as positions in ``countries`` (-1: no such events there).
        self.side_a = np.array([index.get(a, -1) for a in segments["a"]], dtype="int64")
        self.side_b = np.array([index.get(b, -1) for b in segments["b"]], dtype="int64")
        self.countries = len(countries)

    @property
    def dates(self) -> np.ndarray:
        """The located events' dates, in order."""
        return self.located.dates

    def factors_at(self, as_of: date, config: RiskConfig | None = None) -> dict[str, np.ndarray]:
        """The ``events`` and ``country_events`` contributions of every segment as of a date."""
        config = config or self.config
        return {"events": self.events_factor(as_of, config), "country_events": self.country_factor(as_of, config)}

    def events_factor(self, as_of: date, config: RiskConfig | None = None) -> np.ndarray:
        config = config or self.config
        cfg = config["events"]
        reach = float(cfg["distance_km"])
        if reach > self.reach_km:
            raise ValueError(f"the events were paired within {self.reach_km:g} km, not {reach:g} km")
        known = known_by_date(self.located.dates, as_of)
        base = self.located.base(config, as_of, known)
        chosen = self.pairs.between(0, known, reach)
        values = pair_values(base, self.pairs.event[chosen], self.pairs.km[chosen], config)
        return np.bincount(self.pairs.segment[chosen], weights=values, minlength=self.segments)

    def country_factor(self, as_of: date, config: RiskConfig | None = None) -> np.ndarray:
        config = config or self.config
        known = known_by_date(self.by_country.dates, as_of)
        value = country_values(self.by_country.base(config, as_of, known), config)
        per_country = np.r_[np.bincount(self.country_code[:known], weights=value, minlength=self.countries), 0.0]
        return per_country[self.side_a] + per_country[self.side_b]

    def counts(self, start: date, end: date, reach_km: float, keep: np.ndarray | None = None) -> np.ndarray:
        """Per segment, how many located events dated in [start, end) lie within ``reach_km``
        (``keep``: a mask over the date-ordered located events, e.g. only battles)."""
        first, last = np.searchsorted(
            self.located.dates, [np.datetime64(pd.Timestamp(day).to_datetime64(), "ns") for day in (start, end)]
        )
        chosen = self.pairs.between(first, last, reach_km)
        if keep is not None:
            chosen = chosen[keep[self.pairs.event[chosen]]]
        return np.bincount(self.pairs.segment[chosen], minlength=self.segments)
