"""One mapping table per format: which export columns make each borderrisk event column, and
how. The table is both the code that converts a batch of rows and the documentation docs/formats.md
shows (:meth:`Format.markdown`), so the two cannot drift apart.

The converters here work on whole columns of text at once (pandas), never row by row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from borderrisk.data.bounds import COUNT_MAX
from borderrisk.data.finite import finite_mask
from borderrisk.data.formats.dates import decided_order, parse_dates
from borderrisk.data.schema import YEARS

logger = logging.getLogger("borderrisk.data")
#: The event column naming the source a row comes from (acled, gdelt, gtd, ucdp): its licence
#: follows the rows through files, datasets, filters and merges, and event ids are unique per source.
ORIGIN = "origin"
#: Deaths to severity (1-5): 0 -> 1, 1-2 -> 2, 3-9 -> 3, 10-49 -> 4, 50+ -> 5.
DEATH_STEPS = (1, 3, 10, 50)


@dataclass(frozen=True)
class Rule:
    """One event column: the export's columns it comes from, the conversion, and the rule in
    words for docs/formats.md."""

    field: str
    columns: tuple[str, ...]
    convert: Callable[..., Any]
    how: str = ""
    #: The conversion reads dates: it takes the file's ``date_format`` (see :mod:`.dates`).
    dated: bool = False


@dataclass(frozen=True)
class Licence:
    """What a source's terms allow, declared beside its driver: the attribution every output
    of its data carries, and whether its raw rows may be passed on to others (ACLED's and the
    GTD's may not: a map for others then carries aggregates only, see ``--share``)."""

    source: str
    attribution: str
    terms: str
    raw_rows: bool
    allows: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "attribution": self.attribution,
            "terms": self.terms,
            "raw_rows_may_be_shared": self.raw_rows,
            "allows": self.allows,
        }


@dataclass(frozen=True)
class Format:
    """A real export format: its name, what it is, the columns that identify it and must be
    there, its cells that mean "empty", and its mapping table."""

    name: str
    title: str
    required: tuple[str, ...]
    rules: tuple[Rule, ...]
    #: Cells that mean "no value" (R writes ``NA``).
    empty: tuple[str, ...] = ()
    #: Count cells that mean "unknown" in the source's codebook (the GTD's ``-99``): missing,
    #: not a bad count. Only count columns: ``-9`` may be a latitude elsewhere.
    unknown_counts: tuple[str, ...] = ()
    #: Extra notes for docs/formats.md, below the table.
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: The source's terms (None for tables mapped by ``--columns``: the user's own).
    licence: Licence | None = None
    #: Export columns naming ever larger areas around a row's place (ACLED's ``admin3``,
    #: ``admin2``): where the place is not found, the first area found places the row.
    areas: tuple[str, ...] = ()
    #: How the user says the dates are written (``--date-format``); None: inferred per column.
    date_format: str | None = None
    #: ``(other, own)``: names some copies of the export give its columns (UCDP's website export
    #: writes ``best_est`` for ``best``), read as the column they stand for where that is absent.
    other_names: tuple[tuple[str, str], ...] = ()

    @property
    def columns(self) -> list[str]:
        """Every export column the table reads (its areas and their other names too)."""
        own = [*(c for rule in self.rules for c in rule.columns), *self.areas]
        return list(dict.fromkeys([*own, *(other for other, _ in self.other_names)]))

    def own_names(self, cells: pd.DataFrame) -> pd.DataFrame:
        """The cells with the columns under another name given their own (where it is absent)."""
        renamed = {other: own for other, own in self.other_names if other in cells and own not in cells}
        return cells.rename(columns=renamed) if renamed else cells

    def to_events(self, cells: pd.DataFrame) -> pd.DataFrame:
        """A batch of export rows (text cells, lower-case column names) as event columns."""
        cells = cells.copy()
        for name in self.columns:
            if name not in cells:
                cells[name] = ""
        if self.empty:
            cells = cells.replace(list(self.empty), "")
        events = pd.DataFrame({r.field: _values(self._convert(r, cells), cells.index) for r in self.rules})
        if self.licence is not None:  # the source, so its terms follow the rows everywhere
            events[ORIGIN] = self.name
        return events

    def _convert(self, rule: Rule, cells: pd.DataFrame) -> Any:
        columns = [cells[c] for c in rule.columns]
        return rule.convert(*columns, date_format=self.date_format) if rule.dated else rule.convert(*columns)

    def source_of(self, field_name: str) -> str:
        """The export columns of an event column, as the error messages name them."""
        for rule in self.rules:
            if rule.field == field_name and rule.columns:
                return "/".join(rule.columns)
        return field_name

    def date_order(self, cells: pd.DataFrame) -> str | None:
        """The day/month order the date cells of a batch show, if they show one."""
        for rule in self.rules:
            for column in rule.columns if rule.dated else ():
                if column in cells and (order := decided_order(cells[column])):
                    return order
        return None

    def reads(self, field_name: str) -> bool:
        """Whether an event column comes from the export's columns (not a constant)."""
        return any(rule.field == field_name and rule.columns for rule in self.rules)

    def markdown(self) -> str:
        """The mapping table as Markdown, for docs/formats.md."""
        rows = [f"| `{r.field}` | {', '.join(f'`{c}`' for c in r.columns) or '—'} | {r.how} |" for r in self.rules]
        return "\n".join(["| event column | from | how |", "|---|---|---|", *rows])


def _values(result: Any, index: pd.Index) -> Any:
    if isinstance(result, pd.Series):
        return (in_years(result) if pd.api.types.is_datetime64_any_dtype(result) else result).set_axis(index)
    if np.isscalar(result) or result is None:
        return pd.Series([result] * len(index), index=index, dtype=object)
    return pd.Series(result, index=index)


def in_years(values: pd.Series) -> pd.Series:
    """Dates as every layer holds them (nanosecond timestamps); a date outside the
    :data:`~borderrisk.data.schema.YEARS` becomes missing, so the row is reported as having no
    usable date instead of crashing whatever reads it next."""
    years = values.dt.year
    return values.where(years.between(*YEARS)).astype("datetime64[ns]")


def per_distinct(convert: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
    """Apply ``convert`` to each distinct cell once (types, codes, countries repeat a lot)."""

    def apply(column: pd.Series) -> pd.Series:
        codes, distinct = pd.factorize(column, use_na_sentinel=False)
        converted = convert(pd.Series(distinct, dtype=object)).to_numpy(dtype=object)
        return pd.Series(converted[codes], index=column.index)

    return apply


def text(column: pd.Series) -> pd.Series:
    """Cells as they are, trimmed."""
    return column.str.strip()


@per_distinct
def lower(column: pd.Series) -> pd.Series:
    """Trimmed, lower case, single spaces: how event types are compared."""
    return column.str.strip().str.lower().str.split().str.join(" ")


def number(column: pd.Series) -> pd.Series:
    """Cells as finite numbers; empty, not a number, ``nan`` or ``inf`` becomes missing (the
    rule of :mod:`borderrisk.data.finite`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    trimmed = pc.utf8_trim_whitespace(pa.array(column.astype(object), type=pa.string()))
    try:
        cast = pc.cast(pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed), pa.float64())
        values = pd.Series(cast.to_numpy(zero_copy_only=False), index=column.index, dtype=float)
    except pa.ArrowInvalid:  # some cell is not a number: let pandas find which
        values = pd.to_numeric(column.str.strip(), errors="coerce").astype(float)
    return values.where(finite_mask(values))


def count(column: pd.Series) -> pd.Series:
    """Counts (deaths, mentions): whole numbers from 0 to :data:`~borderrisk.data.bounds.COUNT_MAX`;
    empty stays missing, and so does any other cell (``-98``, ``2.5``, ``1e308``, ``many``),
    which the row check then reports (see :func:`bad_counts`)."""
    values = number(column)
    whole = values.between(0, COUNT_MAX) & (values == values.round())
    return values.where(whole).astype("Int64")


def bad_counts(events: pd.DataFrame, cells: pd.DataFrame, spec: Format) -> list[tuple[str, str, np.ndarray]]:
    """``(event column, export column, rows)`` for each count the rows give but that is not a
    count: a cell that is not empty, yet became missing."""
    found = []
    for rule in spec.rules:
        if rule.convert is count and rule.columns[0] in cells:
            given = ~cells[rule.columns[0]].str.strip().isin(("", *spec.empty, *spec.unknown_counts)).to_numpy(
                dtype=bool
            )
            found.append((rule.field, rule.columns[0], given & events[rule.field].isna().to_numpy(dtype=bool)))
    return found


def severity_from_deaths(column: pd.Series) -> pd.Series:
    """Deaths to severity 1-5 (see :data:`DEATH_STEPS`); unknown deaths (or a negative count,
    which the row check reports) leave severity unknown."""
    deaths = number(column)
    deaths = deaths.where(deaths >= 0)
    severity = pd.Series(np.digitize(deaths.fillna(0), DEATH_STEPS) + 1, index=column.index)
    return severity.astype("Int64").where(deaths.notna(), pd.NA)


def dates(column: pd.Series, date_format: str | None = None) -> pd.Series:
    """Cells as dates, in the column's one form (:func:`borderrisk.data.formats.dates.parse_dates`);
    dates read back from a spreadsheet's misreading are said."""
    parsed = parse_dates(column, date_format)
    swapped = parsed["swapped"].astype(bool)
    if swapped.any():
        logger.warning(
            "%d date(s) such as %r read with day and month swapped: the column's other dates, kept as text, "
            "are day first, and a spreadsheet in a month-first locale rewrote these as it misread them",
            int(swapped.sum()),
            column[swapped].iloc[0],
        )
    return parsed["date"]


def date_precision(column: pd.Series, date_format: str | None = None) -> pd.Series:
    """What each date's form says of its precision: day, month (``2023-07``) or year (``2023``)."""
    return parse_dates(column, date_format)["precision"]


def actors(*columns: pd.Series) -> list[list[str]]:
    """The non-empty names of each row, as one list per row."""
    stripped = [c.str.strip().to_numpy(dtype=object) for c in columns]
    rows = list(map(list, zip(*stripped)))
    gaps = np.logical_or.reduce([names == "" for names in stripped]) if stripped else np.zeros(0, bool)
    for position in np.flatnonzero(gaps):
        rows[position] = [name for name in rows[position] if name]
    return rows


def constant(value: Any) -> Callable[..., Any]:
    """A rule that gives every row the same value."""
    return lambda *columns: value


def choose(mapping: dict[str, Any], default: Any = None) -> Callable[[pd.Series], pd.Series]:
    """Codes to values by a small table (``"1" -> "exact"``); other codes get ``default``.
    Each distinct code is looked up once (a column of codes holds a handful)."""

    @per_distinct
    def convert(column: pd.Series) -> pd.Series:
        return column.str.strip().map(mapping).astype(object).where(lambda s: s.notna(), default)

    return convert


def joined(separator: str) -> Callable[..., pd.Series]:
    """Non-empty cells of several columns joined, e.g. "Armed clash: Villazon"."""

    def convert(*columns: pd.Series) -> pd.Series:
        result = columns[0].str.strip()
        for column in columns[1:]:
            part = column.str.strip()
            both = (result != "") & (part != "")
            result = (result + separator + part).where(both, result.where(result != "", part))
        return result

    return convert
