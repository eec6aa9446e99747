"""One mapping table per format: which export columns make each borderrisk event column, and
how. The table is both the code that converts a batch of rows and the documentation the README
shows (:meth:`Format.markdown`), so the two cannot drift apart.

The converters here work on whole columns of text at once (pandas), never row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

#: Deaths to severity (1-5): 0 -> 1, 1-2 -> 2, 3-9 -> 3, 10-49 -> 4, 50+ -> 5.
DEATH_STEPS = (1, 3, 10, 50)


@dataclass(frozen=True)
class Rule:
    """One event column: the export's columns it comes from, the conversion, and the rule in
    words for the README."""

    field: str
    columns: tuple[str, ...]
    convert: Callable[..., Any]
    how: str = ""


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
    #: Extra notes for the README, below the table.
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def columns(self) -> list[str]:
        """Every export column the table reads."""
        return list(dict.fromkeys(c for rule in self.rules for c in rule.columns))

    def to_events(self, cells: pd.DataFrame) -> pd.DataFrame:
        """A batch of export rows (text cells, lower-case column names) as event columns."""
        cells = cells.copy()
        for name in self.columns:
            if name not in cells:
                cells[name] = ""
        if self.empty:
            cells = cells.replace(list(self.empty), "")
        return pd.DataFrame(
            {r.field: _values(r.convert(*(cells[c] for c in r.columns)), cells.index) for r in self.rules}
        )

    def source_of(self, field_name: str) -> str:
        """The export columns of an event column, as the error messages name them."""
        for rule in self.rules:
            if rule.field == field_name and rule.columns:
                return "/".join(rule.columns)
        return field_name

    def markdown(self) -> str:
        """The mapping table as Markdown, for the README."""
        rows = [f"| `{r.field}` | {', '.join(f'`{c}`' for c in r.columns) or '—'} | {r.how} |" for r in self.rules]
        return "\n".join(["| event column | from | how |", "|---|---|---|", *rows])


def _values(result: Any, index: pd.Index) -> Any:
    if isinstance(result, pd.Series):
        return result.set_axis(index)
    if np.isscalar(result) or result is None:
        return pd.Series([result] * len(index), index=index, dtype=object)
    return pd.Series(result, index=index)


def text(column: pd.Series) -> pd.Series:
    """Cells as they are, trimmed."""
    return column.str.strip()


def lower(column: pd.Series) -> pd.Series:
    """Trimmed, lower case, single spaces: how event types are compared."""
    return column.str.strip().str.lower().str.split().str.join(" ")


def number(column: pd.Series) -> pd.Series:
    """Cells as numbers; empty or not a number becomes missing."""
    return pd.to_numeric(column.str.strip(), errors="coerce")


def count(column: pd.Series) -> pd.Series:
    """Whole counts (deaths, mentions); empty stays missing."""
    return number(column).round().astype("Int64")


def severity_from_deaths(column: pd.Series) -> pd.Series:
    """Deaths to severity 1-5 (see :data:`DEATH_STEPS`); unknown deaths leave severity unknown."""
    deaths = number(column)
    severity = pd.Series(np.digitize(deaths.fillna(0), DEATH_STEPS) + 1, index=column.index)
    return severity.astype("Int64").where(deaths.notna(), pd.NA)


def dates(column: pd.Series, forms: Sequence[str]) -> pd.Series:
    """Cells as dates, trying each ``strptime`` form in turn on the cells still unparsed."""
    values = column.str.strip()
    result = pd.Series(pd.NaT, index=column.index, dtype="datetime64[ns]")
    for form in forms:
        todo = result.isna() & (values != "")
        if not todo.any():
            break
        result[todo] = pd.to_datetime(values[todo], format=form, errors="coerce")
    return result


def actors(*columns: pd.Series) -> list[list[str]]:
    """The non-empty names of each row, as one list per row."""
    stripped = [c.str.strip() for c in columns]
    return [[name for name in names if name] for names in zip(*stripped)]


def constant(value: Any) -> Callable[..., Any]:
    """A rule that gives every row the same value."""
    return lambda *columns: value


def choose(mapping: dict[str, Any], default: Any = None) -> Callable[[pd.Series], pd.Series]:
    """Codes to values by a small table (``"1" -> "exact"``); other codes get ``default``."""

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
