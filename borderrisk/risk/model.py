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
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, nullcontext
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from borderrisk.data.batches import EventSource, LatestSeen, latest_date
from borderrisk.data.errors import UserError
from borderrisk.data.filters import filtered_source
from borderrisk.risk import reasons
from borderrisk.risk.classes import classified
from borderrisk.risk.config import FACTORS, RiskConfig
from borderrisk.risk.pairing import SCORED, EventPairs, EventTallies, country_codes, known_by
from borderrisk.risk.read_ahead import ReadAhead
from borderrisk.risk.tally import Tally

if TYPE_CHECKING:
    import geopandas as gpd

    from borderrisk.geo.geodesy import NearLines

logger = logging.getLogger("borderrisk.risk")


def border_pairs(focus: list[str] | tuple[str, ...] | None) -> list[tuple[str, str]]:
    """The borders to score: between focus countries (two or more), around one focus country,
    or every land border of the world."""
    from borderrisk.geo.borders import all_borders, borders_among
    from borderrisk.geo.countries import resolve

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


def segments_for(focus: list[str] | tuple[str, ...] | None, km: float) -> gpd.GeoDataFrame:
    """The segments of the borders to score, in border order."""
    from borderrisk.geo.borders import segments_of

    return segments_of(border_pairs(focus), km)


def score(
    events: Any = None,
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
    """Score border segments from events, agreements, alliances and annotations.

    Parameters
    ----------
    events, agreements, alliances, annotations
        The layers' frames (see :meth:`borderrisk.render.mapping.BorderRiskMap.frames`);
        ``events`` may also be a GeoParquet path, a list of these, a dask-geopandas frame or an
        event source, on either engine (:func:`borderrisk.data.batches.event_batches`).
    focus
        Countries whose borders are scored (default: every country in the inputs).
    as_of
        The date the score is for: later features are left out, older ones decay.
    config
        Weights and watchlist (default: the built-in ``risk.toml``).
    engine
        ``"pandas"`` in memory, or ``"dask"``: events paired with segments on dask-geopandas,
        on a local cluster or the scheduler
        at ``scheduler``; the result equals the in-memory engine's.
    scheduler
        A dask scheduler address, for ``engine="dask"``.
    where, since, until
        Only the events that match every ``where`` condition (see :mod:`borderrisk.data.filters`)
        and fall within [``since``, ``until``] count; ``as_of`` defaults to ``until`` when that
        is given.

    Returns
    -------
    GeoDataFrame
        One row per segment, highest score first: ``a``, ``b``, ``segment``, ``start_km``,
        ``end_km``, ``score``, one column per factor with its contribution, ``factors`` (a list
        of ``{name, contribution, explanation}``) and the segment's geometry.

    Notes
    -----
    ``events`` may be a GeoDataFrame, a GeoParquet file or folder (read batch by batch, so
    memory does not grow with the file) or a :mod:`borderrisk.data.batches` source. To score the
    same inputs for many as-of dates, pair them once with :class:`Scorer`.

    Examples
    --------
    >>> from borderrisk.inputs import load_frames                             # doctest: +SKIP
    >>> frames, focus = load_frames()            # the built-in scenario
    >>> score(**frames, focus=focus).iloc[0][["a", "b", "score"]]
    """
    if engine not in ("pandas", "dask"):
        raise UserError(f"unknown engine {engine!r}: use pandas or dask")
    inputs = {"agreements": agreements, "alliances": alliances, "annotations": annotations}
    as_of = as_of or until
    events = filtered_source(events, where, since=since, until=until)
    if engine == "pandas":
        scorer = Scorer(events, **inputs, focus=focus, config=config, keep_pairs=False)
        return scorer.score(as_of)
    from borderrisk.risk.dask_engine import DaskEngine, client

    with client(scheduler) as connected:
        scorer = Scorer(events, **inputs, focus=focus, config=config, engine=DaskEngine(connected))
        return scorer.score(as_of)


#: Factors that depend on the as-of date only through which records are in force then.
RECORD_FACTORS = ("agreements", "alliances", "annotations")


def record_factors(
    segments: gpd.GeoDataFrame, inputs: dict[str, Any], config: RiskConfig, as_of: date
) -> dict[str, np.ndarray]:
    """The agreements, alliances and annotations contributions per segment on one date, as
    :func:`score` computes them; ``inputs`` holds those frames by name (None when absent)."""
    values = {}
    for name in RECORD_FACTORS:
        source = inputs.get(name)
        if source is None or len(source) == 0 or float(config[name]["weight"]) == 0:
            values[name] = np.zeros(len(segments))
        else:
            values[name] = RECORD_FUNCTIONS[name](segments, source, config, as_of)[0]
    return values


class Scorer:
    """The scoring of one set of inputs, ready for many as-of dates: the segments are cut and
    (with ``keep_pairs``, for an in-memory events frame) the events paired with them once, so
    each :meth:`score` only weighs the pairs for its date. A back-test's rolling origins and a
    trend's periods call :meth:`score` again and again; :func:`score` is one call of it.

    Without ``keep_pairs`` (or for a GeoParquet source) every :meth:`score` streams the events
    batch by batch: memory depends on the batch and the segments, not on the number of events.
    """

    def __init__(
        self,
        events: Any = None,
        agreements: gpd.GeoDataFrame | None = None,
        alliances: gpd.GeoDataFrame | None = None,
        annotations: gpd.GeoDataFrame | None = None,
        *,
        focus: list[str] | tuple[str, ...] | None = None,
        config: RiskConfig | None = None,
        keep_pairs: bool = True,
        engine: Any = None,
    ) -> None:
        from borderrisk.data.batches import FrameBatches, event_batches

        self.config = config or RiskConfig.load()
        self.segments = segments_for(focus, float(self.config["segments"]["length_km"]))
        self.countries = sorted(set(self.segments.a) | set(self.segments.b))
        self.engine = engine
        if events is not None:
            events = event_batches(events, columns=SCORED)
        if events is not None and engine is not None:
            events = engine.positioned(events, SCORED)
        #: An :class:`~borderrisk.data.batches.EventSource`, or the dask engine's partitions.
        self.events: EventSource | Any = events
        self.rows = 0 if events is None else engine.rows if engine is not None else len(events)
        self.agreements, self.alliances, self.annotations = agreements, alliances, annotations
        self.keep_pairs = keep_pairs and isinstance(events, FrameBatches)
        self._pairs: list[EventPairs] | None = None
        self._near: NearLines | None = None

    def latest_date(self) -> date:
        """The as-of date when none is given (see :func:`borderrisk.data.batches.latest_date`)."""
        return latest_date(self.events, self.agreements, self.alliances)

    def near_lines(self) -> NearLines:
        """The segments ready to be measured against batch after batch, built once."""
        from borderrisk.geo.geodesy import NearLines

        if self._near is None:
            self._near = NearLines(self.segments.geometry.to_numpy())
        return self._near

    def pairs(self) -> list[EventPairs]:
        """The located events paired with the segments, batch by batch, computed once."""
        if self._pairs is None:
            near = self.near_lines()
            self._pairs = [EventPairs.of(batch, self.segments, self.config, near=near) for batch in self.events]
        return self._pairs

    def score(self, as_of: date | None = None) -> gpd.GeoDataFrame:
        """Every segment's score and reasons as of a date (default: :meth:`latest_date`).

        Without a date, a batch source is scored in one pass as of the date its latest event
        most likely has (``guess_latest``: a stream's date columns alone, read quickly); the
        pass sees every event, so it checks the guess, and scores again, as of the latest
        date it saw, only if the guess was wrong (e.g. ``--where`` left the latest event out)."""
        if as_of is not None or self.events is None or self.engine is not None:
            as_of = as_of or self.latest_date()
            tallies = self._tallies(as_of) if self.rows else None
            return self._result(as_of, tallies)

        # The guess reads the date columns alone, block by block, before the pass starts its
        # threads and its helper process: neither waits for the other's cores.
        guess = latest_date(self.events, self.agreements, self.alliances, guess=True)
        tallies, seen = self._pass(guess)
        as_of = latest_date(seen, self.agreements, self.alliances)
        if as_of != guess:
            logger.info("the latest event is of %s, not %s: scoring again", as_of, guess)
            tallies, seen = self._pass(as_of)
        return self._result(as_of, tallies)

    def _result(self, as_of: date, tallies: EventTallies | None) -> gpd.GeoDataFrame:
        config, n = self.config, len(self.segments)
        contributions: dict[str, np.ndarray] = {}
        explanations: dict[str, list[str]] = {}
        for name in FACTORS:
            weight = float(config[name]["weight"])
            found = self._factor(name, tallies, as_of) if weight != 0 else None
            if found is None:
                contributions[name], explanations[name] = np.zeros(n), [reasons.absent(name, weight)] * n
            else:
                contributions[name], explanations[name] = found
        logger.info(
            "scored %d segment(s) of %d border(s) as of %s",
            n,
            len(set(zip(self.segments.a, self.segments.b))),
            as_of.isoformat(),
        )
        deaths = tallies.fatalities() if tallies else np.full(n, np.nan)
        scored = _scored(self.segments, contributions, explanations, deaths, as_of)
        return classified(scored, config["classes"])

    def _factor(self, name: str, tallies: EventTallies | None, as_of: date) -> tuple[np.ndarray, list[str]] | None:
        if name == "events":
            return _events_factor(tallies, len(self.segments), self.config) if tallies else None
        if name == "country_events":
            if not tallies or not tallies.country_only:
                return None
            return _country_events_factor(self.segments, self.countries, tallies.countries)
        source = {"agreements": self.agreements, "alliances": self.alliances, "annotations": self.annotations}[name]
        if source is None or len(source) == 0:
            return None
        return RECORD_FUNCTIONS[name](self.segments, source, self.config, as_of)

    def _tallies(self, as_of: date) -> EventTallies:
        if self.engine is not None:
            return self.engine.tallies(self.events, self.segments, self.countries, self.config, as_of)
        return self._pass(as_of)[0]

    def _pass(self, as_of: date) -> tuple[EventTallies | None, LatestSeen]:
        """One pass over the events: their tallies as of ``as_of`` (None without events) and
        the latest dates seen. A stream is read, paired and tallied at once, each in a thread
        of its own, one batch apart (see :class:`borderrisk.risk.read_ahead.ReadAhead`), a big one's
        distances measured in a helper process (see :meth:`_measuring`); a stream that has to
        read a file again starts the pass over."""
        from borderrisk.data.formats.reading import whole_passes

        for attempt in whole_passes():
            with attempt:
                passed = self._one_pass(as_of)
        return passed

    def _one_pass(self, as_of: date) -> tuple[EventTallies | None, LatestSeen]:
        tallies = EventTallies.empty(len(self.segments), len(self.countries))
        seen = LatestSeen()
        with ExitStack() as stack:
            if self.keep_pairs:
                paired: Iterator[tuple[Any, EventPairs]] = zip(self.events, self.pairs())
            else:
                batches = ReadAhead(self.events)  # reads while the measuring starts
                stack.callback(batches.close)
                near = stack.enter_context(self._measuring())
                paired = ReadAhead(self._paired(batches, as_of, near))
                stack.callback(paired.close)
            for batch, pairs in paired:
                seen.add(batch)
                tallies.add(batch, pairs, self.countries, self.config, as_of)
        self.rows = len(self.events)
        return (tallies if self.rows else None), seen

    def _measuring(self) -> AbstractContextManager[Any]:
        """What measures a stream's distances to the segments: a process of its own for a
        big stream (see :mod:`borderrisk.risk.measuring`), else :meth:`near_lines`."""
        from borderrisk.risk.measuring import APART_FROM_ROWS, MeasuredApart

        if len(self.events) >= APART_FROM_ROWS:
            try:
                return MeasuredApart(self.segments.geometry.to_numpy())
            except OSError as error:  # it cannot start here: measured in this process, more slowly
                logger.warning("measuring distances in this process: %s", error)
        return nullcontext(self.near_lines())

    def _paired(self, batches: Iterator[Any], until: date | None, near: Any) -> Iterator[tuple[Any, EventPairs]]:
        """Each batch with its :class:`EventPairs` (events known by ``until``, if given),
        measured by ``near`` (see :meth:`_measuring`)."""
        try:
            for batch in batches:
                yield batch, EventPairs.of(batch, self.segments, self.config, until=until, near=near)
        finally:
            getattr(batches, "close", lambda: None)()


def _scored(
    segments: gpd.GeoDataFrame, contributions: dict, explanations: dict, deaths: np.ndarray, as_of: date
) -> gpd.GeoDataFrame:
    n = len(segments)
    result = segments.copy()
    for name in FACTORS:
        result[name] = contributions[name]
    result["score"] = sum(contributions[name] for name in FACTORS)
    result["fatalities"] = deaths
    result["factors"] = [
        [
            {"name": name, "contribution": float(contributions[name][i]), "explanation": explanations[name][i]}
            for name in FACTORS
        ]
        for i in range(n)
    ]
    result.attrs["as_of"] = as_of.isoformat()
    order = ["a", "b", "segment", "start_km", "end_km", "length_km", "score", *FACTORS, "fatalities"]
    order += ["factors", "geometry"]
    result = result[order].sort_values(["score", "a", "b", "start_km"], ascending=[False, True, True, True])
    return result.reset_index(drop=True)


def _per_border(segments: pd.DataFrame, fn) -> tuple[np.ndarray, list[str]]:
    """Evaluate a border-level factor once per border and give it to each of its segments."""
    results = {pair: fn(*pair) for pair in dict.fromkeys(zip(segments.a, segments.b))}
    pairs = list(zip(segments.a, segments.b))
    return np.array([results[p][0] for p in pairs], dtype=float), [results[p][1] for p in pairs]


def _listed(tally: Tally) -> dict[int, list[tuple[reasons.Message, float, float]]]:
    """Each key's largest contributions as (description, km, value), largest first."""
    top = tally.top
    if top is None or top.empty:
        return {}
    found: dict[int, list[tuple[reasons.Message, float, float]]] = {}
    for key, text, km, value in zip(top.key.tolist(), reasons.events(top), top.km.tolist(), top.value.tolist()):
        found.setdefault(key, []).append((text, km, value))
    return found


def _events_factor(tallies: EventTallies, n: int, config: RiskConfig) -> tuple[np.ndarray, list[str]]:
    """Each segment's sum of located events and, as its reason, its largest events."""
    reach = float(config["events"]["distance_km"])
    texts = [reasons.no_events_near(reach)] * n
    for segment, largest in _listed(tallies.segments).items():
        texts[segment] = reasons.events_near(tallies.segments.counts[segment], reach, largest)
    return tallies.segments.totals(), texts


def _country_events_factor(segments: gpd.GeoDataFrame, countries: list[str], tally: Tally):
    per_country = dict(zip(countries, tally.totals().tolist()))
    counts = dict(zip(countries, tally.counts.tolist()))
    listed = {countries[key]: [t for t, _, _ in largest] for key, largest in _listed(tally).items()}

    def on_border(a: str, b: str) -> tuple[float, str]:
        value, parts = 0.0, []
        for side in (a, b):
            if counts[side]:
                value += per_country[side]
                parts.append(reasons.events_in_country(counts[side], side, per_country[side], listed[side]))
        return value, reasons.joined(parts, " | ", reasons.NO_COUNTRY_EVENTS)

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
                parts.append(reasons.agreement(row, title, brought, hosts, weight))
        return value, reasons.joined(parts, "; ", reasons.NO_AGREEMENT)

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
            reasons.membership(side, name) for side in (a, b) if side in by_country.index for name in by_country[side]
        ]
        return float(config["alliances"]["weight"]) * len(parts), reasons.joined(parts, "; ", reasons.NO_ALLIANCE)

    return _per_border(segments, on_border)


def _annotations_factor(segments: gpd.GeoDataFrame, annotations: gpd.GeoDataFrame, config: RiskConfig, as_of: date):
    import shapely

    n = len(segments)
    if "risk_adjustment" not in annotations:
        return np.zeros(n), [reasons.NO_ADJUSTMENTS] * n
    adjusting = annotations[annotations["risk_adjustment"].notna()]
    values, texts = np.zeros(n), [[] for _ in range(n)]
    if len(adjusting):
        tree = shapely.STRtree(segments.geometry.to_numpy())
        notes = adjusting.geometry.to_numpy()
        points = shapely.get_type_id(notes) == shapely.GeometryType.POINT
        note_idx, seg_idx = tree.query(notes, predicate="intersects")
        # A stretch ending where the next segment starts only touches that segment: not on it.
        on = ~shapely.touches(notes[note_idx], segments.geometry.to_numpy()[seg_idx]) & ~points[note_idx]
        for a, s in zip(note_idx[on], seg_idx[on]):
            row = adjusting.iloc[a]
            adjustment = float(config["annotations"]["weight"]) * float(row["risk_adjustment"])
            values[s] += adjustment
            texts[s].append(reasons.adjustment(row.get("title"), adjustment, row.get("reason")))
        for a, s, km in zip(*_points_in_reach(notes, points, segments, config)):
            row = adjusting.iloc[a]
            adjustment = float(config["annotations"]["weight"]) * float(row["risk_adjustment"])
            values[s] += adjustment
            texts[s].append(reasons.point_adjustment(row.get("title"), adjustment, row.get("reason"), km))
    return values, [reasons.joined(t, "; ", reasons.NOT_ADJUSTED) for t in texts]


def _points_in_reach(notes: np.ndarray, points: np.ndarray, segments: gpd.GeoDataFrame, config: RiskConfig):
    """``(note, segment, km)`` for each point annotation and each segment within the events'
    reach of it (``events.distance_km``): a point is never on a border line, so it adjusts what
    an event there would count on."""
    import shapely

    from borderrisk.geo.geodesy import NearLines

    chosen = np.flatnonzero(points)
    if not len(chosen):
        return [], [], []
    near = NearLines(segments.geometry.to_numpy())
    lon, lat = shapely.get_x(notes[chosen]), shapely.get_y(notes[chosen])
    found, segment, km = near.within(lon, lat, float(config["events"]["distance_km"]))
    return chosen[found], segment, km


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


#: The functions of the record factors, each ``(segments, records, config, as_of) -> (values, texts)``.
RECORD_FUNCTIONS = {
    "agreements": _agreements_factor,
    "alliances": _alliances_factor,
    "annotations": _annotations_factor,
}
