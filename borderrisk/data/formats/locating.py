"""Countries and places of export rows, resolved once per distinct name, not once per row."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from borderrisk.geo.places import Place


def resolve_countries(names: pd.Series | None, rows: int) -> tuple[pd.Series | None, np.ndarray]:
    """Country names or codes as borderrisk codes (missing where empty), and which of the
    ``rows`` name a country that does not resolve."""
    from borderrisk.geo.countries import resolve
    from borderrisk.geo.errors import UnknownCountryError

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
    """Rows without coordinates placed by their place name, read as a country first and a town
    second (so "Venezuela" is the country, not the hamlet in Cuba), within the row's country
    when it has one; else at their country's seat of government (precision "country").
    Returns the events and which rows are still without a location."""
    events = events.copy()
    place = (
        events["place"].fillna("").astype(str).str.strip() if "place" in events else pd.Series("", index=events.index)
    )
    country = events["country"] if "country" in events else pd.Series(None, index=events.index, dtype=object)
    found = {key: _spot(*key) for key in set(zip(place[missing], country[missing]))}
    rows = np.flatnonzero(missing.to_numpy())
    spots = [found[(place.iat[i], country.iat[i])] for i in rows]
    located = np.array([s is not None for s in spots], dtype=bool)
    if located.any():
        chosen = events.index[rows[located]]
        values = [s for s in spots if s is not None]
        events.loc[chosen, "lat"] = [v.lat for v in values]
        events.loc[chosen, "lon"] = [v.lon for v in values]
        events.loc[chosen, "location_precision"] = [v.precision for v in values]
        events["country"] = country
        events.loc[chosen, "country"] = [v.country for v in values]
    still = missing.copy()
    still.iloc[rows[located]] = False
    return events, still


def _spot(name: str, code: str | None) -> Place | None:
    """Where a row named ``name`` in country ``code`` (either may be empty) is, or None."""
    from borderrisk.geo.errors import GeoLookupError
    from borderrisk.geo.places import find_place, seat_of_government

    if name:
        try:
            return find_place(name, country=code)
        except (GeoLookupError, LookupError):
            pass
    if code:
        return replace(seat_of_government(code), precision="country")
    return None
