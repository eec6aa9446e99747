"""The house keeps its shape: imports point down only, data never loads the renderer, no
cycles, no module reaches for another's private names, and every import is a declared
dependency. Read from the code's own imports (function-level ones included)."""

import ast
import configparser
import re
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from house import SOURCE_FOLDERS, room_name, room_of, source_modules

ROOT = Path(__file__).resolve().parents[1]

DRAWING = {"folium", "branca", "jinja2"}
#: Rooms that read, validate, score and annotate: they never import the drawing packages.
DATA_ROOMS = {
    "borderrisk.geo",
    "borderrisk.data",
    "borderrisk.language",
    "borderrisk.risk",
    "borderrisk.annotations",
    "borderrisk.layers",
    "borderrisk.scenarios",
}


MODULES = source_modules()


def imports_of(name: str) -> list[tuple[str, list[str], int]]:
    """(imported module, imported names, line) for every import statement in a module."""
    path = MODULES[name]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name if path.name == "__init__.py" else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}".strip(".")
            names = [alias.name for alias in node.names]
            submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in MODULES]
            found += [(m, [], node.lineno) for m in submodules]
            found.append((base, [n for n in names if f"{base}.{n}" not in MODULES], node.lineno))
    return found


def internal_edges() -> list[tuple[str, str, int]]:
    return [
        (name, target, line)
        for name in MODULES
        for target, _, line in imports_of(name)
        if target in MODULES and target != name
    ]


def test_imports_point_down_only():
    wrong = []
    for source, target, line in internal_edges():
        a, b = room_of(source), room_of(target)
        if a is None or b is None:
            continue  # the lazy top-level API (layers/__init__) imports by name, not by statement
        same_room = room_name(source) == room_name(target)
        if not same_room and b >= a:
            wrong.append(f"{MODULES[source].relative_to(ROOT)}:{line} imports {target}")
    assert wrong == []


def test_there_are_no_import_cycles():
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for source, target, _ in internal_edges():
        graph[source].add(target)
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_no_module_imports_another_modules_private_names():
    private = [
        f"{MODULES[name].relative_to(ROOT)}:{line} imports {target}.{n}"
        for name in MODULES
        for target, names, line in imports_of(name)
        if target in MODULES and target != name
        for n in names
        if n.startswith("_") and not n.startswith("__")
    ]
    assert private == []


def test_reading_scoring_and_annotating_never_import_the_renderer():
    drawing = [
        f"{MODULES[name].relative_to(ROOT)}:{line} imports {target}"
        for name in MODULES
        if room_of(name) is not None and room_name(name) in DATA_ROOMS
        for target, _, line in imports_of(name)
        if target.split(".")[0] in DRAWING | {"click"}
    ]
    assert drawing == []


def test_data_and_risk_load_without_folium():
    code = (
        "import sys, borderrisk.risk, borderrisk.risk.model, borderrisk.layers.events, borderrisk.layers.risk, "
        "borderrisk.data.formats, borderrisk.annotations.store, borderrisk.inputs; "
        f"loaded = sorted(m for m in {sorted(DRAWING)!r} if m in sys.modules); assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_borderrisk_score_runs_without_the_renderer():
    code = (
        "import sys; from click.testing import CliRunner; from borderrisk.cli.main import cli; "
        "result = CliRunner().invoke(cli, ['score', '--focus', 'ARG,BOL', '--json']); "
        "assert result.exit_code == 0, result.output; "
        f"loaded = sorted(m for m in {sorted(DRAWING)!r} if m in sys.modules); assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def declared_distributions() -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    lines = config["options"]["install_requires"].splitlines()
    lines += [line for value in config["options.extras_require"].values() for line in value.splitlines()]
    return {re.split(r"[\s<>=!;\[~]", line.strip())[0].lower().replace("_", "-") for line in lines if line.strip()}


@pytest.mark.parametrize("folder", [*SOURCE_FOLDERS, "tests", "benchmarks"])
def test_every_imported_package_is_declared(folder):
    standard = set(sys.stdlib_module_names)
    ours = {"borderrisk", "borderrisk_example_plugin"} | {p.stem for p in (ROOT / folder).glob("*.py")}
    owners = packages_distributions()
    undeclared = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                tops = [(node.module or "").split(".")[0]]
            else:
                continue
            for top in tops:
                if top in standard or top in ours or top.startswith("_"):
                    continue
                dists = {d.lower().replace("_", "-") for d in owners.get(top, [top])}
                if not dists & declared_distributions():
                    undeclared.add(f"{top} ({', '.join(sorted(dists))}) in {path.relative_to(ROOT)}")
    assert sorted(undeclared) == []


def test_there_is_one_error_root_in_the_lowest_room():
    """``except UserError`` catches every user-fixable failure, geographic ones too."""
    from borderrisk.data import errors as data_errors
    from borderrisk.geo import errors as geo_errors

    assert data_errors.UserError is geo_errors.UserError
    defined = [
        value
        for module in (geo_errors, data_errors)
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Exception)
    ]
    assert [e.__name__ for e in defined if not issubclass(e, geo_errors.UserError)] == []
    assert issubclass(geo_errors.UnknownCountryError, LookupError)  # still what it was, as well
