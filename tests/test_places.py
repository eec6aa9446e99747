"""Places: the offline gazetteer resolves names to points, and says when a name is ambiguous."""

import csv

import pytest
import shapely

from borderrisk.data.errors import InputError
from borderrisk.data.readers import read_records
from borderrisk.data.schema import EVENTS
from borderrisk.geo.countries import countries
from borderrisk.geo.errors import AmbiguousPlaceError, UnknownPlaceError
from borderrisk.geo.places import find, places, seat_of_government
from borderrisk.render.mapping import BorderRiskMap


@pytest.mark.parametrize(
    ("query", "country"),
    [
        ("Buenos Aires", "ARG"),
        ("La Paz, BO", "BOL"),
        ("Tehran", "IRN"),
        ("Santa Cruz de la Sierra", "BOL"),
        ("Villazon, Bolivia", "BOL"),
        ("Caracas", "VEN"),
    ],
)
def test_names_resolve_to_points_in_their_country(query, country):
    place = find(query)
    assert place.country == country
    assert countries().loc[country, "geometry"].buffer(0.05).contains(shapely.Point(place.lon, place.lat))


def test_an_ambiguous_name_lists_its_candidates():
    with pytest.raises(AmbiguousPlaceError) as error:
        find("La Paz")
    assert any("BOL" in c for c in error.value.candidates)
    assert any("MEX" in c for c in error.value.candidates)


def test_a_country_hint_disambiguates():
    assert find("La Paz", country="Mexico").country == "MEX"


def test_an_unknown_place_fails_clearly():
    with pytest.raises(UnknownPlaceError, match="Xyzzyville"):
        find("Xyzzyville")


def test_bolivia_is_governed_from_la_paz_not_sucre():
    assert seat_of_government("Bolivia").name == "La Paz"


def test_every_country_has_exactly_one_seat_of_government():
    seats = places()[places().seat]
    assert seats.country.is_unique
    assert set(seats.country) == set(countries().code)


def _events_at(tmp_path, rows):
    path = tmp_path / "events.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "title", "type", "place", "country"])
        writer.writerows(
            ["2023-06-12", f"event {n}", "visit", place, country] for n, (place, country) in enumerate(rows)
        )
    return read_records(path, EVENTS)


def test_every_country_named_as_a_place_is_that_country_at_its_seat_of_government(tmp_path):
    every = countries()
    events = _events_at(tmp_path, [(name, "") for name in every.name])
    assert len(events) == len(every) == 255
    assert list(events.country) == list(every.code)
    assert set(events.location_precision) == {"country"}
    seats = places()[places().seat].set_index("country").geometry
    assert all(point.equals(seats[code]) for point, code in zip(events.geometry, events.country))


@pytest.mark.parametrize(
    ("place", "country", "found", "precision"),
    [
        ("Venezuela", "", "VEN", "country"),
        ("Venezuela", "Cuba", "CUB", "city"),  # the row says Cuba: the town called Venezuela
        ("Brazil", "", "BRA", "country"),
        ("China", "", "CHN", "country"),
        ("La Paz", "MEX", "MEX", "city"),
        ("La Paz", "Bolivia", "BOL", "city"),
        ("Bo", "", "SLE", "city"),  # a two-letter name is a town, not the code BO
        ("Bolivia", "BOL", "BOL", "country"),
    ],
)
def test_a_place_is_a_country_first_and_a_town_within_the_rows_country(tmp_path, place, country, found, precision):
    (event,) = _events_at(tmp_path, [(place, country)]).itertuples()
    assert (event.country, event.location_precision) == (found, precision)
    assert countries().loc[found, "geometry"].buffer(0.05).contains(event.geometry)


def test_a_place_and_its_country_must_agree(tmp_path):
    with pytest.raises(InputError, match="'Villazón, BO' names BOL, but its country is given as ARG"):
        _events_at(tmp_path, [("Villazón, BO", "ARG")])
    with pytest.raises(InputError, match="no place named 'Caracas' in COL"):
        _events_at(tmp_path, [("Caracas", "COL")])


def test_the_default_maps_venezuelan_events_are_drawn_in_venezuela():
    events = BorderRiskMap.default().layers["Events"].frame
    venezuela = countries().loc["VEN", "geometry"]
    for title in ("Venezuela acquires Iranian drones", "President Raisi visits Venezuela"):
        (point,) = events[events.title == title].geometry
        assert venezuela.contains(point), title
