"""The time slider in Chromium: dragging it is throttled to one walk of the layers per frame,
and a play button steps through time by day, week, month or year."""

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli

pytestmark = pytest.mark.browser

EVENTS_SHOWN = "() => borderrisk.debug.layer('Events').getLayers().length"
APPLIED = "() => borderrisk.debug.applied()"
#: The play button's step interval in the runtime (runtime/time.js: setInterval(tick, 400)).
TICK_MS = 400
SLIDER_DAY = "() => new Date(Number(document.querySelector('.br-time-slider').value)).toISOString().slice(0, 10)"


@pytest.fixture
def default_map(tmp_path, offline_page):
    out = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["map", "-o", str(out)])
    assert result.exit_code == 0, result.output
    offline_page.open(out)
    return offline_page


def test_a_burst_of_slider_moves_walks_the_layers_once_per_frame(default_map):
    before = default_map.evaluate(APPLIED)
    during = default_map.evaluate(
        """() => {
            const s = document.querySelector('.br-time-slider');
            const start = borderrisk.debug.applied();
            for (let year = 1990; year <= 2020; year += 0.15) {
                s.value = Date.UTC(Math.floor(year), 0, 1); s.dispatchEvent(new Event('input'));
            }
            s.value = Date.UTC(2000, 0, 1); s.dispatchEvent(new Event('input'));
            return borderrisk.debug.applied() - start;
        }"""
    )
    assert during == 1  # 202 moves in one frame: the first is applied at once, the rest wait
    default_map.page.wait_for_function(f"() => borderrisk.debug.applied() >= {before + 2}")
    assert default_map.evaluate(EVENTS_SHOWN) == 2  # the last move won: events up to 2000
    assert "2000-01-01" in default_map.page.locator(".br-time-label").inner_text()
    assert default_map.errors == []


def test_play_steps_through_time_and_pause_stops_it(default_map):
    page = default_map.page
    assert page.locator(".br-time-step").input_value() == "year"  # a 31-year span: year by year
    assert default_map.evaluate(EVENTS_SHOWN) == 14
    page.click(".br-time-play")  # at the end of the range: play starts again from the first date
    page.wait_for_function(f"() => ({SLIDER_DAY})() >= '1992'")  # stepped on to the first attack
    page.click(".br-time-play")
    paused_at = default_map.evaluate(SLIDER_DAY)
    assert "1992" <= paused_at[:4] <= "1996"
    shown = default_map.evaluate(EVENTS_SHOWN)
    assert 1 <= shown <= 3  # the 1992 and 1994 attacks (and nothing later)
    ticks_later = "() => new Promise(done => setTimeout(done, 3 * TICK_MS))".replace("TICK_MS", str(TICK_MS))
    page.evaluate(ticks_later)  # the absence of a step can only be seen over steps' time
    assert default_map.evaluate(SLIDER_DAY) == paused_at  # paused

    page.select_option(".br-time-step", "month")
    page.click(".br-time-play")
    page.wait_for_function(f"() => ({SLIDER_DAY})() > {paused_at!r}")
    page.click(".br-time-play")
    moved = default_map.evaluate(SLIDER_DAY)
    assert paused_at < moved and int(moved[:4]) - int(paused_at[:4]) <= 1  # a month or two on
    assert page.locator(".br-time-play").inner_text().endswith("Play")
    assert default_map.errors == []
