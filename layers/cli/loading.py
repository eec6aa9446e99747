"""Input files to the frames the risk model takes, the same for every command that scores."""

from __future__ import annotations

from typing import Any


def model_inputs(
    events: tuple[str, ...],
    agreements: tuple[str, ...],
    alliances: tuple[str, ...],
    annotations: str | None,
    *,
    events_format: str,
    skip_bad_rows: bool,
    engine: str,
    focus: tuple[str, ...] | None,
    **reading: Any,
) -> tuple[dict[str, Any], tuple[str, ...] | list[str] | None]:
    """The model's input frames by kind, and the focus (the scenario's when no file is given).
    Events directories stay GeoParquet datasets, read batch by batch (partition by partition on
    dask). ``reading`` holds the other options of the events readers (columns, encoding ...)."""
    from layers.cli.progress import progress_bars, report_skipped
    from layers.data.formats import is_dataset
    from layers.inputs import load_layers
    from layers.kinds.frames import frames_of

    datasets = [p for p in events if is_dataset(p)]
    files = tuple(p for p in events if p not in datasets)
    with progress_bars() as progress:
        layers, scenario = load_layers(
            files,
            agreements,
            alliances,
            events_format=events_format,
            skip_bad_rows=skip_bad_rows,
            progress=progress,
            scenario=not datasets,
            **reading,
        )
    report_skipped(layers)
    inputs = frames_of(layers, annotations)
    if datasets and engine == "dask":
        from layers.risk.dask_engine import combine

        inputs["events"] = combine([inputs["events"], *datasets])
    elif datasets:
        from layers.data.batches import event_batches

        inputs["events"] = event_batches([inputs["events"], *datasets])
    return inputs, focus or (scenario.focus if scenario else None)
