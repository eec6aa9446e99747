"""Record types (events, agreements, memberships) and the validation of their rows.

A record type is a list of fields, each with a parser that turns the text of a cell into a
value or raises ``ValueError`` with a message a user can act on. Validation runs every parser
on every row and collects all problems before failing, so a user fixes a file in one pass.
Columns the type does not know are kept as they are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from borderrisk.data.bounds import COUNT_MAX, HEADER_CELL_MAX_CHARS, HEADER_MAX_COLUMNS
from borderrisk.data.errors import SHOWN_PROBLEMS, InputError, Problem
from borderrisk.data.finite import finite_number

#: Dates as precise as the source gives them.
DATE_FORMS = {
    "day": re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+Z?)?$"),
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "year": re.compile(r"^(\d{4})$"),
}
CONFIDENCE = ("low", "medium", "high")
AGREEMENT_STATUS = ("announced", "signed", "ratified", "in force", "suspended", "expired", "withdrawn")


#: The years a date may have: the span of pandas' nanosecond timestamps, which every layer uses.
YEARS = (1678, 2261)


def parse_date(text: str) -> tuple[date, str]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a time after the day is allowed) -> the first
    day of that period and its precision ("year", "month" or "day"), in the :data:`YEARS`."""
    text = text.strip()
    for precision, form in DATE_FORMS.items():
        match = form.match(text)
        if match:
            year, month, day = (int(g) for g in (*match.groups(), 1, 1)[:3])
            if not YEARS[0] <= year <= YEARS[1]:
                raise ValueError(f"{text!r}: the year must be from {YEARS[0]} to {YEARS[1]}")
            try:
                return date(year, month, day), precision
            except ValueError as error:
                raise ValueError(f"{text!r} is not a real date ({error})") from None
    raise ValueError(f"{text!r} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY")


def last_day(first: date, precision: str) -> date:
    """The last day of the period a date stands for: a month's or a year's last day."""
    import calendar

    if precision == "month":
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if precision == "year":
        return first.replace(month=12, day=31)
    return first


#: How precisely a source knows a date, finest first: the day, the week (ACLED
#: ``time_precision`` 2, UCDP ``date_prec`` 2-3), the month or the year.
PRECISIONS = ("day", "week", "month", "year")
#: A date's text at each precision: the characters of its ISO date (YYYY-MM-DD) it keeps, and a
#: mark. A week keeps its day, marked approximate with "~" as the Library of Congress's EDTF
#: writes it: the source recorded that day for an event of that week, and the time filter still
#: needs the day. The map runtime reads exactly these forms (``parseDate`` in render/static/runtime/format.js).
DATE_TEXT = {"day": (10, ""), "week": (10, "~"), "month": (7, ""), "year": (4, "")}


def precision_of(precision: Any) -> str:
    """A precision as given, or "day" when missing or unknown (a date alone is a day)."""
    return precision if precision in DATE_TEXT else "day"


def format_date(value: Any, precision: Any = "day") -> str:
    """A date as text only as precise as it is known: "2007", "2010-10", "2023-07-16" or, for
    a week, "2023-07-16~"."""
    chars, mark = DATE_TEXT[precision_of(precision)]
    return value.strftime("%Y-%m-%d")[:chars] + mark


def _number(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = finite_number(text)
        if not low <= value <= high:
            raise ValueError(f"{value:g} is out of range [{low:g}, {high:g}]")
        return value

    return parse


def _severity(text: str) -> int:
    value = _number(1, 5)(text)
    if value != int(value):
        raise ValueError(f"{text!r} is not a whole number from 1 to 5")
    return int(value)


def _count(text: str) -> int:
    """A count (deaths) by the exports' rule (:func:`borderrisk.data.formats.table.count`): a
    whole number from 0 to :data:`~borderrisk.data.bounds.COUNT_MAX`. ``inf`` or ``1e308`` deaths
    would make a segment's sum infinite and the model's features meaningless."""
    try:
        value = finite_number(text)
    except ValueError:
        value = math.nan
    if not (0 <= value <= COUNT_MAX and value == int(value)):
        raise ValueError(f"{text.strip()!r} is not a whole number from 0 to {COUNT_MAX:,}")
    return int(value)


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = " ".join(text.strip().lower().replace("_", " ").split())
        if value not in options:
            raise ValueError(f"{text!r} is not one of: {', '.join(options)}")
        return value

    return parse


def _label(text: str) -> str:
    value = " ".join(text.strip().lower().replace("_", " ").split())
    if not value:
        raise ValueError("is empty")
    return value


def _text(text: str) -> str:
    return text.strip()


def _country(text: str) -> str:
    from borderrisk.geo.countries import resolve

    try:
        return resolve(text).code
    except LookupError as error:
        raise ValueError(str(error)) from None


def _countries(text: str) -> list[str]:
    codes = [_country(part) for part in text.split(";") if part.strip()]
    if len(set(codes)) < 2:
        raise ValueError(f"{text!r} names fewer than two countries; separate parties with ';'")
    return codes


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def header(names: Iterable[Any], file: str, known: Iterable[str] = ()) -> list[str]:
    """A file's column names by the one rule for every tabular input: surrounding spaces do
    not count, and a name matches a ``known`` column whatever its case (``" Date "`` is
    ``date``); other names keep their case. A name given twice (so compared) is an error
    naming both positions (1-based); so is a header past the bounds of
    :mod:`borderrisk.data.bounds` (a name too long, too many columns)."""
    names = list(names)
    if len(names) > HEADER_MAX_COLUMNS:
        raise InputError([Problem(file, "header", "", f"has {len(names):,} columns, more than {HEADER_MAX_COLUMNS:,}")])
    longest = max((len(str(name)) for name in names), default=0)
    if longest > HEADER_CELL_MAX_CHARS:
        message = f"has a column name of {longest:,} characters, more than {HEADER_CELL_MAX_CHARS:,}"
        raise InputError([Problem(file, "header", "", message)])
    by_fold = {name.casefold(): name for name in known}
    columns: list[str] = []
    first: dict[str, int] = {}
    problems = []
    for position, name in enumerate(names, start=1):
        text = str(name).strip()
        folded = text.casefold()
        if folded in first and text:  # unnamed columns (a trailing comma) are not names
            problems.append(
                Problem(file, "header", text, f"is given twice: columns {first[folded]} and {position}; keep one")
            )
        first.setdefault(folded, position)
        columns.append(by_fold.get(folded, text))
    if problems:
        raise InputError(problems)
    return columns


@dataclass(frozen=True)
class Field:
    """One column: its parser, whether it must be there, and what it means (for --help)."""

    name: str
    parse: Callable[[str], Any]
    required: bool = False
    doc: str = ""
    #: Whether the records carry the field when the file has no such column (as empty). A
    #: count the file does not give (deaths) is left out, so "no fatalities column" stays
    #: knowable (``--min-fatalities``, ``--where fatalities>=1`` say so instead of matching none).
    always: bool = True


@dataclass(frozen=True)
class RecordType:
    """The columns of one kind of record. ``located`` types need ``lat``/``lon`` or ``place``."""

    name: str
    fields: tuple[Field, ...]
    located: bool = False
    #: Completes a parsed row (derived fields) and yields ``(field, message)`` problems.
    complete: Callable[[dict[str, Any]], Iterable[tuple[str, str]]] = field(default=lambda row: ())

    @property
    def required(self) -> list[str]:
        return [f.name for f in self.fields if f.required]

    def validate(
        self,
        rows: Iterable[tuple[str, dict[str, Any]]],
        file: str,
        columns: Iterable[str],
        skipped: list[Problem] | None = None,
    ) -> list[dict]:
        """Parse every row; raise :class:`InputError` listing every problem in the file. Given a
        ``skipped`` list, bad rows are left out instead, each one's first problem added to it.

        ``rows`` are ``(where, cells)`` pairs, ``where`` being "line 12" or "feature 3".
        """
        columns = set(columns)
        problems = [
            Problem(file, "header", name, "required column is missing") for name in self.required if name not in columns
        ]
        if self.located and not ({"lat", "lon"} <= columns or "place" in columns):
            problems.append(Problem(file, "header", "lat/lon/place", "give lat and lon columns, or a place column"))
        if problems:
            raise InputError(problems)
        records, total = [], 0
        for where, cells in rows:
            record, row_problems = self._parse_row(cells)
            if skipped is not None and row_problems:
                skipped.append(Problem(file, where, *row_problems[0]))
                continue
            if row_problems or total:  # the file fails: count its problems, keep the first ones only
                total += len(row_problems)
                room = SHOWN_PROBLEMS - len(problems)
                problems.extend(Problem(file, where, name, message) for name, message in row_problems[:room])
                records.clear()
                continue
            record["_where"] = where
            records.append(record)
        if problems:
            raise InputError(problems, total=total)
        return records

    def _parse_row(self, cells: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        record: dict[str, Any] = {k: v for k, v in cells.items() if k not in self.known}
        problems: list[tuple[str, str]] = []
        for spec in self.fields:
            if not spec.always and spec.name not in cells:
                continue
            raw = cells.get(spec.name)
            text = "" if raw is None else str(raw)
            if not text.strip():
                if spec.required:
                    problems.append((spec.name, "is empty"))
                record[spec.name] = None
                continue
            try:
                record[spec.name] = spec.parse(text)
            except ValueError as error:
                problems.append((spec.name, str(error)))
                record[spec.name] = None
        if not problems:
            problems.extend(self.complete(record))
        return record, problems

    @property
    def known(self) -> set[str]:
        return {f.name for f in self.fields}


def _locate_event(row: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """Fill lat/lon, country and ``location_precision`` from coordinates or the place name."""
    yield from _end_before_start(row)
    if (row["lat"] is None) != (row["lon"] is None):
        yield ("lat" if row["lat"] is None else "lon", "give both lat and lon, or neither")
    elif row["lat"] is not None:
        row["location_precision"] = "exact"
    elif not row["place"]:
        yield ("place", "no location: give lat and lon, or a place")
    else:
        from borderrisk.geo.places import find_place

        try:
            place = find_place(row["place"], country=row["country"])
        except LookupError as error:
            yield ("place", str(error))
            return
        row["lat"], row["lon"], row["location_precision"] = place.lat, place.lon, place.precision
        row["country"] = row["country"] or place.country


def _end_before_start(row: dict[str, Any]) -> Iterable[tuple[str, str]]:
    if row.get("end_date") and row.get("date") and row["end_date"][0] < row["date"][0]:
        yield ("end_date", "is before the start date")


EVENTS = RecordType(
    "events",
    (
        Field("date", parse_date, True, "when it happened: YYYY-MM-DD, YYYY-MM or YYYY"),
        Field("title", _text, True, "one line: what happened"),
        Field("type", _label, True, "attack, visit, agreement signing, statement, sanction, acquisition, ..."),
        Field("end_date", parse_date, doc="last day, for events that lasted"),
        Field("severity", _severity, doc="1 (minor) to 5 (grave)"),
        Field("fatalities", _count, doc="reported deaths, a whole number", always=False),
        Field("actors", _list, doc="people and organisations, separated by ';'"),
        Field("place", _text, doc='a city ("La Paz, BO") or a country, resolved offline'),
        Field("lat", _number(-90, 90), doc="latitude, WGS84 degrees"),
        Field("lon", _number(-180, 180), doc="longitude, WGS84 degrees"),
        Field("country", _country, doc="country where it happened (derived from place when missing)"),
        Field("description", _text),
        Field("source", _text, doc="where the fact comes from"),
        Field("confidence", _choice(CONFIDENCE), doc="low, medium or high"),
    ),
    located=True,
    complete=_locate_event,
)

AGREEMENTS = RecordType(
    "agreements",
    (
        Field("parties", _countries, True, "two or more countries, separated by ';'"),
        Field("date", parse_date, True, "when it was signed or announced"),
        Field("type", _text, True, "defence MoU, military cooperation, trade, ..."),
        Field("status", _choice(AGREEMENT_STATUS), True, ", ".join(AGREEMENT_STATUS)),
        Field("title", _text),
        Field("end_date", parse_date, doc="when it ended, if it did"),
        Field("signatories", _list, doc="people who signed, separated by ';'"),
        Field("place", _text, doc="where it was signed"),
        Field("description", _text),
        Field("source", _text),
    ),
    complete=_end_before_start,
)

MEMBERSHIPS = RecordType(
    "alliances",
    (
        Field("alliance", _text, True, "name of the alliance or organisation, e.g. ALBA-TCP"),
        Field("country", _country, True, "member country"),
        Field("since", parse_date, doc="when it joined"),
        Field("role", _label, doc="member (default), observer, ..."),
        Field("note", _text),
        Field("source", _text),
    ),
)
