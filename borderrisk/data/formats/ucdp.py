"""UCDP Georeferenced Event Dataset (Uppsala Conflict Data Program), CSV as downloaded.
``type_of_violence``: 1 state-based conflict, 2 non-state conflict, 3 one-sided violence
(against civilians). ``best`` is the best estimate of deaths.
"""

from __future__ import annotations

from borderrisk.data.formats.table import (
    Format,
    Licence,
    Rule,
    actors,
    choose,
    count,
    dates,
    joined,
    number,
    severity_from_deaths,
    text,
)

#: UCDP's types of violence as the event types the risk model weighs.
VIOLENCE_TYPES = {"1": "battles", "2": "battles", "3": "violence against civilians"}
#: ``where_prec``: 1 exact place, 2 within 25 km, 3 second-order region, 4 first-order region,
#: 5 linear feature, 6 country, 7 waters or air.
WHERE_PRECISION = {"1": "exact", "6": "country"}
#: ``date_prec``: 1 the day, 2 within 2-6 days, 3 the week, 4 within 8-30 days or the month,
#: 5 a longer span or only the year; ``date_start`` is the first day it may have been.
DATE_PRECISION = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}


#: UCDP GED is published under Creative Commons Attribution 4.0: share and adapt, citing it.
LICENCE = Licence(
    source="UCDP",
    attribution="UCDP Georeferenced Event Dataset (Uppsala Conflict Data Program), ucdp.uu.se",
    terms="https://ucdp.uu.se/downloads/ (CC BY 4.0)",
    raw_rows=True,
    allows="any use, raw rows included, with citation (CC BY 4.0)",
)


UCDP = Format(
    name="ucdp",
    licence=LICENCE,
    title="UCDP Georeferenced Event Dataset (GED) CSV",
    required=("date_start", "type_of_violence", "latitude", "longitude"),
    rules=(
        Rule("date", ("date_start",), dates, "`1989-01-01` (a time after it is fine)", dated=True),
        Rule(
            "date_precision",
            ("date_prec",),
            choose(DATE_PRECISION, "day"),
            "1 → day, 2–3 → week, 4 → month, 5 → year (missing: day)",
        ),
        Rule("end_date", ("date_end",), dates, "as `date_start`", dated=True),
        Rule("title", ("dyad_name", "where_coordinates"), joined(": "), '"dyad_name: where_coordinates"'),
        Rule(
            "type",
            ("type_of_violence",),
            choose(VIOLENCE_TYPES, "other"),
            "1 and 2 → battles, 3 → violence against civilians",
        ),
        Rule("severity", ("best",), severity_from_deaths, "0 → 1, 1–2 → 2, 3–9 → 3, 10–49 → 4, 50+ → 5"),
        Rule("fatalities", ("best",), count, "the best estimate"),
        Rule("actors", ("side_a", "side_b"), actors, "both sides"),
        Rule("place", ("where_coordinates",), text, "as given"),
        Rule("country", ("country",), text, 'country name, resolved ("Russia (Soviet Union)" → RUS)'),
        Rule("lat", ("latitude",), number, "WGS84 degrees"),
        Rule("lon", ("longitude",), number, "WGS84 degrees"),
        Rule(
            "location_precision",
            ("where_prec",),
            choose(WHERE_PRECISION, "approximate"),
            "1 → exact, 6 → country, others → approximate",
        ),
        Rule("description", ("source_headline",), text, "as given"),
        Rule("source", ("source_article",), text, "as given"),
        Rule("event_id", ("id",), text, "as given"),
    ),
    other_names=(("best_est", "best"),),
    notes=(
        "UCDP's website export (`gedevents-2025-01-04.csv`) names `best` `best_est`, writes "
        "`active_year` as `True`, dates as `01/12/2001 00:00:00` and a comma after every record's "
        "last cell: it reads as it comes.",
    ),
)
