"""Which events count: ``--where`` conditions and a date window, on in-memory and dask frames.

A condition is ``FIELD OP VALUE``; several conditions must all hold (AND), and a value may list
alternatives separated by commas (OR)::

    type=battles,explosions/remote violence   the type is one of these (case-insensitive)
    actor~IRGC                                an actor's name contains the word(s) IRGC
    country=BOL                               happened in Bolivia (any name or code resolves)
    severity>=3    fatalities>=1              numbers: = != > >= < <=
    source~Reuters    admin1=Tarija           text: = (whole value) and ~ (words), != (not =)

``=`` compares whole values, ``~`` looks for the words of the value, in order, among the
words of the field; both ignore case and accents ("Villazon" finds "Villazón"). Rows with no
value in the field never match (``!=`` neither). A field the events do not carry (GDELT has
no ``fatalities``) is an error naming it, not a silent empty result.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from borderrisk.data.batches import EventSource, Part, event_batches, is_event_source, latest_of
from borderrisk.data.bounds import WHERE_MAX_ALTERNATIVES
from borderrisk.data.errors import UserError
from borderrisk.data.finite import finite_number

logger = logging.getLogger("borderrisk.data")


class FilterError(UserError):
    """A condition that cannot be read, or cannot apply to the events; names field or operator."""


@dataclass(frozen=True)
class FilterField:
    """A field conditions may name: the events column it reads and how its values compare."""

    name: str
    column: str
    kind: str  # "label" | "text" | "list" | "country" | "number"
    doc: str


FIELDS = {
    f.name: f
    for f in (
        FilterField("type", "type", "label", "event type, e.g. battles, attack, protest"),
        FilterField("actor", "actors", "list", "any of the event's actors"),
        FilterField("country", "country", "country", "country where it happened (name or code)"),
        FilterField("admin1", "admin1", "text", "first-level region (state, province, department)"),
        FilterField("place", "place", "text", "place name"),
        FilterField("title", "title", "text", "the event's one-line title"),
        FilterField("source", "source", "text", "where the fact comes from (name or URL)"),
        FilterField("severity", "severity", "number", "1 (minor) to 5 (grave)"),
        FilterField("fatalities", "fatalities", "number", "reported deaths"),
    )
}
NUMBER_OPS = ("=", "!=", ">", ">=", "<", "<=")
TEXT_OPS = ("=", "!=", "~")
OPERATORS = ("!=", ">=", "<=", "=", "~", ">", "<")
COMPARE = {
    "=": np.equal,
    "!=": np.not_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "<": np.less,
    "<=": np.less_equal,
}
_CONDITION = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*([=!~<>]+)\s*(.*?)\s*$")
_WORD = re.compile(r"\w+")


def grammar() -> str:
    """The fields and operators, as ``--where`` help and errors show them."""
    return ", ".join(FIELDS) + "; operators: = != ~ (text), = != > >= < <= (numbers)"


def _words(text: str) -> str:
    """Folded words joined by single spaces and framed by spaces, so a phrase is a substring."""
    from borderrisk.geo.text import fold

    return " " + " ".join(_WORD.findall(fold(text))) + " "


def _folded(text: str) -> str:
    from borderrisk.geo.text import fold

    return fold(text.replace("_", " "))


@dataclass(frozen=True)
class Condition:
    """One parsed ``FIELD OP VALUE``; :meth:`mask` tells which rows of a frame satisfy it."""

    field: FilterField
    op: str
    values: tuple[Any, ...]
    text: str

    def __str__(self) -> str:
        return self.text

    def mask(self, frame: pd.DataFrame) -> np.ndarray:
        """Rows that satisfy the condition (a boolean array aligned with ``frame``)."""
        column = frame[self.field.column]
        if self.field.kind == "number":
            numbers = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
            tests = [COMPARE[self.op](numbers, value) for value in self.values]
            hits = np.logical_and.reduce(tests) if self.op == "!=" else np.logical_or.reduce(tests)
            return hits & ~np.isnan(numbers)
        match = self._matcher()
        if self.field.kind == "list":
            cells = [_names(cell) for cell in column]
            present = np.array([bool(cell) for cell in cells], dtype=bool)
            hits = np.array([any(match(v) for v in cell) for cell in cells], dtype=bool)
        else:
            cells = [c if isinstance(c, str) and c.strip() else None for c in column]
            present = np.array([c is not None for c in cells], dtype=bool)
            memo = {c: match(c) for c in set(cells) if c is not None}
            hits = np.array([memo.get(c, False) for c in cells], dtype=bool)
        return (~hits if self.op == "!=" else hits) & present

    def _matcher(self):
        if self.op == "~":
            phrases = [_words(v) for v in self.values]

            def has_phrase(text: str) -> bool:
                words = _words(text)  # once per cell, not once per phrase
                return any(p in words for p in phrases)

            return has_phrase
        if self.field.kind == "country":
            return lambda text: _country_code(text) in self.values
        wanted = {_folded(v) for v in self.values}
        return lambda text: _folded(text) in wanted


def _names(cell: Any) -> list[str]:
    """A list cell's names; dask may hand a list over as its text, which still matches by words."""
    if isinstance(cell, str):
        return [cell] if cell.strip() else []
    if isinstance(cell, (list, tuple, np.ndarray)):
        return [v for v in cell if isinstance(v, str)]
    return []


def _country_code(text: str) -> str:
    from borderrisk.geo.countries import resolve
    from borderrisk.geo.errors import UnknownCountryError

    try:
        return resolve(text).code
    except UnknownCountryError:
        return text


def parse_condition(text: str) -> Condition:
    """``FIELD OP VALUE`` -> a :class:`Condition`; raises :class:`FilterError` naming what is
    wrong (unknown field, unknown operator, an operator the field does not take, a bad value)."""
    if isinstance(text, Condition):
        return text
    match = _CONDITION.match(text)
    if not match:
        raise FilterError(f"{text!r} is not FIELD OP VALUE, e.g. type=battles or severity>=3")
    name, op, raw = match.groups()
    field = FIELDS.get(name.lower())
    if field is None:
        raise FilterError(f"unknown field {name!r} in {text!r}; fields: {grammar()}")
    if op not in OPERATORS:
        raise FilterError(f"unknown operator {op!r} in {text!r}; operators: {', '.join(OPERATORS)}")
    allowed = NUMBER_OPS if field.kind == "number" else TEXT_OPS
    if op not in allowed:
        raise FilterError(f"operator {op!r} does not apply to {name!r} in {text!r}; use {' '.join(allowed)}")
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts:
        raise FilterError(f"no value after {name}{op} in {text!r}")
    if len(parts) > WHERE_MAX_ALTERNATIVES:
        raise FilterError(
            f"{name}{op} lists {len(parts):,} alternatives, more than {WHERE_MAX_ALTERNATIVES:,}; "
            "filter the file with another tool first"
        )
    if field.kind == "number":
        try:
            values: tuple[Any, ...] = tuple(finite_number(p) for p in parts)
        except ValueError as error:
            raise FilterError(f"{name} takes finite numbers: {error}, in {text!r}") from None
    elif field.kind == "country" and op != "~":
        from borderrisk.geo.countries import resolve
        from borderrisk.geo.errors import UnknownCountryError

        try:
            values = tuple(resolve(p).code for p in parts)
        except UnknownCountryError as error:
            raise FilterError(f"{error} in {text!r}") from None
    else:
        values = tuple(parts)
    return Condition(field, op, values, text.strip())


def parse_conditions(texts: Iterable[str | Condition] | str | None) -> list[Condition]:
    """Every condition of ``texts`` (one string is one condition)."""
    if texts is None:
        return []
    if isinstance(texts, (str, Condition)):
        texts = [texts]
    return [parse_condition(t) for t in texts]


def _check_columns(conditions: Sequence[Condition], columns: Iterable[str]) -> None:
    have = set(columns)
    missing = sorted({c.field.name for c in conditions if c.field.column not in have})
    if missing:
        names = ", ".join(repr(m) for m in missing)
        raise FilterError(
            f"the events have no column for {names} to filter on (e.g. GDELT exports carry no fatalities); "
            f"their columns: {', '.join(c for c in sorted(have) if c != 'geometry')}"
        )


def matching(frame: pd.DataFrame, conditions: Iterable[str | Condition] | str | None) -> np.ndarray:
    """Which rows of ``frame`` satisfy every condition (a boolean array); a condition on a
    column the frame lacks is an error, never a silent "no match"."""
    parsed = parse_conditions(conditions)
    _check_columns(parsed, frame.columns)
    return _keep(frame, parsed, None, None)


def _keep(frame: pd.DataFrame, conditions: Sequence[Condition], since: date | None, until: date | None) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    for condition in conditions:
        keep &= condition.mask(frame)
    if since is not None or until is not None:
        dates = frame["date"]
        if since is not None:
            keep &= (dates >= pd.Timestamp(since)).to_numpy()
        if until is not None:
            keep &= (dates < pd.Timestamp(until) + pd.Timedelta(days=1)).to_numpy()
    return keep


def filter_events(
    events: Any,
    conditions: Iterable[str | Condition] | str | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
) -> Any:
    """The events that satisfy every condition and fall within [since, until] (undated events
    fall outside a window). Works on a pandas/geopandas frame and, lazily, on a dask one; the
    row index is kept, so engines that key rows by position still can.

    >>> filter_events(events, ["type=battles,explosions/remote violence", "fatalities>=1"])  # doctest: +SKIP
    """
    parsed = parse_conditions(conditions)
    if events is None or (not parsed and since is None and until is None):
        return events
    _check_columns(parsed, events.columns)
    if type(events).__module__.startswith("dask"):
        return events.map_partitions(lambda part: part[_keep(part, parsed, since, until)], meta=events._meta)
    kept = events[_keep(events, parsed, since, until)]
    if len(events) and not len(kept):
        _none_kept(len(events), parsed, since, until)
    return kept


def _none_kept(rows: int, conditions: list[Condition], since: date | None, until: date | None) -> None:
    """Say that a filter left nothing: the scores that follow are of no event at all."""
    said = [str(c) for c in conditions] + [f"since {since}"] * bool(since) + [f"until {until}"] * bool(until)
    logger.warning("the filter %s keeps none of the %s events", "; ".join(said), f"{rows:,}")


def parse_window(text: str) -> tuple[date | None, date]:
    """``DATE`` -> ``(None, DATE)``: everything known that day; ``FROM..TO`` -> the events of
    that window. A month or a year as the end means its last day (``2023-01..2023-06``)."""
    from borderrisk.data.schema import last_day, parse_date

    first, dots, last = text.partition("..")
    end = parse_date(last if dots else first)
    return (parse_date(first)[0] if dots else None), last_day(*end)


class FilteredBatches:
    """A batch source (:mod:`borderrisk.data.batches`) whose batches keep only the matching events,
    each still indexed by its position in the whole input."""

    def __init__(
        self, source: EventSource, conditions: list[Condition], since: date | None, until: date | None
    ) -> None:
        self.source, self.conditions, self.since, self.until = source, conditions, since, until

    def __len__(self) -> int:
        """The events before filtering: an upper bound, enough to tell an empty source."""
        return len(self.source)

    def __iter__(self) -> Iterator[Any]:
        rows = kept = 0
        for batch in self.source:
            chosen = _keep(batch, self.conditions, self.since, self.until) if len(batch) else []
            rows, kept = rows + len(batch), kept + int(np.count_nonzero(chosen))
            yield batch[chosen] if len(batch) else batch
        if rows and not kept:
            _none_kept(rows, self.conditions, self.since, self.until)

    def latest(self, column: str) -> Any:
        return latest_of(batch[column].max() for batch in self if column in batch and len(batch))

    def guess_latest(self, column: str) -> Any:
        """The source's latest value: the filtered events' latest, unless the filter left it out."""
        return self.source.guess_latest(column)

    def parts(self) -> list[Part]:
        """The source's parts, each keeping only the matching events (lazily, on dask)."""
        return [part.keeping(self.kept) for part in self.source.parts()]

    def kept(self, events: Any) -> Any:
        """The matching events of a frame, in memory or dask (see :func:`filter_events`)."""
        return filter_events(events, self.conditions, since=self.since, until=self.until)


def filtered_source(
    events: Any,
    conditions: Iterable[str | Condition] | str | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
) -> Any:
    """Events of any source the model takes (a frame, a dask frame, a GeoParquet path, a list
    of these, a batch source), keeping only those that match: frames are filtered at once,
    the others batch by batch as they are read."""
    parsed = parse_conditions(conditions)
    if events is None or (not parsed and since is None and until is None):
        return events
    if not is_event_source(events) and hasattr(events, "columns"):  # a frame, in memory or dask
        return filter_events(
            events.reset_index(drop=True) if isinstance(events, pd.DataFrame) else events,
            parsed,
            since=since,
            until=until,
        )
    source = event_batches(events)
    first = next(iter(source), None)
    if first is not None:
        _check_columns(parsed, first.columns)
    return FilteredBatches(source, parsed, since, until)
