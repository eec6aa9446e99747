"""A back-test as a picture for slides: the reliability diagram of the calibrated probabilities
and the capture curve, the score beside its baselines, with what the figures rest on.

Needs matplotlib (``pip install "borderrisk[brief]"``); drawn without a display (Agg) to PNG
or SVG, and written atomically, so a failed run leaves no half-written file.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from borderrisk.data.errors import UserError

INSTALL_HINT = 'charts need matplotlib: pip install "borderrisk[brief]"'
FORMATS = {".png": "png", ".svg": "svg"}
STYLE = {
    "score": {"color": "#c0392b", "linewidth": 2.4},
    "persistence": {"color": "#2e86c1", "linewidth": 1.5},
    "history": {"color": "#7d3c98", "linewidth": 1.5},
    "random": {"color": "#7f8c8d", "linewidth": 1.2, "linestyle": "--"},
}


def save_backtest_chart(result: dict[str, Any], path: str | Path) -> None:
    """Draw a back-test (``BacktestResult.as_dict()``) to ``path`` (.png or .svg)."""
    from borderrisk.data.files import atomic_write

    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise UserError(f"{path}: a chart is written as .png or .svg, not {path.suffix or 'no suffix'!r}")
    try:
        import matplotlib
    except ImportError:
        raise UserError(INSTALL_HINT) from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 5), dpi=110)
    try:
        _reliability(left, result)
        _capture(right, result)
        outcome = result["outcome"]["description"]
        figure.suptitle(
            f"Back-test, {result['origins']} {result['every']} origins {result['from']} to {result['until']}: "
            f"{result['segments']} segments, {result['positives']} positive outcomes\n"
            f"(outcome: {outcome} in the next {result['horizon']} {result['every']})",
            fontsize=10,
        )
        figure.tight_layout()
        buffer = io.BytesIO()
        # A fixed date keeps SVG/PNG output identical from run to run.
        figure.savefig(buffer, format=kind, metadata={"Date": None} if kind == "svg" else {"Software": None})
    finally:
        plt.close(figure)
    atomic_write(path, buffer.getvalue())


def _label(result: dict[str, Any], model: str, key: str) -> str:
    value = result["metrics"][model].get(key)
    return f"{model} ({key} {value:.3f})" if value is not None else f"{model} (too few positives)"


def _reliability(axes: Any, result: dict[str, Any]) -> None:
    axes.plot([0, 1], [0, 1], color="#bbbbbb", linewidth=1, label="perfectly calibrated")
    for model, rows in result["reliability"].items():
        if rows:
            axes.plot(
                [r["predicted"] for r in rows],
                [r["observed"] for r in rows],
                marker="o",
                markersize=3,
                label=_label(result, model, "brier"),
                **STYLE.get(model, {}),
            )
    axes.set(
        xlim=(0, 1),
        ylim=(0, 1),
        xlabel="forecast probability (calibrated on earlier origins)",
        ylabel="observed frequency",
        title="Reliability",
    )
    axes.legend(fontsize=8, loc="upper left")


def _capture(axes: Any, result: dict[str, Any]) -> None:
    for model, points in result["capture_curve"].items():
        shares = [p for p in points if p[1] is not None]
        if shares:
            axes.plot(
                [100 * p[0] for p in shares],
                [100 * p[1] for p in shares],
                label=_label(result, model, "top10_capture"),
                **STYLE.get(model, {}),
            )
    axes.axvline(100 * result["top_share"], color="#dddddd", linewidth=1)
    axes.set(
        xlim=(0, 100),
        ylim=(0, 100),
        xlabel="top % of segments by score",
        ylabel="% of next-period events near them",
        title="Capture",
    )
    axes.legend(fontsize=8, loc="lower right")
