"""``borderrisk trend``: per week, month or quarter, events, fatalities and the score."""

from __future__ import annotations

import click

from borderrisk.cli.options import (
    annotations_option,
    csv_output,
    engine_options,
    focus_option,
    input_files,
    json_output,
    lang_option,
    model_option,
    risk_config_option,
    time_options,
    where_option,
)


@click.command(short_help="Events, fatalities and scores per week, month or quarter.")
@input_files
@annotations_option
@where_option
@focus_option
@time_options
@risk_config_option
@model_option
@click.option(
    "--every",
    type=click.Choice(["week", "month", "quarter"]),
    default="month",
    show_default=True,
    help="Length of a period (weeks start on Monday).",
)
@click.option(
    "--by",
    type=click.Choice(["segment", "border", "country"]),
    default="border",
    show_default=True,
    help="One series per segment, per border or per country (their hottest segment's score).",
)
@engine_options
@json_output
@csv_output
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Also draw the series as a chart for slides: .png or .svg (pip install borderrisk[brief]).",
)
@lang_option
def trend(
    events,
    agreements,
    alliances,
    annotations,
    where,
    focus,
    as_of,
    since,
    until,
    config_path,
    model,
    every,
    by,
    engine,
    scheduler,
    as_json,
    as_csv,
    output,
    lang,
    **reading,
):
    """How risk moved: per period, the events near each border (by type), their fatalities,
    and the score as of the period's end, the same number `borderrisk score --as-of` gives
    for that day. Events are paired with segments once, so a year of weeks costs about one
    score.

    \b
    Examples:
      borderrisk trend --focus ARG,BOL --every quarter
      borderrisk trend --events acled.csv --focus ARG,BOL --every week --by segment --csv > weekly.csv
      borderrisk trend --events acled.csv --where 'type=battles' --focus BOL --json
      borderrisk trend --events acled.csv --focus ARG,BOL -o trend.png
      borderrisk trend --events acled.csv --focus ARG,BOL -o tendencia.png --lang es
      borderrisk trend --events acled.csv --focus ARG,BOL --model learned
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    from borderrisk.cli.errors import failures_as_click_errors
    from borderrisk.cli.loading import model_inputs
    from borderrisk.data.formats import EventsInput
    from borderrisk.risk.config import RiskConfig
    from borderrisk.risk.trend import trend as run_trend

    with failures_as_click_errors():
        from borderrisk.data.paths import CHART_OUTPUT, check_outputs

        inputs = [*events, *agreements, *alliances, annotations, config_path]
        check_outputs([output] if output is not None else [], CHART_OUTPUT, inputs)
        config = RiskConfig.load(config_path)
        how = EventsInput.of(reading, where)
        inputs, focus = model_inputs(events, agreements, alliances, annotations, how=how, engine=engine, focus=focus)
        table = run_trend(
            **inputs,
            every=every,
            by=by,
            focus=focus,
            as_of=as_of,
            since=since,
            until=until,
            where=how.where,
            config=config,
            engine=engine,
            scheduler=scheduler,
            model=model,
        )
        if output:
            from borderrisk.language import Language
            from borderrisk.render.charts import save_trend_chart

            save_trend_chart(table, output, every=every, language=Language(lang))
            click.echo(f"wrote {output}", err=True)
    _echo(table, as_json, as_csv)


def _echo(table, as_json: bool, as_csv: bool) -> None:
    from borderrisk.cli.output import echo_json, echo_table
    from borderrisk.risk.trend import TYPE_PREFIX

    plain = table.assign(period=table.period.map(str), as_of=table.as_of.map(str)).round(4)
    if as_json:
        echo_json(plain.astype(object).where(plain.notna(), None).to_dict("records"))
    elif as_csv:
        click.echo(plain.to_csv(index=False), nl=False)
    else:
        types = [c for c in plain.columns if c.startswith(TYPE_PREFIX)]
        keys = [c for c in ("country", "a", "b", "start_km") if c in plain]
        rows = [
            {
                **{k: row[k] for k in keys},
                "period": row["period"],
                "events": row["events"],
                "by type": ", ".join(f"{c[len(TYPE_PREFIX) :]} {row[c]}" for c in types if row[c]) or "-",
                "fatalities": "-" if row["fatalities"] != row["fatalities"] else f"{row['fatalities']:g}",
                "score": f"{row['score']:.2f}",
                **({"probability": _chance(row["probability"])} if "probability" in row else {}),
            }
            for row in plain.to_dict("records")
        ]
        chances = ["probability"] if "probability" in plain else []
        echo_table(rows, [*keys, "period", "events", "by type", "fatalities", "score", *chances])


def _chance(value: float) -> str:
    """A period's probability; "-" for the first period, which has no past to learn from."""
    return "-" if value != value else f"{value:.3f}"
