"""Names on the map: every country's, placed inside its largest part and shown from the zoom
where it fits there, and the main towns of the map's extent from the embedded gazetteer, more
as the map zooms in. ``static/runtime/labels.js`` places them and hides the lower-priority ones that
would overlap, each time the zoom changes.

Priority runs focus countries (named boldly), other countries by area, then towns by
population. Towns within a few kilometres of a focus border count as large towns, so the
border crossings (Villazón and La Quiaca, Yacuiba) are named as soon as the border is seen.
Only towns in the map's extent are sent, at most :data:`MOST_TOWNS` of them, so the page stays
small wherever the map looks.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from borderrisk.language import Language

#: The towns a map carries at most (the most populous, and the border towns, in its extent).
MOST_TOWNS = 400
#: Towns this close to a focus border are border towns, in degrees (about 25 km).
BORDER_TOWN_DEGREES = 0.25
#: The zoom from which a town of at least this many people is named; smaller ones from the last.
TOWN_ZOOMS = [(1_000_000, 4), (300_000, 5), (100_000, 6), (30_000, 7)]
SMALL_TOWN_ZOOM = 8
#: A border town is named from this zoom whatever its size; a seat of government from the other.
BORDER_TOWN_ZOOM = 7
SEAT_ZOOM = 4
#: The extent is widened by this fraction on each side: what a user pans to first.
MARGIN = 0.25


@cache
def _country_anchors() -> list[tuple[str, float, float, tuple[float, float, float, float], float]]:
    """(code, lon, lat, bounds, area) of every country's label point: the pole of
    inaccessibility of its largest part (where the name sits farthest from the coast)."""
    from shapely.ops import polylabel

    from borderrisk.geo.countries import generalised

    anchors = []
    for code, shape in zip(generalised("coarse").code, generalised("coarse").geometry):
        if shape is None or shape.is_empty:
            continue
        largest = max(getattr(shape, "geoms", [shape]), key=lambda part: part.area)
        point = polylabel(largest, tolerance=0.1)
        anchors.append((code, point.x, point.y, largest.bounds, largest.area))
    return sorted(anchors, key=lambda anchor: -anchor[4])


def _in_view(code: str, view: list[list[float]]) -> dict[str, Any] | None:
    """The label point of the country's largest part within ``view`` (its pole of
    inaccessibility) with that part's bounds; None if the country is not in the view."""
    import shapely
    from shapely.ops import polylabel

    from borderrisk.geo.countries import generalised

    (south, west), (north, east) = view
    coarse = generalised("coarse")
    seen = shapely.intersection(coarse.geometry[coarse.code == code].iloc[0], shapely.box(west, south, east, north))
    parts = [part for part in getattr(seen, "geoms", [seen]) if part.geom_type == "Polygon" and not part.is_empty]
    if not parts:
        return None
    largest = max(parts, key=lambda part: part.area)
    point = polylabel(largest, tolerance=0.01)
    return {"x": round(point.x, 3), "y": round(point.y, 3), "bounds": [round(b, 3) for b in largest.bounds]}


def country_labels(
    focus: tuple[str, ...], language: Language, view: list[list[float]] | None = None
) -> list[dict[str, Any]]:
    """Each country's name in ``language`` at its label point with the bounds of its largest
    part (the runtime shows the name once that is wide enough), focus countries first.

    A focus country whose label point is outside the opening ``view`` (``[[south, west],
    [north, east]]``: a border frames it) has a second label at the point of its part in the
    view, with ``instead``, the index of its first label: the runtime shows it while the first
    is off the map, so the map opens with both sides of the border named."""
    from borderrisk.geo.countries import countries

    world = countries()
    focused, others = [], []
    for code, x, y, bounds, _ in _country_anchors():
        name = language.country(world.at[code, "iso2"], world.at[code, "name"])
        label = {"name": name, "x": round(x, 3), "y": round(y, 3), "bounds": [round(b, 3) for b in bounds]}
        if code in focus:
            focused.append((code, {**label, "focus": True}))
        else:
            others.append(label)
    seconds = []
    for k, (code, label) in enumerate(focused):
        second = _in_view(code, view) if view and not _within(label, view) else None
        if second:
            seconds.append({**label, **second, "instead": k})
    return [label for _, label in focused] + seconds + others


def _within(label: dict[str, Any], view: list[list[float]]) -> bool:
    (south, west), (north, east) = view
    return west <= label["x"] <= east and south <= label["y"] <= north


def town_labels(bounds: list[list[float]], focus: tuple[str, ...]) -> list[dict[str, Any]]:
    """The towns in the map's extent (``[[south, west], [north, east]]``, widened by
    :data:`MARGIN`), most populous first, each with the zoom it is named from."""
    import shapely

    from borderrisk.geo.borders import border, borders_among
    from borderrisk.geo.places import places

    (south, west), (north, east) = bounds
    dx, dy = (east - west) * MARGIN, (north - south) * MARGIN
    towns = places().cx[west - dx : east + dx, south - dy : north + dy]
    towns = towns[towns.population > 0].sort_values("population", ascending=False, kind="stable")
    lines = [border(a, b).geometry for a, b in borders_among(focus)] if len(focus) >= 2 else []
    near = (
        shapely.dwithin(shapely.union_all(lines), towns.geometry.to_numpy(), BORDER_TOWN_DEGREES)
        if lines
        else [False] * len(towns)
    )
    towns = towns.assign(border=near)
    chosen = towns[towns.border].head(MOST_TOWNS // 4)
    chosen = towns[towns.index.isin(chosen.index) | towns.index.isin(towns.head(MOST_TOWNS - len(chosen)).index)]
    return [
        {
            "name": town.name,
            "x": round(town.geometry.x, 4),
            "y": round(town.geometry.y, 4),
            "zoom": _town_zoom(town.population, bool(town.border), bool(town.seat)),
        }
        for town in chosen.itertuples()
    ]


def _town_zoom(population: int, border: bool, seat: bool) -> int:
    zoom = next((z for least, z in TOWN_ZOOMS if population >= least), SMALL_TOWN_ZOOM)
    if border:
        zoom = min(zoom, BORDER_TOWN_ZOOM)
    return min(zoom, SEAT_ZOOM) if seat else zoom


def label_data(
    focus: tuple[str, ...], bounds: list[list[float]], language: Language, view: list[list[float]] | None = None
) -> dict[str, Any]:
    """What ``borderrisk.labels`` draws: countries and towns (those in ``bounds``), each list in
    priority order; focus countries named within the opening ``view`` if given."""
    return {"countries": country_labels(focus, language, view), "towns": town_labels(bounds, focus)}
