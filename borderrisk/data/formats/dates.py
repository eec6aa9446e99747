"""One date-format inference for every reader: a date column's form is decided once, from all
its values, so a file re-saved by a spreadsheet (``31-12-19``), written in Spanish
(``16 de julio de 2023``) or by an API (``2008-04-24T00:00:00+02:00``) reads like any other.

Each distinct cell is read once, vectorised (a column of dates repeats its days). Forms:

- ISO ``2023-07-16`` (``/`` or ``.`` too), with a time and an offset after it (the date is the
  one written: the offset is not applied); ``20231024`` (GDELT); ``2023-07`` and ``2023``
  (month and year precision).
- Three numbers, ``31-12-19`` or ``12/31/2019``: day first or month first is decided for the
  whole column, from its values above 12. A column whose days and months are all 12 or less
  is ambiguous: an error that names ``--date-format``.
- Month names in English, Spanish, Portuguese and French, whole or abbreviated, before or after
  the day: ``01-January-2015``, ``9-May-20``, ``July 16, 2023``, ``16 juil. 2023``.
- A spreadsheet's day numbers, ``41712`` (five digits, a fraction of a day allowed): Excel's
  1900 date system, day 1 being 1900-01-01. A sheet re-saved as CSV keeps as numbers the dates
  it understood and as text the others, so one column mixes both forms.
- A day-first column a spreadsheet in a month-first locale re-saved: it kept as text the dates
  it could not read (day above 12) and rewrote the others as it misread them, day and month
  swapped (``01/02/2016``, 1 February, as ``2016/01/02`` or its day number). Every text date's
  day above 12 and every rewritten one's at most 12 tell it: those are swapped back, and said.
- Two-digit years by the POSIX pivot: 69-99 are 1969-1999, 00-68 are 2000-2068.

A date outside :data:`borderrisk.data.schema.YEARS` (pandas' timestamps), year 0 or a day that
does not exist (``2023-02-30``) is no date: a row problem, as an unreadable cell is.
"""

from __future__ import annotations

import time

import pandas as pd

from borderrisk.data.errors import UserError
from borderrisk.data.schema import YEARS
from borderrisk.geo.text import fold

#: Two-digit years from this one on are 19xx; below it, 20xx (POSIX ``strptime`` ``%y``).
PIVOT = 69
#: What ``--date-format`` takes besides a ``strptime`` form: the order of day, month and year.
ORDERS = {"dmy": "day first (31/12/2019)", "mdy": "month first (12/31/2019)"}
_MONTH_NAMES = {
    1: "january jan enero ene janeiro janvier janv",
    2: "february feb febrero febr fevereiro fev fevrier fevr",
    3: "march mar marzo marco mars",
    4: "april apr abril abr avril avr",
    5: "may mayo maio mai",
    6: "june jun junio junho juin",
    7: "july jul julio julho juillet juil",
    8: "august aug agosto ago aout",
    9: "september sep sept septiembre setiembre set setembro septembre",
    10: "october oct octubre out outubro octobre",
    11: "november nov noviembre novembro novembre",
    12: "december dec diciembre dic dezembro dez decembre",
}
#: Month names and abbreviations (folded: no accents, lower case) -> month number.
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}

_SEP = r"[-/. ]"
_TIME = r"(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?)?"
_NAMED_SEP = r"[-/., ]+(?:de )?"
_YEAR = r"(?P<y>\d{4}|\d{2})"
#: Each form as a regular expression with named parts: y(ear), m(onth number), n(ame of the
#: month), d(ay), or a and b (two numbers of day and month in the column's order).
FORMS = {
    "iso": rf"(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<d>\d{{1,2}}){_TIME}",
    "compact": r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:\d{6})?",
    "numbers": rf"(?P<a>\d{{1,2}}){_SEP}(?P<b>\d{{1,2}}){_SEP}{_YEAR}{_TIME}",
    "day_name": rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|o)?{_NAMED_SEP}(?P<n>[a-z]+){_NAMED_SEP}{_YEAR}{_TIME}",
    "name_day": rf"(?P<n>[a-z]+)\.?[ -](?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?[ -]{_YEAR}{_TIME}",
    "month": rf"(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}})",
    "month_name": rf"(?P<n>[a-z]+)\.?{_NAMED_SEP}(?P<y>\d{{4}})",
    "year": r"(?P<y>\d{4})",
    "serial": r"(?P<s>\d{5})(?:\.\d+)?",
}
#: Rewritten dates a column needs before their days all 12 or less are taken for a misreading
#: (by chance, five days of a month are all 12 or less about once in a hundred).
MISREAD_AT_LEAST = 5
#: Day 0 of a spreadsheet's day numbers (Excel's 1900 system, past its phantom 29 February 1900).
SERIAL_EPOCH = pd.Timestamp("1899-12-30")
PRECISION = {"month": "month", "month_name": "month", "year": "year"}


class AmbiguousDates(ValueError):
    """A date column that can be read two ways (or that mixes them): the user says which."""


def check_date_format(value: str) -> str:
    """What ``--date-format`` (``date_format`` in recipes and Python) accepts: an order of
    :data:`ORDERS` or a ``strptime`` form such as ``%d-%m-%y``; raises :class:`UserError`."""
    value = value.strip()
    if value.lower() in ORDERS:
        return value.lower()
    if "%" in value:
        try:
            time.strftime(value)
            return value
        except ValueError:
            pass
    raise UserError(f"date format {value!r} is neither dmy, mdy nor a strptime form such as %d-%m-%y or %m/%d/%Y")


def parse_dates(column: pd.Series, date_format: str | None = None) -> pd.DataFrame:
    """A column of date cells as ``date`` (NaT where no date), ``precision`` (day, month or
    year, from the form) and ``swapped`` (read back from a spreadsheet's misreading, which the
    caller says), by one decision for the whole column (see the module); or by
    ``date_format``: a ``strptime`` form (``%d-%m-%y``) or an order of :data:`ORDERS`.
    Raises :class:`AmbiguousDates` when day first and month first both fit."""
    codes, distinct = pd.factorize(column.fillna("").astype(str).str.strip(), use_na_sentinel=False)
    values = pd.Series(distinct, dtype=object)
    if date_format and "%" in date_format:
        found = pd.to_datetime(values, format=date_format, errors="coerce")
        parsed = pd.DataFrame({"date": _in_range(found), "precision": "day", "swapped": False})
    else:
        parsed = _infer(values, date_format)
    return pd.DataFrame({name: parsed[name].to_numpy()[codes] for name in parsed.columns}, index=column.index)


def decided_order(column: pd.Series) -> str | None:
    """The order (``dmy`` or ``mdy``) a column's ``a/b/year`` dates show by a number above 12,
    or None when they show none (or both): so a file's later batches, or a look at the whole
    file's dates, settle what one batch alone cannot."""
    values = pd.Series(pd.unique(column.fillna("").astype(str).str.strip()), dtype=object)
    parts = values[values != ""].str.extract(f"^{FORMS['numbers']}$").dropna(subset=["y"])
    day_first, month_first = bool((parts["a"].astype(float) > 12).any()), bool((parts["b"].astype(float) > 12).any())
    return "dmy" if day_first and not month_first else "mdy" if month_first and not day_first else None


def _infer(values: pd.Series, order: str | None) -> pd.DataFrame:
    keys = values.map(lambda v: fold(v).replace("\u00ba", "")) if len(values) else values
    year = pd.Series(pd.NA, index=values.index, dtype="Float64")
    month, day = year.copy(), year.copy()
    precision = pd.Series("day", index=values.index, dtype=object)
    todo = keys != ""
    form = pd.Series("", index=values.index, dtype=object)
    for name, pattern in FORMS.items():
        if not todo.any():
            break
        parts = keys[todo].str.extract(f"^{pattern}$")
        hit = parts.iloc[:, 0].notna()
        if not hit.any():
            continue
        parts = parts[hit]
        if "s" in parts:
            parts = _serial_parts(parts["s"])
        if "a" in parts:
            first, second = _day_month(parts["a"].astype(float), parts["b"].astype(float), values[parts.index], order)
        else:
            first = parts["d"].astype(float) if "d" in parts else 1.0
            second = parts["n"].map(MONTHS) if "n" in parts else parts["m"].astype(float) if "m" in parts else 1.0
        year[parts.index] = _full_year(parts["y"])
        day[parts.index], month[parts.index] = first, second
        precision[parts.index] = PRECISION.get(name, "day")
        form[parts.index] = name
        todo[parts.index] = False
    misread = _misread(form, day, month)
    day[misread], month[misread] = month[misread], day[misread]
    frame = pd.DataFrame({"year": year, "month": month, "day": day.fillna(1)})
    known = frame.notna().all(axis=1) & year.between(*YEARS)
    found = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if known.any():
        found[known] = pd.to_datetime(frame[known].astype(int), errors="coerce")
    return pd.DataFrame({"date": found, "precision": precision, "swapped": misread})


def _misread(form: pd.Series, day: pd.Series, month: pd.Series) -> pd.Series:
    """The dates a spreadsheet in a month-first locale misread in a day-first column and
    rewrote in one form of its own (ISO, or its day numbers), day and month swapped: told by
    the two halves it leaves, every date kept as text (``a/b/year``) having a day above 12 and
    every date in that form (:data:`MISREAD_AT_LEAST` or more) a day of 12 or less. Each form
    is judged alone: a sheet's day numbers and the ISO text another tool appended differ."""
    misread = pd.Series(False, index=form.index)
    text = form == "numbers"
    if not text.any() or not (day[text] > 12).all():
        return misread
    for rewritten in (form == "iso", form == "serial"):
        if rewritten.sum() >= MISREAD_AT_LEAST and (day[rewritten] <= 12).all():
            misread |= rewritten
    return misread


def _day_month(a: pd.Series, b: pd.Series, raw: pd.Series, order: str | None) -> tuple[pd.Series, pd.Series]:
    """Day and month of ``a/b/year`` cells, in the column's one order: from ``order`` if given,
    else from the values above 12 (a first number above 12 is a day, so the column is day
    first; a second one above 12, month first)."""
    day_first, month_first = bool((a > 12).any()), bool((b > 12).any())
    if order is None:
        if day_first and month_first:
            raise AmbiguousDates(
                f"mixes day-first ({raw[a > 12].iloc[0]!r}) and month-first ({raw[b > 12].iloc[0]!r}) dates; "
                "say which with --date-format (date_format in recipes and Python), e.g. --date-format %d/%m/%Y"
            )
        if not day_first and not month_first and (a != b).any():
            example = raw[a != b].iloc[0]
            raise AmbiguousDates(
                f"dates such as {example!r} can be day first or month first (no day above 12 in the column); "
                "say which with --date-format dmy or --date-format mdy (date_format in recipes and Python)"
            )
        order = "mdy" if month_first else "dmy"
    return (b, a) if order == "mdy" else (a, b)


def _serial_parts(serials: pd.Series) -> pd.DataFrame:
    """Year, month and day of spreadsheet day numbers, as the other forms give them."""
    days = SERIAL_EPOCH + pd.to_timedelta(serials.astype(int), unit="D")
    return pd.DataFrame({"y": days.dt.year.astype(str), "m": days.dt.month, "d": days.dt.day}, index=serials.index)


def _full_year(years: pd.Series) -> pd.Series:
    """Years as written, two-digit ones by :data:`PIVOT`."""
    numbers = years.astype(float)
    short = years.str.len() == 2
    century = (numbers >= PIVOT).map({True: 1900.0, False: 2000.0})
    return numbers.where(~short, numbers + century)


def _in_range(found: pd.Series) -> pd.Series:
    return found.where(found.dt.year.between(*YEARS)).astype("datetime64[ns]")
