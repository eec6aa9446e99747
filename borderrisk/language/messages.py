"""Text made of a catalogue message and its arguments, so that what the model writes once (a
factor's explanation) can be read in any of the map's languages.

``Message(N_("{count} event(s) within {reach:g} km"), count=3, reach=100.0)`` is the string
``"3 event(s) within 100 km"``, its English text, written when it is built (so it is used as
that string everywhere: JSON, CSV, comparisons); ``message.text(Language("es"))`` writes it in
Spanish. The arguments keep what they are: numbers are written with the placeholder's format
(``{km:.0f}``, ``{weight:g}``, ``{adjustment:+g}``, ``{killed:,}``) in English and with the
same decimals and the language's separators otherwise; dates (:class:`Day`) as the language
writes them; borderrisk's own words (:class:`Term`) translated when the caller names its
vocabulary; nested messages and lists (:class:`Joined`) follow; and other text (the data's own:
titles, actors, codes) is never touched.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from string import Formatter
from typing import Any

from borderrisk.language import ENGLISH, N_, Language

#: borderrisk's own words in a language, by their English (see :class:`Term`).
Terms = Mapping[str, str]
#: Explicit bidirectional controls: embeddings, overrides and isolates.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def data_text(value: Any) -> str:
    """The data's own text as a message says it: as it is, but isolated (FSI … PDI) when it
    carries bidi controls. An unclosed right-to-left override in an event type or a title
    would run on past it and turn the message's own words and numbers around ("+0.18" read
    as "81.0+"); the closing isolate ends whatever the text opened."""
    text = str(value)
    return f"\u2068{text}\u2069" if BIDI_CONTROLS.search(text) else text


def number(value: float, spec: str, language: Language = ENGLISH) -> str:
    """A number as the format ``spec`` writes it in English (``"g"``, ``".2f"``, ``"+g"``,
    ``","``), with the same decimals and the language's separators in another language."""
    if language.code == "en":
        return format(value, spec)
    if spec.startswith("+"):
        return ("-" if value < 0 else "+") + number(abs(value), spec[1:], language)
    if spec.startswith(".") and spec.endswith("f"):
        decimals = int(spec[1:-1])
    elif isinstance(value, float):
        decimals = len(format(value, "g").partition(".")[2])
    else:
        decimals = 0
    return language.number(value, decimals)


def percent(p: float, language: Language = ENGLISH) -> str:
    """A probability as a whole percentage ("23 %", Spanish and Portuguese alike); under one
    per cent "< 1 %" and over 99 "> 99 %", since a forecast's "0 %" or "100 %" would claim a
    certainty it does not have (every segment of a file where every month saw events is at
    99.9 %: it is still a forecast)."""
    if p < 0.005:
        return "< 1 %"
    return "> 99 %" if p >= 0.995 else f"{number(100 * p, '.0f', language)} %"


#: A stretch of a border as a map, its popups, a brief's table and a trend chart name it.
STRETCH = N_("{border} km {stretch}")


def stretch_label(a: str, b: str, start_km: float, end_km: float, language: Language = ENGLISH) -> str:
    """A stretch of the border of ``a`` and ``b`` in the map's language: ARG–BOL km 1,234–1,284
    (Spanish: ARG–BOL km 1.234–1.284)."""
    return language.gettext(STRETCH).format(border=f"{a}–{b}", stretch=kilometres(start_km, end_km, language))


def kilometres(start_km: float, end_km: float, language: Language = ENGLISH) -> str:
    """Whole kilometres along a border, grouped as the language writes numbers: 1,234–1,284."""
    return f"{language.number(start_km)}–{language.number(end_km)}"


class Day:
    """A date known to a ``precision`` (day, week, month or year), as :meth:`Language.date`
    writes it: 2023-07-16, "week of 2023-07-16" or "16 de julio de 2023"."""

    __slots__ = ("precision", "value")

    def __init__(self, value: date, precision: str | None = "day") -> None:
        self.value, self.precision = value, precision or "day"

    def __format__(self, spec: str) -> str:
        return ENGLISH.date(self.value, self.precision)

    def text(self, language: Language = ENGLISH, terms: Terms | None = None) -> str:
        return language.date(self.value, self.precision)


class Term:
    """A value that may be one of borderrisk's own words (an event type, an agreement status):
    translated when it is in the vocabulary the caller gives, else the data's own, as it is."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        return data_text(self.value)

    def text(self, language: Language = ENGLISH, terms: Terms | None = None) -> str:
        return (terms or {}).get(self.value) or data_text(self.value)


class Joined(str):
    """Parts written one after the other with a separator (punctuation, the same in every
    language); as a string, the parts' English texts."""

    __slots__ = ("parts", "separator")

    def __new__(cls, separator: str, parts: Sequence[Any]) -> Joined:
        made = super().__new__(cls, separator.join(map(written, parts)))
        made.separator, made.parts = separator, parts
        return made

    def text(self, language: Language = ENGLISH, terms: Terms | None = None) -> str:
        if language.code == "en":
            return str.__str__(self)
        return self.separator.join(written(part, language, terms) for part in self.parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return Joined, (self.separator, self.parts)


class Message(str):
    """A catalogue message with its arguments; as a string, its English text.

    Parameters
    ----------
    message
        The message as marked for the catalogue (``N_("...")``), with ``{name}`` or
        ``{name:spec}`` placeholders.
    **args
        A value per placeholder: a number, a :class:`Day`, a :class:`Term`, a :class:`Joined`
        list, another :class:`Message`, or the data's own text.
    """

    __slots__ = ("args", "message")

    def __new__(cls, message: str, **args: Any) -> Message:
        said = {key: _said(value) for key, value in args.items()}
        made = super().__new__(cls, message.format(**said) if args else message)
        made.message, made.args = message, args
        return made

    def text(self, language: Language = ENGLISH, terms: Terms | None = None) -> str:
        """This text in ``language``; ``terms`` translates borderrisk's own words in it."""
        if language.code == "en":
            return str.__str__(self)
        parts = []
        for literal, name, spec in _fields(language.gettext(self.message)):
            parts.append(literal)
            if name is not None:
                value = self.args[name]
                is_number = isinstance(value, numbers.Real) and not isinstance(value, bool)
                parts.append(number(value, spec, language) if is_number else written(value, language, terms))
        return "".join(parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt, (self.message, self.args)


def written(value: Any, language: Language = ENGLISH, terms: Terms | None = None) -> str:
    """Any part of a message in ``language``: the data's own text as it is."""
    if isinstance(value, (Message, Day, Term, Joined)):
        return value.text(language, terms)
    return data_text(value)


def _said(value: Any) -> Any:
    """An argument as English formats it: the data's own text by :func:`data_text`, the rest
    (numbers, dates, terms, nested messages) by their format."""
    return data_text(value) if isinstance(value, str) and not isinstance(value, (Message, Joined)) else value


@cache
def _fields(template: str) -> list[tuple[str, str | None, str]]:
    """A message's literal text and placeholders (name, format), in order."""
    return [(literal, name, spec or "") for literal, name, spec, _ in Formatter().parse(template)]


def _rebuilt(message: str, args: dict[str, Any]) -> Message:
    return Message(message, **args)
