"""Input files to the frames the risk model takes, the same for every command that scores."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from borderrisk.data.formats import EventsInput

if TYPE_CHECKING:
    from borderrisk.data.batches import EventSource


def model_inputs(
    events: tuple[str, ...],
    agreements: tuple[str, ...],
    alliances: tuple[str, ...],
    annotations: str | None,
    *,
    how: EventsInput,
    engine: str,
    focus: tuple[str, ...] | None,
    progress: Callable[[Path], Any] | None = None,
    stream: bool = False,
) -> tuple[dict[str, Any], tuple[str, ...] | list[str] | None]:
    """The model's input frames by kind, and the focus (the scenario's when no file is given).
    Events directories stay GeoParquet datasets, read batch by batch (partition by partition on
    dask). With ``stream`` (one pass of the in-memory engine), events files are read batch by
    batch as the model goes too (see :func:`borderrisk.inputs.event_source`): the rows they leave
    out are known, and said by :func:`report_streamed`, after the model has run."""
    from borderrisk.cli.progress import progress_bars, report_skipped
    from borderrisk.data.formats import is_dataset
    from borderrisk.inputs import event_source, load_layers
    from borderrisk.layers.frames import frames_of

    if stream and events and engine == "pandas":
        layers, _ = load_layers((), agreements, alliances, how=how, scenario=False)
        inputs = frames_of(layers, annotations)
        # The model measures from coordinates: exports' batches come without point geometry.
        inputs["events"] = event_source(events, how, progress, points=False)
        return inputs, focus
    datasets = [p for p in events if is_dataset(p)]
    files = tuple(p for p in events if p not in datasets)
    with progress_bars() as bars:
        layers, scenario = load_layers(
            files, agreements, alliances, how=how, progress=progress or bars, scenario=not datasets
        )
    report_skipped(layers)
    inputs = frames_of(layers, annotations)
    if datasets:
        from borderrisk.data.batches import event_batches

        inputs["events"] = event_batches([inputs["events"], *datasets])
    return inputs, focus or (scenario.focus if scenario else None)


def report_streamed(source: EventSource) -> None:
    """Say on stderr which rows the events files read as a stream left out (see
    :func:`borderrisk.cli.progress.report_skipped`)."""
    from types import SimpleNamespace

    from borderrisk.cli.progress import report_skipped
    from borderrisk.data.batches import ChainedBatches
    from borderrisk.data.formats import EventStream

    sources = source.sources if isinstance(source, ChainedBatches) else [source]
    streams = [s for s in sources if isinstance(s, EventStream)]
    names = ["Events"] if len(streams) == 1 else [f"Events {i + 1}" for i in range(len(streams))]
    report_skipped([SimpleNamespace(name=n, skipped=s.skipped) for n, s in zip(names, streams)])


def report_learner(assessment: Any) -> None:
    """Say on stderr which learner made a learned assessment's probabilities (the logistic
    model where the history is too short for trees), so a reader knows what the numbers are."""
    if assessment is not None and assessment.learner:
        click.echo(f"learned model: {assessment.learner}", err=True)
