"""ACLED (Armed Conflict Location & Event Data): every export vintage, 2013 to today.

Exports from the website, the API's CSV and the API's JSON (``{"data": [...]}``) share the
column names; older files write them in UPPER CASE, spreadsheets rewrite dates as ``9-May-20``,
R writes ``NA`` for empty cells and pandas adds an unnamed index column: all read the same.
Before 2019 ACLED used other event types; :data:`OLD_EVENT_TYPES` maps them onto today's six.
"""

from __future__ import annotations

import pandas as pd

from borderrisk.data.formats.table import (
    Format,
    Licence,
    Rule,
    actors,
    choose,
    count,
    dates,
    joined,
    lower,
    number,
    per_distinct,
    severity_from_deaths,
    text,
)

#: Event types of ACLED exports before 2019, and today's type each became (lower case).
OLD_EVENT_TYPES = {
    "battle-no change of territory": "battles",
    "battle-government regains territory": "battles",
    "battle-non-state actor overtakes territory": "battles",
    "remote violence": "explosions/remote violence",
    "riots/protests": "protests",
    "violence against civilians": "violence against civilians",
    "strategic development": "strategic developments",
    "headquarters or base established": "strategic developments",
    "non-violent transfer of territory": "strategic developments",
    "non-violent activity by a conflict actor": "strategic developments",
}
#: ACLED's ``time_precision``: 1 = the day is known, 2 = the week, 3 = only the month.
TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}


@per_distinct
def event_type(column: pd.Series) -> pd.Series:
    """Today's event type, lower case; old types mapped by :data:`OLD_EVENT_TYPES`."""
    types = lower(column).str.replace(r"\s*-\s*", "-", regex=True)
    return types.map(OLD_EVENT_TYPES).fillna(types)


def title(sub_type: pd.Series, event: pd.Series, location: pd.Series) -> pd.Series:
    """ "Armed clash: Villazon"; files before 2019 have no sub-types, so the type stands in."""
    kind = sub_type.str.strip()
    return joined(": ")(kind.where(kind != "", event), location)


#: ACLED's terms of use: analysis, maps and aggregates may be published with attribution; the
#: raw data may not be given to others (nor shared in a way that gives them direct access).
LICENCE = Licence(
    source="ACLED",
    attribution="Armed Conflict Location & Event Data (ACLED), acleddata.com",
    terms="https://acleddata.com/terms-of-use/",
    raw_rows=False,
    allows="analysis, maps and aggregates, with attribution; not the raw rows to others",
)


ACLED = Format(
    name="acled",
    licence=LICENCE,
    title="ACLED export (CSV from the website or API, API JSON), every vintage 2013-today",
    required=("event_date", "event_type"),
    empty=("NA",),
    areas=("admin3", "admin2", "admin1"),
    rules=(
        Rule(
            "date",
            ("event_date",),
            dates,
            "`2023-07-16`, `16 July 2023`, `01-January-2015`, `9-May-20`, `31-12-19`: any form of the date rules",
            dated=True,
        ),
        Rule(
            "date_precision",
            ("time_precision",),
            choose(TIME_PRECISION, "day"),
            "1 → day, 2 → week, 3 → month (missing: day)",
        ),
        Rule(
            "title",
            ("sub_event_type", "event_type", "location"),
            title,
            '"sub_event_type: location" (event_type when no sub-type)',
        ),
        Rule("type", ("event_type",), event_type, "lower case; pre-2019 types mapped as in the table below"),
        Rule("severity", ("fatalities",), severity_from_deaths, "0 → 1, 1–2 → 2, 3–9 → 3, 10–49 → 4, 50+ → 5"),
        Rule("fatalities", ("fatalities",), count, "as given"),
        Rule("actors", ("actor1", "actor2"), actors, "both actors, when given"),
        Rule("place", ("location",), text, "as given"),
        Rule("admin1", ("admin1",), text, "first-level region, as given (for --where admin1=…)"),
        Rule("country", ("country",), text, "country name, resolved (ACLED's names are aliases)"),
        Rule("lat", ("latitude",), number, "WGS84 degrees"),
        Rule("lon", ("longitude",), number, "WGS84 degrees"),
        Rule(
            "location_precision",
            ("geo_precision",),
            choose({"1": "exact"}, "approximate"),
            "1 → exact, 2 and 3 → approximate",
        ),
        Rule("description", ("notes",), text, "as given"),
        Rule("source", ("source",), text, "as given"),
        Rule("event_id", ("event_id_cnty",), text, "as given"),
    ),
    notes=(
        "Headers in any case (`EVENT_DATE`), `NA` cells (R) and an unnamed index column (pandas) are fine.",
        "Exports without coordinate columns are placed by `location` within `country`; where the "
        "location is not in the gazetteer, by `admin3`, then `admin2`, then `admin1` (a town of that "
        "name, precision approximate). A `location` shared by towns of the country far apart is "
        "placed at the one nearest the city its `admin3`, `admin2` or `admin1` is named like "
        "(see Places).",
    ),
)


def old_types_markdown() -> str:
    """:data:`OLD_EVENT_TYPES` as a Markdown table, for docs/formats.md."""
    rows = [f"| {old} | {new} |" for old, new in OLD_EVENT_TYPES.items()]
    return "\n".join(["| ACLED type before 2019 | read as |", "|---|---|", *rows])
