"""A recipe's data goes down the house: followed call by call while ``borderrisk map`` runs a
recipe (``recipe_path.py``), no room calls back up into a room above it and none is entered
again below itself. Imports cannot show this (``test_architecture.py`` reads them): a callback,
a generator or an object handed down makes a call climb without any import pointing up."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from recipe_path import Trace, Tracer

HERE = Path(__file__).parent
EVENTS = HERE / "fixtures" / "events_ok.csv"


def module(name: str, source: str) -> dict:
    """The functions of ``source`` as if defined in the module ``name`` (its room is its name's)."""
    namespace = {"__name__": name}
    exec(source, namespace)
    return namespace


def test_a_callback_from_a_lower_room_is_a_climb_back_into_the_room_that_handed_it_down():
    geo = module("borderrisk.geo.handed", "def each(items, call):\n    for item in items:\n        call(item)\n")
    render = module("borderrisk.render.handing", "def draw(each):\n    each([1, 2], lambda item: item)\n")
    with Tracer().recording() as trace:
        render["draw"](geo["each"])
    back = ("borderrisk.render", "borderrisk.geo", "borderrisk.render")
    assert list(trace.stops) == [("borderrisk.render",), ("borderrisk.render", "borderrisk.geo"), back]
    assert trace.climbs() == trace.returns() == [back]


def test_a_thread_starts_its_path_where_it_was_started():
    data = module("borderrisk.data.working", "def work():\n    return 1\n")
    source = "import threading\ndef start(work):\n    t = threading.Thread(target=work)\n    t.start()\n    t.join()\n"
    risk = module("borderrisk.risk.starting", source)
    with Tracer().recording() as trace:
        risk["start"](data["work"])
    assert list(trace.stops) == [("borderrisk.risk",), ("borderrisk.risk", "borderrisk.data")]


@pytest.mark.slow
@pytest.mark.parametrize("events", [["--events", str(EVENTS)], []], ids=["events-file", "scenario"])
def test_a_recipe_goes_down_the_house_without_climbing_back_or_returning_to_rooms_it_left(events):
    """The whole pipeline on a small events file or the built-in scenario: load, assess (with
    a comparison), draw, write."""
    traced = subprocess.run(
        [sys.executable, str(HERE / "recipe_path.py"), *events, "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found = json.loads(traced.stdout)
    trace = Trace({tuple(stop["path"]): stop["function"] for stop in found["stops"]})
    recipes = ("borderrisk.cli", "borderrisk.recipes")
    from_recipes = {path[2] for path in trace.stops if path[:2] == recipes and len(path) > 2}
    assert {"borderrisk.inputs", "borderrisk.risk", "borderrisk.render", "borderrisk.data"} <= from_recipes
    assert (trace.climbs(), trace.returns()) == ([], []), "\n".join(trace.lines())
