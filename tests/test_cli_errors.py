"""Errors that do not hide bugs: a user's mistake is one line, a bug says it is one and how to
see its traceback; `-v` says what is being done, on stderr, so stdout still pipes."""

import json

import pytest
from click.testing import CliRunner

import borderrisk.geo.borders
from borderrisk.cli.main import cli


@pytest.fixture
def a_bug(monkeypatch):
    """Make `borderrisk borders ARG BOL` hit an unexpected KeyError deep inside."""

    def broken(a, b):
        raise KeyError("segment_index")

    monkeypatch.setattr(borderrisk.geo.borders, "border", broken)


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env)


def test_a_request_beyond_the_border_is_one_line_and_exit_1(tmp_path):
    store = tmp_path / "notes.geojson"
    result = run("annotate", "add", "--border", "ARG-BOL", "--from-km", "800", "--to-km", "900", "--store", str(store))
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: ARG-BOL is 716.8 km long; km 800 is beyond its end"
    assert not store.exists()


def test_an_impossible_request_is_a_user_error_not_a_bug():
    result = run("score", "--focus", "ARG,FJI")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: the focus countries ARG, FJI share no land border"


def test_a_bug_is_called_a_bug_with_the_way_to_see_its_traceback(a_bug):
    result = run("borders", "ARG", "BOL")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "internal error" in lines[0] and "KeyError" in lines[0] and "segment_index" in lines[0]
    assert "--verbose" in lines[0] and "BORDERRISK_DEBUG=1" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("how", [("-v",), ("--verbose",), ()])
def test_verbose_or_the_debug_variable_shows_the_traceback(a_bug, how):
    env = None if how else {"BORDERRISK_DEBUG": "1"}
    result = run(*how, "borders", "ARG", "BOL", env=env)
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "internal error" in result.stderr


def test_verbose_logs_on_stderr_and_leaves_stdout_to_the_data():
    result = run("-v", "score", "--focus", "ARG,BOL", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["a"] == "ARG"
    assert "INFO borderrisk.risk: scored 15 segment(s) of 1 border(s)" in result.stderr


def test_without_verbose_there_is_no_log_chatter():
    result = run("score", "--focus", "ARG,BOL", "--json")
    assert result.exit_code == 0
    assert "INFO" not in result.stderr


def test_a_reader_that_stops_early_is_not_an_error():
    import subprocess
    import sys

    script = "from borderrisk.cli.main import cli; cli(['borders', '--all'])"
    writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    writer.stdout.readline()
    writer.stdout.close()  # like `| head -1`
    _, stderr = writer.communicate(timeout=60)
    assert writer.returncode == 0
    assert stderr.decode() == ""
