"""Writing results to stdout as text, JSON or GeoJSON, so commands pipe into other tools."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import geopandas as gpd


def _plain(value: Any) -> Any:
    """numpy and pandas scalars as plain JSON values; NaN as null."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, default=_plain))


def echo_geojson(frame: gpd.GeoDataFrame) -> None:
    """A GeoDataFrame as one GeoJSON FeatureCollection (RFC 7946: WGS84 lon/lat)."""
    from geo.crs import to_wgs84

    click.echo(to_wgs84(frame).to_json(drop_id=True, ensure_ascii=False))


def echo_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    """A plain aligned table: readable in a terminal, and awk-friendly."""
    cells = [[str(_plain(row[c])) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    for r in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())
