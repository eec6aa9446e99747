"""Load the embedded Natural Earth 1:10m countries and resolve any name or code to one of them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

from borderrisk.geo.errors import UnknownCountryError
from borderrisk.geo.text import fold

if TYPE_CHECKING:
    import geopandas as gpd
    import shapely

SOURCE = "Natural Earth 1:10m admin-0 countries (public domain), via world-atlas 2.0.2"


@dataclass(frozen=True)
class Country:
    """One country: ``code`` is ISO 3166-1 alpha-3, or Natural Earth's code where ISO has none."""

    code: str
    name: str
    iso2: str | None
    isonum: str | None
    official_name: str | None

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


def countries() -> gpd.GeoDataFrame:
    """All 255 countries and territories with their geometry (EPSG:4326), indexed by ``code``;
    a copy of its own (the caller may change it: the one this module reads once stays as read).

    >>> countries().loc["BOL", "name"]
    'Bolivia'
    """
    return _countries().copy()


@lru_cache(maxsize=1)
def _countries() -> gpd.GeoDataFrame:
    """The countries read once, shared by this module's lookups (which never change them)."""
    import geopandas as gpd

    with resources.as_file(resources.files("borderrisk.geo.data") / "countries.parquet") as path:
        frame = gpd.read_parquet(path)
    return frame.set_index("code", drop=False)


def generalised(level: Literal["coarse", "fine"] = "coarse") -> gpd.GeoDataFrame:
    """Coverage-simplified countries for drawing at small scales, indexed by ``code``:
    neighbours still share their borders exactly, so there are no slivers or gaps.
    ``coarse`` is simplified at 0.05° (about 5 km), ``fine`` at 0.01°. A copy of its own."""
    return _generalised(level).copy()


@lru_cache(maxsize=2)
def _generalised(level: str) -> gpd.GeoDataFrame:
    import geopandas as gpd

    with resources.as_file(resources.files("borderrisk.geo.data") / "countries_generalised.parquet") as path:
        frame = gpd.read_parquet(path, filters=[("level", "==", level)])
    return frame.set_index("code", drop=False)


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    """Every accepted spelling, folded, to its country code: the names and codes built into
    ``countries.parquet``, then ``geo/data/aliases.csv`` as it is now (names as ACLED, GDELT,
    GTD and UCDP write them), so adding an alias needs no rebuild."""
    index: dict[str, str] = {}
    frame = _countries()
    for row in frame.itertuples(index=False):
        spellings = [row.code, row.name, row.iso2, row.isonum, row.official_name, *row.aliases.split(";")]
        for spelling in spellings:
            if isinstance(spelling, str) and spelling:
                index.setdefault(fold(spelling), row.code)
    for code, alias in aliases():
        index.setdefault(fold(alias), code)
    return index


def aliases() -> list[tuple[str, str]]:
    """``(code, alias)`` pairs of ``geo/data/aliases.csv``."""
    import csv

    text = (resources.files("borderrisk.geo.data") / "aliases.csv").read_text(encoding="utf-8")
    return [(row["code"], row["alias"]) for row in csv.DictReader(text.splitlines())]


def fips_codes() -> dict[str, str]:
    """GDELT's FIPS 10-4 country codes to borderrisk country codes (``geo/data/fips10_4.csv``,
    which gives its source). Codes of no country (``OS``, the oceans) map to ``""``. A copy
    of its own."""
    return dict(_fips_codes())


@lru_cache(maxsize=1)
def _fips_codes() -> dict[str, str]:
    import csv

    text = (resources.files("borderrisk.geo.data") / "fips10_4.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["fips"]: row["code"] for row in rows}


def resolve(query: str) -> Country:
    """Resolve a name, alias, alpha-3, alpha-2 or numeric code (any case) to one country.

    >>> resolve("Plurinational State of Bolivia").code
    'BOL'
    >>> resolve("bo").code
    'BOL'
    """
    code = code_of(query)
    if code is None:
        index, key = _name_index(), fold(str(query))
        close = difflib.get_close_matches(key, list(index), n=5, cutoff=0.6)
        suggestions = list(dict.fromkeys(_countries().loc[index[c], "name"] for c in close))
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise UnknownCountryError(f"unknown country {query!r}{hint}", suggestions)
    row = _countries().loc[code]
    return Country(
        code=code,
        name=row["name"],
        iso2=_optional(row["iso2"]),
        isonum=_optional(row["isonum"]),
        official_name=_optional(row["official_name"]),
    )


def code_of(query: str) -> str | None:
    """The country code a name, alias or code stands for, or None: :func:`resolve` without
    the suggestions (a lookup that often fails, as a place name read as a country, is cheap)."""
    key = fold(str(query))
    return _name_index().get(key.zfill(3) if key.isdigit() else key)


def geometry(query: str) -> shapely.Geometry:
    """The (Multi)Polygon of a country, by any name :func:`resolve` accepts."""
    return _countries().loc[resolve(query).code, "geometry"]


def _optional(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
