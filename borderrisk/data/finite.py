"""The one rule for numbers borderrisk reads: a number is finite.

NaN and ±infinity are never data: a ``nan`` latitude has no place on a map, an ``inf`` severity
makes every score infinite, and JSON cannot even write them. Every reader (CSV, GIS files,
GeoParquet datasets, annotations), the risk config and the command-line options check numbers
with the functions here, so the rule and its message are the same everywhere.
"""

from __future__ import annotations

import math
from typing import Any


def finite_number(value: Any) -> float:
    """``value`` (a number, or the text of a cell) as a float; raises ``ValueError`` saying why
    when it is not a number, or is NaN or infinite."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number


def is_finite_number(value: Any) -> bool:
    """Whether ``value`` is already a number (not a bool, not text) and finite."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def finite_mask(values: Any) -> Any:
    """The same rule for a whole array: True where a value is finite (``numpy.isfinite``)."""
    import numpy as np

    return np.isfinite(np.asarray(values, dtype="float64"))


def nan_as_null(data: Any) -> Any:
    """``data`` with every NaN (a missing value in pandas) replaced by ``None``, so it can be
    written as strict JSON (``json.dumps(..., allow_nan=False)``); infinities are left for
    that strict writer to refuse, since they are never a missing value."""
    if hasattr(data, "item") and not hasattr(data, "__len__"):
        data = data.item()  # numpy and pandas scalars
    if isinstance(data, float) and math.isnan(data):
        return None
    if isinstance(data, dict):
        return {key: nan_as_null(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [nan_as_null(value) for value in data]
    return data
