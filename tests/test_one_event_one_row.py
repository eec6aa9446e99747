"""One event, one row: rows that share an event id are one event, merged with their actors
joined, counted once on every path (read, stream, convert, both engines), and said on stderr."""

import json

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.data.formats import EventsInput, EventStream, source
from borderrisk.layers.events import EventsLayer

from exports import ACLED_COLUMNS, GTD_COLUMNS, acled_row, gtd_row, table


@pytest.fixture
def monadic(tmp_path):
    """ACLED's one-row-per-actor layout: each event once per actor, deaths repeated."""
    rows = []
    for i in range(40):
        for actor in ("Military Forces of Bolivia (2020-)", f"Smugglers {i}"):
            rows.append(acled_row(event_id_cnty=f"BOL{i}", actor1=actor, actor2="", fatalities="3"))
    rows.append(acled_row(event_id_cnty="", actor1="Without an id"))
    rows.append(acled_row(event_id_cnty="", actor1="Without an id"))
    path = tmp_path / "monadic.csv"
    path.write_text(table(ACLED_COLUMNS, rows))
    return path


def test_repeated_ids_are_one_event_with_every_actor(monadic):
    layer = EventsLayer.read(monadic)
    frame = layer.frame
    assert len(frame) == 42 and layer.skipped.merged == 40
    assert frame.actors.iloc[5] == ["Military Forces of Bolivia (2020-)", "Smugglers 5"]
    assert frame.fatalities.sum() == 40 * 3 + 2 * 3  # rows without an id are never merged


def test_repeats_split_across_batches_are_merged(monadic, monkeypatch):
    monkeypatch.setattr(source, "BLOCK_BYTES", 2_000)  # a batch of a few rows
    stream = EventStream(monadic, EventsInput())
    batches = list(stream)
    assert len(batches) > 5
    assert sum(len(b) for b in batches) == 42 and stream.skipped.merged == 40
    assert all(len(actors) == 2 for b in batches for actors in b.actors[b.event_id != ""])


def test_a_repeat_far_from_its_event_is_counted_once(tmp_path):
    rows = [gtd_row(eventid="1"), gtd_row(eventid="2"), gtd_row(eventid="1", gname="Later group")]
    path = tmp_path / "gtd.csv"
    path.write_text(table(GTD_COLUMNS, rows))
    layer = EventsLayer.read(path)
    assert list(layer.frame.event_id) == ["1", "2"] and layer.skipped.merged == 1


def test_score_and_convert_count_each_event_once_and_say_how_many_rows_were_merged(monadic, tmp_path):
    args = ["score", "--focus", "ARG,BOL", "--json", "--as-of", "2023-08-01"]
    scored = CliRunner().invoke(cli, [*args, "--events", str(monadic)])
    assert scored.exit_code == 0, scored.output
    assert "merged 40 row(s) repeating an event id" in scored.stderr
    converted = CliRunner().invoke(cli, ["convert", "--events", str(monadic), "-o", str(tmp_path / "out")])
    assert converted.exit_code == 0 and "merged 40" in converted.stderr
    again = CliRunner().invoke(cli, [*args, "--events", str(tmp_path / "out")])
    assert json.loads(again.stdout) == json.loads(scored.stdout)
