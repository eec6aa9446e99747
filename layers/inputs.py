"""Input files to layers and frames: the user's files, or the built-in scenario when none."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layers.base import Layer
    from layers.scenarios import Scenario

Paths = Sequence[str | Path]


def load_layers(
    events: Paths = (), agreements: Paths = (), alliances: Paths = ()
) -> tuple[list[Layer], Scenario | None]:
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


def load_frames(
    events: Paths = (), agreements: Paths = (), alliances: Paths = (), annotations: str | Path | None = None
) -> tuple[dict[str, Any], list[str] | None]:
    """Input frames by kind, as the risk model takes them, and the scenario's focus when it is used."""
    import pandas as pd

    from layers.annotations import read_annotations

    layers, scenario = load_layers(events, agreements, alliances)
    frames: dict[str, Any] = {}
    for kind in ("events", "agreements", "alliances"):
        found = [layer.frame for layer in layers if layer.kind == kind]
        frames[kind] = pd.concat(found, ignore_index=True) if found else None
    frames["annotations"] = read_annotations(annotations) if annotations else None
    return frames, (scenario.focus if scenario else None)
