"""The map's language: its own text from a gettext catalogue, country names, numbers and dates
in English, Spanish or Portuguese. The data's own text (titles, notes, actors) is never
translated; only what borderrisk itself writes on a map.

Messages are marked where they are written: ``N_("Date")`` for a constant (the mark only lets
the extractor find it), ``language.gettext("Date")`` where it is shown. The catalogues are
``locale/{es,pt}/LC_MESSAGES/borderrisk.po``, read with Babel when first needed: the ``.po``
file is the one source (no compiled ``.mo`` to rebuild and keep in step), and reading the few
hundred messages takes milliseconds. Country names come from the Unicode CLDR through Babel,
by ISO 3166-1 alpha-2 code; a territory without a code or a translation keeps its Natural
Earth (English) name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from borderrisk.data.errors import UserError
from borderrisk.data.schema import precision_of

#: The languages a map can be drawn in; English is the catalogue's own language.
LANGUAGES = ("en", "es", "pt")
DOMAIN = "borderrisk"
#: Date patterns (CLDR) by precision; English keeps ISO dates, unambiguous for analysts.
ISO_DATES = {"day": "y-MM-dd", "month": "y-MM", "year": "y"}


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it here."""
    return message


#: A date known to the week: the day the source recorded, in this message (the runtime's too).
WEEK_OF = N_("week of {0}")


class UnknownLanguage(UserError):
    """A language the maps do not speak."""


@dataclass(frozen=True)
class Language:
    """One of :data:`LANGUAGES`; ``Language("es").gettext("Date")`` is ``"Fecha"``."""

    code: str = "en"

    def __post_init__(self) -> None:
        if self.code not in LANGUAGES:
            raise UnknownLanguage(f"unknown language {self.code!r}; choose one of {', '.join(LANGUAGES)}")

    def gettext(self, message: str) -> str:
        """The message in this language (the English message if the catalogue lacks it)."""
        return _catalogue(self.code).get(message) or message

    def country(self, iso2: Any, english: str) -> str:
        """A country's name in this language, by its ISO alpha-2 code; else its English name."""
        if self.code == "en" or not isinstance(iso2, str) or not iso2:
            return english
        return _territories(self.code).get(iso2, english)

    def number(self, value: float, decimals: int = 0) -> str:
        """A number with this language's separators, e.g. 1,234.5 or 1.234,5."""
        from babel.numbers import format_decimal

        return format_decimal(
            round(value, decimals), format=f"#,##0.{'0' * decimals}" if decimals else "#,##0", locale=self.code
        )

    def date(self, value: date, precision: Any = "day") -> str:
        """A date as this language writes it, only as precisely as it is known (see
        :data:`~borderrisk.data.schema.PRECISIONS`): 16 de julio de 2023, semana del 16 de
        julio de 2023, julio de 2023, 2023 (English: 2023-07-16, week of 2023-07-16, 2023-07)."""
        from babel.dates import format_date

        precision = precision_of(precision)
        if precision == "week":
            return self.gettext(WEEK_OF).format(self.date(value))
        return format_date(value, self.date_patterns()[precision], locale=self.code)

    def date_patterns(self) -> dict[str, str]:
        """CLDR date patterns for a day, a month and a year."""
        if self.code == "en":
            return dict(ISO_DATES)
        from babel import Locale
        from babel.dates import get_date_format

        locale = Locale.parse(self.code)
        return {
            "day": get_date_format("long", locale=locale).pattern,
            "month": locale.datetime_skeletons["yMMMM"].pattern,
            "year": "y",
        }

    def for_runtime(self) -> dict[str, Any]:
        """What the map runtime needs to write dates and numbers: patterns and month names."""
        from babel import Locale

        months = Locale.parse(self.code).months["format"]["wide"]
        return {"code": self.code, "dates": self.date_patterns(), "months": [months[m] for m in range(1, 13)]}


ENGLISH = Language("en")


@cache
def _catalogue(code: str) -> dict[str, str]:
    if code == "en":
        return {}
    return {message.id: message.string for message in read_catalogue(code) if message.id and message.string}


def read_catalogue(code: str) -> Any:
    """The Babel catalogue of one language, as shipped."""
    from babel.messages.pofile import read_po

    path = resources.files(__name__) / "locale" / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as file:
        return read_po(file, locale=code, domain=DOMAIN)


@cache
def _territories(code: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(code).territories)
