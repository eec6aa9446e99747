"""The map runtime's own words (``static/*.js``): every text it writes on a map, as messages
of the catalogue. The page gets them in the map's language, so the scripts hold no UI text;
``{0}``, ``{1}`` are filled in by the runtime."""

from __future__ import annotations

from borderrisk.language import N_, WEEK_OF, Language

RUNTIME_TEXT = {
    "source": N_("Source: {0}"),
    "notGiven": N_("not given"),
    "atThisPlace": N_("{0} at this place"),
    "previous": N_("‹ previous"),
    "next": N_("next ›"),
    "pageOf": N_("page {0} of {1}"),
    "events": N_("{0} events"),
    "range": N_("{0} to {1}"),
    "aggregated": N_("Aggregated: zoom in for finer cells"),
    "time": N_("Time"),
    "upTo": N_("Up to {0}"),
    "sliderLabel": N_("Show events up to this date"),
    "play": N_("▶ Play"),
    "pause": N_("❚❚ Pause"),
    "playLabel": N_("Play: step through time"),
    "step": N_("Step"),
    "day": N_("by day"),
    "week": N_("by week"),
    "month": N_("by month"),
    "year": N_("by year"),
    "weekOf": WEEK_OF,
    "north": N_("N"),
    "legend": N_("Legend"),
}


def runtime_words(language: Language) -> dict[str, str]:
    """The runtime's words in ``language``."""
    return {key: language.gettext(message) for key, message in RUNTIME_TEXT.items()}
