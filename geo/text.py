"""Name normalisation shared by every lookup, so "Villazon" finds "Villazón" and "Diyarbakir"
finds "Diyarbakır"."""

from __future__ import annotations

import unicodedata

#: Letters that Unicode does not decompose into a base letter and an accent, as an ASCII
#: keyboard writes them (Turkish dotless i, Scandinavian, Polish, Croatian, Maltese), and the
#: apostrophes and okina names are written with.
PLAIN = str.maketrans(
    {"ı": "i", "ø": "o", "đ": "d", "ł": "l", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
    | dict.fromkeys("’‘ʻʼ`´", "'")
)


def fold(name: str) -> str:
    """Lower-case, strip accents and collapse white space: the key every lookup compares."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().translate(PLAIN).split())


def place_key(name: str) -> str:
    """The key place names are compared by: folded, without apostrophes, hyphens and dots as
    spaces ("Nuku'alofa" finds "Nukuʻalofa", "Nur Sultan" finds "Nur-Sultan", "St John's"
    finds "St. John's")."""
    return " ".join(fold(name).replace("'", "").replace("-", " ").replace(".", " ").split())
