"""Countries and places of export rows, resolved once per distinct name per command (not once
per row: a file of 60,000 rows may name ten places), and never placed silently.

Coordinates win: a row with a valid point keeps it, whatever its place or country say. A row
without coordinates is placed by its place name, read as a country first and a town second
(so "Venezuela" is the country, not the hamlet in Cuba), within the row's country when it has
one; a name that is not found places the row at its country's seat of government (precision
"country"), counted by name so the user sees which names were not found.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from borderrisk.geo.places import Place


def resolve_countries(names: pd.Series | None, rows: int) -> tuple[pd.Series | None, np.ndarray]:
    """Country names or codes as borderrisk codes (missing where empty), and which of the
    ``rows`` name a country that does not resolve."""
    if names is None:
        return None, np.zeros(rows, dtype=bool)
    text = names.fillna("").astype(str).str.strip()
    codes, distinct = pd.factorize(text)
    resolved = np.array([_country(name) for name in distinct] + [None], dtype=object)[codes]
    column = pd.Series(resolved, index=names.index, dtype=object)
    return column, (column.isna() & (text != "")).to_numpy()


@lru_cache(maxsize=1 << 14)
def _country(name: str) -> str | None:
    from borderrisk.geo.countries import resolve
    from borderrisk.geo.errors import UnknownCountryError

    if not name:
        return None
    try:
        return resolve(name).code
    except UnknownCountryError:
        return None


def locate_missing(
    events: pd.DataFrame, missing: pd.Series, areas: list[pd.Series] | None = None
) -> tuple[pd.DataFrame, pd.Series, Counter, Counter]:
    """Rows without coordinates (``missing``) placed by their place name; where it is not
    found, by the first of their ``areas`` (names of ever larger areas around it, such as
    ACLED's ``admin3``, ``admin2`` and ``admin1``, aligned with the rows) that is (precision
    "approximate"); else at their country's seat of government (precision "country").
    A row whose town (or area) has namesakes far apart in its country goes to the one its
    (larger) areas choose (:mod:`borderrisk.data.formats.namesakes`). Returns the events, which rows are
    still without a location, the place names not found and the names left ambiguous (rows
    per name)."""
    events = events.copy()
    rows = np.flatnonzero(missing.to_numpy())
    place = _text(events, "place").iloc[rows].to_numpy(dtype=object)
    country = events["country"] if "country" in events else pd.Series(None, index=events.index, dtype=object)
    codes = country.iloc[rows].fillna("").astype(str).to_numpy(dtype=object)
    spots, found = _spots(place, codes)
    area_names = [a.fillna("").astype(str).str.strip().to_numpy(dtype=object)[rows] for a in areas or []]
    ambiguous = _namesakes(spots, found & (place != ""), place, area_names)
    for level, names in enumerate(area_names):
        todo = np.flatnonzero(~found & (place != ""))
        if not len(todo):
            break
        around = names[todo]
        near, named = _spots(around, codes[todo])
        better = named & (around != "")
        # an area's name is a town's name too: told apart by the larger areas, or reported
        ambiguous[todo] |= _namesakes(near, better, around, [a[todo] for a in area_names[level + 1 :]])
        spots[todo[better]] = [replace(p, precision="approximate") for p in near[better]]
        found[todo[better]] = True
    located = np.array([s is not None for s in spots], dtype=bool)
    if located.any():
        chosen = events.index[rows[located]]
        values = spots[located]
        events.loc[chosen, "lat"] = [v.lat for v in values]
        events.loc[chosen, "lon"] = [v.lon for v in values]
        events.loc[chosen, "location_precision"] = [v.precision for v in values]
        if "country" not in events:
            events["country"] = None
        events.loc[chosen, "country"] = [v.country for v in values]
    still = missing.copy()
    still.iloc[rows[located]] = False
    return events, still, Counter(place[~found & located].tolist()), Counter(place[ambiguous].tolist())


def _namesakes(spots: np.ndarray, named: np.ndarray, place: np.ndarray, areas: list[np.ndarray]) -> np.ndarray:
    """Rows placed at a town whose namesakes of the same country lie far apart: moved to the
    namesake their ``areas`` choose (``spots`` changed in place), or marked as ambiguous (the
    mask returned)."""
    from borderrisk.data.formats.namesakes import settle

    ambiguous = np.zeros(len(spots), dtype=bool)
    towns = np.flatnonzero(named & np.array([s is not None and s.precision == "city" for s in spots], dtype=bool))
    if not len(towns):
        return ambiguous
    countries = np.array([s.country for s in spots[towns]], dtype=object)
    chosen, ambiguous[towns] = settle(place[towns], countries, [a[towns] for a in areas], _town)
    moved = ~pd.isna(chosen)
    spots[towns[moved]] = chosen[moved]
    return ambiguous


def _town(name: str, code: str | None) -> Place | None:
    """Where a place called ``name`` in ``code`` is, if its name is found."""
    spot, found = _spot(name, code)
    return spot if found else None


def _spots(names: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each ``(name, country code)`` is (a :class:`Place`, or None) and whether its name
    (if any) was found, each distinct pair looked up once."""
    pairs, distinct = pd.factorize(pd.MultiIndex.from_arrays([names, codes]))
    looked = [_spot(name, code or None) for name, code in distinct]
    places = np.empty(len(looked), dtype=object)
    places[:] = [spot for spot, _ in looked]
    return places[pairs], np.array([ok for _, ok in looked], dtype=bool)[pairs] if looked else np.zeros(0, bool)


def _text(events: pd.DataFrame, column: str) -> pd.Series:
    if column not in events:
        return pd.Series("", index=events.index, dtype=object)
    return events[column].fillna("").astype(str).str.strip()


@lru_cache(maxsize=1 << 16)
def _spot(name: str, code: str | None) -> tuple[Place | None, bool]:
    """Where a row named ``name`` in country ``code`` (either may be empty) is, or None; and
    whether the name (if any) was found. Each distinct pair is looked up once per process."""
    from borderrisk.geo.errors import GeoLookupError
    from borderrisk.geo.places import find_place, seat_of_government

    if name:
        try:
            return find_place(name, country=code), True
        except (GeoLookupError, LookupError):
            pass
    if code:
        return replace(seat_of_government(code), precision="country"), not name
    return None, not name
