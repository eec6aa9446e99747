"""What each factor's explanation says, as catalogue messages with their arguments (see
:mod:`borderrisk.language.messages`): the model writes them once, ``score`` prints their English
text, and a map writes them in its own language. Numbers, dates and borderrisk's own words
(event types, agreement statuses) follow the language; titles, actors, alliance names and
country codes are the data's and stay as they are."""

from __future__ import annotations

from typing import Any

import pandas as pd

from borderrisk.language import N_
from borderrisk.language.messages import Day, Joined, Message, Term

SWITCHED_OFF = Message(N_("weight 0: factor switched off"))
#: Each factor's explanation when its input is missing.
ABSENT = {
    "events": Message(N_("no events in the inputs")),
    "country_events": Message(N_("no country events in the inputs")),
    "agreements": Message(N_("no agreements in the inputs")),
    "alliances": Message(N_("no alliances in the inputs")),
    "annotations": Message(N_("no annotations in the inputs")),
}
UNDATED = Message(N_("undated"))
NO_COUNTRY_EVENTS = Message(N_("no events located only to a country on either side"))
NO_AGREEMENT = Message(N_("no security agreement in force brings a watched country to either side"))
NO_ALLIANCE = Message(N_("neither side is in a watched alliance"))
NO_ADJUSTMENTS = Message(N_("no annotation carries a risk adjustment"))
NOT_ADJUSTED = Message(N_("no annotation adjusts this segment"))
NO_REASON = Message(N_("no reason given"))
ANNOTATION = Message(N_("annotation"))


def absent(name: str, weight: float) -> Message:
    """A factor that contributes nothing: switched off, or without its input."""
    return SWITCHED_OFF if weight == 0 else ABSENT[name]


def event(title: Any, when: Any, precision: Any, kind: Any, deaths: float) -> Message:
    """ "Armed clash: Villazon (2023-07-20, battles, 3 killed)": deaths when the source counts them."""
    day = Day(when, precision) if pd.notna(when) else UNDATED
    if deaths > 0:
        return Message(
            N_("{title} ({date}, {type}, {killed:,} killed)"),
            title=title,
            date=day,
            type=Term(kind),
            killed=int(deaths),
        )
    return Message(N_("{title} ({date}, {type})"), title=title, date=day, type=Term(kind))


def events(top: pd.DataFrame) -> list[Message]:
    """:func:`event` for the rows of a tally's top table (the events it names), read column by
    column: a world's top table holds three events for each of thousands of segments."""
    n = len(top)
    precisions = top["date_precision"].tolist() if "date_precision" in top else ["day"] * n
    # Own CSVs keep the deaths as text; a source that does not count them gives NaN, never > 0.
    deaths = pd.to_numeric(top["fatalities"], errors="coerce").fillna(0).tolist() if "fatalities" in top else [0] * n
    return [
        event(*row)
        for row in zip(top["title"].tolist(), top["date"].tolist(), precisions, top["type"].tolist(), deaths)
    ]


def no_events_near(reach: float) -> Message:
    return Message(N_("no located events within {reach:g} km"), reach=reach)


EVENTS_NEAR = N_("{count} event(s) within {reach:g} km; largest: {largest}")
EVENTS_IN_COUNTRY = N_("{count} event(s) located only to {country} ({value:.2f}): {largest}")
#: The explanations that name events, and the same in counts only.
COUNTED = {
    EVENTS_NEAR: N_("{count} event(s) within {reach:g} km"),
    EVENTS_IN_COUNTRY: N_("{count} event(s) located only to {country} ({value:.2f})"),
}


def events_near(count: int, reach: float, largest: list[tuple[Message, float, float]]) -> Message:
    """A segment's events within reach, naming the largest (event, km, contribution)."""
    listed = [Message(N_("{event} at {km:.0f} km: {value:.2f}"), event=e, km=km, value=v) for e, km, v in largest]
    return Message(EVENTS_NEAR, count=count, reach=reach, largest=Joined("; ", listed))


def events_in_country(count: int, country: str, value: float, largest: list[Message]) -> Message:
    """Events located only to a country on a side of the border, naming the largest."""
    return Message(EVENTS_IN_COUNTRY, count=count, country=country, value=value, largest=Joined("; ", largest))


def counted(explanation: Any) -> Any:
    """An explanation in counts only, naming no event (for a map shared under terms that
    forbid passing raw rows on): "3 event(s) within 50 km" without the events' titles."""
    if isinstance(explanation, Joined):
        return Joined(explanation.separator, [counted(part) for part in explanation.parts])
    if isinstance(explanation, Message) and explanation.message in COUNTED:
        args = {k: v for k, v in explanation.args.items() if k != "largest"}
        return Message(COUNTED[explanation.message], **args)
    return explanation


def agreement(row: Any, title: str, brought: list[str], hosts: list[str], weight: float) -> Message:
    """A security agreement that brings watched countries to a side of the border."""
    return Message(
        N_("{title} ({type}, {status} {signed}) brings {brought} to {hosts}: {weight:g}"),
        title=title,
        type=row.type,
        status=Term(row.status),
        signed=Day(row.date, getattr(row, "date_precision", "day")),
        brought=", ".join(brought),
        hosts=", ".join(hosts),
        weight=weight,
    )


def membership(country: str, alliance: str) -> Message:
    return Message(N_("{country} is a member of {alliance}"), country=country, alliance=alliance)


def adjustment(title: Any, value: float, reason: Any) -> Message:
    """A briefer's annotation adjusting a segment, with the reason given. A store where only
    some annotations have a title gives the others NaN: they are "annotation", not "nan"."""
    return Message(
        N_("{title}: {adjustment:+g} ({reason})"),
        title=_given(title) or ANNOTATION,
        adjustment=value,
        reason=_given(reason) or NO_REASON,
    )


def point_adjustment(title: Any, value: float, reason: Any, km: float) -> Message:
    """A briefer's point annotation adjusting a segment within the events' reach of it."""
    return Message(
        N_("{title}: {adjustment:+g} ({reason}; a point {km:.0f} km away)"),
        title=_given(title) or ANNOTATION,
        adjustment=value,
        reason=_given(reason) or NO_REASON,
        km=km,
    )


def _given(text: Any) -> str | None:
    return text if isinstance(text, str) and text.strip() else None


def joined(parts: list[Message], separator: str, otherwise: Message) -> Message | Joined:
    """Several reasons as one explanation, or ``otherwise`` when there are none."""
    return Joined(separator, parts) if parts else otherwise
