"""``borderrisk convert``: events files to a partitioned GeoParquet dataset, for the dask engine."""

from __future__ import annotations

import click

from borderrisk.cli.options import OUTPUT_PATH, input_files, where_option


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
def convert(events, agreements, alliances, where, output, partition_rows, **reading):
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

    from borderrisk.cli.errors import failures_as_click_errors
    from borderrisk.cli.loading import report_streamed
    from borderrisk.cli.progress import progress_bars
    from borderrisk.data.dataset import dataset_batches
    from borderrisk.data.files import write_partitioned
    from borderrisk.data.filters import filtered_source
    from borderrisk.data.formats import EventsInput
    from borderrisk.data.formats.reading import whole_passes
    from borderrisk.data.paths import DATASET_OUTPUT, check_outputs
    from borderrisk.inputs import event_source

    how = EventsInput.of(reading, where)
    with failures_as_click_errors():
        (target,) = check_outputs([output], DATASET_OUTPUT, events)
        with progress_bars() as progress:
            source = event_source(events, how, progress)
            # a file found not to be UTF-8 after some batches is written again
            for attempt in whole_passes():
                with attempt:
                    batches = dataset_batches(filtered_source(source, how.where))
                    rows, parts = write_partitioned(batches, target, partition_rows)
        report_streamed(source)
    click.echo(f"wrote {rows:,} events in {parts} partition(s) to {target}", err=True)
