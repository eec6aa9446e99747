"""Trend charts for slides (PNG or SVG) and a brief's table of the hottest segments, drawn
with matplotlib without a display or network, every word, number and date in the brief's
language."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from borderrisk.data.errors import UserError
from borderrisk.data.files import atomic_write
from borderrisk.language import ENGLISH, N_, Language
from borderrisk.language.messages import kilometres, number, percent, stretch_label
from borderrisk.layers.risk import FACTOR_LABELS
from borderrisk.layers.style import EVENT_TYPES

if TYPE_CHECKING:
    import pandas as pd

INSTALL_HINT = 'trend charts need matplotlib: pip install "borderrisk[brief]"'
CHART_SUFFIXES = (".png", ".svg")
#: Series drawn on one chart: the hottest rows at the last period.
MAX_SERIES = 6
#: A chart's title by the trend's period.
TITLES = {
    "week": N_("Border-risk score by week"),
    "month": N_("Border-risk score by month"),
    "quarter": N_("Border-risk score by quarter"),
}
SCORE_AXIS = N_("score at each period's end")
EVENTS_AXIS = N_("events near {place}")
TABLE_TITLE = N_("Hottest segments")
#: The brief table's columns, by their English name (``#`` is a sign, the same everywhere).
COLUMNS = {
    "border": N_("border"),
    "km": N_("km"),
    "score": N_("score"),
    "chance": N_("chance next month"),
    "change": N_("change"),
    "main factor": N_("main factor"),
}


class ChartError(UserError):
    """A chart that cannot be written (unknown format, matplotlib missing)."""


def check_chart_path(path: str | Path) -> None:
    """A chart is written as PNG or SVG, chosen by the file's extension."""
    if Path(str(path)).suffix.lower() not in CHART_SUFFIXES:
        raise ChartError(f"{path}: a chart is written as .png or .svg")


def row_label(row: pd.Series, language: Language = ENGLISH) -> str:
    """How a trend row is named on a chart: a country, a border, or a stretch of one."""
    if "country" in row:
        return str(row["country"])
    if "start_km" not in row:
        return f"{row['a']}–{row['b']}"
    return stretch_label(row["a"], row["b"], row["start_km"], row["end_km"], language)


def save_trend_chart(
    table: pd.DataFrame,
    path: str | Path,
    *,
    every: str = "month",
    title: str | None = None,
    language: Language = ENGLISH,
) -> Path:
    """Draw a :func:`borderrisk.risk.trend.trend` table: the score of the hottest rows over time,
    and the events near the hottest one by type; written atomically as PNG or SVG."""
    check_chart_path(path)
    figure = trend_figure(table, every=every, title=title, language=language)
    buffer = io.BytesIO()
    suffix = Path(str(path)).suffix.lower()[1:]
    figure.savefig(buffer, format=suffix, dpi=150, bbox_inches="tight", metadata=_metadata(suffix))
    atomic_write(path, buffer.getvalue())
    return Path(path)


def _metadata(suffix: str) -> dict[str, None]:
    """No creation date in the file, so the same table draws the same bytes."""
    return {"Date": None} if suffix == "svg" else {}


def trend_figure(table: pd.DataFrame, *, every: str = "month", title: str | None = None, language: Language = ENGLISH):
    """The matplotlib figure of a trend table (see :func:`save_trend_chart`)."""
    Figure = _figure_class()
    if table.empty:
        raise ChartError("nothing to draw: the trend has no periods")
    figure = Figure(figsize=(9, 5.2 if table.events.any() else 3.8), layout="constrained")
    if table.events.any():
        scores, counts = figure.subplots(2, 1, sharex=True, height_ratios=[2, 1])
    else:
        scores, counts = figure.subplots(), None
    _score_lines(scores, table, every, title, language)
    if counts is not None:
        hottest = _hottest(table)[0]
        first = table.loc[(table[list(hottest)] == list(hottest.values())).all(axis=1)].sort_values("period")
        _event_bars(counts, first, language)
    figure.autofmt_xdate()
    return figure


def _figure_class():
    """matplotlib's Figure, drawing without a display; an install hint when it is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure
    except ImportError:
        raise ChartError(INSTALL_HINT) from None
    return Figure


def _keys(table: pd.DataFrame) -> list[str]:
    return [c for c in ("country", "a", "b", "start_km", "end_km") if c in table]


def _hottest(table: pd.DataFrame) -> list[dict]:
    """The keys of the rows hottest at the last period, at most :data:`MAX_SERIES`."""
    last = table[table.period == table.period.max()].sort_values("score", ascending=False, kind="stable")
    return last.head(MAX_SERIES)[_keys(table)].to_dict("records")


def _score_lines(axes, table: pd.DataFrame, every: str, title: str | None = None, language: Language = ENGLISH) -> None:
    """The score of the hottest rows at each period's end, one line each."""
    for key in _hottest(table):
        rows = table.loc[(table[list(key)] == list(key.values())).all(axis=1)].sort_values("period")
        axes.plot(rows.as_of, rows.score, marker="o", markersize=3, label=row_label(rows.iloc[0], language))
    axes.set_ylabel(language.gettext(SCORE_AXIS))
    axes.set_title(title or language.gettext(TITLES[every]), loc="left")
    axes.legend(fontsize=8, frameon=False, loc="upper left")
    axes.grid(alpha=0.3)
    _in_language(axes, language)


def _event_bars(axes, rows: pd.DataFrame, language: Language = ENGLISH) -> None:
    """The events near one row per period, stacked by type, each bar spanning its period."""
    from borderrisk.risk.trend import TYPE_PREFIX

    types = [c for c in rows.columns if c.startswith(TYPE_PREFIX)]
    bottom = None
    width = _bar_width(rows.period)
    for column in types:
        label = _event_type(column[len(TYPE_PREFIX) :], language)
        axes.bar(rows.period, rows[column], width=width, bottom=bottom, align="edge", label=label)
        bottom = rows[column].to_numpy() if bottom is None else bottom + rows[column].to_numpy()
    place = row_label(rows.iloc[0], language)
    axes.set_ylabel(language.gettext(EVENTS_AXIS).format(place=place), fontsize=8)
    axes.set_ylim(0, max(1, rows.events.max()) * 1.5)
    axes.legend(fontsize=7, frameon=False, ncol=min(4, len(types)), loc="upper left")
    axes.grid(alpha=0.3, axis="y")
    _in_language(axes, language)


def _event_type(kind: str, language: Language) -> str:
    """An event type: borderrisk's own words (its readers' too) in the language, a file's own as it is."""
    return language.gettext(kind) if kind in EVENT_TYPES else kind


def _in_language(axes, language: Language) -> None:
    """Tick labels as the language writes numbers and dates (English: ISO dates)."""
    axes.xaxis.set_major_formatter(_ticks(language, _dates))
    axes.yaxis.set_major_formatter(_ticks(language, _numbers))


def _bar_width(periods: pd.Series) -> float:
    """Bars as wide as most of a period (in days), whatever the period."""
    import pandas as pd

    dates = pd.to_datetime(pd.Series(sorted(periods)))
    return 0.9 * (dates.diff().dt.days.min() if len(dates) > 1 else 28)


def top_table(scored: pd.DataFrame, top: int, language: Language = ENGLISH) -> pd.DataFrame:
    """The ``top`` hottest segments as a brief shows them: border, km, score, the learned
    model's chance next month (when it ran: then the hottest are the likeliest), change (when
    the scores were compared) and the factor that contributes most, headers and numbers in
    ``language``."""
    import pandas as pd

    from borderrisk.risk.config import FACTORS

    learned = "probability" in scored
    hottest = scored.sort_values("probability" if learned else "score", ascending=False, kind="stable").head(top)
    main = [max(FACTORS, key=lambda f: abs(row[f])) for _, row in hottest.iterrows()]
    table = pd.DataFrame(
        {
            "#": range(1, len(hottest) + 1),
            "border": [f"{a}–{b}" for a, b in zip(hottest.a, hottest.b)],
            "km": [kilometres(s, e, language) for s, e in zip(hottest.start_km, hottest.end_km)],
            "score": [number(s, ".2f", language) for s in hottest.score],
        }
    )
    if learned:
        table["chance"] = [percent(p, language) for p in hottest.probability]
    if "change" in hottest:
        table["change"] = [number(c, "+.2f", language) for c in hottest.change]
    table["main factor"] = [
        f"{language.gettext(FACTOR_LABELS[f])} {number(row[f], '.2f', language)}"
        for f, (_, row) in zip(main, hottest.iterrows())
    ]
    return table.rename(columns={name: language.gettext(label) for name, label in COLUMNS.items()})


def brief_page(
    map_png: bytes,
    fmt: str,
    *,
    table: pd.DataFrame | None = None,
    series: pd.DataFrame | None = None,
    every: str = "month",
    language: Language = ENGLISH,
) -> bytes:
    """A brief's page: the map as rendered, then the top-segments table (see
    :func:`top_table`) and the trend chart under it, as one PNG or PDF, in ``language``."""
    Figure = _figure_class()
    from matplotlib.image import imread

    picture = imread(io.BytesIO(map_png))
    width = 10.0
    heights = [width * picture.shape[0] / picture.shape[1]]
    if table is not None and len(table):
        heights.append(0.3 * (len(table) + 1) + 0.2)
    if series is not None and len(series):
        heights.append(3.4)
    figure = Figure(figsize=(width, sum(heights) + 0.2), layout="constrained")
    axes = figure.subplots(len(heights), 1, height_ratios=heights, squeeze=False)[:, 0]
    axes[0].imshow(picture)
    axes[0].set_axis_off()
    at = 1
    if table is not None and len(table):
        axes[at].set_axis_off()
        cells = axes[at].table(cellText=table.astype(str).to_numpy(), colLabels=list(table.columns), loc="upper center")
        cells.auto_set_font_size(False)
        cells.set_fontsize(9)
        cells.auto_set_column_width(list(range(len(table.columns))))
        axes[at].set_title(language.gettext(TABLE_TITLE), loc="left", fontsize=10)
        at += 1
    if series is not None and len(series):
        _score_lines(axes[at], series, every, language=language)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=150, metadata=_metadata(fmt))
    return buffer.getvalue()


def _ticks(language: Language, write):
    """A matplotlib tick formatter that writes all of an axis's ticks at once: ``write`` takes
    the tick values and the language."""

    from matplotlib.ticker import Formatter

    class Ticks(Formatter):
        def __call__(self, value: float, pos: int | None = None) -> str:
            return write([value], language)[0]

        def format_ticks(self, values: list[float]) -> list[str]:
            return write(list(values), language)

    return Ticks()


def _dates(values: list[float], language: Language) -> list[str]:
    """Dates on an axis, as precise as the ticks are: years, months or days."""
    from matplotlib.dates import num2date

    days = [num2date(v).date() for v in values]
    if all(d.month == 1 and d.day == 1 for d in days):
        precision = "year"
    elif all(d.day == 1 for d in days):
        precision = "month"
    else:
        precision = "day"
    return [language.date(d, precision) for d in days]


def _numbers(values: list[float], language: Language) -> list[str]:
    """Numbers on an axis, all with the decimals the finest of them needs (at most three)."""
    decimals = max((len(f"{round(v, 3):g}".partition(".")[2]) for v in values), default=0)
    return [number(v, f".{min(decimals, 3)}f", language) for v in values]
