"""Turning CLI inputs into a map, and library failures into clean CLI errors (exit 1)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from layers.mapping import BorderRiskMap


@contextmanager
def failures_as_click_errors() -> Iterator[None]:
    """Bad input files and impossible requests end the command with exit code 1 and a
    message, never a traceback."""
    from geo.errors import GeoLookupError
    from layers.errors import InputError
    from layers.offline import OfflineError

    try:
        yield
    except (InputError, GeoLookupError, OfflineError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    except OSError as error:
        raise click.ClickException(f"{error.filename or ''}: {error.strerror or error}") from error


def build_map(
    *,
    events: tuple[str, ...] = (),
    agreements: tuple[str, ...] = (),
    alliances: tuple[str, ...] = (),
    focus: tuple[str, ...] | None = None,
    as_of: date | None = None,
    since: date | None = None,
    until: date | None = None,
    title: str | None = None,
    tiles: str | None = None,
) -> BorderRiskMap:
    """The built-in scenario when no input file is given, else a map of the given files."""
    from layers.agreements import AgreementsLayer
    from layers.alliances import AlliancesLayer
    from layers.events import EventsLayer
    from layers.mapping import BorderRiskMap

    options = {"as_of": as_of, "since": since, "until": until, "tiles": tiles}
    if title:
        options["title"] = title
    if focus:
        options["focus"] = focus
    if not (events or agreements or alliances):
        return BorderRiskMap.default(**options)
    m = BorderRiskMap(**options)
    readers = ((alliances, AlliancesLayer), (agreements, AgreementsLayer), (events, EventsLayer))
    for paths, layer_type in readers:
        for index, path in enumerate(paths):
            name = layer_type.default_name if len(paths) == 1 else f"{layer_type.default_name} {index + 1}"
            m.add_layer(layer_type.read(path, name=name))
    return m
