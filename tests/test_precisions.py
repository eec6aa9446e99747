"""Every language, every precision: a date is written only as precisely as its source knows it
(day, week, month or year: UCDP ``date_prec`` 1, 3, 4, 5; ACLED ``time_precision`` 1-3) in
every text of every layer that shows one, in English, Spanish and Portuguese, in Chromium.

Spanish and Portuguese maps used to stop with ``KeyError: 'week'`` as soon as a week-precision
event was quoted in a risk explanation or scored again for ``--compare-to``."""

import calendar
import re
from datetime import date, timedelta
from functools import cache

import pytest
from click.testing import CliRunner
from test_browser import hover_every_feature, open_every_popup

from borderrisk.cli.main import cli
from borderrisk.language import LANGUAGES, Language

from exports import UCDP_COLUMNS, table, ucdp_row

#: UCDP's date_prec for each precision, and three events' first days at that precision.
UCDP_PRECISION = {"day": "1", "week": "3", "month": "4", "year": "5"}
DAYS = {
    "day": [date(2023, 3, 16), date(2023, 4, 20), date(2023, 5, 11)],
    "week": [date(2023, 3, 16), date(2023, 4, 20), date(2023, 5, 11)],
    "month": [date(2023, 3, 1), date(2023, 4, 1), date(2023, 5, 1)],
    "year": [date(2021, 1, 1), date(2022, 1, 1), date(2023, 1, 1)],
}
#: Near the Argentina-Bolivia border (Villazón, Yacuiba, Bermejo), so risk popups quote them.
PLACES = [(-22.09, -65.59, "Villazon"), (-22.02, -63.68, "Yacuiba"), (-22.73, -64.34, "Bermejo")]
COMPARED_WITH = date(2022, 6, 30)
LAYERS = ["events", "tooltips", "cells", "risk", "change", "time slider"]


@cache
def rendered(folder, precision: str, lang: str, cells: bool):
    """One map of three UCDP events at ``precision``, in ``lang`` (events drawn as cells, or
    as markers with a Change layer), rendered once for all the layers tested on it."""
    rows = [
        ucdp_row(
            id=str(k),
            year=str(day.year),
            dyad_name="Government of Bolivia - Invented group",
            where_coordinates=place,
            country="Bolivia",
            latitude=str(lat),
            longitude=str(lon),
            date_prec=UCDP_PRECISION[precision],
            date_start=f"{day.isoformat()} 00:00:00.000",
            date_end=f"{window_end(day, precision).isoformat()} 00:00:00.000",
            best=str(k + 1),
        )
        for k, (day, (lat, lon, place)) in enumerate(zip(DAYS[precision], PLACES))
    ]
    events = folder / f"ged-{precision}.csv"
    events.write_text(table(UCDP_COLUMNS, rows), encoding="utf-8")
    out = folder / f"{precision}-{lang}-{'cells' if cells else 'markers'}.html"
    drawn = ["--aggregate-above", "1"] if cells else ["--compare-to", COMPARED_WITH.isoformat()]
    args = ["map", "--events", str(events), "--focus", "ARG,BOL", "--lang", lang, *drawn, "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return out


def window_end(day, precision):
    """The last day of an event's window, as GED gives it: exact (the popup's "Until")."""
    if precision == "week":
        return day + timedelta(days=4)
    if precision == "month":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return date(day.year, 12, 31) if precision == "year" else day


def finer_dates(texts, precision, language):
    """Days written in ``texts`` though the events are known only to a week, month or year."""
    if precision == "day":
        return []
    days = [language.date(day) for day in DAYS[precision]]
    found = []
    for text in texts:
        if precision == "week":  # a week is written with its day: "week of 2023-03-16"
            for week in (language.date(day, "week") for day in DAYS[precision]):
                text = text.replace(week, "")
        found += [day for day in days if re.search(rf"(?<!\d){re.escape(day)}", text)]
    return found


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("precisions")


@pytest.mark.slow
@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("precision", list(UCDP_PRECISION))
def test_every_layer_writes_dates_at_the_data_s_precision_in_every_language(
    folder, offline_page, precision, lang, layer
):
    language = Language(lang)
    shown = [language.date(day, precision) for day in DAYS[precision]]
    offline_page.open(rendered(folder, precision, lang, layer == "cells"))
    if layer == "events":
        texts = open_every_popup(offline_page, language.gettext("Events"))
        assert sorted(text.split(language.gettext("Date") + "\t")[1].split("\n")[0] for text in texts) == sorted(shown)
    elif layer == "tooltips":
        texts = hover_every_feature(offline_page, language.gettext("Events"))
        assert sorted(text.split(" · ")[0] for text in texts) == sorted(shown)
    elif layer == "cells":
        texts = open_every_cell(offline_page, language.gettext("Events"))
        assert texts and all(any(s in text for s in shown) for text in texts)
    elif layer == "risk":
        texts = open_every_popup(offline_page, language.gettext("Risk"))
        quoted = [s for s in shown if any(s in text for text in texts)]
        assert quoted, texts[0]  # the explanations quote the events at their precision
    elif layer == "change":
        offline_page.evaluate(f"() => {{ borderrisk.maps()[0].addLayer({named(language.gettext('Change'))}); }}")
        texts = open_every_popup(offline_page, language.gettext("Change"))
        assert texts and all(language.date(COMPARED_WITH) in text for text in texts)
    else:
        label, *counts = step_the_slider(offline_page, language.gettext("Events"))
        assert label == language.gettext("Up to {0}").format(language.date(DAYS[precision][0]))  # the day chosen
        assert counts == [1, 3]  # at the first event's day it shows alone; at the last all three
        texts = []
    assert finer_dates(texts, precision, language) == []
    assert offline_page.errors == []


def named(layer_name):
    return f"borderrisk.debug.layer({layer_name!r})"


def open_every_cell(offline_page, layer_name):
    """Click every aggregated cell of a layer and return each popup's text."""
    return offline_page.evaluate(
        """(name) => {
            const group = borderrisk.debug.layer(name);
            const map = borderrisk.maps()[0];
            return group.cells().map(cell => {
                map.fire('click', {latlng: cell.latlng});
                const popups = document.querySelectorAll('.leaflet-popup-content');
                const text = popups.length ? popups[popups.length - 1].innerText : null;
                map.closePopup();
                return text;
            });
        }""",
        layer_name,
    )


def step_the_slider(offline_page, layer_name):
    """The slider's label at the first event's day, and how many events show at the first and
    at the last event's day, set as a reader drags it (each once the map has applied it)."""
    return offline_page.evaluate(
        """async (name) => {
            const group = borderrisk.debug.layer(name);
            const slider = document.querySelector('.br-time-slider');
            const map = borderrisk.maps()[0].getContainer();
            const shownAt = async value => {
                slider.value = value;
                slider.dispatchEvent(new Event('input'));
                const day = new Date(Number(value)).toISOString().slice(0, 10);
                while (map.getAttribute('data-br-until') !== day) await new Promise(requestAnimationFrame);
                return borderrisk.debug.shown(group);
            };
            const first = await shownAt(slider.min);
            const label = document.querySelector('.br-time-label').innerText;
            return [label, first, await shownAt(slider.max)];
        }""",
        layer_name,
    )
