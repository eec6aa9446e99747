"""Trend charts for slides (PNG or SVG), drawn with matplotlib without a display or network."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from layers.data.errors import UserError
from layers.data.files import atomic_write

if TYPE_CHECKING:
    import pandas as pd

INSTALL_HINT = 'trend charts need matplotlib: pip install "borderrisk[brief]"'
CHART_SUFFIXES = (".png", ".svg")
#: Series drawn on one chart: the hottest rows at the last period.
MAX_SERIES = 6


class ChartError(UserError):
    """A chart that cannot be written (unknown format, matplotlib missing)."""


def check_chart_path(path: str | Path) -> None:
    """A chart is written as PNG or SVG, chosen by the file's extension."""
    if Path(str(path)).suffix.lower() not in CHART_SUFFIXES:
        raise ChartError(f"{path}: a chart is written as .png or .svg")


def row_label(row: pd.Series) -> str:
    """How a trend row is named on a chart: a country, a border, or a stretch of one."""
    if "country" in row:
        return str(row["country"])
    label = f"{row['a']}–{row['b']}"
    return f"{label} km {row['start_km']:.0f}–{row['end_km']:.0f}" if "start_km" in row else label


def save_trend_chart(table: pd.DataFrame, path: str | Path, *, every: str = "month", title: str | None = None) -> Path:
    """Draw a :func:`layers.risk.trend.trend` table: the score of the hottest rows over time,
    and the events near the hottest one by type; written atomically as PNG or SVG."""
    check_chart_path(path)
    figure = trend_figure(table, every=every, title=title)
    buffer = io.BytesIO()
    suffix = Path(str(path)).suffix.lower()[1:]
    figure.savefig(buffer, format=suffix, dpi=150, bbox_inches="tight", metadata=_metadata(suffix))
    atomic_write(path, buffer.getvalue())
    return Path(path)


def _metadata(suffix: str) -> dict[str, None]:
    """No creation date in the file, so the same table draws the same bytes."""
    return {"Date": None} if suffix == "svg" else {}


def trend_figure(table: pd.DataFrame, *, every: str = "month", title: str | None = None):
    """The matplotlib figure of a trend table (see :func:`save_trend_chart`)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure
    except ImportError:
        raise ChartError(INSTALL_HINT) from None

    keys = [c for c in ("country", "a", "b", "start_km", "end_km") if c in table]
    if table.empty:
        raise ChartError("nothing to draw: the trend has no periods")
    last = table[table.period == table.period.max()].sort_values("score", ascending=False)
    hottest = last.head(MAX_SERIES)[keys].to_dict("records")
    figure = Figure(figsize=(9, 5.2 if table.events.any() else 3.8), layout="constrained")
    if table.events.any():
        scores, counts = figure.subplots(2, 1, sharex=True, height_ratios=[2, 1])
    else:
        scores, counts = figure.subplots(), None
    for key in hottest:
        rows = table.loc[(table[keys] == list(key.values())).all(axis=1)].sort_values("period")
        scores.plot(rows.as_of, rows.score, marker="o", markersize=3, label=row_label(rows.iloc[0]))
    scores.set_ylabel("score at each period's end")
    scores.set_title(title or f"Border-risk score by {every}", loc="left")
    scores.legend(fontsize=8, frameon=False, loc="upper left")
    scores.grid(alpha=0.3)
    if counts is not None:
        first = table.loc[(table[keys] == list(hottest[0].values())).all(axis=1)].sort_values("period")
        _event_bars(counts, first)
    figure.autofmt_xdate()
    return figure


def _event_bars(axes, rows: pd.DataFrame) -> None:
    """The events near one row per period, stacked by type, each bar spanning its period."""
    from layers.risk.trend import TYPE_PREFIX

    types = [c for c in rows.columns if c.startswith(TYPE_PREFIX)]
    bottom = None
    width = _bar_width(rows.period)
    for column in types:
        axes.bar(rows.period, rows[column], width=width, bottom=bottom, align="edge", label=column[len(TYPE_PREFIX) :])
        bottom = rows[column].to_numpy() if bottom is None else bottom + rows[column].to_numpy()
    axes.set_ylabel(f"events near {row_label(rows.iloc[0])}", fontsize=8)
    axes.set_ylim(0, max(1, rows.events.max()) * 1.5)
    axes.legend(fontsize=7, frameon=False, ncol=min(4, len(types)), loc="upper left")
    axes.grid(alpha=0.3, axis="y")


def _bar_width(periods: pd.Series) -> float:
    """Bars as wide as most of a period (in days), whatever the period."""
    import pandas as pd

    dates = pd.to_datetime(pd.Series(sorted(periods)))
    return 0.9 * (dates.diff().dt.days.min() if len(dates) > 1 else 28)
