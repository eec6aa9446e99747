"""Annotations: a briefer's work is never lost — locked, atomic, undoable, never rewritten
when malformed — and what is drawn on the map comes back in whole."""

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from borderrisk.annotations.store import AnnotationStore
from borderrisk.cli.main import cli
from borderrisk.data.errors import InputError

POINT = {"type": "Point", "coordinates": [-65.6, -22.1]}


def annotate(path, *args):
    return CliRunner().invoke(cli, ["annotate", *args, "--store", str(path)])


def test_annotations_on_a_stretch_a_zone_and_a_place(tmp_path):
    notes = tmp_path / "notes.geojson"
    assert (
        annotate(
            notes,
            "add",
            "--border",
            "ARG-BOL",
            "--from-km",
            "200",
            "--to-km",
            "350",
            "--title",
            "Smuggling route",
            "--risk-adjustment",
            "1.5",
            "--reason",
            "patrol reports",
        ).exit_code
        == 0
    )
    assert annotate(notes, "add", "--border", "Argentina,Bolivia", "--zone-km", "50", "--side", "BOL").exit_code == 0
    assert annotate(notes, "add", "--at", "Villazón, BO", "--title", "Crossing").exit_code == 0
    features = json.loads(annotate(notes, "list", "--json").stdout)
    assert [f["geometry"]["type"] for f in features] == ["LineString", "Polygon", "Point"]
    stretch = features[0]["properties"]
    assert stretch["risk_adjustment"] == 1.5 and stretch["reason"] == "patrol reports"
    assert {"created", "updated", "author"} <= set(stretch)
    assert len({f["id"] for f in features}) == 3


def test_edit_remove_and_undo(tmp_path):
    notes = tmp_path / "notes.geojson"
    store = AnnotationStore(notes)
    first = store.add(POINT, title="first")
    assert annotate(notes, "edit", first["id"], "--note", "checked").exit_code == 0
    assert store.features()[0]["properties"]["note"] == "checked"
    assert annotate(notes, "remove", first["id"]).exit_code == 0
    assert store.features() == []
    assert annotate(notes, "undo").exit_code == 0
    assert store.features()[0]["properties"]["note"] == "checked"
    assert annotate(notes, "remove", "no-such-id").exit_code == 1


@pytest.mark.parametrize("command", [["edit", "a1", "--note", "x"], ["remove", "a1"], ["undo"]])
def test_every_command_that_writes_the_store_checks_it_as_an_output(tmp_path, command):
    events = tmp_path / "events.csv"
    events.write_text("date,lat,lon,type,title\n2023-07-20,-22.1,-65.6,battles,Clash\n")
    result = annotate(events, *command)
    assert result.exit_code == 2 and "an annotations file is written as .geojson or .json" in result.output
    assert events.read_text().startswith("date,lat,lon")


def test_a_risk_adjustment_needs_a_reason(tmp_path):
    result = annotate(tmp_path / "n.geojson", "add", "--at", "Tarija", "--risk-adjustment", "2")
    assert result.exit_code == 2
    assert "--reason" in result.output


def test_a_malformed_file_is_reported_and_never_rewritten(tmp_path):
    notes = tmp_path / "notes.geojson"
    broken = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": POINT, "properties": {}},
                {"type": "Feature", "geometry": None, "properties": {"risk_adjustment": "high"}},
            ],
        }
    )
    notes.write_text(broken)
    result = annotate(notes, "add", "--at", "Tarija", "--title", "x")
    assert result.exit_code == 1
    assert "notes.geojson, feature 2, field 'geometry'" in result.output
    assert "feature 2, field 'risk_adjustment'" in result.output
    assert notes.read_text() == broken
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.geojson", "notes.geojson.lock"]


def _add_twenty(path, worker):
    store = AnnotationStore(path)
    for i in range(20):
        store.add({"type": "Point", "coordinates": [-65 + worker / 100, -22 + i / 100]}, title=f"{worker}-{i}")


def test_fifty_writers_adding_twenty_each_leave_exactly_a_thousand(tmp_path):
    path = tmp_path / "notes.geojson"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_add_twenty, args=(path, k)) for k in range(50)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    features = AnnotationStore(path).features()
    assert len(features) == 1000
    assert len({f["id"] for f in features}) == 1000
    assert {f["properties"]["title"] for f in features} == {f"{k}-{i}" for k in range(50) for i in range(20)}


WRITER = """
import sys
from borderrisk.annotations.store import AnnotationStore
store = AnnotationStore(sys.argv[1])
print("ready", flush=True)
while True:
    store.add({"type": "Point", "coordinates": [-65.0, -22.0]}, title="x" * 2000)
"""


def test_a_writer_killed_mid_write_leaves_the_file_whole(tmp_path):
    path = tmp_path / "notes.geojson"
    counts = []
    for attempt in range(8):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE)
        writer.stdout.readline()
        time.sleep(0.05 + 0.037 * attempt)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        counts.append(len(AnnotationStore(path).features()))  # parses: never half-written
    assert counts == sorted(counts) and counts[-1] > 0
    AnnotationStore(path).add(POINT, title="after the crashes")  # and it clears what killed writers left
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert len(AnnotationStore(path).features()) == counts[-1] + 1


def test_importing_drawn_shapes_keeps_geometry_and_properties(tmp_path):
    drawn = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[[-65, -22], [-64, -22], [-64, -21], [-65, -22]]]},
                "properties": {"title": "Area", "note": "drawn", "custom": {"nested": [1, 2]}},
            }
        ],
    }
    source = tmp_path / "drawn.geojson"
    source.write_text(json.dumps(drawn))
    notes = tmp_path / "notes.geojson"
    result = annotate(notes, "import", str(source))
    assert result.exit_code == 0, result.output
    (stored,) = AnnotationStore(notes).features()
    assert stored["geometry"] == drawn["features"][0]["geometry"]
    assert {k: stored["properties"][k] for k in ("title", "note", "custom")} == drawn["features"][0]["properties"]
    assert stored["id"] == result.stdout.strip()


def test_the_python_api_reports_problems_before_writing(tmp_path):
    store = AnnotationStore(tmp_path / "notes.geojson")
    with pytest.raises(InputError, match="risk_adjustment"):
        store.add(POINT, risk_adjustment="a lot", reason="x")
    assert not (tmp_path / "notes.geojson").exists()


def test_a_writer_killed_between_keeping_and_writing_leaves_no_leftovers(tmp_path):
    """Killed after linking the previous version but before writing, a writer leaves the
    previous version and the file as one file; the next change must still tidy up."""
    path = tmp_path / "notes.geojson"
    store = AnnotationStore(path)
    store.add(POINT, title="one")
    store.previous.unlink(missing_ok=True)
    os.link(path, store.previous)
    store.add(POINT, title="two")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.geojson",
        "notes.geojson.lock",
        "notes.geojson.previous",
    ]
    assert [f["properties"]["title"] for f in store.features()] == ["one", "two"]
    store.undo()
    assert [f["properties"]["title"] for f in store.features()] == ["one"]
