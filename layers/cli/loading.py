"""Turning CLI inputs into layers, frames and maps, and library failures into clean CLI errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from layers.base import Layer
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


def load_layers(
    events: tuple[str, ...] = (), agreements: tuple[str, ...] = (), alliances: tuple[str, ...] = ()
) -> tuple[list[Layer], Any]:
    """The layers of the given files, or of the built-in scenario (returned too) when none is given."""
    from layers import scenarios
    from layers.agreements import AgreementsLayer
    from layers.alliances import AlliancesLayer
    from layers.events import EventsLayer

    if not (events or agreements or alliances):
        scenario = scenarios.load()
        return scenario.layers, scenario
    layers: list[Layer] = []
    for paths, layer_type in ((alliances, AlliancesLayer), (agreements, AgreementsLayer), (events, EventsLayer)):
        for index, path in enumerate(paths):
            name = layer_type.default_name if len(paths) == 1 else f"{layer_type.default_name} {index + 1}"
            layers.append(layer_type.read(path, name=name))
    return layers, None


def load_inputs(
    *,
    events: tuple[str, ...] = (),
    agreements: tuple[str, ...] = (),
    alliances: tuple[str, ...] = (),
    annotations: str | None = None,
) -> tuple[dict[str, Any], list[str] | None]:
    """Input frames by kind, for the risk model, and the scenario's focus when it is used."""
    import pandas as pd

    from layers.annotations import read_annotations

    layers, scenario = load_layers(events, agreements, alliances)
    frames: dict[str, Any] = {}
    for kind in ("events", "agreements", "alliances"):
        found = [layer.frame for layer in layers if layer.kind == kind]
        frames[kind] = pd.concat(found, ignore_index=True) if found else None
    frames["annotations"] = read_annotations(annotations) if annotations else None
    return frames, (scenario.focus if scenario else None)


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
    from layers.mapping import BorderRiskMap

    layers, scenario = load_layers(events, agreements, alliances)
    options: dict[str, Any] = {"as_of": as_of, "since": since, "until": until, "tiles": tiles}
    if scenario is not None:
        options.update(focus=scenario.focus, title=scenario.title, source=scenario.source.get("name"))
    options.update({k: v for k, v in (("focus", focus), ("title", title)) if v})
    m = BorderRiskMap(**options)
    for layer in layers:
        m.add_layer(layer)
    return m
