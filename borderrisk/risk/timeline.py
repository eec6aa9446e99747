"""The event factors of the risk model at many as-of dates and for many configs, pairing the
events only once.

A back-test scores every segment at every period start, and a fit does so again for every
candidate config: half-life, reach, distance decay, type weights, watch multiplier. Where an
event lies against a segment depends on none of them, so :class:`Timeline` measures the
event-segment distances once (within the farthest reach any config may ask for; in memory or on
the dask engine) and then weighs the pairs for any date and config with the model's own steps
from :mod:`borderrisk.risk.pairing` (``ageless_weights``, ``aged``). The results equal
``score(...)``'s ``events`` and ``country_events`` columns for the same date and config, to the
last bits of a float sum (``score`` sums exactly; here a float sum is enough to rank).

For one config and the full explanations at a few dates, use :class:`borderrisk.risk.model.Scorer`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from borderrisk.risk.pairing import aged, ageless_weights, country_values, located, pair_values, watched

if TYPE_CHECKING:
    import geopandas as gpd

    from borderrisk.risk.config import RiskConfig


def event_distances(events: gpd.GeoDataFrame, segments: gpd.GeoDataFrame, reach_km: float, engine: Any = None):
    """Every (event, segment) pair closer than ``reach_km``: ``(event position, segment, km)``,
    positions counting rows of ``events``. ``engine`` is a
    :class:`~borderrisk.risk.dask_engine.DaskEngine` to measure partition by partition."""
    if engine is not None:
        return engine.event_distances(events, segments, reach_km)
    from borderrisk.geo.geodesy import distances_to_lines_km

    return distances_to_lines_km(
        events.geometry.x.to_numpy(), events.geometry.y.to_numpy(), segments.geometry.to_numpy(), reach_km
    )


def known_by_date(dates: np.ndarray, as_of: date) -> int:
    """How many of the date-ordered ``dates`` fall on or before the as-of date."""
    return int(np.searchsorted(dates, np.datetime64(pd.Timestamp(as_of).to_datetime64(), "ns"), side="right"))


class _Events:
    """Date-ordered events with what their weight needs whatever the date and config."""

    def __init__(self, events: pd.DataFrame, config: RiskConfig) -> None:
        order = np.argsort(events["date"].to_numpy(dtype="datetime64[ns]"), kind="stable")
        self.frame = events.iloc[order].reset_index(drop=True)
        self.frame["type"] = self.frame["type"].astype("category")  # weighed per type, not per row
        self.dates = self.frame["date"].to_numpy(dtype="datetime64[ns]")
        self.watched = watched(self.frame, config)  # the watchlist is not fitted

    def __len__(self) -> int:
        return len(self.dates)

    def base(self, config: RiskConfig, as_of: date, known: int) -> np.ndarray:
        """The first ``known`` events' weights before distance, by the model's own steps."""
        weight, multiplier = ageless_weights(self.frame.iloc[:known], config, self.watched[:known])
        return aged(weight, multiplier, self.dates[:known], config, as_of)


class Timeline:
    """Events paired with segments once, scored at any as-of date with any config.

    ``reach_km`` is the farthest distance any later config may ask for (default: the config's
    ``distance_km``). Pairs are kept in date order, so "known by a date" and "during a window"
    are slices, not passes over the events.
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
        self.reach_km = float(reach_km if reach_km is not None else config["events"]["distance_km"])
        events = events.reset_index(drop=True)
        self.located = _Events(events[located(events).to_numpy()], config)
        point, segment, km = event_distances(self.located.frame, segments, self.reach_km, engine)
        order = np.lexsort((segment, point))
        self.pair_event, self.pair_segment, self.pair_km = point[order], segment[order].astype("int64"), km[order]
        self._country_setup(events[~located(events).to_numpy()], segments, config)

    def _country_setup(self, only_country: pd.DataFrame, segments: gpd.GeoDataFrame, config: RiskConfig) -> None:
        if "country" not in only_country:
            only_country = only_country.assign(country=None)
        self.by_country = _Events(only_country[only_country["country"].notna()], config)
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

    def pairs_between(self, first_event: int, last_event: int, reach_km: float) -> np.ndarray:
        """The pairs of events ``first_event`` to ``last_event`` (date order) within ``reach_km``."""
        lo, hi = np.searchsorted(self.pair_event, [first_event, last_event])
        return lo + np.flatnonzero(self.pair_km[lo:hi] <= reach_km)

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
        chosen = self.pairs_between(0, known, reach)
        values = pair_values(base, self.pair_event[chosen], self.pair_km[chosen], config)
        return np.bincount(self.pair_segment[chosen], weights=values, minlength=self.segments)

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
        chosen = self.pairs_between(first, last, reach_km)
        if keep is not None:
            chosen = chosen[keep[self.pair_event[chosen]]]
        return np.bincount(self.pair_segment[chosen], minlength=self.segments)
