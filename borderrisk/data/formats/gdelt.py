"""GDELT events: 2.0 exports (61 tab-separated columns, no header, published zipped), 1.0 daily
files (58 columns; 57 in the historical back files) and BigQuery/CSV exports with a header.

Country codes are FIPS 10-4 (``RS`` is Russia, ``UP`` Ukraine), translated with the shipped
table ``geo/data/fips10_4.csv``. Rows located only to a country (``ActionGeo_Type`` 1) are
events located to that country: they count under ``country_events``, not on a segment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderrisk.data.formats.table import (
    Format,
    Licence,
    Rule,
    actors,
    choose,
    count,
    dates,
    number,
    per_distinct,
    text,
)
from borderrisk.geo.countries import fips_codes

#: The 61 columns of a GDELT 2.0 events file, in order.
GDELT2_COLUMNS = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
]
#: GDELT 1.0 daily files: 2.0 without the three ADM2 columns (58); back files lack SOURCEURL (57).
GDELT1_COLUMNS = tuple(c for c in GDELT2_COLUMNS if not c.endswith("ADM2Code"))
GDELT1_BACKFILE_COLUMNS = GDELT1_COLUMNS[:-1]
#: Header-less layouts by their number of columns.
LAYOUTS = {len(c): tuple(n.lower() for n in c) for c in (GDELT2_COLUMNS, GDELT1_COLUMNS, GDELT1_BACKFILE_COLUMNS)}

#: CAMEO root codes to event types.
CAMEO_ROOT_TYPES = {
    **{f"{r:02d}": "statement" for r in range(1, 6)},
    **{f"{r:02d}": "cooperation" for r in range(6, 9)},
    **{f"{r:02d}": "statement" for r in range(9, 14)},
    "14": "protest",
    "15": "military posture",
    "16": "sanction",
    "17": "sanction",
    "18": "attack",
    "19": "attack",
    "20": "attack",
}
#: ``ActionGeo_Type``: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1).
GEO_TYPES = {"1": "country", "2": "approximate", "3": "city", "4": "city", "5": "approximate"}


@per_distinct
def event_type(root: pd.Series) -> pd.Series:
    """The CAMEO root code (``"19"``, or ``"4"`` when a tool dropped the zero) to a type."""
    codes = root.str.strip().str.zfill(2)
    return codes.map(CAMEO_ROOT_TYPES).fillna("other")


def severity(goldstein: pd.Series) -> pd.Series:
    """Goldstein scale to 1-5: 1 + 4 × max(0, −goldstein) / 10, rounded (−10 → 5, ≥ 0 → 1)."""
    scale = number(goldstein).fillna(0).to_numpy()
    return pd.Series(np.clip(np.rint(1 + 4 * np.maximum(0, -scale) / 10), 1, 5), dtype="Int64")


def title(code: pd.Series, actor1: pd.Series, actor2: pd.Series) -> pd.Series:
    def name(column: pd.Series) -> pd.Series:
        stripped = column.str.strip()
        return stripped.where(stripped != "", "?")

    return code.str.strip() + ": " + name(actor1) + " → " + name(actor2)


@per_distinct
def country(fips: pd.Series) -> pd.Series:
    """FIPS 10-4 to borderrisk codes; unknown codes stay as given, so they are reported."""
    codes = fips.str.strip()
    return codes.map(fips_codes()).fillna(codes.where(codes == "", "FIPS:" + codes))


def is_root(column: pd.Series) -> pd.Series:
    return column.str.strip() == "1"


#: GDELT is open: unlimited use and redistribution, citing the GDELT Project.
LICENCE = Licence(
    source="GDELT",
    attribution="The GDELT Project, gdeltproject.org",
    terms="https://www.gdeltproject.org/about.html#termsofuse",
    raw_rows=True,
    allows="any use, raw rows included, with citation",
)


GDELT = Format(
    name="gdelt",
    licence=LICENCE,
    title="GDELT events: 2.0 (61 columns), 1.0 daily (58/57), zipped or not, or CSV with a header (BigQuery)",
    required=("globaleventid", "sqldate", "eventrootcode", "actiongeo_lat", "actiongeo_long"),
    empty=("NULL",),
    rules=(
        Rule("date", ("sqldate",), dates, "`20231024`", dated=True),
        Rule("title", ("eventcode", "actor1name", "actor2name"), title, '"EventCode: Actor1Name → Actor2Name"'),
        Rule(
            "type",
            ("eventrootcode",),
            event_type,
            "CAMEO root: 01–05, 09–13 statement; 06–08 cooperation; "
            "14 protest; 15 military posture; 16–17 sanction; 18–20 attack",
        ),
        Rule("severity", ("goldsteinscale",), severity, "1 + 4 × max(0, −Goldstein) / 10, rounded (−10 → 5)"),
        Rule("actors", ("actor1name", "actor2name"), actors, "both actors, when given"),
        Rule("place", ("actiongeo_fullname",), text, "as given"),
        Rule("country", ("actiongeo_countrycode",), country, "FIPS 10-4 → ISO alpha-3 (`RS` → RUS, `UP` → UKR)"),
        Rule("lat", ("actiongeo_lat",), number, "WGS84 degrees"),
        Rule("lon", ("actiongeo_long",), number, "WGS84 degrees"),
        Rule(
            "location_precision",
            ("actiongeo_type",),
            choose(GEO_TYPES, "approximate"),
            "1 → country (counts under `country_events`), 3 and 4 → city, 2 and 5 → approximate",
        ),
        Rule("source", ("sourceurl",), text, "the article's URL"),
        Rule("num_mentions", ("nummentions",), count, "as given"),
        Rule("is_root_event", ("isrootevent",), is_root, "`1` → true"),
        Rule("event_id", ("globaleventid",), text, "as given"),
    ),
    notes=(
        "`--root-events-only` keeps rows with `IsRootEvent` 1 (the event of an article's lead "
        "paragraph); `--once-per-source` counts each `SOURCEURL` once per day (its row with the "
        "most `NumMentions`): GDELT codes one story many times.",
    ),
)
