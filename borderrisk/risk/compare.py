"""What changed between two scorings of the same borders: per segment, the previous score,
the change and the factor that moved most; and, between two briefs, what to say about it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderrisk.risk.config import FACTORS

#: Columns that name a segment in every score output (JSON, CSV, GeoJSON).
SEGMENT_KEYS = ["a", "b", "start_km"]


def compare(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """``current`` with ``previous_score``, ``change`` (current − previous; a segment the
    previous scoring lacks counts from 0), ``moved`` (the factor whose contribution changed
    most, when both carry factor columns) and ``moved_by`` (that factor's change)."""
    factors = [f for f in FACTORS if f in current and f in previous]
    before = previous.drop_duplicates(SEGMENT_KEYS).set_index(SEGMENT_KEYS)[["score", *factors]]
    joined = current.join(before.add_prefix("previous_"), on=SEGMENT_KEYS)
    result = current.copy()
    result["previous_score"] = joined["previous_score"].to_numpy()
    result["change"] = current["score"].to_numpy() - joined["previous_score"].fillna(0).to_numpy()
    if factors:
        deltas = np.column_stack(
            [
                current[f].to_numpy(dtype=float) - joined[f"previous_{f}"].fillna(0).to_numpy(dtype=float)
                for f in factors
            ]
        )
        biggest = np.abs(deltas).argmax(axis=1)
        moved_by = deltas[np.arange(len(deltas)), biggest]
        result["moved"] = np.where(moved_by != 0, np.array(factors, dtype=object)[biggest], None)
        result["moved_by"] = moved_by
    return result


def brief_changes(old: pd.DataFrame, new: pd.DataFrame, *, threshold: float = 0.5, hot: float = 2.0) -> pd.DataFrame:
    """The segments a brief should mention: ``new hot`` (at or above ``hot`` now, below it or
    absent before), ``rise`` and ``fall`` (a change of at least ``threshold`` either way), with
    the factor that moved most and, where the outputs carry it, its explanation now. Biggest
    changes first."""
    compared = compare(new, old)
    was = compared["previous_score"].fillna(-np.inf)
    status = np.select(
        [(compared.score >= hot) & (was < hot), compared.change >= threshold, compared.change <= -threshold],
        ["new hot", "rise", "fall"],
        default="",
    )
    compared["status"] = status
    chosen = compared[status != ""].copy()
    chosen["why"] = [_explanation(row) for _, row in chosen.iterrows()]
    chosen = chosen.rename(columns={"score": "new_score", "previous_score": "old_score"})
    columns = ["a", "b", "start_km", "end_km", "old_score", "new_score", "change", "status", "moved", "why"]
    chosen = chosen.reindex(columns=columns)
    order = np.lexsort((chosen.start_km, chosen.b, chosen.a, -chosen.change.abs()))
    return chosen.iloc[order].reset_index(drop=True)


def _explanation(row: pd.Series) -> str:
    """The explanation of the factor that moved most, from a JSON score output's ``factors``."""
    factors = row.get("factors")
    if not isinstance(factors, list) or not isinstance(row.get("moved"), str):
        return ""
    return next((f.get("explanation", "") for f in factors if f.get("name") == row["moved"]), "")


def read_score_output(path: str) -> pd.DataFrame:
    """A ``borderrisk score`` output written as JSON (``--json``) or CSV (``--csv``): one row
    per segment with its keys, score and, where given, one column per factor."""
    from borderrisk.data.documents import load_json
    from borderrisk.data.errors import InputError, Problem
    from borderrisk.data.paths import read_input_text

    def fail(message: str) -> InputError:
        return InputError([Problem(str(path), "", "", message)])

    text = read_input_text(path)
    try:
        if text.lstrip().startswith("["):
            rows = load_json(text, str(path))
            if not all(isinstance(row, dict) for row in rows):
                raise fail("is not a score output: a JSON list of segments (objects)")
            frame = pd.DataFrame(rows)
            if "factors" in frame:
                for name in FACTORS:
                    frame[name] = [
                        next((f["contribution"] for f in fs if f.get("name") == name), 0.0)
                        if isinstance(fs, list)
                        else 0.0
                        for fs in frame["factors"]
                    ]
        else:
            import io

            frame = pd.read_csv(io.StringIO(text))
    except (ValueError, pd.errors.ParserError) as error:
        raise fail(f"is not a score output (JSON or CSV): {error}") from None
    missing = [c for c in [*SEGMENT_KEYS, "end_km", "score"] if c not in frame]
    if missing:
        raise fail(f"is not a segment score output (score --json or --csv): no {', '.join(missing)} column")
    return frame
