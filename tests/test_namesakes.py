"""Towns sharing a name within a country are never placed silently: a row's admin areas choose
the namesake, and a row nothing settles is placed at the most populous and reported (rows and
the commonest names), in every export format. Rows are invented, in the exports' layouts."""

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.geo.geodesy import segment_lengths_km
from borderrisk.layers.events import EventsLayer

from exports import GTD_COLUMNS, acled_row, gtd_row, table

#: Ukraine's two Pervomaisks, 600 km apart: Mykolaiv oblast (the more populous) and Luhansk oblast.
MYKOLAIV_ONE, LUHANSK_ONE = (30.85, 48.04), (38.52, 48.63)


def acled(tmp_path, rows):
    """An ACLED export of ``rows`` without coordinates, placed by ``location`` and admin areas."""
    columns = [*acled_row(), "admin2", "admin3"]
    rows = [
        acled_row(event_id_cnty=f"UKR{i}", country="Ukraine", latitude="", longitude="", **{"admin1": "", **r})
        for i, r in enumerate(rows)
    ]
    path = tmp_path / "acled.csv"
    path.write_text(table(columns, rows))
    return path


def km_from(frame, event_id, point):
    row = frame.set_index("event_id").loc[event_id]
    return float(segment_lengths_km(row.lon, row.lat, *point))


def test_a_row_whose_region_is_named_like_a_city_gets_the_namesake_near_it(tmp_path):
    layer = EventsLayer.read(acled(tmp_path, [{"location": "Pervomaisk", "admin1": "Luhansk"}]))
    assert km_from(layer.frame, "UKR0", LUHANSK_ONE) < 5
    assert not layer.skipped.ambiguous


def test_a_row_nothing_tells_apart_is_placed_at_the_most_populous_and_reported(tmp_path):
    rows = [{"location": "Pervomaisk"}] * 3 + [{"location": "Pervomaisk", "admin1": "Mykolaiv"}]
    layer = EventsLayer.read(acled(tmp_path, rows))
    assert km_from(layer.frame, "UKR0", MYKOLAIV_ONE) < 5
    assert km_from(layer.frame, "UKR3", MYKOLAIV_ONE) < 5  # Mykolaiv oblast tells: not ambiguous
    assert layer.skipped.ambiguous == {"Pervomaisk": 3}
    assert "placed 3 row(s) at a town of their name that may not be theirs" in layer.skipped.summary()
    assert "commonest: Pervomaisk (3)" in layer.skipped.summary()


def test_a_town_far_from_the_city_its_region_is_named_after_is_reported(tmp_path):
    """The gazetteer holds towns of 5,000 people: Vodyane of Donetsk oblast is a village, and
    the Vodiane it has lies in Zaporizhzhia oblast, 250 km from Donetsk."""
    layer = EventsLayer.read(acled(tmp_path, [{"location": "Vodyane", "admin1": "Donetsk"}]))
    assert layer.skipped.ambiguous == {"Vodyane": 1}


def test_a_region_named_like_its_town_is_that_towns_region(tmp_path):
    layer = EventsLayer.read(acled(tmp_path, [{"location": "Mykolaiv", "admin1": "Mykolaiv"}]))
    assert km_from(layer.frame, "UKR0", (31.99, 46.98)) < 5
    assert not layer.skipped.ambiguous


@pytest.fixture
def gtd_namesakes(tmp_path):
    """GTD rows naming a town and its country: only a `provstate` tells the Pervomaisks apart."""
    rows = [gtd_row(eventid=str(i), city="Pervomaisk", country_txt="Ukraine", provstate="") for i in range(2)]
    rows += [gtd_row(eventid="k", city="Kyiv", country_txt="Ukraine", provstate="Kyiv")]
    rows += [gtd_row(eventid="l", city="Pervomaisk", country_txt="Ukraine", provstate="Luhansk")]
    for row in rows:
        row.update(latitude="", longitude="")
    path = tmp_path / "gtd.csv"
    path.write_text(table(GTD_COLUMNS, rows))
    return path


def test_every_format_reports_namesakes_and_gtd_tells_them_apart_by_provstate(gtd_namesakes):
    layer = EventsLayer.read(gtd_namesakes)
    assert layer.skipped.ambiguous == {"Pervomaisk": 2}
    assert km_from(layer.frame, "0", MYKOLAIV_ONE) < 5
    assert km_from(layer.frame, "l", LUHANSK_ONE) < 5


def test_the_cli_says_which_rows_were_placed_at_an_ambiguous_namesake(gtd_namesakes):
    result = CliRunner().invoke(cli, ["score", "--events", str(gtd_namesakes), "--focus", "UKR"])
    assert result.exit_code == 0, result.output
    assert "placed 2 row(s) at a town of their name that may not be theirs" in result.stderr
    assert "commonest: Pervomaisk (2)" in result.stderr


def test_a_row_placed_by_its_area_gets_the_areas_namesake_near_its_region(tmp_path):
    rows = [
        {"location": "Some hamlet", "admin2": "Pervomaisk", "admin1": "Luhansk"},
        {"location": "Other hamlet", "admin2": "Pervomaisk"},
    ]
    layer = EventsLayer.read(acled(tmp_path, rows))
    assert km_from(layer.frame, "UKR0", LUHANSK_ONE) < 5
    assert list(layer.frame.location_precision) == ["approximate", "approximate"]
    assert layer.skipped.ambiguous == {"Other hamlet": 1}
