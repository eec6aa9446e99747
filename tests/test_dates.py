"""One date-format inference for every reader: a column's form is decided once from all its
values; what cannot be decided is an error that names --date-format."""

import pandas as pd
import pytest
from click.testing import CliRunner

from borderrisk.cli.main import cli
from borderrisk.data.errors import InputError, UserError
from borderrisk.data.formats.dates import AmbiguousDates, check_date_format, parse_dates
from borderrisk.layers.events import EventsLayer

from exports import ACLED_COLUMNS, acled_row, table


def iso(cells, date_format=None):
    found = parse_dates(pd.Series(cells), date_format)["date"]
    return [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in found]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["31-12-19", "01-02-20"], ["2019-12-31", "2020-02-01"]),  # a spreadsheet's dd-mm-yy
        (["12/31/2019", "1/2/2020"], ["2019-12-31", "2020-01-02"]),  # month first: 31 is the day
        (
            ["2008-04-24T00:00:00", "2023-07-16 23:30:00+02:00", "2023-07-16T10:00Z"],
            ["2008-04-24"] + ["2023-07-16"] * 2,
        ),
        (["20231024"], ["2023-10-24"]),
        (
            ["01-January-2015", "9-May-20", "July 16, 2023", "16 Jul 2023"],
            ["2015-01-01", "2020-05-09", *["2023-07-16"] * 2],
        ),
        (["16 de julio de 2023", "3 de dic. de 2021"], ["2023-07-16", "2021-12-03"]),  # Spanish
        (["5 março 2020", "1 de setembro de 2019"], ["2020-03-05", "2019-09-01"]),  # Portuguese
        (["3 février 2021", "14 juil. 2022"], ["2021-02-03", "2022-07-14"]),  # French
        (["1-1-69", "1-1-68", "13-1-00"], ["1969-01-01", "2068-01-01", "2000-01-13"]),  # the pivot
        # a spreadsheet kept the dates it understood as its day numbers, the others as text
        (["41712", "42036.0", "30/01/2016", "42370.5"], ["2014-03-14", "2015-02-01", "2016-01-30", "2016-01-01"]),
    ],
)
def test_a_column_is_read_in_its_one_form(cells, expected):
    assert iso(cells) == expected


def test_month_and_year_forms_say_their_precision():
    parsed = parse_dates(pd.Series(["2023-07", "2023", "2023-07-16"]))
    assert list(parsed["precision"]) == ["month", "year", "day"]


@pytest.mark.parametrize("cell", ["0000-01-01", "1677-01-01", "2262-06-01", "2023-02-30", "soon", ""])
def test_out_of_range_and_impossible_dates_are_no_date(cell):
    assert iso(["2020-01-01", cell]) == ["2020-01-01", None]


def test_a_column_with_no_day_above_12_is_ambiguous_and_names_the_option():
    with pytest.raises(AmbiguousDates, match="--date-format dmy or --date-format mdy"):
        parse_dates(pd.Series(["01/02/2020", "03/04/2020"]))
    assert iso(["05/05/2020"]) == ["2020-05-05"]  # the same either way


def test_a_column_mixing_both_orders_is_an_error():
    with pytest.raises(AmbiguousDates, match="mixes day-first"):
        parse_dates(pd.Series(["13/01/2020", "01/13/2020"]))


def test_the_user_says_the_order_or_the_whole_form():
    assert iso(["01/02/2020"], "mdy") == ["2020-01-02"]
    assert iso(["01/02/2020"], "dmy") == ["2020-02-01"]
    assert iso(["01.02.20", "x", "01.02.1500"], "%d.%m.%y") == ["2020-02-01", None, None]
    assert check_date_format(" DMY ") == "dmy"
    with pytest.raises(UserError, match="strptime"):
        check_date_format("day first")


def acled(tmp_path, dates):
    path = tmp_path / "acled.csv"
    rows = [acled_row(event_id_cnty=f"BOL{i}", event_date=d) for i, d in enumerate(dates)]
    path.write_text(table(ACLED_COLUMNS, rows))
    return path


def test_an_ambiguous_file_stops_with_the_option_and_reads_with_it(tmp_path):
    path = acled(tmp_path, ["01-02-20", "03-04-20"])
    with pytest.raises(InputError, match=r"event_date.*--date-format"):
        EventsLayer.read(path)
    frame = EventsLayer.read(path, date_format="dmy").frame
    assert list(frame.date.dt.strftime("%Y-%m-%d")) == ["2020-02-01", "2020-04-03"]


def test_the_cli_and_recipes_take_the_date_format(tmp_path):
    path = acled(tmp_path, ["01-02-20", "03-04-20"])
    args = ["score", "--events", str(path), "--focus", "ARG,BOL"]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1 and "--date-format" in refused.stderr
    assert CliRunner().invoke(cli, [*args, "--date-format", "dmy"]).exit_code == 0
    assert CliRunner().invoke(cli, [*args, "--date-format", "weekly"]).exit_code == 2
    recipe = tmp_path / "recipe.toml"
    recipe.write_text(f'events = ["{path.name}"]\ndate_format = "dmy"\nfocus = ["ARG", "BOL"]\noutputs = ["m.html"]\n')
    from borderrisk.recipes import load_recipe

    assert load_recipe(recipe).date_format == "dmy"


def test_the_order_is_one_decision_for_the_whole_file_across_batches(tmp_path, monkeypatch):
    from borderrisk.data.formats import source

    monkeypatch.setattr(source, "BLOCK_BYTES", 1_500)  # batches of a few rows
    ambiguous_first = ["01-02-20"] * 8 + ["25-12-20"] + ["03-04-20"] * 8
    frame = EventsLayer.read(acled(tmp_path, ambiguous_first)).frame
    assert frame.date.dt.strftime("%Y-%m-%d").tolist() == ["2020-02-01"] * 8 + ["2020-12-25"] + ["2020-04-03"] * 8


def test_dates_a_month_first_spreadsheet_misread_are_read_back_day_first(tmp_path, caplog):
    """A day-first column re-saved by a spreadsheet in a month-first locale: it kept as text
    the dates it could not read (day above 12) and rewrote the others as it misread them,
    day and month swapped (``01/02/2016``, 1 February, became ``2016/01/02``). The two halves
    tell it (every text date above 12, every rewritten one at most 12): read back, and said."""
    cells = ["30/01/2016", "31/01/2016", "2016/01/02", "2016/02/02", "2016/12/02", "2016/04/03", "13/02/2016"]
    cells += ["2016/10/03", "42403", "42414"]  # day numbers with a day above 12: read as they are
    assert iso(cells) == [
        "2016-01-30", "2016-01-31", "2016-02-01", "2016-02-02", "2016-02-12", "2016-03-04", "2016-02-13",
        "2016-03-10", "2016-02-03", "2016-02-14",
    ]  # fmt: skip
    assert parse_dates(pd.Series(cells))["swapped"].sum() == 5
    rows = [acled_row(event_id_cnty=f"M{i}", event_date=cell) for i, cell in enumerate(cells)]
    path = tmp_path / "acled.csv"
    path.write_text(table(ACLED_COLUMNS, rows))
    assert len(EventsLayer.read(path).frame) == len(cells)
    assert caplog.text.count("5 date(s) such as '2016/01/02' read with day and month swapped") == 1
    # a rewritten date with a day above 12 shows no misreading: read as written
    assert iso([*cells[:7], "2016/01/20"])[2] == "2016-01-02"
