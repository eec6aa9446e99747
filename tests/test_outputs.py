"""Nothing lost, nothing misplaced: every output is checked before any work, an input is never
overwritten, a command writes all its outputs or none, and killed writers leave nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.data.files import remove_stale

EVENTS = "date,title,type,lat,lon\n2023-07-16,Patrol sighted,statement,-22.1,-65.6\n"


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


@pytest.fixture
def events(tmp_path):
    path = tmp_path / "ev.csv"
    path.write_text(EVENTS, encoding="utf-8")
    return path


def files_in(folder):
    return sorted(p.name for p in folder.iterdir())


def test_an_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path, events):
    result = run("map", "--events", events, "-o", events)
    assert result.exit_code == 2
    assert f"{events} is also an input" in result.output
    assert events.read_text(encoding="utf-8") == EVENTS


def test_an_input_reached_through_a_link_or_another_spelling_is_still_an_input(tmp_path, events, monkeypatch):
    (tmp_path / "link.html").symlink_to(events)
    monkeypatch.chdir(tmp_path)
    for output in ("link.html", "./ev.csv", f"../{tmp_path.name}/ev.csv"):
        result = run("map", "--events", "ev.csv", "-o", output)
        assert result.exit_code == 2, output
        assert "is also an input" in result.output
    assert events.read_text(encoding="utf-8") == EVENTS


def test_the_annotations_config_and_recipe_are_inputs_too(tmp_path):
    store = tmp_path / "n.geojson"
    store.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    config = tmp_path / "r.toml"
    config.write_text("[events]\nweight = 1.0\n", encoding="utf-8")
    assert run("map", "--annotations", store, "-o", store).exit_code == 2
    assert run("map", "--config", config, "-o", config).exit_code == 2
    recipe = tmp_path / "brief.toml"
    recipe.write_text('outputs = ["brief.toml"]\n', encoding="utf-8")
    result = run("map", recipe)
    assert result.exit_code == 2 and "brief.toml is also an input" in result.output
    assert recipe.read_text(encoding="utf-8") == 'outputs = ["brief.toml"]\n'
    assert "FeatureCollection" in store.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["x.jpg", "x.txt", "x"])
def test_an_unknown_extension_is_a_usage_error_naming_the_allowed_ones(tmp_path, name):
    result = run("map", "-o", tmp_path / name)
    assert result.exit_code == 2
    assert ".html, .htm, .png or .pdf" in result.output
    assert files_in(tmp_path) == []


def test_errors_name_the_users_path_never_a_temporary_file(tmp_path, events):
    (tmp_path / "outdir").mkdir()
    result = run("map", "--events", events, "-o", tmp_path / "outdir")
    assert result.exit_code == 2 and "outdir is a folder" in result.output and ".tmp" not in result.output
    result = run("map", "-o", "")
    assert result.exit_code == 2 and "an empty path names no file" in result.output
    result = run("convert", "--events", events, "-o", tmp_path / "nodir" / "ds")
    assert result.exit_code == 2 and "the folder" in result.output and "nodir' does not exist" in result.output


def test_the_same_output_twice_is_an_error(tmp_path, events, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("map", "--events", "ev.csv", "-o", "a.html", "-o", "./a.html")
    assert result.exit_code == 2 and "given twice" in result.output
    assert files_in(tmp_path) == ["ev.csv"]


def test_a_read_only_output_is_not_replaced(tmp_path, events):
    out = tmp_path / "kept.html"
    out.write_text("mine", encoding="utf-8")
    out.chmod(0o444)
    result = run("map", "--events", events, "-o", out)
    assert result.exit_code == 2 and "read-only" in result.output
    assert out.read_text(encoding="utf-8") == "mine"


def test_all_outputs_or_none_without_chromium(tmp_path, events):
    result = run(
        "map", "--events", events, "-o", tmp_path / "a.html", "-o", tmp_path / "a.png",
        env={"BORDERRISK_CHROMIUM": str(tmp_path / "no-chromium")},
    )  # fmt: skip
    assert result.exit_code == 1
    assert "no-chromium" in result.output and "Traceback" not in result.output
    assert files_in(tmp_path) == ["ev.csv"]


def test_option_conflicts_are_usage_errors_before_any_work(tmp_path, events):
    result = run("map", "--events", events, "--since", "2023", "--until", "2000", "-o", tmp_path / "m.html")
    assert result.exit_code == 2 and "is after until" in result.output
    assert files_in(tmp_path) == ["ev.csv"]
    bad = tmp_path / "bad.csv"
    bad.write_text("date,title,type,lat,lon\nnot a date,x,visit,0,0\n", encoding="utf-8")
    result = run("score", "--by", "border", "--geojson", "--events", bad)
    assert result.exit_code == 2 and "--geojson writes segments" in result.output  # the bad file is never read


def test_recipe_image_values_keep_the_command_lines_ranges(tmp_path):
    recipe = tmp_path / "brief.toml"
    for image, word in (("width = 1", "width"), ("dpi = 20000", "dpi")):
        recipe.write_text(f'outputs = ["b.html"]\n[image]\n{image}\n', encoding="utf-8")
        result = run("map", recipe)
        assert result.exit_code == 1 and f"'{word}' must be a whole number from" in result.output
    result = run("map", "--dpi", "20000", "-o", tmp_path / "m.png")
    assert result.exit_code == 2


def test_a_full_disk_names_the_output_and_leaves_nothing(tmp_path, events, monkeypatch):
    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    out = tmp_path / "m.html"
    result = run("map", "--events", events, "-o", out, "-o", tmp_path / "n.html")
    assert result.exit_code == 1
    assert f"Error: {out}: No space left on device" in result.output
    assert files_in(tmp_path) == ["ev.csv"]


def test_the_python_api_refuses_what_the_command_refuses(tmp_path, events):
    from borderrisk.data.errors import RequestError
    from borderrisk.recipes import Recipe, render_recipe
    from borderrisk.render.mapping import BorderRiskMap

    with pytest.raises(RequestError, match="is also an input"):
        render_recipe(Recipe(events=[events], outputs=[events]))
    with pytest.raises(RequestError, match=r"a map is written as \.html"):
        BorderRiskMap().save(tmp_path / "x.jpg")
    assert files_in(tmp_path) == ["ev.csv"]


# A writer is killed while its output is staged: os.fsync (called on the staged file, before the
# rename) announces itself and waits to be killed.
KILLED_WRITER = """
import os, sys, time
def stall(*args):
    print("staged", flush=True)
    time.sleep(120)
os.{call} = stall
from borderrisk.cli.main import cli
cli(sys.argv[1:])
"""


def kill_while_staged(call, args, cwd):
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER.format(call=call), *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "staged"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    return process.pid


def test_a_killed_map_leaves_a_temporary_file_that_the_next_run_removes(tmp_path, events):
    pid = kill_while_staged("fsync", ["map", "--events", "ev.csv", "-o", "m.html"], tmp_path)
    left = [name for name in files_in(tmp_path) if name.startswith(f".m.html.{pid}.")]
    assert len(left) == 1 and left[0].endswith(".tmp")
    result = run("map", "--events", events, "-o", tmp_path / "m.html")
    assert result.exit_code == 0, result.output
    assert files_in(tmp_path) == ["ev.csv", "m.html"]


def test_a_killed_convert_leaves_a_partial_folder_that_the_next_run_removes(tmp_path, events):
    pid = kill_while_staged("rename", ["convert", "--events", "ev.csv", "-o", "cv2"], tmp_path)
    left = [name for name in files_in(tmp_path) if name.startswith(f".cv2.{pid}.")]
    assert len(left) == 1 and (tmp_path / left[0]).is_dir()
    result = run("convert", "--events", events, "-o", tmp_path / "cv2")
    assert result.exit_code == 0, result.output
    assert files_in(tmp_path) == ["cv2", "ev.csv"]


def test_a_running_writers_temporary_file_is_left_alone(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / f".m.html.{sleeper.pid}.abcd.tmp"
        dead = tmp_path / ".m.html.999999999.abcd.tmp"
        live.write_text("x")
        dead.write_text("x")
        time.sleep(0.1)
        assert remove_stale(tmp_path / "m.html") == [dead]
        assert live.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


@pytest.fixture
def umask_027():
    """The process's umask set to 027 for the test, then put back."""
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_outputs_get_their_modes_without_changing_the_process_umask(tmp_path, umask_027, monkeypatch):
    from borderrisk.data.files import atomic_write

    kept = tmp_path / "kept.html"
    kept.write_bytes(b"old")
    kept.chmod(0o755)

    def changed(mask):
        raise AssertionError("the process-wide umask changed while other threads may create files")

    monkeypatch.setattr(os, "umask", changed)
    atomic_write(tmp_path / "new.html", b"new")
    atomic_write(kept, b"new")
    assert (tmp_path / "new.html").stat().st_mode & 0o777 == 0o640  # 0o666 less the umask
    assert kept.stat().st_mode & 0o777 == 0o755  # a replaced file keeps its mode, umask or not
    assert kept.read_bytes() == b"new"
