"""Any other table, by a column mapping: ``date=event_date,lat=y,lon=x,type=kind,title=headline``
names, for each borderrisk event column, the column of the file that holds it. A user never
edits a file to load it."""

from __future__ import annotations

import pandas as pd

from borderrisk.data.errors import UserError
from borderrisk.data.formats.table import Format, Rule, count, date_precision, dates, lower, number, text


def listed(column: pd.Series) -> list[list[str]]:
    """``"A; B"`` as ``["A", "B"]``."""
    return [[part.strip() for part in cell.split(";") if part.strip()] for cell in column]


def severity(column: pd.Series) -> pd.Series:
    """As a number: a value that is not a whole number from 1 to 5 is a bad row (checked with
    the others in :func:`borderrisk.data.formats.reading.check_rows`)."""
    return number(column)


#: Event columns a mapping may name: (conversion, rule in words).
FIELDS = {
    "date": (dates, "any form of the date rules (YYYY-MM-DD with a time, 31/12/2019, 9-May-20 ...), YYYY-MM, YYYY"),
    "end_date": (dates, "as date"),
    "title": (text, "as given"),
    "type": (lower, "lower case"),
    "severity": (severity, "1 to 5"),
    "fatalities": (count, "as given"),
    "actors": (listed, "separated by `;`"),
    "place": (text, "a place or country name, looked up offline when there are no coordinates"),
    "country": (text, "country name or code, resolved"),
    "lat": (number, "WGS84 degrees"),
    "lon": (number, "WGS84 degrees"),
    "description": (text, "as given"),
    "source": (text, "as given"),
    "event_id": (text, "as given"),
}
REQUIRED = ("date", "type")
#: Event columns read as dates.
DATED = ("date", "end_date")


def parse_columns(text: str) -> dict[str, str]:
    """``"date=event_date,lat=y"`` as ``{"date": "event_date", "lat": "y"}``; raises
    :class:`UserError` naming what is wrong."""
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, column = part.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise UserError(f"{part.strip()!r} is not FIELD=COLUMN, e.g. date=event_date")
        field = name.strip().lower()
        if field in mapping:
            raise UserError(f"{field} is mapped twice ({mapping[field]!r} and {column.strip()!r}); map it once")
        mapping[field] = column.strip()
    return check_columns(mapping)


def check_columns(mapping: dict[str, str]) -> dict[str, str]:
    """A mapping with known event columns, the required ones, and coordinates in pairs."""
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise UserError(f"unknown event column(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}")
    missing = [name for name in REQUIRED if name not in mapping]
    if missing:
        raise UserError(f"the mapping must name {' and '.join(missing)}, e.g. date=event_date,type=kind")
    if ("lat" in mapping) != ("lon" in mapping):
        raise UserError("map both lat and lon, or neither")
    if "lat" in mapping and str(mapping["lat"]).strip().lower() == str(mapping["lon"]).strip().lower():
        raise UserError(f"lat and lon are both mapped to {mapping['lat']!r}; they are two columns")
    if not ({"lat", "place", "country"} & set(mapping)):
        raise UserError("map lat and lon, or place, or country: events need a location")
    return {k: str(v) for k, v in mapping.items()}


def mapped_format(mapping: dict[str, str]) -> Format:
    """The format of a file whose columns ``mapping`` names (lower case, as headers are read)."""
    mapping = {k: v.strip().lower() for k, v in check_columns(mapping).items()}
    rules = [
        Rule(name, (mapping[name],), FIELDS[name][0], FIELDS[name][1], dated=name in DATED)
        for name in FIELDS
        if name in mapping
    ]
    rules.insert(1, Rule("date_precision", (mapping["date"],), date_precision, "from the date's form", dated=True))
    if "title" not in mapping:
        rules.append(Rule("title", (mapping["type"],), text, "the type, when no title is mapped"))
    return Format(name="columns", title="Any CSV, by --columns", required=tuple(mapping.values()), rules=tuple(rules))


def mapping_markdown() -> str:
    rows = [f"| `{name}` | {how} |" for name, (_, how) in FIELDS.items()]
    return "\n".join(["| event column | how the mapped column is read |", "|---|---|", *rows])
