"""Countries and places of export rows, resolved once per distinct name, not once per row."""

from __future__ import annotations

import numpy as np
import pandas as pd


def resolve_countries(names: pd.Series | None, rows: int) -> tuple[pd.Series | None, np.ndarray]:
    """Country names or codes as borderrisk codes (missing where empty), and which of the
    ``rows`` name a country that does not resolve."""
    from geo.countries import resolve
    from geo.errors import UnknownCountryError

    if names is None:
        return None, np.zeros(rows, dtype=bool)
    text = names.fillna("").astype(str).str.strip()
    codes: dict[str, str | None] = {"": None}
    for name in text.unique():
        if name not in codes:
            try:
                codes[name] = resolve(name).code
            except UnknownCountryError:
                codes[name] = None
    resolved = text.map(codes)
    return resolved.astype(object).where(resolved.notna(), None), (resolved.isna() & (text != "")).to_numpy()


def locate_missing(events: pd.DataFrame, missing: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """Rows without coordinates placed by their place name (within their country when known:
    precision "city"), else by their country (at its seat of government: precision "country").
    Returns the events and which rows are still without a location."""
    from geo.errors import GeoLookupError
    from geo.places import find, seat_of_government

    events = events.copy()
    place = (
        events["place"].fillna("").astype(str).str.strip() if "place" in events else pd.Series("", index=events.index)
    )
    country = events["country"] if "country" in events else pd.Series(None, index=events.index, dtype=object)
    found: dict[tuple[str, str | None], tuple[float, float, str] | None] = {}
    for key in set(zip(place[missing], country[missing])):
        name, code = key
        spot = None
        if name:
            try:
                hit = find(name, country=code)
                spot = (hit.lat, hit.lon, "city")
            except (GeoLookupError, LookupError):
                spot = None
        if spot is None and code:
            seat = seat_of_government(code)
            spot = (seat.lat, seat.lon, "country")
        if spot is None and name:
            try:
                seat = seat_of_government(name)
                spot = (seat.lat, seat.lon, "country")
                events.loc[missing & (place == name) & country.isna(), "country"] = seat.country
            except (GeoLookupError, LookupError):
                spot = None
        found[key] = spot
    rows = np.flatnonzero(missing.to_numpy())
    spots = [found[(place.iat[i], country.iat[i])] for i in rows]
    located = np.array([s is not None for s in spots], dtype=bool)
    if located.any():
        chosen = rows[located]
        values = [s for s in spots if s is not None]
        events.loc[events.index[chosen], "lat"] = [v[0] for v in values]
        events.loc[events.index[chosen], "lon"] = [v[1] for v in values]
        events.loc[events.index[chosen], "location_precision"] = [v[2] for v in values]
    still = missing.copy()
    still.iloc[rows[located]] = False
    return events, still
