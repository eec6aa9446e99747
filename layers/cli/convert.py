"""``borderrisk convert``: events files to a partitioned GeoParquet dataset, for the dask engine."""

from __future__ import annotations

import click

from layers.cli.options import OUTPUT_PATH, input_files, where_option


@click.command(short_help="Convert events (ACLED, GDELT, CSV ...) to a GeoParquet dataset.")
@input_files
@where_option
@click.option(
    "-o",
    "--output",
    required=True,
    type=OUTPUT_PATH,
    metavar="DIR",
    help="The dataset folder to create (it must not exist yet).",
)
@click.option(
    "--partition-rows",
    type=click.IntRange(min=1000),
    default=250_000,
    show_default=True,
    help="Events per partition file.",
)
def convert(
    events,
    events_format,
    columns,
    encoding,
    skip_bad_rows,
    root_events_only,
    once_per_source,
    agreements,
    alliances,
    where,
    output,
    partition_rows,
):
    """Read events files (borderrisk CSV/GIS, ACLED, GDELT, GTD, UCDP, any CSV by --columns)
    and write them, validated and in
    borderrisk's columns, as a GeoParquet dataset: a folder of partition files that
    `borderrisk score --engine dask --events DIR` reads partition by partition.

    The folder is written under a temporary name and renamed when complete, so a failed run
    leaves nothing behind.

    \b
    Example:
      borderrisk convert --events acled-2015-2025.csv -o acled/
      borderrisk convert --events acled.csv --where 'country=BOL' -o bolivia/
      borderrisk score --events acled/ --engine dask --focus ARG,BOL
    """
    if agreements or alliances:
        raise click.UsageError("convert takes --events only")
    if not events:
        raise click.UsageError("name the events files to convert with --events")

    from layers.cli.errors import failures_as_click_errors
    from layers.cli.progress import progress_bars, report_skipped
    from layers.data.files import write_partitioned
    from layers.data.paths import DATASET_OUTPUT, check_outputs
    from layers.inputs import load_layers

    with failures_as_click_errors():
        (target,) = check_outputs([output], DATASET_OUTPUT, events)
        with progress_bars() as progress:
            layers, _ = load_layers(
                events,
                events_format=events_format,
                skip_bad_rows=skip_bad_rows,
                progress=progress,
                scenario=False,
                columns=columns,
                encoding=encoding,
                root_events_only=root_events_only,
                once_per_source=once_per_source,
            )
        report_skipped(layers)
        import pandas as pd

        from layers.data.filters import filter_events

        frame = filter_events(pd.concat([layer.frame for layer in layers], ignore_index=True), where)
        parts = write_partitioned(frame, target, partition_rows)
    click.echo(f"wrote {len(frame):,} events in {parts} partition(s) to {target}", err=True)
