"""Name normalisation shared by every lookup, so "Villazon" finds "Villazón"."""

from __future__ import annotations

import unicodedata


def fold(name: str) -> str:
    """Lower-case, strip accents and collapse white space: the key every lookup compares."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().replace("’", "'").split())
