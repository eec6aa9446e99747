"""`borderrisk score`: a ranked, explained answer, in the shape each consumer needs."""

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli


def run(*args):
    return CliRunner().invoke(cli, ["score", *args])


def test_the_default_scenario_gives_a_ranked_explained_table():
    result = run("--focus", "ARG,BOL")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["rank", "border", "km", "score", "level", "top", "factors"]
    assert lines[1].split()[:5] == ["1", "ARG-BOL", "0-50", "3.31", "4"]
    assert "agreements 2.00" in lines[1]
    assert "as of 2023-07-16" in result.stderr


def test_json_has_the_documented_shape():
    data = json.loads(run("--focus", "ARG,BOL", "--json").stdout)
    assert len(data) == 15
    first = data[0]
    assert set(first) >= {"a", "b", "start_km", "end_km", "score", "factors"}
    assert {f["name"] for f in first["factors"]} == {
        "events",
        "country_events",
        "agreements",
        "alliances",
        "annotations",
    }
    assert all(set(f) == {"name", "contribution", "explanation"} for f in first["factors"])
    assert sum(f["contribution"] for f in first["factors"]) == pytest.approx(first["score"], abs=1e-3)


def test_geojson_and_csv():
    collection = json.loads(run("--focus", "ARG,BOL", "--geojson").stdout)
    assert len(collection["features"]) == 15
    assert collection["features"][0]["properties"]["score"] > 0
    rows = list(csv.DictReader(io.StringIO(run("--focus", "ARG,BOL", "--csv").stdout)))
    assert len(rows) == 15 and float(rows[0]["agreements"]) == 2.0


def rows_of(output, form):
    if form == "--json":
        return json.loads(output)
    if form == "--geojson":
        return json.loads(output)["features"]
    if form == "--csv":
        return list(csv.DictReader(io.StringIO(output)))
    return [line.split() for line in output.splitlines()[1:]]  # the table, under its header


@pytest.mark.parametrize(
    ("form", "by"),
    [("", "segment"), ("--json", "segment"), ("--geojson", "segment"), ("--csv", "segment")]
    + [(form, by) for by in ("border", "country") for form in ("", "--json", "--csv")],  # roll-ups: no GeoJSON
)
def test_top_limits_every_output_and_without_it_files_hold_every_row(form, by):
    """``--top N`` is never ignored: every output holds the first N rows, the ranking's head."""
    options = ["--focus", "ARG,BOL,BRA", "--by", by, *([form] if form else [])]
    every = rows_of(run(*options).stdout, form)
    top = rows_of(run(*options, "--top", "2").stdout, form)
    assert len(top) == 2 and top == every[:2]
    if form:  # the table alone is cut when --top is not given
        assert len(every) == {"segment": 89, "border": 3, "country": 3}[by]


def test_the_table_shows_twenty_rows_when_top_is_not_given():
    assert len(rows_of(run("--focus", "ARG,BOL,BRA").stdout, "")) == 20


def test_a_config_file_changes_the_weights(tmp_path):
    config = tmp_path / "risk.toml"
    config.write_text("[agreements]\nweight = 0.5\n")
    data = json.loads(run("--focus", "ARG,BOL", "--config", str(config), "--json").stdout)
    assert next(f for f in data[0]["factors"] if f["name"] == "agreements")["contribution"] == 1.0


def test_the_default_config_is_printed_and_loads_back(tmp_path):
    text = run("--default-config").stdout
    assert "[events]" in text and "half_life_days" in text
    path = tmp_path / "risk.toml"
    path.write_text(text)
    assert run("--focus", "ARG,BOL", "--config", str(path)).exit_code == 0


def test_a_bad_config_exits_1_naming_the_key(tmp_path):
    config = tmp_path / "risk.toml"
    config.write_text("[events]\nhalf_life = 10\n")
    result = run("--config", str(config))
    assert result.exit_code == 1
    assert "half_life" in result.output and "risk.toml" in result.output


def test_usage_errors_exit_2():
    assert run("--json", "--csv").exit_code == 2
    assert run("--focus", "Narnia").exit_code == 2
    assert run("--as-of", "soon").exit_code == 2


def test_focus_countries_without_a_shared_border_exit_1():
    result = run("--focus", "ARG,IRN")
    assert result.exit_code == 1
    assert "share no land border" in result.output


def test_roll_ups_by_border_and_country():
    borders = json.loads(run("--focus", "BOL", "--by", "border", "--json").stdout)
    assert {(b["a"], b["b"]) for b in borders} == {
        ("ARG", "BOL"),
        ("BOL", "BRA"),
        ("BOL", "CHL"),
        ("BOL", "PER"),
        ("BOL", "PRY"),
    }
    countries = list(csv.DictReader(io.StringIO(run("--focus", "BOL", "--by", "country", "--csv").stdout)))
    assert {c["country"] for c in countries} == {"ARG", "BOL", "BRA", "CHL", "PER", "PRY"}
    assert run("--by", "country", "--geojson").exit_code == 2


def test_score_loads_nothing_of_the_renderer(fixtures):
    code = (
        "import sys; from click.testing import CliRunner; from borderrisk.cli.main import cli; "
        f"r = CliRunner().invoke(cli, ['score', '--events', r'{fixtures / 'events_ok.csv'}', '--focus', 'ARG,BOL']); "
        "assert r.exit_code == 0, r.output; "
        "drawn = [m for m in sys.modules if m.split('.')[0] in ('folium', 'branca', 'jinja2') "
        "or m.startswith('borderrisk.render')]; assert not drawn, drawn"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_each_segment_counts_the_deaths_of_the_events_within_its_reach(tmp_path):
    from exports import ACLED_COLUMNS, acled_row, table

    rows = [
        acled_row(event_id_cnty="A", fatalities="3"),  # Villazón, on the border
        acled_row(event_id_cnty="B", fatalities="4"),
        acled_row(event_id_cnty="C", fatalities="5", latitude="-34.6", longitude="-58.4"),  # Buenos Aires: far
    ]
    path = tmp_path / "acled.csv"
    path.write_text(table(ACLED_COLUMNS, rows))
    as_csv = list(csv.DictReader(io.StringIO(run("--events", str(path), "--focus", "ARG,BOL", "--csv").stdout)))
    assert {float(row["fatalities"]) for row in as_csv} == {0.0, 7.0}  # the two border clashes, not Buenos Aires
    as_json = json.loads(run("--events", str(path), "--focus", "ARG,BOL", "--json").stdout)
    assert max(segment["fatalities"] for segment in as_json) == 7


def test_events_that_count_no_deaths_give_no_fatalities_rather_than_zero():
    data = json.loads(run("--focus", "ARG,BOL", "--json").stdout)
    assert {segment["fatalities"] for segment in data} == {None}
