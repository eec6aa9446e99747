"""A map always opens on a view it can show: the Vatican (an empty polygon at 1:10m) at its seat
of government, one event (or many at one point) at a capped zoom, never NaN or Infinity."""

import math

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.geo.countries import countries
from borderrisk.geo.extent import MIN_SPAN_DEGREES, WORLD, country_bounds, view_bounds


def test_the_vatican_has_no_polygon_at_this_scale_and_is_shown_at_its_seat_of_government():
    assert countries().loc["VAT", "geometry"].is_empty
    minx, miny, maxx, maxy = country_bounds(["VAT"])
    assert (minx + maxx) / 2 == pytest.approx(12.45, abs=0.01)
    assert (miny + maxy) / 2 == pytest.approx(41.90, abs=0.01)
    assert maxx - minx == maxy - miny == MIN_SPAN_DEGREES


def test_a_point_is_widened_and_nothing_located_is_the_world():
    assert view_bounds((-65.6, -22.1, -65.6, -22.1)) == pytest.approx((-65.85, -22.35, -65.35, -21.85))
    assert view_bounds((math.nan,) * 4) == WORLD
    assert view_bounds((179.9, 89.9, 180.0, 90.0)) == pytest.approx((179.5, 89.5, 180.0, 90.0))
    assert view_bounds((-70, -55, -53, -9)) == (-70, -55, -53, -9)


def one_point_events(tmp_path, count):
    events = tmp_path / "events.csv"
    rows = "".join(f"2023-01-{n + 1:02d},Event {n},attack,-22.1,-65.6\n" for n in range(count))
    events.write_text("date,title,type,lat,lon\n" + rows)
    return events


@pytest.mark.parametrize(
    "args",
    [
        ["--focus", "VAT"],
        ["--focus", "VAT,ITA"],
        ["--events", "{one}"],
        ["--events", "{many}"],
    ],
    ids=["vatican", "vatican-and-italy", "one-event", "events-at-one-point"],
)
def test_the_page_opens_on_a_finite_view(offline_page, tmp_path, args):
    inputs = {"one": one_point_events(tmp_path, 1), "many": one_point_events(tmp_path, 5)}
    page = tmp_path / "map.html"
    args = [a.format(**inputs) for a in args]
    result = CliRunner().invoke(cli, ["map", *args, "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert "NaN" not in page.read_text(encoding="utf-8").split("fitBounds(")[1][:200]
    offline_page.open(page)
    zoom, center = offline_page.evaluate(
        "() => { const m = borderrisk.maps()[0]; const c = m.getCenter(); return [m.getZoom(), [c.lat, c.lng]]; }"
    )
    assert offline_page.errors == []
    assert 1 <= zoom <= 12
    assert all(math.isfinite(v) for v in center)
