"""One finite-number rule: NaN and ±infinity are never data, in any reader, in the risk config,
or in JSON output."""

import json
import math

import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.cli.output import echo_json
from borderrisk.data.finite import finite_number


def strict_json(text):
    """JSON as RFC 8259 has it: NaN and Infinity are not JSON."""

    def refuse(constant):
        raise AssertionError(f"{constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999"])
def test_the_rule_refuses_nan_and_infinity_by_name(text):
    with pytest.raises(ValueError, match=f"{text!r} is not a finite number"):
        finite_number(text)


@pytest.mark.parametrize(
    "row, field",
    [
        ("2023-01-01,A,attack,3,nan,-65", "lat"),
        ("2023-01-01,A,attack,3,-22,inf", "lon"),
        ("2023-01-01,A,attack,inf,-22,-65", "severity"),
        ("2023-01-01,A,attack,NaN,-22,-65", "severity"),
    ],
)
def test_a_csv_number_that_is_not_finite_is_refused(tmp_path, row, field):
    events = tmp_path / "events.csv"
    events.write_text("date,title,type,severity,lat,lon\n" + row + "\n")
    result = CliRunner().invoke(cli, ["score", "--events", str(events), "--json"])
    assert result.exit_code == 1
    assert f"events.csv, line 2, field '{field}': " in result.output and "is not a finite number" in result.output
    assert result.stdout == ""


def test_a_geoparquet_events_folder_is_held_to_the_same_rule(spoiled_dataset):
    dataset = spoiled_dataset
    result = CliRunner().invoke(cli, ["score", "--events", str(dataset), "--focus", "ARG,BOL", "--json"])
    assert result.exit_code == 1
    assert f"{dataset}, row 2, field 'severity': is not a finite number" in result.output
    assert f"{dataset}, row 3, field 'geometry': has no geometry" in result.output
    assert result.stdout == ""


@pytest.mark.parametrize(
    "toml, key",
    [
        ("[events]\nweight = nan\n", "events.weight"),
        ("[events.type_weights]\nattack = inf\n", "events.type_weights.attack"),
        ("[agreements.status_weights]\nsigned = -inf\n", "agreements.status_weights.signed"),
    ],
)
def test_a_config_number_that_is_not_finite_is_refused_by_its_key(tmp_path, toml, key):
    config = tmp_path / "risk.toml"
    config.write_text(toml)
    result = CliRunner().invoke(cli, ["score", "--config", str(config)])
    assert result.exit_code == 1
    assert f"risk.toml: {key} must be a finite number" in result.output


@pytest.mark.parametrize("by", ["segment", "border", "country"])
def test_score_json_is_strict_json(by):
    result = CliRunner().invoke(cli, ["score", "--json", "--by", by])
    assert result.exit_code == 0, result.output
    assert strict_json(result.stdout)


def test_json_output_writes_a_missing_value_as_null_and_refuses_infinity(capsys):
    echo_json([{"score": math.nan, "nested": {"values": [1.5, float("nan")]}}])
    assert strict_json(capsys.readouterr().out) == [{"score": None, "nested": {"values": [1.5, None]}}]
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        echo_json({"score": math.inf})
