"""Real event exports read as they are downloaded: ACLED CSV and GDELT 2.0 event files.

Both are read in chunks with vectorised parsing, so a million rows take seconds, with a
progress callback for the bytes read. Each row becomes a borderrisk event (the columns of
:data:`layers.data.schema.EVENTS`) in a documented way:

ACLED (CSV with a header: ``event_id_cnty, event_date, event_type, sub_event_type, actor1,
actor2, country, location, latitude, longitude, geo_precision, fatalities, notes, source`` ...)
    date ← event_date (``2023-07-16`` or ``16 July 2023``); type ← event_type, lower case
    (battles, explosions/remote violence, violence against civilians, riots, protests,
    strategic developments); title ← "sub_event_type: location"; actors ← actor1; actor2;
    severity ← fatalities: 0 → 1, 1–2 → 2, 3–9 → 3, 10–49 → 4, 50+ → 5; description ← notes;
    source ← source; location_precision ← geo_precision 1 → exact, 2 and 3 → approximate.

GDELT 2.0 events (tab-separated, no header, the 61 published columns)
    date ← SQLDATE; type ← the CAMEO root code: 01–05 statement, 06–08 cooperation,
    09–13 statement, 14 protest, 15 military posture, 16–17 sanction, 18–20 attack;
    severity ← Goldstein scale: 1 + 4 × max(0, −goldstein) / 10, rounded (−10 → 5, ≥ 0 → 1);
    title ← "CAMEO code: Actor1Name → Actor2Name"; actors ← Actor1Name; Actor2Name;
    lat/lon ← ActionGeo_Lat/Long; location_precision ← ActionGeo_Type 1 → country,
    2 and 5 → approximate, 3 and 4 → city; source ← SOURCEURL.

A row without a usable date or location is a bad row: the file stops with every bad row
listed (file, line, field, problem), or, with ``skip_bad_rows``, the rows are skipped and
returned so the caller reports them; never silently.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from layers.data.errors import InputError, Problem

if TYPE_CHECKING:
    import geopandas as gpd

CHUNK_ROWS = 200_000
#: Problems listed in an error message; all of them stay on the exception.
SHOWN_PROBLEMS = 50

GDELT_COLUMNS = [
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
GDELT_USED = [
    "SQLDATE",
    "Actor1Name",
    "Actor2Name",
    "EventCode",
    "EventRootCode",
    "GoldsteinScale",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "SOURCEURL",
    "GLOBALEVENTID",
]
CAMEO_ROOT_TYPES = {
    **dict.fromkeys(range(1, 6), "statement"),
    **dict.fromkeys(range(6, 9), "cooperation"),
    **dict.fromkeys(range(9, 14), "statement"),
    14: "protest",
    15: "military posture",
    16: "sanction",
    17: "sanction",
    18: "attack",
    19: "attack",
    20: "attack",
}
ACLED_REQUIRED = ["event_date", "event_type", "latitude", "longitude"]
ACLED_USED = [
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "notes",
    "source",
]
FORMATS = ("auto", "borderrisk", "acled", "gdelt")

Progress = Callable[[int], None]


@dataclass
class Skipped:
    """Bad rows left out with ``skip_bad_rows``: how many, and each one's problem."""

    problems: list[Problem] = field(default_factory=list)

    def __len__(self) -> int:
        return len({(p.file, p.where) for p in self.problems})

    def summary(self) -> str:
        lines = sorted({p.where for p in self.problems}, key=lambda w: int(w.split()[-1]))
        shown = ", ".join(lines[:10]) + (f" and {len(lines) - 10} more" if len(lines) > 10 else "")
        return f"skipped {len(self)} bad row(s): {shown}"


def detect_format(path: str | Path) -> str:
    """``acled`` when the header has ACLED's columns, ``gdelt`` for a 61-column tab-separated
    file, else ``borderrisk`` (the events schema of :mod:`layers.data.schema`)."""
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline()
    header = {c.strip().strip('"') for c in first.split(",")}
    if {"event_id_cnty", "event_date"} <= header:
        return "acled"
    if first.count("\t") == len(GDELT_COLUMNS) - 1 and first.split("\t", 1)[0].strip().isdigit():
        return "gdelt"
    return "borderrisk"


class _Counting(io.RawIOBase):
    """A binary file that reports how many bytes have been read, for progress bars."""

    def __init__(self, path: Path, progress: Progress | None) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed in close()
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._file.readinto(buffer)
        if self._progress and count:
            self._progress(count)
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def _chunks(path: Path, progress: Progress | None, **options: Any):
    with io.BufferedReader(_Counting(path, progress)) as handle:
        yield from pd.read_csv(handle, chunksize=CHUNK_ROWS, dtype=str, keep_default_na=False, **options)


def _fatalities_to_severity(fatalities: pd.Series) -> np.ndarray:
    deaths = pd.to_numeric(fatalities, errors="coerce").fillna(0).to_numpy()
    return np.digitize(deaths, [1, 3, 10, 50]) + 1


def _goldstein_to_severity(goldstein: pd.Series) -> np.ndarray:
    scale = pd.to_numeric(goldstein, errors="coerce").fillna(0).to_numpy()
    return np.clip(np.rint(1 + 4 * np.maximum(0, -scale) / 10), 1, 5).astype(int)


def _parse_acled_dates(text: pd.Series) -> pd.Series:
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    long = pd.to_datetime(text, format="%d %B %Y", errors="coerce")
    return iso.fillna(long)


def _join_actors(*columns: pd.Series) -> list[list[str]]:
    return [[a for a in names if a] for names in zip(*columns)]


def _acled_chunk(chunk: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ACLED_USED if c not in chunk]
    for name in missing:
        chunk[name] = ""
    precision = chunk.geo_precision.map({"1": "exact"}).fillna("approximate")
    return pd.DataFrame(
        {
            "date": _parse_acled_dates(chunk.event_date),
            "title": (chunk.sub_event_type.where(chunk.sub_event_type != "", chunk.event_type) + ": " + chunk.location),
            "type": chunk.event_type.str.strip().str.lower(),
            "severity": _fatalities_to_severity(chunk.fatalities),
            "actors": _join_actors(chunk.actor1, chunk.actor2),
            "place": chunk.location,
            "lat": pd.to_numeric(chunk.latitude, errors="coerce"),
            "lon": pd.to_numeric(chunk.longitude, errors="coerce"),
            "description": chunk.notes,
            "source": chunk.source,
            "location_precision": precision,
            "event_id": chunk.event_id_cnty,
        }
    )


def _gdelt_chunk(chunk: pd.DataFrame) -> pd.DataFrame:
    root = pd.to_numeric(chunk.EventRootCode, errors="coerce")
    return pd.DataFrame(
        {
            "date": pd.to_datetime(chunk.SQLDATE, format="%Y%m%d", errors="coerce"),
            "title": chunk.EventCode
            + ": "
            + chunk.Actor1Name.where(chunk.Actor1Name != "", "?")
            + " → "
            + chunk.Actor2Name.where(chunk.Actor2Name != "", "?"),
            "type": root.map(CAMEO_ROOT_TYPES).fillna("other"),
            "severity": _goldstein_to_severity(chunk.GoldsteinScale),
            "actors": _join_actors(chunk.Actor1Name, chunk.Actor2Name),
            "place": chunk.ActionGeo_FullName,
            "lat": pd.to_numeric(chunk.ActionGeo_Lat, errors="coerce"),
            "lon": pd.to_numeric(chunk.ActionGeo_Long, errors="coerce"),
            "description": None,
            "source": chunk.SOURCEURL,
            "location_precision": chunk.ActionGeo_Type.map({"1": "country", "3": "city", "4": "city"}).fillna(
                "approximate"
            ),
            "event_id": chunk.GLOBALEVENTID,
        }
    )


def _problems(events: pd.DataFrame, first_line: int, file: str, raw_dates: pd.Series) -> list[Problem]:
    problems = []
    lines = first_line + np.arange(len(events))
    for name, bad, message in (
        ("date", events.date.isna().to_numpy(), "is not a date"),
        ("lat", ~events.lat.between(-90, 90).to_numpy(), "missing or out of range [-90, 90]"),
        ("lon", ~events.lon.between(-180, 180).to_numpy(), "missing or out of range [-180, 180]"),
    ):
        for line, value in zip(
            lines[bad], (raw_dates.to_numpy()[bad] if name == "date" else events[name].to_numpy()[bad])
        ):
            shown = f"{value!r} {message}" if name == "date" else message
            problems.append(Problem(file, f"line {line}", name, shown))
    return problems


def read_export(
    path: str | Path, fmt: str, *, skip_bad_rows: bool = False, progress: Progress | None = None
) -> tuple[gpd.GeoDataFrame, Skipped]:
    """Read an ACLED or GDELT export as events. Returns the events and the skipped rows."""
    import geopandas as gpd

    path = Path(path)
    if fmt == "acled":
        header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
        missing = [c for c in ACLED_REQUIRED if c not in header]
        if missing:
            raise InputError([Problem(str(path), "header", c, "required ACLED column is missing") for c in missing])
        usecols = [c for c in ACLED_USED if c in header]
        chunks = _chunks(path, progress, usecols=usecols, encoding="utf-8-sig")
        convert, date_column, first_line = _acled_chunk, "event_date", 2
    elif fmt == "gdelt":
        chunks = _chunks(
            path, progress, sep="\t", header=None, names=GDELT_COLUMNS, usecols=GDELT_USED, quoting=3, encoding="utf-8"
        )
        convert, date_column, first_line = _gdelt_chunk, "SQLDATE", 1
    else:
        raise ValueError(f"read_export reads acled or gdelt, not {fmt!r}")
    frames, problems = [], []
    try:
        for chunk in chunks:
            events = convert(chunk)
            found = _problems(events, first_line, str(path), chunk[date_column])
            first_line += len(chunk)
            if found:
                problems.extend(found)
                bad_lines = {int(p.where.split()[-1]) for p in found}
                keep = ~np.isin(first_line - len(chunk) + np.arange(len(chunk)), list(bad_lines))
                events = events[keep]
            frames.append(events)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        raise InputError([Problem(str(path), "", "", f"cannot be read as {fmt}: {error}")]) from None
    if problems and not skip_bad_rows:
        raise InputError(problems[:SHOWN_PROBLEMS] if len(problems) > SHOWN_PROBLEMS else problems, total=len(problems))
    events = pd.concat(frames, ignore_index=True) if frames else _acled_chunk(pd.DataFrame(columns=ACLED_USED))
    events.insert(1, "date_precision", "day")
    frame = gpd.GeoDataFrame(events, geometry=gpd.points_from_xy(events.lon, events.lat), crs="EPSG:4326")
    return frame, Skipped(problems)
