"""Countries: the embedded 1:10m world, and every way a user may name a country."""

import pytest

from borderrisk.geo.borders import all_borders
from borderrisk.geo.countries import countries, fips_codes, generalised, geometry, resolve
from borderrisk.geo.errors import UnknownCountryError
from borderrisk.geo.places import places


@pytest.mark.parametrize(
    "query",
    [
        "Bolivia",
        "Plurinational State of Bolivia",
        "BOL",
        "bo",
        "068",
        "68",
        "BOLIVIA",
        "Bolivia, Plurinational State of",
    ],
)
def test_every_spelling_of_bolivia_resolves_to_one_record(query):
    assert resolve(query).code == "BOL"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("United States", "USA"),
        ("UK", "GBR"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Iran", "IRN"),
        ("Islamic Republic of Iran", "IRN"),
        ("Venezuela", "VEN"),
        ("Russia", "RUS"),
        ("DRC", "COD"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
    ],
)
def test_common_names_and_aliases(query, code):
    assert resolve(query).code == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kosovo", "KOS"),
        ("Somaliland", "SOL"),
        ("N. Cyprus", "CYN"),
        ("Northern Cyprus", "CYN"),
        ("Siachen Glacier", "KAS"),
    ],
)
def test_entities_without_an_iso_code_are_kept_with_a_stable_code(name, code):
    country = resolve(name)
    assert country.code == code
    assert country.iso2 is None
    assert not geometry(code).is_empty


def test_the_whole_natural_earth_world_is_embedded():
    world = countries()
    assert len(world) == 255
    assert world.index.is_unique
    assert world.crs.to_epsg() == 4326
    assert world.geometry.is_valid.all()


def test_an_unknown_name_fails_and_suggests_the_closest():
    with pytest.raises(UnknownCountryError) as error:
        resolve("Bolivai")
    assert "Bolivai" in str(error.value)
    assert "Bolivia" in error.value.candidates


def test_no_polygon_strays_across_the_antimeridian():
    """A ring that jumps from +180 to -180 draws a stripe across the world in Leaflet."""
    import numpy as np
    import shapely

    for code in ["FJI", "RUS", "USA", "NZL", "KIR"]:
        rings = shapely.get_rings(shapely.get_parts(geometry(code)))
        for ring in rings:
            x = shapely.get_coordinates(ring)[:, 0]
            assert np.abs(np.diff(x)).max() < 180, code


@pytest.mark.parametrize(
    "load",
    [countries, lambda: generalised("coarse"), places, all_borders, fips_codes],
    ids=["countries", "generalised", "places", "all_borders", "fips_codes"],
)
def test_what_a_caller_changes_in_loaded_geography_changes_nothing_else(load):
    """The data is read once, but each caller gets its own: a notebook that edits a frame it
    was given does not corrupt the next lookup."""
    before = load()
    mine = load()
    if isinstance(mine, dict):
        mine.clear()
        assert load() == before
        return
    mine["name" if "name" in mine else "a"] = "changed"
    mine.drop(mine.index[:10], inplace=True)
    again = load()
    assert again.equals(before)
    assert resolve("Bolivia").name == "Bolivia"
