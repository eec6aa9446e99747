"""Progress bars on stderr for big input files, so stdout stays clean for pipes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import partial

import click

from borderrisk.data.progress import ProgressBars

#: Files smaller than this read too fast to need a bar.
BAR_ABOVE_BYTES = 20_000_000


@contextmanager
def progress_bars() -> Iterator[ProgressBars]:
    """Yields what, given a file about to be read, gives a callback for the bytes read from
    it, shown as a bar on stderr for big files (:class:`borderrisk.data.progress.ProgressBars`).
    Bars close when the block ends."""
    with ExitStack() as stack:
        yield ProgressBars(partial(click.progressbar, file=sys.stderr), stack, BAR_ABOVE_BYTES)


def report_skipped(layers: list) -> None:
    """Say on stderr which rows were left out, why and where: never silently."""
    for layer in layers:
        skipped = getattr(layer, "skipped", None)
        if skipped:
            click.echo(f"{layer.name}: {skipped.summary()}", err=True)
