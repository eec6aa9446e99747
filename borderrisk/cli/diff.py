"""``borderrisk diff``: what changed between two briefs' scores, ready to paste in a brief."""

from __future__ import annotations

import re

import click

from borderrisk.cli.options import INPUT_FILE, json_output


@click.command(short_help="What changed between two score outputs or two recipes' runs.")
@click.argument("old", type=INPUT_FILE)
@click.argument("new", type=INPUT_FILE)
@click.option(
    "--threshold",
    type=click.FloatRange(min=0),
    default=0.5,
    show_default=True,
    help="A rise or fall of at least this much is reported.",
)
@click.option(
    "--hot",
    type=float,
    default=2.0,
    show_default=True,
    help="A segment at or above this score now, and below it before, is a new hot segment.",
)
@json_output
def diff(old, new, threshold, hot, as_json):
    """Compare two `borderrisk score` outputs (--json or --csv files) or two brief recipes
    (.toml, scored on their focus borders): new hot segments, rises and falls of at least
    --threshold, and the factor that moved most with its explanation (the events behind it,
    when the new output is JSON or a recipe). Prints a Markdown table, or JSON with --json.

    \b
    Examples:
      borderrisk score --events acled.csv --focus BOL --json > tuesday.json
      borderrisk score --events acled-new.csv --focus BOL --json > friday.json
      borderrisk diff tuesday.json friday.json > changes.md
      borderrisk diff last-week.toml this-week.toml --json
    """
    from borderrisk.cli.errors import failures_as_click_errors
    from borderrisk.risk.compare import brief_changes

    with failures_as_click_errors():
        changes = brief_changes(_scores(old), _scores(new), threshold=threshold, hot=hot)
    if as_json:
        from borderrisk.cli.output import echo_json

        plain = changes.round(4).astype(object)
        echo_json(plain.where(changes.notna(), None).to_dict("records"))
        return
    from borderrisk.cli.output import printable_lines

    click.echo(printable_lines(markdown(changes, threshold)))


def _scores(path: str):
    if path.lower().endswith(".toml"):
        from borderrisk.recipes import load_recipe, score_recipe

        return score_recipe(load_recipe(path))
    from borderrisk.risk.compare import read_score_output

    return read_score_output(path)


def markdown(changes, threshold: float) -> str:
    """A brief-ready Markdown table; cell text cannot break out of its cell."""
    from borderrisk.language.messages import kilometres

    if changes.empty:
        return f"No segment rose or fell by {threshold:g} or more, and no segment became hot."
    lines = [
        "| Border | km | Old | New | Change | What | Moved most | Why |",
        "| --- | --- | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for r in changes.itertuples():
        old = "–" if r.old_score != r.old_score else f"{r.old_score:.2f}"
        cells = [
            f"{r.a}–{r.b}",
            kilometres(r.start_km, r.end_km),
            old,
            f"{r.new_score:.2f}",
            f"{r.change:+.2f}",
            r.status,
            r.moved if isinstance(r.moved, str) else "",
            r.why if isinstance(r.why, str) else "",
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


#: Markdown's formatting characters, escaped in a cell so that its text stays text: no
#: emphasis, code, table cell break, link (``[x](javascript:…)``) or image (``![](https://…)``,
#: a request as the brief opens).
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_~|\[\]])")
#: Characters written as HTML entities: no raw HTML (``<img onerror=…>``) nor autolink
#: (``<https://…>``; GitHub also links bare ``https://…``, ``www.…`` and e-mail addresses).
MARKDOWN_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;"}
BARE_LINK = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*):(?=//)|\b(www)\.")


def _cell(text: str) -> str:
    """Cell text as Markdown that shows exactly that text, on one line of the table."""
    flat = " ".join(str(text).split())
    flat = "".join(MARKDOWN_ENTITIES.get(char, char) for char in flat)
    flat = MARKDOWN_PUNCTUATION.sub(r"\\\1", flat)
    return BARE_LINK.sub(lambda m: f"{m[1]}&#58;" if m[1] else f"{m[2]}&#46;", flat)
