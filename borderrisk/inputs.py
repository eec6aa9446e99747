"""Input files to layers and frames: the user's files, or the built-in scenario when none."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from borderrisk.data.batches import EventSource
    from borderrisk.data.formats import EventsInput, Progress
    from borderrisk.layers.base import Layer
    from borderrisk.scenarios import Scenario

logger = logging.getLogger("borderrisk.inputs")

Paths = Sequence[str | Path]
#: Given a file about to be read, a callback for the bytes read from it (for progress bars).
ProgressFor = Callable[[Path], "Progress | None"]


def load_layers(
    events: Paths = (),
    agreements: Paths = (),
    alliances: Paths = (),
    *,
    how: EventsInput | None = None,
    progress: ProgressFor | None = None,
    scenario: bool = True,
) -> tuple[list[Layer], Scenario | None]:
    """The layers of the given files, or of the built-in scenario (returned too) when none is
    given and ``scenario`` allows it. Events may be borderrisk CSV/GIS files, ACLED, GDELT, GTD
    or UCDP exports, folders or globs of them, or GeoParquet datasets, read as ``how`` says
    (:class:`borderrisk.data.formats.EventsInput`; its ``where`` is the caller's to apply)."""
    from borderrisk import scenarios
    from borderrisk.data.formats import EventsInput
    from borderrisk.layers.agreements import AgreementsLayer
    from borderrisk.layers.alliances import AlliancesLayer
    from borderrisk.layers.events import EventsLayer

    how = how or EventsInput()
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
                progressing = progress(Path(path)) if progress else None
                layers.append(EventsLayer.read(path, name=name, progress=progressing, **how.reading()))
            else:
                layers.append(layer_type.read(path, name=name))
            logger.info("%s: %d %s", path, len(layers[-1]), layers[-1].kind)
            if not len(layers[-1]):
                logger.warning("%s has no rows: the %s layer is empty", path, layers[-1].name)
    return layers, None


def event_source(
    events: Paths, how: EventsInput, progress: ProgressFor | None = None, *, points: bool = True
) -> EventSource:
    """The events of several names as one batch source (:mod:`borderrisk.data.batches`) that the
    risk model reads batch by batch, never whole: exports and events files as they are read
    (:class:`borderrisk.data.formats.EventStream`, with point geometry unless ``points`` is
    False), GeoParquet datasets batch by batch; files first, then datasets, as
    :func:`load_layers` and the dask engine order them."""
    from borderrisk.data.batches import event_batches
    from borderrisk.data.formats import EventStream, is_dataset

    datasets = [p for p in events if is_dataset(p)]
    files = [EventStream(p, how, progress, points=points) for p in events if p not in datasets]
    return event_batches([*files, *datasets])


def load_frames(
    events: Paths = (), agreements: Paths = (), alliances: Paths = (), annotations: str | Path | None = None
) -> tuple[dict[str, Any], list[str] | None]:
    """Input frames by kind, and the scenario's focus when the scenario is used."""
    from borderrisk.layers.frames import frames_of

    layers, scenario = load_layers(events, agreements, alliances)
    return frames_of(layers, annotations), (scenario.focus if scenario else None)
