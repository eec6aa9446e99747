"""borderrisk's one error root, and the errors a user can cause by naming something that is
not there. The root lives here, in the lowest room, so every room's errors derive from it:
``except UserError`` catches every user-fixable failure, geographic or not."""

from __future__ import annotations


class UserError(ValueError):
    """Something the user can fix (a file, an option, a request the data cannot meet). The CLI
    shows its message as one line and exits 1; any other exception is a bug in borderrisk."""


class GeoLookupError(UserError, LookupError):
    """A name that does not resolve; the message says what was asked and what is close."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []

    def __str__(self) -> str:
        return self.args[0]


class GeoRequestError(UserError):
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
