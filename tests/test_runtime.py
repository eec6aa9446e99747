"""The map runtime (borderrisk/render/static): modules joined in their declared order into one
script, test hooks only in debug mode, eslint clean, and its pure functions checked by node's
test runner (tests/js/). The eslint and node tests need ``npm ci`` (package-lock.json)."""

from __future__ import annotations

import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest

from borderrisk.render.elements import DEBUG_MODULE, RUNTIME_MODULES, Runtime

ROOT = Path(__file__).parent.parent
RUNTIME = resources.files("borderrisk.render") / "static" / "runtime"


def test_every_runtime_module_is_joined_once_and_state_comes_first():
    shipped = {entry.name for entry in RUNTIME.iterdir() if entry.name.endswith(".js")}
    assert sorted((*RUNTIME_MODULES, DEBUG_MODULE)) == sorted(shipped)
    assert len(set(RUNTIME_MODULES)) == len(RUNTIME_MODULES)
    assert RUNTIME_MODULES[0] == "state.js"


def test_the_test_hooks_are_in_a_page_only_in_debug_mode(monkeypatch):
    monkeypatch.delenv("BORDERRISK_PAGE_DEBUG", raising=False)
    normal = dict(Runtime().default_js)["borderrisk_js"]
    monkeypatch.setenv("BORDERRISK_PAGE_DEBUG", "1")
    debug = dict(Runtime().default_js)["borderrisk_js"]
    assert len(debug) > len(normal)
    assert debug.startswith(normal[: normal.index(",") + 1])  # the same kind of data: URI


@pytest.mark.browser
def test_a_normal_page_exposes_no_test_hooks(offline_page, tmp_path, monkeypatch):
    import borderrisk as br

    monkeypatch.delenv("BORDERRISK_PAGE_DEBUG")
    page = tmp_path / "normal.html"
    br.BorderRiskMap(focus=["BOL"]).save(page)
    offline_page.open(page)
    assert offline_page.evaluate("() => [typeof borderrisk.debug, borderrisk.maps().length]") == ["undefined", 1]
    assert offline_page.evaluate("() => document.querySelector('.br-map').hasAttribute('data-br-labels')") is False
    assert offline_page.errors == [] and offline_page.outside_requests == []


def _node_tool(*command: str) -> subprocess.CompletedProcess:
    if shutil.which("node") is None or not (ROOT / "node_modules").is_dir():
        pytest.fail("the runtime's checks need node and its packages: run `npm ci` in the repository")
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_runtime_is_eslint_clean():
    result = _node_tool("npx", "--no-install", "eslint", "borderrisk/render/static", "tests/js", "eslint.config.js")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_runtime_pure_functions_pass_node_tests():
    result = _node_tool("node", "--test", "tests/js/")
    assert result.returncode == 0, result.stdout + result.stderr
