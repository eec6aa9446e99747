"""``borderrisk score``: the border-risk model, segment by segment, with its reasons."""

from __future__ import annotations

import math
import numbers

import click

from borderrisk.cli.options import (
    TABLE_ROWS,
    annotations_option,
    compare_to_option,
    engine_options,
    focus_option,
    input_files,
    model_option,
    risk_config_option,
    time_options,
    top_option,
    where_option,
)
from borderrisk.cli.output import echo_geojson, echo_json, echo_table


@click.command(short_help="Score border segments and explain every score.")
@input_files
@annotations_option
@where_option
@focus_option
@time_options
@risk_config_option
@model_option
@click.option("--default-config", is_flag=True, help="Print the documented default config and exit.")
@top_option
@engine_options
@compare_to_option
@click.option(
    "--sort",
    type=click.Choice(["score", "change"]),
    default="score",
    show_default=True,
    help="Order segments by score, or by change (biggest rise first; needs --compare-to).",
)
@click.option(
    "--by",
    type=click.Choice(["segment", "border", "country"]),
    default="segment",
    show_default=True,
    help="Report segments, or roll them up to whole borders or countries (their hottest part).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one object per segment, with its factors.")
@click.option("--geojson", "as_geojson", is_flag=True, help="Print the scored segments as GeoJSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV for spreadsheets: one column per factor.")
def score(
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
    default_config,
    top,
    engine,
    scheduler,
    compare_to,
    sort,
    by,
    as_json,
    as_geojson,
    as_csv,
    **reading,
):
    """Score border segments with a transparent model and explain each score.

    A border is cut into 50 km segments. A segment's score is the sum of five factors, each
    with a weight and an explanation: nearby events (by type, severity, age and distance),
    events located only to a country on either side, security agreements that bring a watched
    country (Iran, by default) to either side, memberships in watched alliances (ALBA-TCP),
    and briefers' adjustments. With no input files the built-in scenario is scored, on its focus
    border; with your own inputs and no --focus, every land border of the world.

    \b
    Examples:
      borderrisk score --focus ARG,BOL
      borderrisk score --focus ARG,BOL --json | jq '.[0].factors'
      borderrisk score --events acled.csv --focus BOL --csv > scores.csv
      borderrisk score --events acled.csv --where 'type=battles' --where 'actor~IRGC'
      borderrisk score --events acled.csv --since 2023-01 --until 2023-06
      borderrisk score --events acled.csv --compare-to 2023-01-01..2023-06-30 --sort change
      borderrisk score --default-config > risk.toml   (edit, then --config risk.toml)
    """
    if default_config:
        from borderrisk.risk.config import default_config_text

        click.echo(default_config_text(), nl=False)
        return
    if sum((as_json, as_geojson, as_csv)) > 1:
        raise click.UsageError("choose one of --json, --geojson and --csv")
    if sort == "change" and not compare_to:
        raise click.UsageError("--sort change needs --compare-to")
    if compare_to and by != "segment":
        raise click.UsageError("--compare-to compares segments; leave out --by")
    if as_geojson and by != "segment":
        raise click.UsageError("--geojson writes segments; use --json or --csv with --by")

    from borderrisk.cli.errors import failures_as_click_errors
    from borderrisk.cli.loading import model_inputs, report_learner, report_streamed
    from borderrisk.cli.progress import progress_bars
    from borderrisk.data.formats import EventsInput
    from borderrisk.risk.assessment import assess
    from borderrisk.risk.config import RiskConfig

    how = EventsInput.of(reading, where)
    with failures_as_click_errors(), progress_bars() as progress:
        config = RiskConfig.load(config_path)
        asked, model = model, config.chosen(model)
        if model == "learned" and (compare_to or by != "segment") and asked is None:
            # The config's default, not a request: a roll-up or a comparison is the formula's.
            click.echo("the config's default model is learned, which forecasts segments: scoring by formula", err=True)
            model = "formula"
        if model == "learned" and not events:
            raise click.UsageError(
                "the learned model (--model learned, or [model] default in the config) learns from your "
                "events' history: give --events FILE, or use --model formula"
            )
        if model == "learned" and (compare_to or by != "segment"):
            raise click.UsageError(
                "the learned model (--model learned, or [model] default in the config) forecasts segments; "
                "leave out --compare-to and --by, or use --model formula"
            )
        # One score streams the events files as it goes; --compare-to reads them twice.
        inputs, focus = model_inputs(
            events,
            agreements,
            alliances,
            annotations,
            how=how,
            engine=engine,
            focus=focus,
            progress=progress,
            stream=not compare_to and model == "formula",
        )
        options = dict(config=config, engine=engine, scheduler=scheduler, where=how.where, popup_trend=False)
        assessment = assess(
            inputs, focus, as_of=as_of, since=since, until=until, compare_to=compare_to, model=model, **options
        )
        report_streamed(inputs["events"])
        result = assessment.scores
        report_learner(assessment)
        if compare_to:
            result = assessment.comparison
            if sort == "change":
                result = result.sort_values(["change", "a", "b", "start_km"], ascending=[False, True, True, True])
    click.echo(
        f"as of {assessment.as_of.isoformat()}: {len(result)} segments of "
        f"{_plural(result[['a', 'b']].drop_duplicates().shape[0], 'border')}, {config_path or 'default config'}",
        err=True,
    )
    if by != "segment":
        _echo_rollup(result, by, top, as_json, as_csv)
        return
    result = _first(result.rename(columns={"risk_class": "class"}), top, as_json or as_geojson or as_csv)
    columns = ["a", "b", "segment", "start_km", "end_km", "score", "level", "class"]
    if model == "learned":
        columns += ["probability"]
    if compare_to:
        columns += ["previous_score", "change", "moved"]
    if as_json:
        from borderrisk.data.formats.licences import licences_of_inputs

        licences = licences_of_inputs(events, "columns" if how.columns else how.format)
        cited = [f"{licence.attribution} ({licence.terms})" for licence in licences]
        echo_json(
            [
                {
                    **{c: _rounded(row[c]) for c in columns},
                    "fatalities": None if math.isnan(row.fatalities) else _rounded(row.fatalities),
                    "factors": _factors(row.factors),
                    "sources": cited,
                    **({"reasons": _reasons(row.reasons)} if model == "learned" else {}),
                }
                for _, row in result.iterrows()
            ]
        )
    elif as_geojson:
        flat = result.drop(columns=["factors", "moved_by"], errors="ignore").assign(
            top_factors=[_summary(f) for f in result.factors]
        )
        echo_geojson(flat.round(4))
    elif as_csv:
        from borderrisk.risk.config import FACTORS

        frame = result.assign(top_factors=[_summary(f) for f in result.factors])
        click.echo(frame[[*columns, *FACTORS, "fatalities", "top_factors"]].round(4).to_csv(index=False), nl=False)
    else:
        from borderrisk.language.messages import percent

        rows = [
            {
                "rank": i + 1,
                "border": f"{r.a}-{r.b}",
                "km": f"{r.start_km:.0f}-{r.end_km:.0f}",
                "score": f"{r.score:.2f}",
                "level": r.level,
                **({"chance next month": percent(r.probability)} if model == "learned" else {}),
                **(
                    {"was": f"{r.previous_score:.2f}", "change": f"{r.change:+.2f}", "moved": r.moved or "-"}
                    if compare_to
                    else {}
                ),
                "top factors": _summary(r.factors),
                **({"top reasons": _said(r.reasons)} if model == "learned" else {}),
            }
            for i, r in enumerate(result.itertuples())
        ]
        shown = [
            "rank",
            "border",
            "km",
            "score",
            "level",
            *(["chance next month"] if model == "learned" else []),
            *(["was", "change", "moved"] if compare_to else []),
            "top reasons" if model == "learned" else "top factors",
        ]
        echo_table(rows, shown)


def _echo_rollup(result, by, top, as_json, as_csv) -> None:
    from borderrisk.risk.model import rollup

    table = _first(rollup(result, by=by).round(4), top, as_json or as_csv)
    if as_json:
        echo_json(table.to_dict("records"))
    elif as_csv:
        click.echo(table.to_csv(index=False), nl=False)
    else:
        echo_table(table.to_dict("records"), list(table.columns))


def _first(rows, top, whole):
    """The rows ``--top`` asks for, in every output; without it, a table's first
    :data:`~borderrisk.cli.options.TABLE_ROWS` and a file's (``whole``) every row."""
    return rows.head(top) if top else (rows if whole else rows.head(TABLE_ROWS))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _rounded(value):
    if isinstance(value, numbers.Integral):
        return int(value)
    return round(float(value), 4) if isinstance(value, float) else value


def _factors(factors):
    return [{**f, "contribution": round(f["contribution"], 4)} for f in factors]


def _said(reasons, shown: int = 2) -> str:
    """The learned model's largest reasons in a table cell: words and signed share."""
    return "; ".join(f"{r['reason']} {r['share']:+.2f}" for r in reasons[:shown])


def _reasons(reasons):
    """The learned model's reasons with their shares rounded as the probability is."""
    return [{**r, "share": round(r["share"], 4)} for r in reasons]


def _summary(factors) -> str:
    ranked = sorted((f for f in factors if f["contribution"]), key=lambda f: -abs(f["contribution"]))
    return ", ".join(f"{f['name']} {f['contribution']:.2f}" for f in ranked) or "none"
