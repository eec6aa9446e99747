"""Which events involve the watchlist: the one matching rule, in one small module.

An actor matches when a watched name appears in it as whole words, ignoring case and accents:
"Iran" matches "Military Forces of Iran (1989-)" and "IRAN", not "Iranshahr"; "IRGC" matches
"Islamic Revolutionary Guard Corps (IRGC)". A watched country's names are its code, its name
and its aliases (geo/data/aliases.csv). An event is watched when one of its actors matches or
it happened in a watched country. Each distinct actor string is matched once, not once per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd

from borderrisk.geo.text import fold


def watched_names(countries: Iterable[str], actors: Iterable[str]) -> list[str]:
    """Folded names to look for: the watched actors, and every name of the watched countries."""
    from borderrisk.geo.countries import aliases, resolve

    names = {fold(a) for a in actors}
    for query in countries:
        country = resolve(query)
        names |= {fold(country.code), fold(country.name)}
        names |= {fold(alias) for code, alias in aliases() if code == country.code}
    return sorted(n for n in names if n)


def name_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """One pattern that finds any of the names as whole words in folded text."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)" if alternatives else r"(?!x)x")


def actor_matches(actor: str, pattern: re.Pattern[str]) -> bool:
    """The rule for one actor name."""
    return bool(pattern.search(fold(actor)))


def watched_events(events: pd.DataFrame, config: Any) -> np.ndarray:
    """For each event, whether it involves the watchlist (see the module's rule): by its
    ``country`` and its ``actors`` (either column may be absent)."""
    from borderrisk.geo.countries import resolve

    watch = config["watchlist"]
    codes = {resolve(c).code for c in watch["countries"]}
    watched = np.zeros(len(events), dtype=bool)
    if "country" in events:
        watched |= events["country"].isin(codes).to_numpy()
    if "actors" not in events or not len(events):
        return watched
    pattern = name_pattern(watched_names(watch["countries"], watch["actors"]))
    cells = events["actors"].to_numpy(dtype=object)
    if not set(map(type, cells)) <= {list, tuple, np.ndarray}:
        cells = [_as_list(cell) for cell in cells]
    lengths = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
    codes, distinct = pd.factorize(pd.Series(list(chain.from_iterable(cells)), dtype=object))
    if not len(distinct):
        return watched
    matches = np.array([actor_matches(str(name), pattern) for name in distinct], dtype=bool)
    hit = np.where(codes >= 0, matches[codes], False)
    watched[np.repeat(np.arange(len(cells)), lengths)[hit]] = True
    return watched


def _as_list(value: Any) -> list:
    """Actors as read (a list), from GeoParquet (an array) or missing (None or NaN)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return list(value)
    if isinstance(value, str):
        return [value]
    return []
