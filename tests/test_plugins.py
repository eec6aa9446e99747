"""Plugins: third-party layer types register through the same entry-point group as the
built-ins; a broken plugin is listed with its reason and breaks nothing else.

The example plugin in tests/example_plugin is installed by the README's test command."""

import json
from importlib.metadata import entry_points

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.layers.registry import GROUP, layer_types


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module", autouse=True)
def example_plugin_installed():
    if "patrols" not in {e.name for e in entry_points(group=GROUP)}:
        pytest.fail("the example plugin is not installed: pip install ./tests/example_plugin (see README)")


def test_built_in_layers_use_the_same_entry_point_group_as_plugins():
    by_name = {e.name: e.dist.name for e in entry_points(group=GROUP)}
    assert {"countries", "borders", "events", "agreements", "alliances", "annotations", "risk", "frame"} <= set(by_name)
    assert by_name["events"] == "borderrisk"
    assert by_name["patrols"] == "borderrisk-example-plugin"


def test_layers_lists_plugins_and_the_broken_one_with_its_reason():
    rows = {row["name"]: row for row in json.loads(run("layers", "--json").stdout)}
    assert rows["patrols"]["status"] == "ok" and rows["patrols"]["package"] == "borderrisk-example-plugin"
    assert rows["broken"]["status"] == "broken"
    assert "ModuleNotFoundError" in rows["broken"]["description"]
    table = run("layers").stdout
    assert "patrols" in table and "broken" in table


def test_a_broken_plugin_breaks_no_other_command():
    assert layer_types()["broken"].error
    assert run("borders", "ARG", "BOL", "--json").exit_code == 0
    assert run("--help").exit_code == 0


def test_a_plugin_layer_from_the_cli(tmp_path, fixtures, offline_page):
    out = tmp_path / "map.html"
    result = run("map", "--focus", "ARG,BOL", "--layer", f"patrols={fixtures / 'patrols.csv'}", "-o", str(out))
    assert result.exit_code == 0, result.output
    offline_page.open(out)
    counts = dict(offline_page.evaluate("() => borderrisk.debug.counts()"))
    assert counts["Patrols"] == 3
    assert offline_page.errors == [] and offline_page.outside_requests == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("broken=x.csv", "is broken"),
        ("nope=x.csv", "no layer type"),
        ("patrols", "NAME=PATH"),
        ("risk=x.csv", "cannot be read"),
    ],
)
def test_bad_layer_options_are_usage_errors(value, message, fixtures):
    value = value.replace("x.csv", str(fixtures / "patrols.csv"))
    result = run("map", "--layer", value, "-o", "-")
    assert result.exit_code == 2
    assert message in result.output
