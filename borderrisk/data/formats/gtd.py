"""The Global Terrorism Database (START, University of Maryland): CSV or the XLSX as
downloaded. Dates come as ``iyear``/``imonth``/``iday``, with 0 for an unknown month or day.
Every GTD row is an attack; its kind (``attacktype1_txt``) goes into the title.
"""

from __future__ import annotations

import pandas as pd

from borderrisk.data.formats.table import (
    Format,
    Licence,
    Rule,
    actors,
    choose,
    constant,
    count,
    joined,
    number,
    severity_from_deaths,
    text,
)


def triple(year: pd.Series, month: pd.Series, day: pd.Series, eventid: pd.Series) -> list[pd.Series]:
    """Year, month and day as numbers; in a subset that dropped them (no year at all), from the
    id, whose first eight digits are the date (yyyymmdd, 00 where unknown) as the GTD codebook
    defines it. A row whose year alone is empty stays undated: a bad row, said."""
    if (year.str.strip() != "").any():
        return [number(c) for c in (year, month, day)]
    ids = eventid.str.strip()
    return [number(ids.str[start:end]) for start, end in ((0, 4), (4, 6), (6, 8))]


def gtd_date(year: pd.Series, month: pd.Series, day: pd.Series, eventid: pd.Series) -> pd.Series:
    """The first day of what is known: month 0 or day 0 mean unknown."""
    y, m, d = triple(year, month, day, eventid)
    parts = pd.DataFrame({"year": y, "month": m.where(m > 0, 1), "day": d.where((d > 0) & (m > 0), 1)})
    return pd.to_datetime(parts, errors="coerce")


def city(column: pd.Series) -> pd.Series:
    """The city as given; GTD writes "Unknown" where it has none, which is no place to look up."""
    cities = text(column)
    return cities.where(cities.str.casefold() != "unknown", "")


def gtd_precision(year: pd.Series, month: pd.Series, day: pd.Series, eventid: pd.Series) -> pd.Series:
    _, m, d = triple(year, month, day, eventid)
    precision = pd.Series("day", index=year.index, dtype=object)
    precision[~(d > 0)] = "month"
    precision[~(m > 0)] = "year"
    return precision


#: The GTD's end-user agreement forbids redistributing the data without START's permission.
LICENCE = Licence(
    source="GTD",
    attribution="Global Terrorism Database (START, University of Maryland), start.umd.edu/gtd",
    terms="https://www.start.umd.edu/gtd/terms-of-use/",
    raw_rows=False,
    allows="analysis, maps and aggregates, with citation; not the raw rows to others",
)


GTD = Format(
    name="gtd",
    licence=LICENCE,
    title="Global Terrorism Database (CSV or XLSX as downloaded)",
    required=(),
    areas=("provstate",),
    # The codebook's "unknown" for numbers; -999 as copies of it write it too.
    unknown_counts=("-9", "-99", "-999"),
    notes=(
        "Rows without coordinates are placed by `city` within `country_txt`; where the city is not "
        "in the gazetteer, by `provstate` (a town of that name, precision approximate), which also "
        "tells apart towns of one name (see Places).",
    ),
    rules=(
        Rule(
            "date",
            ("iyear", "imonth", "iday", "eventid"),
            gtd_date,
            "year, month, day; 0 = unknown; without them, `eventid`'s first eight digits (yyyymmdd)",
        ),
        Rule(
            "date_precision",
            ("iyear", "imonth", "iday", "eventid"),
            gtd_precision,
            "day; month when `iday` is 0; year when `imonth` is 0",
        ),
        Rule("title", ("attacktype1_txt", "city"), joined(": "), '"attacktype1_txt: city"'),
        Rule("type", (), constant("attack"), "always `attack`"),
        Rule("severity", ("nkill",), severity_from_deaths, "0 → 1, 1–2 → 2, 3–9 → 3, 10–49 → 4, 50+ → 5"),
        Rule("fatalities", ("nkill",), count, "as given (empty, -9, -99 or -999: unknown)"),
        Rule("actors", ("gname",), actors, "the perpetrator group"),
        Rule("place", ("city",), city, 'as given; "Unknown" is no place'),
        Rule("country", ("country_txt",), text, "country name, resolved"),
        Rule("lat", ("latitude",), number, "WGS84 degrees"),
        Rule("lon", ("longitude",), number, "WGS84 degrees"),
        Rule(
            "location_precision",
            ("specificity",),
            choose({"1": "exact"}, "approximate"),
            "1 → exact, 2–5 → approximate",
        ),
        Rule("description", ("summary",), text, "as given"),
        Rule("source", ("scite1",), text, "the first citation"),
        Rule("event_id", ("eventid",), text, "as given"),
    ),
)
