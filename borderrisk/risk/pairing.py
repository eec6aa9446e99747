"""Events paired with the border segments they are near, and each event's weight: the part of
the risk model that every engine runs, on all events at once, batch by batch or partition by
partition.

Pairing does not depend on the as-of date: :class:`EventPairs` is *the* pairs table (event,
segment, km; per event its date and the weights that do not age), and :meth:`EventPairs.tally`
weighs it for any as-of date. Every reduction of the model reads this one type: a stream pairs
each batch, tallies it and lets it go; a back-test or a fit pairs all events once
(:class:`borderrisk.risk.timeline.Timeline` holds the table in date order) and scores many dates
and configs; the trend reduces it per period; the dask engine makes one per partition and
joins them (:meth:`EventPairs.joined`). Everything runs on whole columns; the only per-name
Python is the watchlist rule, once per distinct actor name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from borderrisk.risk.tally import ExactSums, Tally

if TYPE_CHECKING:
    import geopandas as gpd

    from borderrisk.geo.geodesy import NearLines
    from borderrisk.risk.config import RiskConfig
    from borderrisk.risk.measuring import MeasuredApart

#: Events a segment's explanation names.
TOP_EVENTS = 3
#: What an event's explanation needs, carried along with the largest contributions only.
DESCRIBED = ("title", "date", "date_precision", "type", "fatalities")
#: The event columns scoring reads (besides the geometry); a GeoParquet source reads no others.
SCORED = (*DESCRIBED, "severity", "actors", "country", "location_precision")


def known_by(frame: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Rows dated on or before the as-of date (undated rows count as known)."""
    if "date" not in frame:
        return frame
    return frame[frame["date"].isna() | (frame["date"] <= pd.Timestamp(as_of))]


def country_codes(names: list[str]) -> set[str]:
    from borderrisk.geo.countries import resolve

    return {resolve(name).code for name in names}


def coordinates(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes of events: their point geometry, or their ``lon`` and ``lat``
    when they have none (a stream read for the model, see :class:`borderrisk.data.formats.EventStream`)."""
    import geopandas as gpd

    if isinstance(events, gpd.GeoDataFrame):
        return events.geometry.x.to_numpy(), events.geometry.y.to_numpy()
    return events["lon"].to_numpy(dtype=float), events["lat"].to_numpy(dtype=float)


def located(events: pd.DataFrame) -> pd.Series:
    if "location_precision" not in events:
        return pd.Series(True, index=events.index)
    return events["location_precision"].fillna("exact") != "country"


def watched(events: pd.DataFrame, config: RiskConfig) -> np.ndarray:
    """Events involving a watched country (their ``country``) or a watched actor: the rule
    lives in :mod:`borderrisk.risk.watch` (whole words, once per distinct actor)."""
    from borderrisk.risk.watch import watched_events

    return watched_events(events, config)


def type_weights(types: pd.Series, config: RiskConfig) -> np.ndarray:
    """Each event's type weight; types not in the config weigh as ``other``."""
    table = config["events"]["type_weights"]
    categories = pd.Categorical(types)
    by_code = np.array([table.get(t, table.get("other", 0.0)) for t in categories.categories], dtype=float)
    other = float(table.get("other", 0.0))
    return np.where(categories.codes >= 0, by_code[categories.codes] if len(by_code) else other, other)


#: The ``events`` keys :func:`ageless_weights` reads: configs that agree on them weigh every
#: event alike before its age (a fit's half-life, reach and decay trials among them).
AGELESS_KEYS = ("type_weights", "default_severity", "watch_multiplier")


def ageless_weights(
    events: pd.DataFrame, config: RiskConfig, is_watched: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """What does not age: type weight × severity/3, and the watch multiplier (or 1).
    ``is_watched`` gives :func:`watched` when already known (a fit re-weighs the same events
    under many configs; the watchlist is not fitted)."""
    cfg = config["events"]
    severity = events["severity"] if "severity" in events else pd.Series(np.nan, index=events.index)
    severity = severity.astype(float).fillna(cfg["default_severity"]).to_numpy() / 3.0
    is_watched = watched(events, config) if is_watched is None else is_watched
    multiplier = np.where(is_watched, float(cfg["watch_multiplier"]), 1.0)
    return type_weights(events["type"], config) * severity, multiplier


def halving(days: np.ndarray | float, half_life_days: float) -> np.ndarray:
    """½^(days / half-life): what an event's weight keeps after ``days`` (its reciprocal takes
    a weight back in time). The one decay of the model: score, trend, timeline and dask alike."""
    return 0.5 ** (np.asarray(days, dtype=float) / float(half_life_days))


def decay(dates: np.ndarray, as_of: date, half_life_days: float) -> np.ndarray:
    """½^(age in whole days / half-life); NaN for undated events."""
    dates = np.asarray(dates, dtype="datetime64[ns]")
    age = (np.datetime64(pd.Timestamp(as_of).to_datetime64(), "ns") - dates) // np.timedelta64(1, "D")
    age = np.where(np.isnat(dates), np.nan, age.astype(float))
    return halving(age, half_life_days)


def aged(weight: np.ndarray, multiplier: np.ndarray, dates: np.ndarray, config: RiskConfig, as_of: date) -> np.ndarray:
    """Type × severity × age decay × watch multiplier, multiplied in that order."""
    return weight * decay(dates, as_of, config["events"]["half_life_days"]) * multiplier


def pair_values(aged_weights: np.ndarray, event: np.ndarray, km: np.ndarray, config: RiskConfig) -> np.ndarray:
    """The events factor of each event-segment pair: factor weight × the event's aged weight
    (see :func:`aged`; ``event`` indexes ``aged_weights``) × nearness, 1 − km/reach or 1 as
    ``distance_decay`` says. The one formula the tallies, the trend, the timeline and the
    dask engine all reduce."""
    cfg = config["events"]
    nearness = 1.0 - km / float(cfg["distance_km"]) if cfg["distance_decay"] == "linear" else np.ones_like(km)
    return float(cfg["weight"]) * aged_weights[event] * nearness


def country_values(aged_weights: np.ndarray, config: RiskConfig) -> np.ndarray:
    """The country-events factor of each event located only to a country: factor weight ×
    its aged weight (see :func:`aged`), spread on every segment of the country's borders."""
    return float(config["country_events"]["weight"]) * aged_weights


def event_weights(events: pd.DataFrame, config: RiskConfig, as_of: date) -> np.ndarray:
    """Each event's weight before distance: type × severity × age decay × watch multiplier."""
    weight, multiplier = ageless_weights(events, config)
    return aged(weight, multiplier, events["date"].to_numpy(), config, as_of)


def _details(events: pd.DataFrame) -> dict[str, np.ndarray]:
    columns = {name: events[name].to_numpy() for name in DESCRIBED if name in events}
    columns.setdefault("date_precision", np.full(len(events), "day", dtype=object))
    return columns


@dataclass
class EventPairs:
    """Located events within reach of a segment, weighed up to their age: the pairs table of a
    batch, a partition or all the events.

    Per pair: ``segment``, ``event`` (a position in the per-event arrays) and ``km``. Per
    event (every located event, paired or not): ``row`` (its position in the whole input),
    ``date``, the ageless ``weight``, whether it is ``watched`` and its watch ``multiplier``,
    and the columns an explanation needs (``details``).
    """

    segment: np.ndarray
    event: np.ndarray
    km: np.ndarray
    row: np.ndarray
    date: np.ndarray
    weight: np.ndarray
    multiplier: np.ndarray
    watched: np.ndarray
    details: dict[str, np.ndarray]

    @classmethod
    def of(
        cls,
        events: pd.DataFrame,
        segments: gpd.GeoDataFrame,
        config: RiskConfig,
        until: date | None = None,
        near: NearLines | MeasuredApart | None = None,
        reach_km: float | None = None,
    ) -> EventPairs:
        """Pair the located events of a batch (known by ``until``, if given; where
        :func:`coordinates` puts them) with the segments within ``reach_km`` (default: the
        config's ``distance_km``). The batch's index is each event's position in the whole
        input. ``near`` is the segments' :class:`borderrisk.geo.geodesy.NearLines` when already
        built (a pass over many batches builds it once), or a
        :class:`borderrisk.risk.measuring.MeasuredApart`."""
        from borderrisk.geo.geodesy import NearLines

        chosen = events[located(events)]
        if until is not None:
            chosen = known_by(chosen, until)
        near = near or NearLines(segments.geometry.to_numpy())
        reach = float(config["events"]["distance_km"] if reach_km is None else reach_km)
        # Measured elsewhere, the distances come while the weights are worked out here.
        measured = near.within_later(*coordinates(chosen), reach)
        is_watched = watched(chosen, config)
        weight, multiplier = ageless_weights(chosen, config, is_watched)
        near_event, segment, km = measured()
        return cls(
            segment=segment.astype(np.int64),
            event=near_event.astype(np.int64),
            km=km,
            row=chosen.index.to_numpy().astype(np.int64),
            date=chosen["date"].to_numpy(dtype="datetime64[ns]"),
            weight=weight,
            multiplier=multiplier,
            watched=np.asarray(is_watched, dtype=bool),
            details=_details(chosen),
        )

    @classmethod
    def joined(cls, parts: list[EventPairs]) -> EventPairs:
        """One table of the pairs of several batches or partitions (in the order given)."""
        offsets = np.cumsum([0, *(len(part.row) for part in parts[:-1])])
        names = set.intersection(*(set(part.details) for part in parts)) if parts else set()
        return cls(
            segment=np.concatenate([part.segment for part in parts]).astype(np.int64),
            event=np.concatenate([part.event + offset for part, offset in zip(parts, offsets)]).astype(np.int64),
            km=np.concatenate([part.km for part in parts]).astype(float),
            row=np.concatenate([part.row for part in parts]).astype(np.int64),
            date=np.concatenate([part.date for part in parts]).astype("datetime64[ns]"),
            weight=np.concatenate([part.weight for part in parts]).astype(float),
            multiplier=np.concatenate([part.multiplier for part in parts]).astype(float),
            watched=np.concatenate([part.watched for part in parts]).astype(bool),
            details={name: np.concatenate([part.details[name] for part in parts]) for name in sorted(names)},
        )

    def in_date_order(self) -> EventPairs:
        """The same table with its events in date order (ties and undated events last, by input
        position) and its pairs ordered by event, then segment: "known by a date" and "dated
        in a window" become slices (see :meth:`between`)."""
        order = np.lexsort((self.row, self.date))
        position = np.empty_like(order)
        position[order] = np.arange(len(order))
        event = position[self.event]
        width = int(self.segment.max()) + 1 if len(self.segment) else 1
        pairs = np.argsort(event * width + self.segment)  # one key: a third of a two-key lexsort
        return EventPairs(
            segment=self.segment[pairs],
            event=event[pairs],
            km=self.km[pairs],
            row=self.row[order],
            date=self.date[order],
            weight=self.weight[order],
            multiplier=self.multiplier[order],
            watched=self.watched[order],
            details={name: column[order] for name, column in self.details.items()},
        )

    def between(self, first_event: int, last_event: int, reach_km: float) -> np.ndarray:
        """The pairs of events ``first_event`` to ``last_event`` within ``reach_km``, for a
        table in date order (:meth:`in_date_order`)."""
        lo, hi = np.searchsorted(self.event, [first_event, last_event])
        return lo + np.flatnonzero(self.km[lo:hi] <= reach_km)

    def values(self, config: RiskConfig, as_of: date) -> tuple[np.ndarray, np.ndarray]:
        """Which pairs are known by ``as_of`` (a mask), and what those contribute that day:
        :func:`pair_values`."""
        keep = self.known_pairs(as_of)
        base = aged(self.weight, self.multiplier, self.date, config, as_of)
        return keep, pair_values(base, self.event[keep], self.km[keep], config)

    def known_pairs(self, as_of: date) -> np.ndarray:
        """Which pairs have an event known by ``as_of`` (undated events always are)."""
        known = np.isnat(self.date) | (self.date <= np.datetime64(pd.Timestamp(as_of).to_datetime64(), "ns"))
        return known[self.event]

    def tally(self, into: Tally, config: RiskConfig, as_of: date) -> Tally:
        """Add the pairs known by ``as_of`` to a per-segment tally (see :meth:`values`)."""
        keep, values = self.values(config, as_of)
        event, km = self.event[keep], self.km[keep]
        return into.add(
            self.segment[keep],
            values,
            km,
            self.row[event],
            details=lambda chosen: {name: column[event[chosen]] for name, column in self.details.items()},
        )

    def add_deaths(self, into: ExactSums, as_of: date) -> bool:
        """Add the deaths of the events known by ``as_of`` to each segment they are near;
        False (nothing added) when the events count no deaths at all."""
        if "fatalities" not in self.details:
            return False
        deaths = pd.to_numeric(pd.Series(self.details["fatalities"]), errors="coerce").to_numpy(dtype=float)
        if np.isnan(deaths).all():
            return False
        keep = self.known_pairs(as_of)
        per_pair = deaths[self.event[keep]]
        counted = ~np.isnan(per_pair)
        into.add(self.segment[keep][counted], per_pair[counted])
        return True


def tally_country_events(
    events: pd.DataFrame, countries: list[str], into: Tally, config: RiskConfig, as_of: date
) -> Tally:
    """Add ``events``, located only to a country, to a per-country tally keyed by position in
    ``countries``: those of one of ``countries``, known by ``as_of``."""
    if "country" not in events:
        return into
    chosen = known_by(events, as_of)
    key = pd.Index(countries).get_indexer(chosen["country"])
    chosen = chosen[key >= 0]
    if chosen.empty:
        return into
    value = country_values(event_weights(chosen, config, as_of), config)
    details = _details(chosen)
    return into.add(
        key[key >= 0],
        value,
        np.zeros(len(chosen)),
        chosen.index.to_numpy().astype(np.int64),
        details=lambda picked: {name: column[picked] for name, column in details.items()},
    )


@dataclass
class EventTallies:
    """What the events contribute, summed so that batches and partitions merge exactly: a
    tally per segment (located events), a tally per country (events located only to a
    country), how many events were located only to a country at all, and the deaths near
    each segment (``counts_deaths`` once any event counted its dead)."""

    segments: Tally
    countries: Tally
    deaths: ExactSums
    country_only: int = 0
    counts_deaths: bool = False

    @classmethod
    def empty(cls, segments: int, countries: int) -> EventTallies:
        return cls(Tally(segments, TOP_EVENTS), Tally(countries, TOP_EVENTS), ExactSums(segments))

    def add(self, batch: pd.DataFrame, pairs: EventPairs, countries: list[str], config: RiskConfig, as_of: date):
        pairs.tally(self.segments, config, as_of)
        self.counts_deaths |= pairs.add_deaths(self.deaths, as_of)
        country_only = batch[~located(batch)]
        tally_country_events(country_only, countries, self.countries, config, as_of)
        self.country_only += len(country_only)
        return self

    def merge(self, other: EventTallies) -> EventTallies:
        self.segments.merge(other.segments)
        self.countries.merge(other.countries)
        self.deaths.merge(other.deaths)
        self.country_only += other.country_only
        self.counts_deaths |= other.counts_deaths
        return self

    def fatalities(self) -> np.ndarray:
        """Deaths of the events near each segment; NaN when the events count none."""
        return self.deaths.totals() if self.counts_deaths else np.full(self.deaths.n, np.nan)
