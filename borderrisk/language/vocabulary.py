"""The values borderrisk's readers write into events, as words of the map's language.

A reader turns a source's codes into borderrisk's own words: ACLED's event types (lower case,
the pre-2019 ones mapped onto today's six), UCDP's violence types, GDELT's CAMEO roots, and
every source's location precision. Those words are borderrisk's, so a Spanish or Portuguese
map or brief shows them translated (the catalogue has them because they are marked here); a
value a user's own file brings (a type of their own, a title, an actor) is the data's, shown as
it is. The data room below cannot mark its words for the catalogue, so they are listed here,
and ``tests/test_vocabulary.py`` checks that every word a reader writes is.
"""

from __future__ import annotations

from borderrisk.language import N_

#: Event types the readers write (beside the scenario's, :data:`borderrisk.layers.style.EVENT_TYPES`).
READ_EVENT_TYPES = [
    N_("battles"),
    N_("protests"),
    N_("riots"),
    N_("explosions/remote violence"),
    N_("violence against civilians"),
    N_("strategic developments"),
    N_("cooperation"),
    N_("protest"),
    N_("military posture"),
    N_("attack"),
    N_("statement"),
    N_("sanction"),
    N_("other"),
]

#: How precisely an event is located (``location_precision``): at its point, near it, at a
#: town of its place's name, or only to its country.
LOCATION_PRECISIONS = [N_("exact"), N_("approximate"), N_("city"), N_("country")]
