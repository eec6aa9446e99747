"""Trends: per week, month or quarter, the events near each segment (by type), their
fatalities, and the score as of the period's end — in one pass over the events.

Events are paired with segments once, as of the last date. An event's contribution decays
by halves, so its value at an earlier date ``t`` is its value at the last date ``T`` times
``2 ** ((T - t) / half_life)``: the events factor at each period's end is a cumulative sum
over periods, scaled once per period. Events located only to a country are reduced the same
way per country. Agreements, alliances and annotations, which change only when a record comes
into force, are evaluated at each period's end (a handful of borders, no events). The result
equals :func:`borderrisk.risk.model.score` at every period's end (tested), without a score per
period.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from borderrisk.data.batches import latest_date
from borderrisk.data.errors import UserError
from borderrisk.data.filters import filtered_source
from borderrisk.risk.config import RiskConfig
from borderrisk.risk.model import RECORD_FACTORS, record_factors, segments_for
from borderrisk.risk.pairing import EventPairs, country_values, event_weights, halving, known_by, located

if TYPE_CHECKING:
    import geopandas as gpd

#: Period name -> pandas period frequency (weeks start on Monday).
EVERY = {"week": "W-SUN", "month": "M", "quarter": "Q"}
BY = ("segment", "border", "country")
#: Columns that name a trend row, by ``by``.
KEYS = {
    "segment": ["a", "b", "segment", "start_km", "end_km"],
    "border": ["a", "b"],
    "country": ["country"],
}
TYPE_PREFIX = "events:"


def period_starts(first: date, last: date, every: str) -> list[date]:
    """The first days of the periods from the one holding ``first`` to the one holding ``last``."""
    if every not in EVERY:
        raise UserError(f"trends run every week, month or quarter, not {every!r}")
    span = pd.period_range(pd.Period(first, EVERY[every]), pd.Period(last, EVERY[every]))
    return [p.start_time.date() for p in span]


def trend(
    events: gpd.GeoDataFrame | None = None,
    agreements: gpd.GeoDataFrame | None = None,
    alliances: gpd.GeoDataFrame | None = None,
    annotations: gpd.GeoDataFrame | None = None,
    *,
    every: str = "month",
    by: str = "segment",
    focus: list[str] | tuple[str, ...] | None = None,
    as_of: date | None = None,
    since: date | None = None,
    until: date | None = None,
    where: Sequence[str] | str | None = None,
    config: RiskConfig | None = None,
    engine: str = "pandas",
    scheduler: str | None = None,
    first_period: date | None = None,
    model: str | None = None,
) -> pd.DataFrame:
    """One row per period and segment (or border, or country): ``period`` (its first day),
    ``as_of`` (its last day, or the as-of date for the running period), the row's keys,
    ``events`` (located events within reach dated in the period), one ``events:<type>``
    column per type, ``fatalities`` (their sum; missing when the events carry none) and
    ``score`` (:func:`borderrisk.risk.model.score` as of ``as_of``; for borders and countries their
    hottest segment's, as :func:`borderrisk.risk.model.rollup` has it).

    Filters (``where``, ``since``, ``until``) and defaults are the ones of ``score``; the
    periods run from the one holding ``since`` (or the first event) to the one holding the
    as-of date; ``first_period`` starts them later without leaving earlier events out.

    With ``model="learned"`` (default: the config's ``[model] default``) each row also has
    ``probability``: the learned model's chance of an event within reach in that period, as
    forecast at its start from the earlier periods only (:func:`borderrisk.risk.forecast.by_period`;
    for borders and countries their hottest segment's, as for the score).
    """
    if by not in BY:
        raise UserError(f"trends run by segment, border or country, not {by!r}")
    if engine not in ("pandas", "dask"):
        raise UserError(f"unknown engine {engine!r}: use pandas or dask")
    config = config or RiskConfig.load()
    as_of = as_of or until
    learned = config.chosen(model) == "learned"
    if learned:
        from borderrisk.risk.learned import lightgbm

        lightgbm()  # before any work: its absence is a usage error
    events = filtered_source(events, where, since=since, until=until)
    table = _on_engine(
        events,
        agreements,
        alliances,
        annotations,
        every,
        by,
        focus,
        as_of,
        since,
        config,
        engine,
        scheduler,
        first_period,
    )
    if not learned:
        return table
    records = {"agreements": agreements, "alliances": alliances, "annotations": annotations}
    return _with_probability(table, events, focus, config, every, by, engine, scheduler, records)


def _on_engine(
    events, agreements, alliances, annotations, every, by, focus, as_of, since, config, engine, scheduler, first_period
) -> pd.DataFrame:
    """The formula's trend of the (filtered) events. Both engines read one source: batch by
    batch in memory, partition by partition on dask."""
    from borderrisk.data.batches import event_batches

    events = event_batches(events) if events is not None else None
    if engine == "pandas":
        return _trend(
            events, agreements, alliances, annotations, every, by, focus, as_of, since, config, None, first_period
        )
    from borderrisk.risk.dask_engine import DaskEngine, client

    with client(scheduler) as connected:
        events = DaskEngine(connected).positioned(events) if events is not None else None
        return _trend(
            events, agreements, alliances, annotations, every, by, focus, as_of, since, config, "dask", first_period
        )


def _trend(
    events, agreements, alliances, annotations, every, by, focus, as_of, since, config, engine, first_period
) -> pd.DataFrame:
    as_of = as_of or latest_date(events, agreements, alliances)
    segments = segments_for(focus, float(config["segments"]["length_km"]))
    pairs, country_only = _paired(events, segments, config, as_of, engine)
    first = first_period or since or _first_date(pairs, country_only) or as_of
    starts = period_starts(min(first, as_of), as_of, every)
    ends = [min(s - timedelta(days=1), as_of) for s in [*starts[1:], _after(starts[-1], every)]]
    pairs["period"] = _period_of(pairs["date"], starts)
    half_life = float(config["events"]["half_life_days"])
    back = np.array([(as_of - end).days for end in ends], dtype=float)
    rewind = 1.0 / halving(back, half_life)  # a value as of T, taken back to an earlier date
    scores = np.zeros((len(segments), len(starts)))
    scores += (
        _cumulative(
            pairs.segment.to_numpy(), pairs.period.to_numpy(), pairs.value.to_numpy(), len(segments), len(starts)
        )
        * rewind
    )
    scores += _country_matrix(country_only, segments, config, as_of, starts) * rewind
    records = {"agreements": agreements, "alliances": alliances, "annotations": annotations}
    for p, end in enumerate(ends):
        scores[:, p] += sum(record_factors(segments, records, config, end)[name] for name in RECORD_FACTORS)
    return _rows(segments, pairs[pairs.period >= 0], scores, starts, ends, by)


def _with_probability(table, events, focus, config, every, by, engine, scheduler, records) -> pd.DataFrame:
    """The trend with the learned model's ``probability`` per period (see :func:`trend`)."""
    from borderrisk.risk.forecast import by_period

    chances = by_period(events, focus, config, sorted(set(table["period"])), every, engine, scheduler, records)
    if by == "country":
        chances = pd.concat([chances.assign(country=chances.a), chances.assign(country=chances.b)])
    keys = ["period", *(["a", "b", "segment"] if by == "segment" else KEYS[by])]
    hottest = chances.groupby(keys, as_index=False)["probability"].max()
    return table.merge(hottest, on=keys, how="left")


def _after(start: date, every: str) -> date:
    return (pd.Period(start, EVERY[every]) + 1).start_time.date()


def _period_of(dates: pd.Series, starts: list[date]) -> np.ndarray:
    bounds = np.array([np.datetime64(s, "ns") for s in starts])
    return np.searchsorted(bounds, dates.to_numpy(dtype="datetime64[ns]"), side="right") - 1


def _first_date(pairs: pd.DataFrame, country_only: pd.DataFrame) -> date | None:
    found = [d for d in (pairs["date"].min(), country_only["date"].min() if len(country_only) else None) if pd.notna(d)]
    return min(found).date() if found else None


def _cumulative(rows: np.ndarray, periods: np.ndarray, values: np.ndarray, n_rows: int, n_periods: int) -> np.ndarray:
    """Sums of ``values`` per row over all periods up to each period (a rows × periods matrix);
    values from before the first period (period −1) count from the first."""
    flat = np.bincount(rows * n_periods + np.maximum(periods, 0), weights=values, minlength=n_rows * n_periods)
    return np.cumsum(flat.reshape(n_rows, n_periods), axis=1)


def _dated_pairs(events: pd.DataFrame, segments: gpd.GeoDataFrame, config: RiskConfig, as_of: date) -> pd.DataFrame:
    """The pairs table of the located events known by ``as_of`` (:class:`EventPairs`) as a
    frame, one row per pair: ``segment``, ``row`` (the event's position in the input),
    ``value`` (its contribution as of ``as_of``) and the event's ``date``, ``type`` and
    ``fatalities``."""
    pairs = EventPairs.of(events, segments, config, until=as_of)
    keep, values = pairs.values(config, as_of)
    event = pairs.event[keep]
    fatalities = pairs.details.get("fatalities", np.full(len(pairs.row), np.nan))
    return pd.DataFrame(
        {
            "segment": pairs.segment[keep],
            "row": pairs.row[event],
            "value": values,
            "date": pairs.date[event],
            "type": pairs.details["type"][event].astype(object),
            "fatalities": pd.to_numeric(pd.Series(fatalities[event]), errors="coerce").to_numpy(dtype=float),
        }
    )


def _paired(events, segments, config, as_of, engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The dated event-segment pairs, and the known events located only to a country; the
    events are read batch by batch (or partition by partition on dask)."""
    if events is None or len(events) == 0:
        pairs = pd.DataFrame({"segment": [], "row": [], "value": [], "date": [], "type": [], "fatalities": []})
        return pairs.astype({"segment": "int64", "row": "int64", "date": "datetime64[ns]"}), pd.DataFrame(
            {"date": pd.Series(dtype="datetime64[ns]"), "country": []}
        )
    if engine is None:
        found, country_only = [], []
        for batch in events:
            found.append(_dated_pairs(batch, segments, config, as_of))
            country_only.append(batch[~located(batch)])
        pairs, country_only = pd.concat(found, ignore_index=True), pd.concat(country_only)
    else:
        meta = _dated_pairs(events._meta, segments, config, as_of)
        pairs = events.map_partitions(_dated_pairs, segments, config, as_of, meta=meta).compute()
        country_only = events[~located(events)].compute()
    country_only = known_by(country_only, as_of)
    if "country" in country_only:
        country_only = country_only[country_only["country"].notna()]
    else:
        country_only = country_only.iloc[0:0]
    return pairs.reset_index(drop=True), country_only


def _country_matrix(country_only: pd.DataFrame, segments: gpd.GeoDataFrame, config, as_of, starts) -> np.ndarray:
    """The country-events factor per segment and period end, as of the last date (before rewinding)."""
    n, periods = len(segments), len(starts)
    if country_only.empty or float(config["country_events"]["weight"]) == 0:
        return np.zeros((n, periods))
    weights = country_values(event_weights(country_only, config, as_of), config)
    codes, countries = pd.factorize(country_only["country"])
    per_country = _cumulative(codes, _period_of(country_only["date"], starts), weights, len(countries), periods)
    index = {code: i for i, code in enumerate(countries)}
    result = np.zeros((n, periods))
    for side in (segments.a, segments.b):
        at = np.array([index.get(code, -1) for code in side])
        result[at >= 0] += per_country[at[at >= 0]]
    return result


def _rows(segments, pairs, scores, starts, ends, by) -> pd.DataFrame:
    periods = len(starts)
    grid = pd.DataFrame(
        {
            "segment_id": np.repeat(np.arange(len(segments)), periods),
            "period_id": np.tile(np.arange(periods), len(segments)),
            "score": scores.ravel(),
        }
    )
    keys = segments[["a", "b", "segment", "start_km", "end_km"]].reset_index(drop=True)
    grid = grid.join(keys, on="segment_id")
    pairs = pairs.join(keys[["a", "b"]], on="segment")
    if by == "segment":
        table, found, group = grid, pairs.assign(segment_id=pairs.segment), ["segment_id"]
    elif by == "border":
        table = grid.groupby(["a", "b", "period_id"], as_index=False)["score"].max()
        found, group = pairs.drop_duplicates(["row", "a", "b"]), ["a", "b"]
    else:
        sides = pd.concat([grid.assign(country=grid.a), grid.assign(country=grid.b)])
        table = sides.groupby(["country", "period_id"], as_index=False)["score"].max()
        found = pd.concat([pairs.assign(country=pairs.a), pairs.assign(country=pairs.b)]).drop_duplicates(
            ["row", "country"]
        )
        group = ["country"]
    counted = found.groupby([*group, "period"]).agg(events=("row", "size"), fatalities=("fatalities", "sum"))
    counted = counted.rename_axis([*group, "period_id"])
    if found["fatalities"].isna().all():
        counted["fatalities"] = np.nan
    by_type = found.groupby([*group, "period", "type"]).size().unstack("type", fill_value=0)
    by_type = by_type.rename_axis([*group, "period_id"]).add_prefix(TYPE_PREFIX)
    table = table.join(counted, on=[*group, "period_id"]).join(by_type, on=[*group, "period_id"])
    counts = ["events", *by_type.columns]
    table[counts] = table[counts].fillna(0).astype("int64")
    if not found["fatalities"].isna().all():
        table["fatalities"] = table["fatalities"].fillna(0.0)
    table["period"] = [starts[i] for i in table.period_id]
    table["as_of"] = [ends[i] for i in table.period_id]
    ordered = ["period", "as_of", *KEYS[by], "events", "fatalities", "score", *sorted(by_type.columns)]
    return table.sort_values([*KEYS[by], "period"])[ordered].reset_index(drop=True)
