"""Calendar periods (day, week, month, quarter, year): where each starts, so back-tests and
trends cut time the same way."""

from __future__ import annotations

from datetime import date

import pandas as pd

#: Period name -> pandas frequency of its first days (weeks start on Monday, ISO 8601).
FREQUENCIES = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}


def period_start(day: date, every: str) -> date:
    """The first day of the period that contains ``day``."""
    stamp = pd.Timestamp(day)
    if every == "week":
        return (stamp - pd.Timedelta(days=stamp.weekday())).date()
    return pd.Period(stamp, freq={"day": "D", "month": "M", "quarter": "Q", "year": "Y"}[every]).start_time.date()


def period_starts(first: date, last: date, every: str) -> list[date]:
    """The first days of the periods that begin within [first, last]."""
    if every not in FREQUENCIES:
        raise ValueError(f"unknown period {every!r}: use {', '.join(FREQUENCIES)}")
    return [d.date() for d in pd.date_range(pd.Timestamp(first), pd.Timestamp(last), freq=FREQUENCIES[every])]


def shift(start: date, every: str, periods: int) -> date:
    """The first day of the period ``periods`` after the one starting on ``start``."""
    offsets = {
        "day": pd.DateOffset(days=periods),
        "week": pd.DateOffset(weeks=periods),
        "month": pd.DateOffset(months=periods),
        "quarter": pd.DateOffset(months=3 * periods),
        "year": pd.DateOffset(years=periods),
    }
    return (pd.Timestamp(start) + offsets[every]).date()
