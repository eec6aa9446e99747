"""Towns that share a name within a country, told apart by the row's admin areas or reported.

A row naming "Dovhe" in Ukraine may be at either of two towns 600 km apart. The gazetteer
alone would place it at the most populous, silently wrong for the others. So each row whose
name matches places of its country farther apart than :data:`APART_KM` is settled by its admin
areas (ACLED's ``admin3``, ``admin2``, ``admin1``): the namesake nearest the place named like
an area wins when it is clearly nearer than every far namesake (regions share their capital's
name: Luhansk, Donetsk, Kano). A row nothing settles keeps the most populous namesake and is
counted as ambiguous, by name, for the report. Work is per distinct name and areas, not per row.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Callable

    from borderrisk.geo.places import Place

#: Namesakes farther apart than this (km) are different places for a map of border segments.
APART_KM = 50.0
#: A town farther than this (km) from every city its row's admin areas are named like is
#: doubtful: the gazetteer holds towns of 5,000 people and more, so a village of that name
#: elsewhere is likelier (ACLED's Vodyane in Donetsk oblast is not the town in Zaporizhzhia).
FAR_KM = 150.0
#: An area's name found as a town this populous is its seat (Donetsk, Kano, Rio de Janeiro);
#: a smaller one is as likely a village that shares a region's name (Jalisco, Guerrero).
CITY_POPULATION = 100_000


def settle(
    names: np.ndarray, codes: np.ndarray, areas: list[np.ndarray], spot: Callable[[str, str | None], Place | None]
) -> tuple[np.ndarray, np.ndarray]:
    """For rows placed at the town ``names`` in countries ``codes`` (with their ``areas``'
    names, aligned), the namesake their areas choose (a :class:`Place`, or None where the
    first choice stands) and which rows stay ambiguous. ``spot`` places an area's name."""
    groups, tuples = pd.factorize(pd.MultiIndex.from_arrays([names, codes, *areas]))
    judged = [_judge(name, code, tuple(around), spot) for name, code, *around in tuples]
    chosen = np.full(len(judged), None, dtype=object)
    chosen[:] = [place for place, _ in judged]
    ambiguous = np.array([doubt for _, doubt in judged], dtype=bool)
    return chosen[groups], ambiguous[groups]


def _judge(name: str, code: str, areas: tuple[str, ...], spot: Callable) -> tuple[Place | None, bool]:
    """The namesake ``areas`` (smallest first) choose (None: the most populous stands), and
    whether the row stays in doubt: namesakes far apart that its areas do not tell apart, or a
    town farther than :data:`FAR_KM` from every city its areas name (a village of that name is
    elsewhere). An area named like the town says only that a namesake is its seat (Ukraine's
    hromadas, Mexico's municipios); the largest area named so is a region named after its
    capital, the most populous namesake (Mykolaiv in Mykolaiv oblast)."""
    from borderrisk.geo.text import place_key

    key = place_key(name)
    same = [bool(a) and place_key(a) == key for a in areas]
    if same and same[-1]:
        return None, False
    centres = [spot(a, code) for a, own in zip(areas, same) if a and not own]
    centres = [c for c in centres if c is not None and c.precision == "city"]
    chosen = _nearest(_candidates(name, code), centres) if _spread(name, code) else None
    town = chosen or _candidates(name, code)[0]
    cities = [c for c in centres if c.population >= CITY_POPULATION]
    far = bool(cities) and min(_km(town, (c,))[0] for c in cities) > FAR_KM
    return chosen, (_spread(name, code) and chosen is None) or far


@lru_cache(maxsize=1 << 14)
def _spread(name: str, code: str) -> bool:
    """Whether places named ``name`` in ``code`` lie farther apart than :data:`APART_KM`."""
    candidates = _candidates(name, code)
    return bool(len(candidates) > 1 and _km(candidates[0], candidates).max() > APART_KM)


def _nearest(candidates: tuple[Place, ...], centres: list[Place]) -> Place | None:
    """The namesake nearest the first of ``centres`` (places named like the row's areas,
    smallest area first) that tells them apart: every namesake far from it is at least
    :data:`APART_KM` farther from that centre. None when no centre does."""
    for centre in centres:
        distance = _km(centre, candidates)
        best = int(np.argmin(distance))
        far = _km(candidates[best], candidates) > APART_KM
        if not far.any() or distance[far].min() - distance[best] > APART_KM:
            return candidates[best]
    return None


@lru_cache(maxsize=1 << 14)
def _candidates(name: str, code: str) -> tuple[Place, ...]:
    from borderrisk.geo.places import namesakes

    return tuple(namesakes(name, code or None))


def _km(origin: Place, places: tuple[Place, ...]) -> np.ndarray:
    from borderrisk.geo.geodesy import segment_lengths_km

    lon = np.array([p.lon for p in places])
    lat = np.array([p.lat for p in places])
    return segment_lengths_km(np.full_like(lon, origin.lon), np.full_like(lat, origin.lat), lon, lat)
