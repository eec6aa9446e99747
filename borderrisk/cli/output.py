"""Writing results to stdout as text, JSON or GeoJSON, so commands pipe into other tools."""

from __future__ import annotations

import json
import unicodedata
from typing import TYPE_CHECKING, Any

import click

from borderrisk.data.finite import nan_as_null

if TYPE_CHECKING:
    import geopandas as gpd


def echo_json(data: Any) -> None:
    """``data`` as strict JSON (RFC 8259): a missing value (NaN) is ``null``, and an infinite
    number, which no valid result holds, is an error rather than invalid JSON."""
    click.echo(json.dumps(nan_as_null(data), ensure_ascii=False, default=str, allow_nan=False))


def echo_geojson(frame: gpd.GeoDataFrame) -> None:
    """A GeoDataFrame as one GeoJSON FeatureCollection (RFC 7946: WGS84 lon/lat)."""
    from borderrisk.geo.crs import to_wgs84

    click.echo(to_wgs84(frame).to_json(drop_id=True, ensure_ascii=False))


#: Characters that act on a terminal instead of showing: controls (ESC starts OSC and CSI
#: sequences, BEL, carriage return), format characters (bidirectional overrides such as
#: U+202E), line and paragraph separators, and lone surrogates (which cannot be written).
UNPRINTABLE = ("Cc", "Cf", "Cs", "Zl", "Zp")


def printable(text: str) -> str:
    """``text`` safe for a terminal, the one escaping function for every line borderrisk
    prints from data (tables, ``diff``, ``annotate import``, error messages): characters of
    :data:`UNPRINTABLE` categories shown escaped, as ``\\x1b``, instead of acting on it."""
    return "".join(
        char.encode("unicode_escape", "backslashreplace").decode("ascii")
        if unicodedata.category(char) in UNPRINTABLE
        else char
        for char in text
    )


def printable_lines(text: str) -> str:
    """:func:`printable` for text of several lines: each line escaped, the line breaks kept."""
    return "\n".join(printable(line) for line in text.split("\n"))


def echo_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    """A plain aligned table: readable in a terminal (no field can send it control
    characters), and awk-friendly."""
    cells = [[printable(str(nan_as_null(row[c]))) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    for r in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())
