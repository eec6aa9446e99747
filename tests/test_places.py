"""Places: the offline gazetteer resolves names to points, and says when a name is ambiguous."""

import pytest
import shapely

from geo.countries import countries
from geo.errors import AmbiguousPlaceError, UnknownPlaceError
from geo.places import find, places, seat_of_government


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
