"""Input files to layers and frames: the user's files, or the built-in scenario when none."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layers.data.formats import Progress
    from layers.kinds.base import Layer
    from layers.scenarios import Scenario

logger = logging.getLogger("borderrisk.inputs")

Paths = Sequence[str | Path]
#: Given a file about to be read, a callback for the bytes read from it (for progress bars).
ProgressFor = Callable[[Path], "Progress | None"]


def load_layers(
    events: Paths = (),
    agreements: Paths = (),
    alliances: Paths = (),
    *,
    events_format: str = "auto",
    skip_bad_rows: bool = False,
    progress: ProgressFor | None = None,
    scenario: bool = True,
    **reading: Any,
) -> tuple[list[Layer], Scenario | None]:
    """The layers of the given files, or of the built-in scenario (returned too) when none is
    given and ``scenario`` allows it. Events may be borderrisk CSV/GIS files, ACLED, GDELT, GTD
    or UCDP exports, folders or globs of them, or GeoParquet datasets; ``reading`` holds the
    other options of :meth:`layers.kinds.events.EventsLayer.read` (``columns``, ``encoding``,
    ``root_events_only``, ``once_per_source``)."""
    from layers import scenarios
    from layers.kinds.agreements import AgreementsLayer
    from layers.kinds.alliances import AlliancesLayer
    from layers.kinds.events import EventsLayer

    if not (events or agreements or alliances):
        if not scenario:
            return [], None
        built_in = scenarios.load()
        return built_in.layers, built_in
    layers: list[Layer] = []
    for paths, layer_type in ((alliances, AlliancesLayer), (agreements, AgreementsLayer), (events, EventsLayer)):
        for index, path in enumerate(paths):
            name = layer_type.default_name if len(paths) == 1 else f"{layer_type.default_name} {index + 1}"
            if layer_type is EventsLayer:
                layers.append(
                    EventsLayer.read(
                        path,
                        name=name,
                        format=events_format,
                        skip_bad_rows=skip_bad_rows,
                        progress=progress(Path(path)) if progress else None,
                        **reading,
                    )
                )
            else:
                layers.append(layer_type.read(path, name=name))
            logger.info("%s: %d %s", path, len(layers[-1]), layers[-1].kind)
            if not len(layers[-1]):
                logger.warning("%s has no rows: the %s layer is empty", path, layers[-1].name)
    return layers, None


def load_frames(
    events: Paths = (), agreements: Paths = (), alliances: Paths = (), annotations: str | Path | None = None
) -> tuple[dict[str, Any], list[str] | None]:
    """Input frames by kind, and the scenario's focus when the scenario is used."""
    from layers.kinds.frames import frames_of

    layers, scenario = load_layers(events, agreements, alliances)
    return frames_of(layers, annotations), (scenario.focus if scenario else None)
