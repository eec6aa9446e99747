"""The border-risk model: a transparent sum of named factors per border segment.

Every segment's score is the sum of its factors' contributions, and every contribution comes
with an explanation an analyst can read out. Weights, distances, half-lives and the watchlist
live in a TOML file (``layers/risk.toml`` holds the documented defaults). Same inputs, same
config, same as-of date: same output.

Factors (see ``risk.toml`` for every knob):

``events``
    Events located to a place or coordinates within ``distance_km`` of the segment:
    type weight × severity/3 × ½^(age / half-life) × (1 − distance/distance_km) × watch multiplier.
``country_events``
    Events located only to a country count, at a lower weight, on every segment of its borders.
``agreements``
    Security agreements in force that bring a watched country to either side of the border.
``alliances``
    Memberships of either side in watched alliances.
``annotations``
    Briefers' risk adjustments on the segments their annotation touches.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from layers.data.errors import UserError
from layers.data.filters import filter_events
from layers.data.schema import format_date
from layers.risk.config import FACTORS, RiskConfig
from layers.risk.pairing import (
    country_codes,
    describe_event,
    event_descriptions,
    event_pairs,
    event_weights,
    known_by,
    located,
)

if TYPE_CHECKING:
    import geopandas as gpd

TOP_EVENTS = 3


logger = logging.getLogger("borderrisk.risk")


def border_pairs(focus: list[str] | tuple[str, ...] | None) -> list[tuple[str, str]]:
    """The borders to score: between focus countries (two or more), around one focus country,
    or every land border of the world."""
    from geo.borders import all_borders, borders_among
    from geo.countries import resolve

    borders = all_borders()
    codes = [resolve(c).code for c in focus or ()]
    if len(codes) >= 2:
        chosen = borders_among(codes)
    elif len(codes) == 1:
        touching = borders[(borders.a == codes[0]) | (borders.b == codes[0])]
        chosen = list(zip(touching.a, touching.b))
    else:
        chosen = list(zip(borders.a, borders.b))
    if not chosen:
        raise UserError(f"the focus countries {', '.join(codes)} share no land border")
    return chosen


def latest_date(*frames: pd.DataFrame | None) -> date:
    """The as-of date when none is given: the latest date in the inputs (so the output is
    reproducible), or today if the inputs carry no date."""
    found = [f[c].max() for f in frames if f is not None and len(f) for c in ("date", "since") if c in f.columns]
    found = [d.compute() if hasattr(d, "compute") else d for d in found]
    found = [d for d in found if pd.notna(d)]
    return max(found).date() if found else date.today()


def score(
    events: gpd.GeoDataFrame | None = None,
    agreements: gpd.GeoDataFrame | None = None,
    alliances: gpd.GeoDataFrame | None = None,
    annotations: gpd.GeoDataFrame | None = None,
    *,
    focus: list[str] | tuple[str, ...] | None = None,
    as_of: date | None = None,
    config: RiskConfig | None = None,
    engine: str = "pandas",
    scheduler: str | None = None,
    where: Sequence[str] | str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> gpd.GeoDataFrame:
    """Score border segments; returns one row per segment, highest score first.

    Only the events that match every ``where`` condition (see :mod:`layers.data.filters`) and
    fall within [``since``, ``until``] count; ``as_of`` defaults to ``until`` when that is given.

    Columns: ``a``, ``b``, ``segment``, ``start_km``, ``end_km``, ``score``, one column per
    factor with its contribution, ``factors`` (a list of ``{name, contribution, explanation}``)
    and the segment's geometry.

    ``engine="dask"`` pairs events with segments on dask-geopandas (``events`` may then be a
    dask-geopandas frame, e.g. a GeoParquet directory read lazily), on a local cluster or the
    scheduler at ``scheduler``; the result equals the in-memory engine's.

    >>> from layers.inputs import load_frames                             # doctest: +SKIP
    >>> frames, focus = load_frames()            # the built-in scenario
    >>> score(**frames, focus=focus).iloc[0][["a", "b", "score"]]
    """
    if engine not in ("pandas", "dask"):
        raise UserError(f"unknown engine {engine!r}: use pandas or dask")
    as_of = as_of or until
    if engine == "pandas":
        if events is not None and type(events).__module__.startswith("dask"):
            events = events.compute()
        events = events.reset_index(drop=True) if events is not None else None
        events = filter_events(events, where, since=since, until=until)
        return _score(events, agreements, alliances, annotations, focus, as_of, config, None)
    from layers.risk.dask_engine import DaskEngine, client

    with client(scheduler) as connected:
        dask_engine = DaskEngine(connected)
        events = dask_engine.positioned(events) if events is not None else None
        events = filter_events(events, where, since=since, until=until)
        return _score(events, agreements, alliances, annotations, focus, as_of, config, dask_engine)


def segments_for(focus: list[str] | tuple[str, ...] | None, config: RiskConfig) -> gpd.GeoDataFrame:
    """The border segments :func:`score` scores for this focus: each border cut into
    ``segments.length_km`` pieces (columns ``a``, ``b``, ``segment``, ``start_km``, ``end_km``...)."""
    import geopandas as gpd

    from geo.borders import border_segments

    km = float(config["segments"]["length_km"])
    pieces = [border_segments(a, b, km=km) for a, b in border_pairs(focus)]
    return gpd.GeoDataFrame(pd.concat(pieces, ignore_index=True), crs="EPSG:4326")


#: Factors that depend on the as-of date only through which records are in force then.
RECORD_FACTORS = ("agreements", "alliances", "annotations")


def record_factors(
    segments: gpd.GeoDataFrame, inputs: dict[str, Any], config: RiskConfig, as_of: date
) -> dict[str, np.ndarray]:
    """The agreements, alliances and annotations contributions per segment on one date, as
    :func:`score` computes them; ``inputs`` holds those frames by name (None when absent)."""
    functions = {
        "agreements": _agreements_factor,
        "alliances": _alliances_factor,
        "annotations": _annotations_factor,
    }
    values = {}
    for name in RECORD_FACTORS:
        source = inputs.get(name)
        if source is None or len(source) == 0 or float(config[name]["weight"]) == 0:
            values[name] = np.zeros(len(segments))
        else:
            values[name] = functions[name](segments, source, config, as_of)[0]
    return values


def _score(events, agreements, alliances, annotations, focus, as_of, config, engine) -> gpd.GeoDataFrame:
    config = config or RiskConfig.load()
    country_events = None
    if events is not None:
        country_events = events[~located(events)] if "location_precision" in events else events.iloc[0:0]
        if engine is not None:
            country_events = country_events.compute()
    as_of = as_of or latest_date(events, agreements, alliances)
    segments = segments_for(focus, config)
    n = len(segments)
    inputs = {
        "events": events,
        "country_events": country_events,
        "agreements": agreements,
        "alliances": alliances,
        "annotations": annotations,
    }
    factors = {
        "events": lambda src: _events_factor(segments, src, config, as_of, engine),
        "country_events": lambda src: _country_events_factor(segments, src, config, as_of),
        "agreements": lambda src: _agreements_factor(segments, src, config, as_of),
        "alliances": lambda src: _alliances_factor(segments, src, config, as_of),
        "annotations": lambda src: _annotations_factor(segments, src, config, as_of),
    }
    contributions: dict[str, np.ndarray] = {}
    explanations: dict[str, list[str]] = {}
    for name in FACTORS:
        source, weight = inputs[name], float(config[name]["weight"])
        if source is None or len(source) == 0 or weight == 0:
            contributions[name], explanations[name] = np.zeros(n), [_absent(name, weight)] * n
        else:
            contributions[name], explanations[name] = factors[name](source)
    result = segments.copy()
    for name in FACTORS:
        result[name] = contributions[name]
    result["score"] = sum(contributions[name] for name in FACTORS)
    result["factors"] = [
        [
            {"name": name, "contribution": float(contributions[name][i]), "explanation": explanations[name][i]}
            for name in FACTORS
        ]
        for i in range(n)
    ]
    result.attrs["as_of"] = as_of.isoformat()
    logger.info(
        "scored %d segment(s) of %d border(s) as of %s",
        n,
        len(segments[["a", "b"]].drop_duplicates()),
        as_of.isoformat(),
    )
    order = ["a", "b", "segment", "start_km", "end_km", "length_km", "score", *FACTORS, "factors", "geometry"]
    result = result[order].sort_values(["score", "a", "b", "start_km"], ascending=[False, True, True, True])
    return result.reset_index(drop=True)


def _absent(name: str, weight: float) -> str:
    if weight == 0:
        return "weight 0: factor switched off"
    return f"no {name.replace('_', ' ')} in the inputs"


def _per_border(segments: pd.DataFrame, fn) -> tuple[np.ndarray, list[str]]:
    """Evaluate a border-level factor once per border and give it to each of its segments."""
    results = {pair: fn(*pair) for pair in dict.fromkeys(zip(segments.a, segments.b))}
    pairs = list(zip(segments.a, segments.b))
    return np.array([results[p][0] for p in pairs], dtype=float), [results[p][1] for p in pairs]


def _events_factor(segments: gpd.GeoDataFrame, events: Any, config: RiskConfig, as_of: date, engine: Any = None):
    if engine is None:
        pairs = event_pairs(events, segments, config, as_of)

        def describe(rows: np.ndarray) -> dict[int, str]:
            return event_descriptions(events, rows)
    else:
        pairs, describe = engine.event_pairs(events, segments, config, as_of)
    return _reduce_pairs(pairs, describe, len(segments), float(config["events"]["distance_km"]))


def _reduce_pairs(pairs: pd.DataFrame, describe: Any, n: int, reach: float) -> tuple[np.ndarray, list[str]]:
    """Sum the pairs per segment and explain each segment by its largest events. The sums run
    in a canonical order (value, distance, input position), so no engine or row order changes
    a digit."""
    segment, row = pairs.segment.to_numpy(), pairs.row.to_numpy()
    km, value = pairs.km.to_numpy(), pairs.value.to_numpy()
    order = np.lexsort((row, km, -value, segment))
    segment, row, km, value = segment[order], row[order], km[order], value[order]
    totals = np.bincount(segment, weights=value, minlength=n)
    texts = [f"no located events within {reach:g} km"] * n
    if len(segment) == 0:
        return totals, texts
    starts = np.flatnonzero(np.r_[True, segment[1:] != segment[:-1]])
    counts = np.diff(np.r_[starts, len(segment)])
    tops = [range(start, start + min(count, TOP_EVENTS)) for start, count in zip(starts, counts)]
    described = describe(np.unique(row[[k for top in tops for k in top]]))
    for start, count, top in zip(starts, counts, tops):
        listed = "; ".join(f"{described[row[k]]} at {km[k]:.0f} km: {value[k]:.2f}" for k in top)
        texts[segment[start]] = f"{count} event(s) within {reach:g} km; largest: {listed}"
    return totals, texts


def _country_events_factor(segments: gpd.GeoDataFrame, events: gpd.GeoDataFrame, config: RiskConfig, as_of: date):
    n = len(segments)
    known = known_by(events[~located(events)], as_of)
    known = known[known["country"].notna()] if "country" in known else known.iloc[0:0]
    if known.empty:
        return np.zeros(n), ["no events located only to a country on either side"] * n
    weight = float(config["country_events"]["weight"])
    base = pd.Series(weight * event_weights(known, config, as_of), index=known.index)
    per_country = base.sort_values(kind="stable").groupby(known["country"]).sum()
    titles = known.assign(value=base).sort_values("value", ascending=False).groupby("country")

    def on_border(a: str, b: str) -> tuple[float, str]:
        value, parts = 0.0, []
        for side in (a, b):
            if side in per_country.index:
                value += per_country[side]
                group = titles.get_group(side)
                listed = "; ".join(describe_event(r) for r in group.head(TOP_EVENTS).itertuples())
                parts.append(f"{len(group)} event(s) located only to {side} ({per_country[side]:.2f}): {listed}")
        return value, " | ".join(parts) or "no events located only to a country on either side"

    return _per_border(segments, on_border)


def _agreements_factor(segments: gpd.GeoDataFrame, agreements: pd.DataFrame, config: RiskConfig, as_of: date):
    cfg = config["agreements"]
    watched = country_codes(config["watchlist"]["countries"])
    keywords = [k.lower() for k in cfg["keywords"]]
    known = known_by(agreements, as_of)
    if "end_date" in known:
        known = known[known["end_date"].isna() | (known["end_date"] > pd.Timestamp(as_of))]
    known = known[[any(k in str(t).lower() for k in keywords) for t in known["type"]]]

    def on_border(a: str, b: str) -> tuple[float, str]:
        value, parts = 0.0, []
        for row in known.itertuples():
            parties = set(row.parties)
            weight = float(cfg["weight"]) * float(cfg["status_weights"].get(row.status, 0.0))
            brought = sorted((parties & watched) - {a, b})
            hosts = sorted(parties & {a, b})
            if weight > 0 and brought and hosts:
                value += weight
                title = row.title if isinstance(getattr(row, "title", None), str) else row.type
                signed = format_date(row.date, getattr(row, "date_precision", "day"))
                parts.append(
                    f"{title} ({row.type}, {row.status} {signed}) brings "
                    f"{', '.join(brought)} to {', '.join(hosts)}: {weight:g}"
                )
        return value, "; ".join(parts) or "no security agreement in force brings a watched country to either side"

    return _per_border(segments, on_border)


def _alliances_factor(segments: gpd.GeoDataFrame, memberships: pd.DataFrame, config: RiskConfig, as_of: date):
    watched = {name.casefold() for name in config["alliances"]["watched"]}
    known = memberships
    if "since" in known:
        known = known[known["since"].isna() | (known["since"] <= pd.Timestamp(as_of))]
    known = known[[name.casefold() in watched for name in known["alliance"]]]
    by_country = known.groupby("country")["alliance"].agg(sorted)

    def on_border(a: str, b: str) -> tuple[float, str]:
        parts = [
            f"{side} is a member of {name}" for side in (a, b) if side in by_country.index for name in by_country[side]
        ]
        text = "; ".join(parts) or "neither side is in a watched alliance"
        return float(config["alliances"]["weight"]) * len(parts), text

    return _per_border(segments, on_border)


def _annotations_factor(segments: gpd.GeoDataFrame, annotations: gpd.GeoDataFrame, config: RiskConfig, as_of: date):
    import shapely

    n = len(segments)
    if "risk_adjustment" not in annotations:
        return np.zeros(n), ["no annotation carries a risk adjustment"] * n
    adjusting = annotations[annotations["risk_adjustment"].notna()]
    values, texts = np.zeros(n), [[] for _ in range(n)]
    if len(adjusting):
        tree = shapely.STRtree(segments.geometry.to_numpy())
        notes = adjusting.geometry.to_numpy()
        note_idx, seg_idx = tree.query(notes, predicate="intersects")
        # A stretch ending where the next segment starts only touches that segment: not on it.
        on = ~shapely.touches(notes[note_idx], segments.geometry.to_numpy()[seg_idx])
        for a, s in zip(note_idx[on], seg_idx[on]):
            row = adjusting.iloc[a]
            adjustment = float(config["annotations"]["weight"]) * float(row["risk_adjustment"])
            values[s] += adjustment
            reason = row.get("reason") or "no reason given"
            texts[s].append(f"{row.get('title') or 'annotation'}: {adjustment:+g} ({reason})")
    return values, ["; ".join(t) or "no annotation adjusts this segment" for t in texts]


def rollup(scored: pd.DataFrame, by: str = "border") -> pd.DataFrame:
    """Segment scores rolled up to whole borders or to countries, hottest first.

    A border's score is its hottest segment's (``score``), beside the length-weighted mean
    (``mean_score``) and where the hottest stretch is; a country's is its hottest border's.
    Maxima, not sums: a long border is not riskier for being long.
    """
    if by not in ("border", "country"):
        raise UserError(f"roll up by border or country, not {by!r}")
    frame = pd.DataFrame(scored.drop(columns=["factors", "geometry"], errors="ignore"))
    hottest = frame.sort_values(["score", "start_km"], ascending=[False, True]).drop_duplicates(["a", "b"])
    weighted = (frame.score * frame.length_km).groupby([frame.a, frame.b]).sum() / frame.groupby(
        ["a", "b"]
    ).length_km.sum()
    borders = hottest.set_index(["a", "b"]).assign(mean_score=weighted, segments=frame.groupby(["a", "b"]).size())
    borders = borders.reset_index()[["a", "b", "score", "mean_score", "segments", "start_km", "end_km"]]
    borders = borders.rename(columns={"start_km": "hottest_from_km", "end_km": "hottest_to_km"})
    if by == "border":
        return borders.sort_values(["score", "a", "b"], ascending=[False, True, True]).reset_index(drop=True)
    sides = pd.concat(
        [borders.assign(country=borders.a, neighbour=borders.b), borders.assign(country=borders.b, neighbour=borders.a)]
    )
    sides = sides.sort_values(["score", "neighbour"], ascending=[False, True])
    countries = sides.drop_duplicates("country").set_index("country")
    result = pd.DataFrame(
        {
            "country": countries.index,
            "score": countries.score.to_numpy(),
            "hottest_border": [f"{a}-{b}" for a, b in zip(countries.a, countries.b)],
            "borders": sides.groupby("country").size().loc[countries.index].to_numpy(),
        }
    )
    return result.sort_values(["score", "country"], ascending=[False, True]).reset_index(drop=True)
