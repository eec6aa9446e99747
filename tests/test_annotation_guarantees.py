"""The annotation store keeps what it promises against careless and hostile use: links are
followed, nothing unusable gets in, ids stay unique, a killed or failed write never costs the
previous version, and nothing it prints can act on a terminal."""

import ast
import json
import math
import multiprocessing
import os
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner

from borderrisk.annotations.store import AnnotationStore
from borderrisk.cli.main import cli
from borderrisk.data import files
from borderrisk.data.errors import InputError

from house import source_files

POINT = {"type": "Point", "coordinates": [-65.6, -22.1]}


def annotate(store, *args):
    """``borderrisk annotate ...`` on the store at ``store`` (named by the environment, as a
    briefer's shell would)."""
    return CliRunner().invoke(cli, ["annotate", *args], env={"BORDERRISK_ANNOTATIONS": str(store)})


def titles(path):
    return [f["properties"]["title"] for f in AnnotationStore(path).features()]


def collection(*features, **members):
    return json.dumps({"type": "FeatureCollection", **members, "features": list(features)})


def feature(geometry, **fields):
    return {"type": "Feature", "geometry": geometry, "properties": {"title": "drawn"}, **fields}


def test_the_store_locks_portably_without_platform_modules():
    """``fcntl`` exists only on POSIX and ``msvcrt`` only on Windows: filelock picks for us."""
    imported = set()
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")
    assert not imported & {"fcntl", "msvcrt"}


# Links -------------------------------------------------------------------------------------


def _add_through(path, worker):
    store = AnnotationStore(path)
    for i in range(10):
        store.add(POINT, title=f"{worker}-{i}")


def test_writing_through_a_link_writes_its_target_and_writers_through_two_links_share_one_lock(tmp_path):
    team = tmp_path / "team" / "a.geojson"
    team.parent.mkdir()
    links = []
    for name in ("alice", "bob"):
        (tmp_path / name).mkdir()
        link = tmp_path / name / "a.geojson"
        link.symlink_to(os.path.join("..", "team", "a.geojson"))
        links.append(link)
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_add_through, args=(links[k % 2], k)) for k in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert all(link.is_symlink() for link in links)
    assert sorted(titles(team)) == sorted(f"{k}-{i}" for k in range(8) for i in range(10))
    assert sorted(p.name for p in team.parent.iterdir()) == ["a.geojson", "a.geojson.lock", "a.geojson.previous"]
    assert sorted(p.name for p in links[0].parent.iterdir()) == ["a.geojson"]


# What gets in ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["--lat", "nan", "--lon", "-65"], "'nan' is not a finite number"),
        (["--lat", "-22", "--lon", "inf"], "'inf' is not a finite number"),
        (["--at", "Tarija", "--risk-adjustment", "inf", "--reason", "x"], "'inf' is not a finite number"),
        (["--at", "Tarija", "--risk-adjustment", "nan", "--reason", "x"], "'nan' is not a finite number"),
    ],
)
def test_a_number_that_is_not_finite_is_a_usage_error(tmp_path, args, message):
    result = annotate(tmp_path / "n.geojson", "add", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "n.geojson").exists()


@pytest.mark.parametrize(
    "geometry, message",
    [
        ({"type": "Point", "coordinates": ["a", "b"]}, "'a' is not a number"),
        ({"type": "Point", "coordinates": [float("nan"), 1]}, "NaN is not a finite number"),
        ({"type": "Point", "coordinates": [500, -95]}, "[500, -95] is outside longitude"),
        ({"type": "Point", "coordinates": [1]}, "is not a position"),
        ({"type": "Point", "coordinates": [True, 1]}, "true is not a number"),
        ({"type": "LineString", "coordinates": [[1, 2]]}, "has 1 position(s); it needs at least 2"),
        ({"type": "Polygon", "coordinates": [[[1, 2], [3, 4], [1, 2]]]}, "has 3 position(s); it needs at least 4"),
        ({"type": "Polygon", "coordinates": [[[1, 2], [3, 4], [3, 2], [1, 3]]]}, "is not closed"),
        ({"type": "Polygon", "coordinates": []}, "has 0 ring(s)"),
        ({"type": "MultiPolygon", "coordinates": []}, "has 0 polygon(s)"),
        ({"type": "MultiPoint", "coordinates": [[1, 2], [1e999, 2]]}, "position 2: Infinity is not a finite number"),
        ({"type": "GeometryCollection", "geometries": []}, "has 0 geometry(s)"),
        ({"type": "Circle", "coordinates": [1, 2]}, "not a GeoJSON geometry"),
        (None, "not a GeoJSON geometry"),
    ],
)
def test_an_import_with_an_unusable_geometry_is_refused_and_the_store_kept(tmp_path, geometry, message):
    store = tmp_path / "n.geojson"
    AnnotationStore(store).add(POINT, title="kept")
    before = store.read_bytes()
    drawn = tmp_path / "drawn.geojson"
    drawn.write_text(collection(feature(POINT), feature(geometry)))
    result = annotate(store, "import", str(drawn))
    assert result.exit_code == 1
    assert "drawn.geojson, feature 2, field 'geometry'" in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert store.read_bytes() == before


def test_a_file_in_web_mercator_metres_is_imported_in_degrees(tmp_path):
    villazon = [-7_294_170.0, -2_517_000.0]  # EPSG:3857 metres, as a GIS exports them
    drawn = tmp_path / "drawn.geojson"
    drawn.write_text(
        collection(
            feature({"type": "Point", "coordinates": villazon}),
            crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        )
    )
    assert annotate(tmp_path / "n.geojson", "import", str(drawn)).exit_code == 0
    (stored,) = AnnotationStore(tmp_path / "n.geojson").features()
    lon, lat = stored["geometry"]["coordinates"]
    radius = 6_378_137  # spherical Mercator: x = R·lon, y = R·asinh(tan lat)
    assert lon == pytest.approx(math.degrees(villazon[0] / radius), abs=1e-7)
    assert lat == pytest.approx(math.degrees(math.atan(math.sinh(villazon[1] / radius))), abs=1e-7)


@pytest.mark.parametrize(
    "crs, message",
    [
        ({"type": "name", "properties": {"name": "EPSG:999999"}}, "'EPSG:999999' is not a CRS borderrisk knows"),
        ({"type": "link", "properties": {"href": "http://example.com/crs"}}, "only a named CRS"),
    ],
)
def test_a_crs_that_cannot_be_recognised_is_refused(tmp_path, crs, message):
    drawn = tmp_path / "drawn.geojson"
    drawn.write_text(collection(feature(POINT), crs=crs))
    result = annotate(tmp_path / "n.geojson", "import", str(drawn))
    assert result.exit_code == 1
    assert "drawn.geojson, field 'crs'" in result.output and message in result.output
    assert not (tmp_path / "n.geojson").exists()


def test_ids_are_strings_or_whole_numbers_and_unique(tmp_path):
    store = tmp_path / "n.geojson"
    drawn = tmp_path / "drawn.geojson"
    drawn.write_text(collection(feature(POINT, id={"x": 1})))
    result = annotate(store, "import", str(drawn))
    assert result.exit_code == 1 and "feature 1, field 'id': {\"x\": 1} is not a string" in result.output

    drawn.write_text(collection(feature(POINT, id="a"), feature(POINT, id="a")))
    result = annotate(store, "import", str(drawn))
    assert result.exit_code == 1 and "feature 2, field 'id': 'a' is also the id of feature 1" in result.output
    assert not store.exists()

    drawn.write_text(collection(feature(POINT, id=7)))
    assert annotate(store, "import", str(drawn)).exit_code == 0
    result = annotate(store, "import", str(drawn))
    assert result.exit_code == 1
    assert f"'7' is also the id of feature 1 of {store}" in result.output
    assert annotate(store, "edit", "7", "--note", "numeric ids are found too").exit_code == 0
    assert AnnotationStore(store).features()[0]["properties"]["note"] == "numeric ids are found too"


def test_deeply_nested_json_is_a_clear_error(tmp_path):
    drawn = tmp_path / "drawn.geojson"
    drawn.write_text("[" * 100_000 + "]" * 100_000)
    result = annotate(tmp_path / "n.geojson", "import", str(drawn))
    assert result.exit_code == 1
    assert "drawn.geojson: is nested more than 64 levels deep" in result.output
    nested = {"a": None}
    for _ in range(200):
        nested = {"a": nested}
    drawn.write_text(collection({**feature(POINT), "properties": nested}))
    result = annotate(tmp_path / "n.geojson", "import", str(drawn))
    assert result.exit_code == 1 and "nested more than 64 levels" in result.output


@pytest.mark.parametrize("text", ["[1, 2]", '{"type": "FeatureCollection", "features": []}', "{"])
def test_a_geometry_file_without_a_usable_geometry_is_a_clear_error(tmp_path, text):
    shape = tmp_path / "shape.json"
    shape.write_text(text)
    result = annotate(tmp_path / "n.geojson", "add", "--geometry", str(shape))
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1 and "shape.json" in result.output
    assert not (tmp_path / "n.geojson").exists()


# Writes that fail --------------------------------------------------------------------------

KILLED_WRITER = """
import os, signal, sys
from borderrisk.annotations.store import AnnotationStore
store = AnnotationStore(sys.argv[1])
point, after = sys.argv[2], sys.argv[3]
real = getattr(os, point)

def killed(*args, **kwargs):
    if after == "after":
        real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)

setattr(os, point, killed)
store.add({"type": "Point", "coordinates": [-65.0, -22.0]}, title="three")
"""


@pytest.mark.parametrize(
    "point, when, current",
    [
        ("fsync", "before", ["one", "two"]),  # new version half on disk
        ("link", "after", ["one", "two"]),  # current version linked aside, not yet replaced
        ("replace", "after", ["one", "two", "three"]),  # replaced, previous not yet renamed
    ],
)
def test_undo_after_a_killed_write_restores_the_version_before_the_last_completed_change(
    tmp_path, point, when, current
):
    path = tmp_path / "n.geojson"
    store = AnnotationStore(path)
    store.add(POINT, title="one")
    store.add(POINT, title="two")
    writer = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path), point, when])
    assert writer.returncode == -signal.SIGKILL
    assert titles(path) == current
    result = annotate(path, "undo")
    assert result.exit_code == 0 and "restored the previous version" in result.output
    assert titles(path) == current[:-1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.geojson", "n.geojson.lock", "n.geojson.previous"]
    assert annotate(path, "undo").exit_code == 0
    assert titles(path) == current


def test_a_full_disk_leaves_the_store_and_what_undo_restores(tmp_path, monkeypatch):
    path = tmp_path / "n.geojson"
    store = AnnotationStore(path)
    store.add(POINT, title="one")
    store.add(POINT, title="two")
    before = path.read_bytes()

    def disk_full(handle, data):
        handle.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "write_synced", disk_full)
    result = annotate(path, "add", "--at", "Tarija", "--title", "three")
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: cannot be written: No space left on device\n"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.geojson", "n.geojson.lock", "n.geojson.previous"]
    monkeypatch.undo()
    assert annotate(path, "undo").exit_code == 0
    assert titles(path) == ["one"]


def test_a_read_only_store_is_refused_not_replaced(tmp_path):
    path = tmp_path / "n.geojson"
    AnnotationStore(path).add(POINT, title="one")
    path.chmod(0o444)
    before = path.read_bytes()
    inode = path.stat().st_ino
    result = annotate(path, "add", "--at", "Tarija", "--title", "two")
    assert result.exit_code == 2  # the command line's output check refuses it before any work
    assert f"{path} is read-only; it is not replaced" in result.output
    with pytest.raises(InputError, match="is read-only; it was not changed"):
        AnnotationStore(path).add(POINT, title="two")  # and so does the store itself
    assert path.read_bytes() == before and path.stat().st_ino == inode
    assert path.stat().st_mode & 0o777 == 0o444


# What it prints ----------------------------------------------------------------------------


def test_list_escapes_control_characters_in_every_field(tmp_path):
    path = tmp_path / "n.geojson"
    hostile = "\x1b]0;owned\x07\x1b[2J\rTitle\u202e"
    AnnotationStore(path).add(POINT, title=hostile, author="\x1b[31mred")
    result = annotate(path, "list")
    assert result.exit_code == 0
    assert not any(char in result.output for char in "\x1b\x07\r\u202e")
    assert "\\x1b]0;owned\\x07\\x1b[2J\\rTitle\\u202e" in result.output
    assert "\\x1b[31mred" in result.output


def test_hand_written_features_without_id_or_with_a_numeric_title_list_and_get_ids(tmp_path):
    path = tmp_path / "n.geojson"
    path.write_text(collection(feature(POINT), {**feature(POINT), "properties": {"title": 42}}))
    result = annotate(path, "list")
    assert result.exit_code == 0, result.output
    assert "42" in result.output
    AnnotationStore(path).add(POINT, title="typed")
    ids = [f["id"] for f in AnnotationStore(path).features()]
    assert len(set(ids)) == 3 and all(ids)
