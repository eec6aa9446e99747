"""Which input files get a progress bar while they are read, and how long it is.

The bars are drawn by whoever shows them (the command line, with click); this decides, file
by file, whether one is made and hands the reader its ``update``. Reading then calls down into
this and into the bar, never back up into the command line (``tests/test_recipe_path.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path
from typing import Any

from borderrisk.data.formats.events import total_bytes
from borderrisk.data.formats.source import Progress


class ProgressBars:
    """Called with a name about to be read (a file, folder or glob): where the bytes read
    from it are told, the ``update`` of a bar made by ``make(length=..., label=...)`` (a
    context manager, closed when ``stack`` closes) for names of at least ``above`` bytes; None
    for smaller ones, which read too fast to need a bar."""

    def __init__(self, make: Callable[..., AbstractContextManager[Any]], stack: ExitStack, above: int) -> None:
        self.make, self.stack, self.above = make, stack, above

    def __call__(self, path: Path) -> Progress | None:
        size = total_bytes(path)
        if size < self.above:
            return None
        bar = self.stack.enter_context(self.make(length=size, label=f"reading {Path(path).name}"))
        return bar.update
