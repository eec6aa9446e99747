"""The docs cannot drift: the site builds with ``mkdocs build --strict``, and every example in
README.md and docs/*.md runs as written.

A page's console blocks run first, in order, in one fresh folder per page: each ``$ borderrisk
...`` line through click's CliRunner (in process, so the whole check stays fast), with ``> FILE``
writing its stdout to a file and a trailing ``# exit N`` naming the exit code it must end with
(0 otherwise). The lines under a command, when there are any, are its stdout followed by its
stderr, compared after normalising whitespace; a line ``...`` stands for any number of lines.
Then the page's python blocks run, joined in order, in one Python process in the same folder.
The folder holds the files the examples name, made here from the test fixtures, so a reader's
``events.csv`` is a small real file and ``my_acled.csv`` a synthetic ACLED download."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import borderrisk
from borderrisk.cli.main import cli
from borderrisk.scenarios.synthetic import write_acled

ROOT = Path(__file__).parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: Pages whose console examples talk to a source's API: tests/test_fetch.py runs their
#: ``borderrisk fetch`` lines against a local server instead.
NEED_A_SOURCE = {"fetch.md"}
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
EXIT = re.compile(r"#\s*exit\s+(\d+)\s*$")

#: The files the examples name -> the fixture each is copied from.
INPUTS = {
    "events.csv": "events_ok.csv",
    "agreements.csv": "agreements_ok.csv",
    "alliances.csv": "alliances_ok.csv",
    "bad_events.csv": "events_bad.csv",
    "patrols.csv": "patrols.csv",
}


def blocks(page: Path, language: str) -> list[str]:
    """The bodies of a page's fenced blocks in ``language``, in order."""
    return [body for lang, body in FENCE.findall(page.read_text(encoding="utf-8")) if lang == language]


def commands(block: str) -> list[tuple[str, list[str]]]:
    """A console block as (command line, the output lines shown under it)."""
    runs: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            runs.append((line[2:], []))
        elif runs:
            runs[-1][1].append(line)
        elif line.strip():
            raise AssertionError(f"console block starts with output, not a '$ ' command: {line!r}")
    return runs


def normalised(text: str | list[str]) -> list[str]:
    lines = text.splitlines() if isinstance(text, str) else text
    return [" ".join(line.split()) for line in lines if line.strip()]


def shows(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` is ``expected`` line for line, a ``...`` line matching any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(shows(expected[1:], actual[start:]) for start in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and shows(expected[1:], actual[1:])


def run_command(line: str) -> str:
    """Runs one ``$ borderrisk ...`` line in the current folder, checks its exit code and
    returns its stdout followed by its stderr."""
    expected_code = int(EXIT.search(line).group(1)) if EXIT.search(line) else 0
    words = shlex.split(line, comments=True)
    assert words[0] == "borderrisk", f"a console example runs borderrisk, not {words[0]!r}: {line}"
    target = None
    if ">" in words:
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    result = CliRunner().invoke(cli, words[1:], prog_name="borderrisk")
    assert result.exit_code == expected_code, f"$ {line}\nexit {result.exit_code}\n{result.output}"
    if target:
        Path(target).write_text(result.stdout, encoding="utf-8")
    return result.stdout + result.stderr


@pytest.fixture(scope="session")
def inputs(tmp_path_factory) -> Path:
    """One folder of the files the examples name, copied into each page's folder."""
    folder = tmp_path_factory.mktemp("inputs")
    for name, fixture in INPUTS.items():
        shutil.copy(FIXTURES / fixture, folder / name)
    write_acled(folder / "my_acled.csv", rows=2_000)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize(
    "page",
    [p for p in PAGES if p.name not in NEED_A_SOURCE],
    ids=[p.name for p in PAGES if p.name not in NEED_A_SOURCE],
)
def test_every_example_runs_as_written(page, inputs, tmp_path, monkeypatch):
    shutil.copytree(inputs, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    for block in blocks(page, "console"):
        for line, shown in commands(block):
            output = run_command(line)
            if normalised(shown):
                assert shows(normalised(shown), normalised(output)), (
                    f"$ {line}\nshown:\n{chr(10).join(shown)}\ngot:\n{output}"
                )
    code = "\n\n".join(blocks(page, "python"))
    if code:
        ran = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert ran.returncode == 0, f"{page.name}'s Python examples failed:\n{ran.stderr[-3000:]}"


@pytest.mark.slow
def test_the_site_builds_strictly(tmp_path):
    """Broken links, missing pages, an API name that moved or a CLI that no longer imports all
    fail the build."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    assert (tmp_path / "site" / "cli" / "index.html").read_text(encoding="utf-8").count("borderrisk score") >= 1


def test_the_api_page_documents_every_public_name():
    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for name in borderrisk.__all__:
        assert f"::: {getattr(borderrisk, name).__module__}.{name}\n" in api, name


def test_the_readme_gives_ci_s_test_command_verbatim():
    """CI runs exactly what the README tells a newcomer to run."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    command = ci[ci.index("# --- the README's test command, verbatim ---") + 1]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert command in [line for block in blocks(ROOT / "README.md", "bash") for line in block.splitlines()]
    assert "pip install . && borderrisk map -o map.html" in readme


def test_the_readme_links_to_pages_that_exist():
    """The README is not part of the site, so the strict build does not check its links."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pages = re.findall(r"\]\(([^)#:]+\.md)(?:#[^)]*)?\)", readme)
    assert pages and [page for page in pages if not (ROOT / page).is_file()] == []


def test_the_readme_stays_short():
    assert len((ROOT / "README.md").read_bytes()) <= 12 * 1024
