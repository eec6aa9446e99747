"""Events files streamed batch by batch score as the same files read whole: same scores, same
explanations, same as-of date, same errors, and nothing written when a late row is bad."""

import gzip
import zipfile

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.data.errors import InputError
from borderrisk.data.formats import EventsInput, read_events
from borderrisk.data.formats.stream import EventStream
from borderrisk.data.readers import read_dataset
from borderrisk.inputs import event_source
from borderrisk.risk.model import score

from exports import ACLED_COLUMNS, acled_row, table


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch):
    """A few rows a batch, so a small file is many batches."""
    monkeypatch.setattr("borderrisk.data.formats.source.BLOCK_BYTES", 2_000)


def rows(count=60):
    """Events near Villazon over two years, the latest a battle, protests before it."""
    found = []
    for i in range(count):
        kind = "Battles" if i == count - 1 else ("Protests" if i % 2 else "Riots")
        day = f"2022-{1 + i % 12:02d}-{1 + i % 27:02d}" if i < count - 1 else "2023-11-30"
        found.append(
            acled_row(
                event_id_cnty=f"BOL{i}",
                event_date=day,
                event_type=kind,
                latitude=f"{-22.09 + (i % 7) * 0.05:.2f}",
                longitude=f"{-65.59 + (i % 5) * 0.05:.2f}",
                fatalities=str(i % 4),
            )
        )
    return found


def write(path, found, encoding="utf-8"):
    path.write_text(table(ACLED_COLUMNS, found), encoding=encoding)
    return path


def same(a, b):
    columns = ["a", "b", "start_km", "score", "events", "factors"]
    assert a.attrs["as_of"] == b.attrs["as_of"]
    assert a[columns].to_dict("records") == b[columns].to_dict("records")


@pytest.mark.parametrize("where", [(), ("type=protests,riots",)])
def test_a_streamed_export_scores_as_the_export_read_whole(tmp_path, where):
    path = write(tmp_path / "acled.csv", rows())
    whole, _ = read_events(path)
    stream = event_source([path], EventsInput())
    assert len(list(stream)) > 5  # many batches
    streamed = score(events=stream, focus=["ARG", "BOL"], where=where)
    same(streamed, score(events=whole, focus=["ARG", "BOL"], where=where))
    # Without the latest event (a battle), the as-of date is the latest protest's or riot's.
    latest_protest = max(r["event_date"] for r in rows()[:-1])
    assert streamed.attrs["as_of"] == (latest_protest if where else "2023-11-30")
    assert streamed.events.sum() > 0


def test_a_compressed_file_is_counted_by_its_data_before_it_is_read(tmp_path):
    plain = write(tmp_path / "acled.csv", rows(600))
    packed = tmp_path / "acled.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    zipped = tmp_path / "acled.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(plain, "acled.csv")
    estimates = [len(EventStream(path, EventsInput())) for path in (plain, packed, zipped)]
    assert packed.stat().st_size < plain.stat().st_size / 4
    assert estimates[0] == estimates[1] == estimates[2]


def test_a_file_that_stops_being_utf8_after_its_first_batches_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setattr("borderrisk.data.formats.source.SAMPLE_BYTES", 3_000)
    found = rows()
    found[-5]["location"] = "Villazón"
    path = tmp_path / "cp1252.csv"
    path.write_bytes(table(ACLED_COLUMNS, found).encode("cp1252"))
    whole, _ = read_events(path)
    assert "Villazón" in set(whole.place)
    same(score(events=event_source([path], EventsInput()), focus=["BOL"]), score(events=whole, focus=["BOL"]))
    result = CliRunner().invoke(cli, ["convert", "--events", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert read_dataset(tmp_path / "out").place.tolist() == whole.place.tolist()


def test_a_bad_row_in_a_late_batch_fails_as_when_the_file_is_read_whole(tmp_path):
    found = rows()
    found[-3]["event_date"] = "someday"
    path = write(tmp_path / "late.csv", found)
    with pytest.raises(InputError) as whole:
        read_events(path)
    with pytest.raises(InputError) as streamed:
        score(events=event_source([path], EventsInput()), focus=["BOL"])
    assert str(streamed.value) == str(whole.value)
    assert "'someday' is not a date" in str(streamed.value)
    result = CliRunner().invoke(cli, ["convert", "--events", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "'someday' is not a date" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["late.csv"]  # nothing half-written


def test_skipped_rows_are_counted_once_per_pass_and_reported(tmp_path):
    found = rows()
    found[10]["latitude"] = "99"
    found[40]["event_date"] = "someday"
    path = write(tmp_path / "some-bad.csv", found)
    result = CliRunner().invoke(cli, ["score", "--events", str(path), "--skip-bad-rows", "--focus", "BOL", "--csv"])
    assert result.exit_code == 0, result.output
    assert "skipped 2 bad row(s)" in result.stderr
    stream = event_source([path], EventsInput(skip_bad_rows=True))
    for _ in range(2):
        assert sum(len(batch) for batch in stream) == 58
    assert len(stream) == 58 and len(stream.sources[0].skipped) == 2


def test_counting_each_source_once_reads_the_files_whole_and_still_reports_what_it_left_out(tmp_path):
    found = rows()
    found[40]["event_date"] = "someday"
    found.append({**found[-1], "event_id_cnty": "BOL-again"})  # the same source on the same day
    path = write(tmp_path / "repeats.csv", found)
    options = ["--events", str(path), "--skip-bad-rows", "--once-per-source"]
    for command in (["score", *options, "--focus", "BOL", "--csv"], ["convert", *options, "-o", str(tmp_path / "out")]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 0, result.output
        assert "skipped 1 bad row(s)" in result.stderr
        assert "left out 1 repeats of a source on the same day" in result.stderr


#: Day-first dates, half of them rewritten month-first by a spreadsheet (see test_dates.py):
#: a batch that holds them all tells it, and the reading says so.
SWAPPED = ["30/01/2016", "31/01/2016", "2016/01/02", "2016/02/02", "2016/12/02", "2016/04/03", "13/02/2016"]
SWAPPED += ["2016/10/03", "42403", "42414"]


def write_as(path, found):
    """``found`` as the suffix says: a CSV, a JSON list (as ACLED's API gives), a GeoJSON of
    points or a workbook."""
    import json

    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame(found, columns=ACLED_COLUMNS)
    if path.suffix == ".csv":
        return write(path, found)
    if path.suffix == ".json":
        path.write_text(json.dumps([{k: v for k, v in row.items() if v == v} for row in frame.to_dict("records")]))
    elif path.suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        points = gpd.points_from_xy(frame.longitude.astype(float), frame.latitude.astype(float))
        gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326").to_file(path, driver="GeoJSON")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".json", ".geojson", ".xlsx"])
def test_score_reads_a_file_once_and_says_its_warnings_once(tmp_path, suffix, monkeypatch):
    """A GeoJSON or workbook has no quick look at its dates: the guess at the latest date
    reads it, and the pass scores what that reading gave instead of reading it again. A CSV's
    or JSON list's guess reads its dates alone, and leaves what they show for the pass to say."""
    monkeypatch.setattr("borderrisk.data.formats.source.BLOCK_BYTES", 1 << 20)  # one batch: see SWAPPED
    found = [{**row, "event_date": SWAPPED[i % len(SWAPPED)]} for i, row in enumerate(rows(20))]
    path = write_as(tmp_path / f"acled{suffix}", found)
    from borderrisk.data.formats import reading

    readings = []
    batches = reading._batches
    monkeypatch.setattr(reading, "_batches", lambda *args: readings.append(args[0]) or batches(*args))
    result = CliRunner().invoke(cli, ["score", "--events", str(path), "--focus", "BOL", "--csv"])
    assert result.exit_code == 0, result.output
    assert len(readings) == 1
    assert result.stderr.count("read with day and month swapped") == 1, result.stderr
    assert "as of 2016-03-10" in result.stderr  # the latest date, as the reading read it


def test_a_file_read_whole_is_kept_for_every_pass_with_what_it_left_out(tmp_path):
    found = rows()
    found[10]["latitude"] = "99"
    path = write_as(tmp_path / "acled.geojson", found)
    whole, skipped = read_events(path, skip_bad_rows=True)
    stream = EventStream(path, EventsInput(skip_bad_rows=True))
    assert stream.guess_latest("date") == whole.date.max()
    for _ in range(2):
        assert [i for batch in stream for i in batch.index] == list(range(len(whole)))
        assert stream.skipped.reasons == skipped.reasons and len(skipped) == 1


def test_commands_and_recipes_give_the_reading_options_the_names_events_input_takes():
    """Each reading option is spelt once, as a field of EventsInput: every command that reads
    events has a click option of its name and a recipe has a key of its name, so
    ``EventsInput.of`` takes either as they are."""
    from dataclasses import fields

    import click

    from borderrisk.cli.map import RECIPE_FIELDS
    from borderrisk.data.formats.stream import OPTION_NAMES
    from borderrisk.recipes import Recipe

    names = set(OPTION_NAMES.values())
    with click.Context(cli) as ctx:
        for command in ("map", "score", "trend", "convert", "backtest"):
            assert names <= {p.name for p in cli.get_command(ctx, command).params}, command
    assert names <= {f.name for f in fields(Recipe)}
    assert names <= {option for option, key in RECIPE_FIELDS.items() if option == key}
    given = {"events_format": "acled", "encoding": "cp1252", "skip_bad_rows": True, "focus": ("BOL",)}
    assert EventsInput.of(given, ["type=battles"]) == EventsInput(
        format="acled", encoding="cp1252", skip_bad_rows=True, where=("type=battles",)
    )
    assert Recipe(events_format="gdelt", once_per_source=True, where=["actor~IRGC"]).events_input() == EventsInput(
        format="gdelt", once_per_source=True, where=("actor~IRGC",)
    )
