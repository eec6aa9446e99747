"""``borderrisk backtest``: how well the score foretold what happened next, beside baselines."""

from __future__ import annotations

from pathlib import Path

import click

from borderrisk.cli.options import (
    OUTPUT_PATH,
    WHERE,
    DateType,
    engine_options,
    focus_option,
    input_files,
    model_option,
    risk_config_option,
)

PERIODS = ["day", "week", "month", "quarter"]


@click.command(short_help="Back-test the score against what happened next; fit its knobs.")
@input_files
@focus_option
@risk_config_option
@model_option
@click.option("--every", type=click.Choice(PERIODS), default="month", show_default=True, help="Origin spacing.")
@click.option(
    "--horizon",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Periods after each origin in which an outcome counts.",
)
@click.option("--from", "start", type=DateType(), metavar="DATE", help="First origin on or after DATE.")
@click.option(
    "--until", type=DateType(end=True), metavar="DATE", help="Outcome windows end by DATE; later events are left out."
)
@click.option(
    "--types", metavar="T1,T2", help="Outcome: only events of these types count (e.g. battles,attack). Default: all."
)
@click.option(
    "--min-fatalities", type=click.FloatRange(min=0), metavar="N", help="Outcome: only events with N+ fatalities."
)
@click.option(
    "--reach-km",
    type=click.FloatRange(min=0, min_open=True),
    metavar="KM",
    help="Outcome: events within KM of the segment (default: the config's events.distance_km).",
)
@click.option(
    "--where",
    "where",
    multiple=True,
    type=WHERE,
    metavar="CONDITION",
    help="Outcome: only events that match count, in the grammar of `score --where` "
    "(e.g. 'actor~IRGC', 'admin1=Tarija'). Repeat to AND. The score still sees every event.",
)
@engine_options
@click.option(
    "--fit",
    "fit_path",
    type=OUTPUT_PATH,
    metavar="FILE",
    help="Fit half-life, reach, distance decay, type weights and watch multiplier on the earlier two "
    "thirds of the origins, evaluate on the rest, and write the fitted risk.toml to FILE.",
)
@click.option("-o", "--output", type=OUTPUT_PATH, metavar="FILE", help="Chart: .png or .svg.")
@click.option("--json", "as_json", is_flag=True, help="Print every figure, per origin too, as JSON.")
def backtest(
    events,
    agreements,
    alliances,
    focus,
    config_path,
    model,
    every,
    horizon,
    start,
    until,
    types,
    min_fatalities,
    reach_km,
    where,
    engine,
    scheduler,
    fit_path,
    output,
    as_json,
    **reading,
):
    """Back-test the risk score on an events file, out of sample.

    At the start t of every period (an origin), each segment is scored with only the events
    before t, by the same model as `score`; the outcome is whether at least one located event
    falls within reach of the segment during the next --horizon periods. The score is compared
    with three baselines computed the same way: persistence (events near the segment in the
    last period), history (all events near it so far) and a random rank. Figures: AUROC, AUPR,
    Brier score of a probability calibrated on earlier origins only, and the share of next
    period's events near the top 10 % of segments. With --model learned, the learned model is
    judged beside them (fitted at each origin on earlier origins only), with its skill over
    the better of persistence and history, and onset figures: segment-periods with no event
    in the twelve months before. Each says how many origins, segments and
    positive outcomes it rests on; with too few positives it says so instead of a number.

    \b
    Examples:
      borderrisk backtest --events acled.csv --focus BOL --every month
      borderrisk backtest --events acled.csv --types battles --json > backtest.json
      borderrisk backtest --events acled.csv --where 'fatalities>=1' --where 'admin1=Tarija'
      borderrisk backtest --events acled.csv -o backtest.png
      borderrisk backtest --events acled.csv --model learned
      borderrisk backtest --events acled.csv --fit risk-fitted.toml
      borderrisk score --events acled.csv --config risk-fitted.toml
    """
    if agreements or alliances:
        raise click.UsageError("backtest takes --events only: agreements and alliances do not change month to month")
    if not events:
        raise click.UsageError("name the events files to back-test with --events")
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler goes with --engine dask")
    if fit_path and model == "learned":
        raise click.UsageError("--fit fits the formula's knobs; the learned model fits itself at every origin")
    from borderrisk.cli.errors import failures_as_click_errors
    from borderrisk.data.paths import CHART_OUTPUT, CONFIG_OUTPUT, check_outputs

    with failures_as_click_errors():  # before any work; a .toml and a chart are never the same file
        check_outputs([fit_path] if fit_path is not None else [], CONFIG_OUTPUT, [*events, config_path])
        check_outputs([output] if output is not None else [], CHART_OUTPUT, [*events, config_path])

    from borderrisk.cli.progress import progress_bars, report_skipped
    from borderrisk.data.formats import EventsInput
    from borderrisk.inputs import load_layers
    from borderrisk.risk.backtest import Outcome, evaluate, origins_of, predictions, timeline_of
    from borderrisk.risk.config import RiskConfig

    with failures_as_click_errors():
        config = RiskConfig.load(config_path)
        with progress_bars() as progress:
            layers, _ = load_layers(events, how=EventsInput.of(reading), progress=progress, scenario=False)
        report_skipped(layers)
        import pandas as pd

        frame = pd.concat([layer.frame for layer in layers], ignore_index=True)
        if until:
            frame = frame[frame["date"].isna() | (frame["date"] < pd.Timestamp(until) + pd.Timedelta(days=1))]
        outcome = Outcome(
            reach_km=float(reach_km or config["events"]["distance_km"]),
            types=tuple(t.strip().casefold() for t in (types or "").split(",") if t.strip()),
            min_fatalities=min_fatalities,
            where=tuple(where),
        )
        origins = origins_of(frame, every, horizon, start, until)
        if fit_path:
            from borderrisk.risk.fitting import REACHES

            reach = max(outcome.reach_km, float(config["events"]["distance_km"]), *REACHES)
        else:
            reach = max(outcome.reach_km, float(config["events"]["distance_km"]))
        timeline = timeline_of(frame, focus, config, reach, engine, scheduler)
        if fit_path:
            _fit(timeline, origins, every, horizon, outcome, config, fit_path, events, output, as_json)
            return
        learned = config.chosen(model) == "learned"
        predicted = predictions(timeline, origins, every, horizon, outcome, config, learned=learned)
        result = evaluate(predicted, every, horizon, outcome)
        report = result.as_dict()
        if output:
            from borderrisk.render.backtest_chart import save_backtest_chart

            save_backtest_chart(report, output)
    _echo(report, as_json, config_path)


def _fit(timeline, origins, every, horizon, outcome, config, fit_path, events, output, as_json) -> None:
    from borderrisk.data.files import atomic_write
    from borderrisk.risk.fitting import fit, fitted_toml

    fitted = fit(timeline, origins, every, horizon, outcome, config)
    atomic_write(fit_path, fitted_toml(fitted, ", ".join(Path(p).name for p in events)).encode("utf-8"))
    report = fitted.fitted.as_dict()
    if output:
        from borderrisk.render.backtest_chart import save_backtest_chart

        save_backtest_chart(report, output)
    if as_json:
        from borderrisk.cli.output import echo_json

        echo_json(fitted.as_dict())
        return
    changed = ", ".join(f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}" for k, v in fitted.changed.items())
    click.echo(f"fitted on {len(fitted.fit_origins)} origins: {changed or 'the starting config is already best'}")
    click.echo("out of sample, on the later origins:")
    _echo(report, False, "the fitted config", starting=fitted.starting.metrics["score"])
    click.echo(f"wrote {fit_path}", err=True)


def _echo(report, as_json, config_path, starting=None) -> None:
    from borderrisk.cli.output import echo_json, echo_table

    if as_json:
        echo_json(report)
        return
    click.echo(
        f"{report['origins']} {report['every']} origins {report['from']} to {report['last_origin']} "
        f"(outcomes until {report['until']}), "
        f"{report['segments']} segments, {report['positives']} positive outcomes on "
        f"{report['origins_with_positives']} origin{'' if report['origins_with_positives'] == 1 else 's'} "
        f"({report['outcome']['description']} in the next {report['horizon']} {report['every']}); "
        f"score: {config_path or 'default config'}"
    )
    rows = [("score", report["metrics"]["score"])]
    if starting is not None:
        rows.append(("starting config", starting))
    rows += [(m, f) for m, f in report["metrics"].items() if m != "score"]
    table = [
        {
            "model": name,
            "AUROC": _cell(f["auroc"]),
            "AUPR": _cell(f["aupr"]),
            "Brier": _cell(f["brier"]),
            "top 10% capture": _cell(f["top10_capture"], percent=True),
        }
        for name, f in rows
    ]
    echo_table(table, ["model", "AUROC", "AUPR", "Brier", "top 10% capture"])
    for note in sorted({f.get("note") or f.get("brier_note") for _, f in rows} - {None}):
        click.echo(f"note: {note}")
    if "learned" in report["metrics"]:
        _echo_learned(report)


def _echo_learned(report) -> None:
    """The learned model's skill over the better baseline, its learners, and the onset figures."""
    from borderrisk.cli.output import echo_table

    skill, learners = report.get("skill") or {}, report.get("learners") or {}
    if skill.get("over"):
        click.echo(
            f"learned over {skill['over']}: AUPR {skill['aupr_gain']:+.3f}, "
            f"Brier skill {_cell(skill['brier_skill'], percent=True)}"
        )
    click.echo("learned model per origin: " + ", ".join(f"{name} {count}" for name, count in learners.items()))
    onset = report["onset"]
    positives = next(iter(onset.values()))["positives"] if onset else 0
    click.echo(f"onset (no event within reach in the 12 months before): {positives} positive outcomes")
    table = [
        {
            "model": model,
            "AUROC": _cell(f["auroc"]),
            "AUPR": _cell(f["aupr"]),
            "top 10% capture": _cell(f["top10_capture"], percent=True),
        }
        for model, f in onset.items()
    ]
    echo_table(table, ["model", "AUROC", "AUPR", "top 10% capture"])


def _cell(value, percent: bool = False) -> str:
    if value is None:
        return "-"
    if percent:
        return f"{100 * value:.1f}%"
    return f"{value:.3f}" if value == 0 or value >= 0.01 else f"{value:.2g}"
