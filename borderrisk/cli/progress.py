"""Progress bars on stderr for big input files, so stdout stays clean for pipes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import click

#: Files smaller than this read too fast to need a bar.
BAR_ABOVE_BYTES = 20_000_000


@contextmanager
def progress_bars() -> Iterator[Callable[[Path], Callable[[int], None] | None]]:
    """Yields ``for_file(path)``: a callback for the bytes read from ``path``, shown as a bar
    on stderr for big files. Bars close when the block ends."""
    with ExitStack() as stack:

        def for_file(path: Path) -> Callable[[int], None] | None:
            from borderrisk.data.formats import total_bytes

            size = total_bytes(path)
            if size < BAR_ABOVE_BYTES:
                return None
            bar = stack.enter_context(click.progressbar(length=size, label=f"reading {path.name}", file=sys.stderr))
            return bar.update

        yield for_file


def report_skipped(layers: list) -> None:
    """Say on stderr which rows were left out, why and where: never silently."""
    for layer in layers:
        skipped = getattr(layer, "skipped", None)
        if skipped:
            click.echo(f"{layer.name}: {skipped.summary()}", err=True)
