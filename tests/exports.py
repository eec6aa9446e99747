"""Small export files in the exact column layouts of the real ones, rows invented (ACLED and GTD
terms forbid redistributing their data; GDELT is open data and the real file is used as is)."""

import csv
import io
import json
from pathlib import Path

from borderrisk.scenarios.synthetic import ACLED_COLUMNS  # noqa: F401 - ACLED's layout, for the tests

REAL_GDELT_ZIP = Path(__file__).parent / "fixtures" / "real" / "20191024143000.export.CSV.zip"

#: ACLED exports before 2019: UPPER CASE, other event types, no sub-types.
ACLED_2015_COLUMNS = [
    "GWNO",
    "EVENT_ID_CNTY",
    "EVENT_ID_NO_CNTY",
    "EVENT_DATE",
    "YEAR",
    "TIME_PRECISION",
    "EVENT_TYPE",
    "ACTOR1",
    "ALLY_ACTOR_1",
    "INTER1",
    "ACTOR2",
    "ALLY_ACTOR_2",
    "INTER2",
    "INTERACTION",
    "COUNTRY",
    "ADMIN1",
    "ADMIN2",
    "ADMIN3",
    "LOCATION",
    "LATITUDE",
    "LONGITUDE",
    "GEO_PRECISION",
    "SOURCE",
    "NOTES",
    "FATALITIES",
]

GTD_COLUMNS = [
    "eventid",
    "iyear",
    "imonth",
    "iday",
    "approxdate",
    "extended",
    "resolution",
    "country",
    "country_txt",
    "region",
    "region_txt",
    "provstate",
    "city",
    "latitude",
    "longitude",
    "specificity",
    "vicinity",
    "location",
    "summary",
    "crit1",
    "crit2",
    "crit3",
    "doubtterr",
    "alternative",
    "alternative_txt",
    "multiple",
    "success",
    "suicide",
    "attacktype1",
    "attacktype1_txt",
    "targtype1",
    "targtype1_txt",
    "targsubtype1",
    "targsubtype1_txt",
    "corp1",
    "target1",
    "natlty1",
    "natlty1_txt",
    "gname",
    "gsubname",
    "nperps",
    "nperpcap",
    "claimed",
    "weaptype1",
    "weaptype1_txt",
    "weapsubtype1",
    "weapsubtype1_txt",
    "nkill",
    "nkillus",
    "nkillter",
    "nwound",
    "nwoundus",
    "nwoundte",
    "property",
    "propextent",
    "propextent_txt",
    "ishostkid",
    "scite1",
    "scite2",
    "scite3",
    "dbsource",
    "INT_LOG",
    "INT_IDEO",
    "INT_MISC",
    "INT_ANY",
    "related",
]

UCDP_COLUMNS = [
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
]


def table(columns, rows, **csv_options):
    """CSV text of ``rows`` (dicts; missing cells empty) under ``columns``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, restval="", lineterminator="\n", **csv_options)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def acled_row(**values):
    row = {
        "event_id_cnty": "BOL1",
        "event_date": "2023-07-20",
        "year": "2023",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Military Forces of Bolivia (2020-)",
        "actor2": "Unidentified Armed Group (Bolivia)",
        "country": "Bolivia",
        "admin1": "Potosi",
        "location": "Villazon",
        "latitude": "-22.09",
        "longitude": "-65.59",
        "geo_precision": "1",
        "source": "La Razon",
        "notes": "Clash at the border crossing.",
        "fatalities": "3",
        "timestamp": "1690000000",
    }
    row.update(values)
    return row


def acled_2015_row(**values):
    row = {
        "GWNO": "145",
        "EVENT_ID_CNTY": "BOL10",
        "EVENT_ID_NO_CNTY": "10",
        "EVENT_DATE": "01-January-2015",
        "YEAR": "2015",
        "TIME_PRECISION": "1",
        "EVENT_TYPE": "Battle-No change of territory",
        "ACTOR1": "Military Forces of Bolivia (2006-2019)",
        "ACTOR2": "Smugglers (Bolivia)",
        "COUNTRY": "Bolivia",
        "LOCATION": "Villazon",
        "LATITUDE": "-22.09",
        "LONGITUDE": "-65.59",
        "GEO_PRECISION": "1",
        "SOURCE": "El Deber",
        "NOTES": "Soldiers and smugglers exchanged fire.",
        "FATALITIES": "2",
    }
    row.update(values)
    return row


def acled_api_json(rows):
    """The ACLED API's answer: every value a string, the records under ``data``."""
    return json.dumps({"status": 200, "success": True, "count": len(rows), "data": rows})


def gtd_row(**values):
    row = {
        "eventid": "199407180001",
        "iyear": "1994",
        "imonth": "7",
        "iday": "18",
        "country": "11",
        "country_txt": "Argentina",
        "region_txt": "South America",
        "provstate": "Buenos Aires",
        "city": "Buenos Aires",
        "latitude": "-34.6037",
        "longitude": "-58.3816",
        "specificity": "1",
        "summary": "07/18/1994: A car bomb destroyed the AMIA building.",
        "attacktype1_txt": "Bombing/Explosion",
        "targtype1_txt": "Private Citizens & Property",
        "gname": "Hezbollah",
        "weaptype1_txt": "Explosives",
        "nkill": "85",
        "nwound": "300",
        "scite1": "Invented citation for a test.",
        "dbsource": "PGIS",
    }
    row.update(values)
    return row


def ucdp_row(**values):
    row = {
        "id": "1",
        "year": "1995",
        "type_of_violence": "1",
        "conflict_name": "Russia: Chechnya",
        "dyad_name": "Government of Russia (Soviet Union) - Chechen Republic of Ichkeria",
        "side_a": "Government of Russia (Soviet Union)",
        "side_b": "Chechen Republic of Ichkeria",
        "source_article": "Invented article",
        "source_headline": "Fighting near the border",
        "where_prec": "1",
        "where_coordinates": "Grozny town",
        "latitude": "43.3125",
        "longitude": "45.6986",
        "country": "Russia (Soviet Union)",
        "date_prec": "1",
        "date_start": "1995-01-02 00:00:00.000",
        "date_end": "1995-01-03 00:00:00.000",
        "best": "12",
        "high": "20",
        "low": "10",
    }
    row.update(values)
    return row
