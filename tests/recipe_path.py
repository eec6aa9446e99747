"""Following a recipe's data through the code, mechanically: the path it takes through the
house's rooms (``house.ROOMS``), recorded call by call while ``borderrisk map RECIPE`` runs.

Imports can only point down (``test_architecture.py`` reads them), but calls can still point
up: a lower room calling a function a higher room handed it (a callback, a generator, a
method of an object passed down). Only a trace of the calls shows those, so this records
one with :func:`sys.setprofile` in every thread:

- a **stop** is a room entered from another one. Stops are kept as the path of rooms from
  the first one down to the one entered, in the order they were first reached, so calling
  the same room again from the same place (a lookup per row) is one stop, not a thousand;
- a **climb back up** is a stop into a room not below the one it was entered from;
- a **return** is a stop into a room already on its own path: the room handed the data
  down and gets it back through a call, not as a return value.

Frames of other packages (pandas, folium ...) are transparent: a callback a library makes
is entered from the room that called the library. Code run while a module is imported is
left out (it is not the recipe's data). A thread's path starts where it was started.

    python tests/recipe_path.py                          # the built-in scenario
    python tests/recipe_path.py --events tests/fixtures/events_ok.csv --json

Run it in a fresh process: caches filled by an earlier run hide the lookups they spare.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from house import ROOMS, room_of

ROOM_NAMES = [room for rooms in ROOMS for room in rooms]
#: A stack entry of a frame run while importing a module: it and everything below it is skipped.
IMPORTING = ("<import>",)


def room(module: str | None) -> str | None:
    """The room a module lives in, or None for code outside the house."""
    return next((r for r in ROOM_NAMES if module and (module == r or module.startswith(r + "."))), None)


@dataclass
class Trace:
    """The stops of one run: each path of rooms, in the order first reached, with the first
    function entered at its end."""

    stops: dict[tuple[str, ...], str] = field(default_factory=dict)

    def climbs(self) -> list[tuple[str, ...]]:
        return [p for p in self.stops if len(p) > 1 and room_of(p[-1]) >= room_of(p[-2])]

    def returns(self) -> list[tuple[str, ...]]:
        return [p for p in self.stops if p[-1] in p[:-1]]

    def figures(self) -> dict[str, int]:
        return {
            "stops": len(self.stops),
            "rooms": len({p[-1] for p in self.stops}),
            "climbs": len(self.climbs()),
            "returns": len(self.returns()),
        }

    def lines(self) -> list[str]:
        """The path as an indented tree (each room under the one it was entered from), climbs
        marked ``^`` and returns ``@``."""
        climbs, returns = set(self.climbs()), set(self.returns())
        first = {path: number for number, path in enumerate(self.stops)}
        shown = []
        for path in sorted(self.stops, key=lambda p: [first.get(p[:end], -1) for end in range(1, len(p) + 1)]):
            function = self.stops[path]
            mark = ("^" if path in climbs else " ") + ("@" if path in returns else " ")
            name = "  " * (len(path) - 1) + path[-1].removeprefix("borderrisk.")
            shown.append(f"{mark} {name:<28} {function}")
        return shown


class Tracer:
    """Records a :class:`Trace` while in a ``with`` block, in every thread started there."""

    def __init__(self) -> None:
        self.trace = Trace()
        self._stacks: dict[int, list[tuple[str, ...]]] = {}
        self._lock = threading.Lock()

    def _stack(self) -> list[tuple[str, ...]]:
        ident = threading.get_ident()
        if ident not in self._stacks:
            self._stacks[ident] = [getattr(threading.current_thread(), "_recipe_path", ())]
        return self._stacks[ident]

    def _profile(self, frame: FrameType, event: str, arg: Any) -> None:
        if event not in ("call", "return"):
            return
        stack = self._stack()
        if event == "return":
            if len(stack) > 1:
                stack.pop()
            return
        path = stack[-1]
        if path is IMPORTING or frame.f_code.co_name == "<module>":
            stack.append(IMPORTING)
            return
        entered = room(frame.f_globals.get("__name__"))
        if entered is not None and (not path or path[-1] != entered):
            path = (*path, entered)
            with self._lock:
                self.trace.stops.setdefault(path, f"{frame.f_globals['__name__']}.{frame.f_code.co_qualname}")
        stack.append(path)

    @contextmanager
    def _threads_start_where_started(self) -> Iterator[None]:
        start = threading.Thread.start
        tracer = self

        def started(thread: threading.Thread) -> None:
            thread._recipe_path = tracer._stack()[-1]  # type: ignore[attr-defined]
            start(thread)

        threading.Thread.start = started  # type: ignore[method-assign]
        try:
            yield
        finally:
            threading.Thread.start = start  # type: ignore[method-assign]

    @contextmanager
    def recording(self) -> Iterator[Trace]:
        with self._threads_start_where_started():
            threading.setprofile(self._profile)
            sys.setprofile(self._profile)
            try:
                yield self.trace
            finally:
                sys.setprofile(None)
                threading.setprofile(None)  # type: ignore[arg-type]


def trace_recipe(recipe: str, folder: Path) -> Trace:
    """The path of ``borderrisk map`` running a recipe file's text, written in ``folder``."""
    from click.testing import CliRunner

    from borderrisk.cli.main import cli

    path = folder / "recipe.toml"
    path.write_text(recipe, encoding="utf-8")
    with Tracer().recording() as trace:
        result = CliRunner().invoke(cli, ["map", str(path)])
    if result.exit_code != 0:
        raise RuntimeError(f"borderrisk map {path} failed: {result.output}") from result.exception
    return trace


def recipe_text(events: list[Path]) -> str:
    """A small recipe: the built-in scenario, or events files, on the ARG-BOL border, compared
    with an earlier date (the whole pipeline: load, assess with a comparison, draw, write)."""
    lines = ['focus = ["ARG", "BOL"]', "compare_to = 2023-01-01", 'outputs = ["map.html"]']
    if events:
        lines.append(f"events = {json.dumps([str(e.resolve()) for e in events])}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=Path, action="append", default=[], help="events files (else the scenario)")
    parser.add_argument("--json", action="store_true", help="print the stops and figures as JSON")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        trace = trace_recipe(recipe_text(arguments.events), Path(folder))
    if arguments.json:
        stops = [{"path": list(p), "function": f} for p, f in trace.stops.items()]
        print(json.dumps({"figures": trace.figures(), "stops": stops}))
        return
    print("\n".join(trace.lines()))
    print(", ".join(f"{value} {name}" for name, value in trace.figures().items()))


if __name__ == "__main__":
    main()
