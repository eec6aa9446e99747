"""Errors a user can cause by naming something that is not there."""

from __future__ import annotations


class GeoLookupError(LookupError):
    """A name that does not resolve; the message says what was asked and what is close."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []

    def __str__(self) -> str:
        return self.args[0]


class GeoRequestError(ValueError):
    """A geographic request that cannot be met as asked (a stretch beyond a border's end, a
    zone of no width); the user's to fix, not a bug."""


class UnknownCountryError(GeoLookupError):
    """No country has this name or code."""


class UnknownPlaceError(GeoLookupError):
    """No place in the gazetteer has this name."""


class AmbiguousPlaceError(GeoLookupError):
    """Several places have this name; a country hint picks one."""


class NoBorderError(GeoLookupError):
    """Two countries that share no land border."""
