"""Per-key totals that do not depend on order or batching: exact sums, counts and the largest
contributions, which merge across batches, partitions and workers to the same digits.

A float sum depends on the order of its terms; an engine that streams batches or runs
partitions on several workers adds in another order. :class:`ExactSums` keeps each key's sum
as an exact fixed-point integer in 32-bit limbs (every float64 is a whole multiple of
2**-1130 spanning at most three limbs), and terms that are whole numbers (counts of deaths) as
a plain integer beside them, so any split of the terms gives the same integer, and the total
is rounded once, correctly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

LIMB_BITS = 32
#: Every finite float64 is a whole multiple of this power of two (below the last subnormal bit).
LOWEST_BIT = -1130
LIMBS = (1024 - LOWEST_BIT) // LIMB_BITS + 3
#: Terms added with one bincount: each piece is below 2**34, so sums stay exact in float64.
BINCOUNT_TERMS = 1 << 18
MASK = (1 << LIMB_BITS) - 1


class ExactSums:
    """Correctly rounded sums of float64 terms per key (0 … n-1), in any order, in batches."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.limbs = np.zeros((n, LIMBS), dtype=np.int64)
        self.whole = np.zeros(n, dtype=np.int64)  # terms that are whole numbers (counts of deaths)
        self.other = np.zeros(n)  # NaN and infinities, which have no exact value to add

    def add(self, keys: np.ndarray, values: np.ndarray) -> None:
        keys, values = np.asarray(keys, dtype=np.int64), np.asarray(values, dtype=np.float64)
        finite = np.isfinite(values)
        if not finite.all():
            self.other += np.bincount(keys[~finite], weights=values[~finite], minlength=self.n)
            keys, values = keys[finite], values[finite]
        add = self._add_whole if _whole(values) else self._add_exactly
        for start in range(0, len(values), BINCOUNT_TERMS):
            add(keys[start : start + BINCOUNT_TERMS], values[start : start + BINCOUNT_TERMS])

    def _add_whole(self, keys: np.ndarray, values: np.ndarray) -> None:
        """Whole numbers below 2**32 need no limbs: a bincount of them stays below 2**50, exact."""
        self.whole += np.bincount(keys, weights=values, minlength=self.n).astype(np.int64)
        self._fold_whole()

    def _fold_whole(self) -> None:
        """Move the whole-number sums into the limbs before they could pass 2**63: each in two
        halves below 2**32, which are exact as floats."""
        if not len(self.whole) or np.abs(self.whole).max() < 1 << 61:
            return
        keys = np.arange(self.n)
        self._add_exactly(keys, (self.whole >> LIMB_BITS).astype(np.float64) * 2.0**LIMB_BITS)
        self._add_exactly(keys, (self.whole & MASK).astype(np.float64))
        self.whole[:] = 0

    def _add_exactly(self, keys: np.ndarray, values: np.ndarray) -> None:
        if not len(values):
            return
        fraction, exponent = np.frexp(values)
        mantissa = np.ldexp(np.abs(fraction), 53).astype(np.int64)  # exact: 53 significant bits
        sign = np.where(values < 0, -1.0, 1.0)
        shift = exponent.astype(np.int64) - 53 - LOWEST_BIT
        limb, offset = shift // LIMB_BITS, shift % LIMB_BITS
        low = (mantissa & MASK) << offset  # below 2**63
        high = (mantissa >> LIMB_BITS) << offset  # below 2**52
        # Only the limbs these terms reach (a few: terms of one batch span few magnitudes).
        first, last = int(limb.min()), min(int(limb.max()) + 3, LIMBS)
        width = last - first
        flat = np.zeros(self.n * width)
        base = keys * width + (limb - first)
        for step, piece in (
            (0, low & MASK),
            (1, (low >> LIMB_BITS) + (high & MASK)),
            (2, high >> LIMB_BITS),
        ):
            flat += np.bincount(base + step, weights=sign * piece.astype(np.float64), minlength=self.n * width)
        self.limbs[:, first:last] += flat.astype(np.int64).reshape(self.n, width)
        self._carry(first)

    def _carry(self, first: int = 0) -> None:
        """Keep every limb but the top one within 32 bits, so no batch count overflows int64;
        limbs below ``first`` are already (nothing was added to them)."""
        for _ in range(2):
            carry = self.limbs[:, first:-1] >> LIMB_BITS
            self.limbs[:, first:-1] &= MASK
            self.limbs[:, first + 1 :] += carry

    def merge(self, other: ExactSums) -> ExactSums:
        self.limbs += other.limbs
        self.whole += other.whole
        self._fold_whole()
        self.other += other.other
        self._carry()
        return self

    def totals(self) -> np.ndarray:
        """Each key's sum, rounded once to the nearest float64."""
        result = self.other.copy()
        scale = 1 << -LOWEST_BIT
        for key in np.flatnonzero(self.limbs.any(axis=1) | (self.whole != 0)):
            exact = sum(int(limb) << (LIMB_BITS * j) for j, limb in enumerate(self.limbs[key]) if limb)
            exact += int(self.whole[key]) * scale
            result[key] += exact / scale  # int / int rounds correctly
        return result


def _whole(values: np.ndarray) -> bool:
    """Whether every value is a whole number below 2**32 in size."""
    return bool(np.all((np.abs(values) < 2.0**32) & (np.floor(values) == values)))


@dataclass
class Tally:
    """Per key: the exact sum of values, how many there were, and the ``keep`` largest ones
    (ties broken by ``km`` then by ``row``, the input position) with their payload columns."""

    n: int
    keep: int
    sums: ExactSums = field(init=False)
    counts: np.ndarray = field(init=False)
    top: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        self.sums = ExactSums(self.n)
        self.counts = np.zeros(self.n, dtype=np.int64)

    def add(
        self,
        key: np.ndarray,
        value: np.ndarray,
        km: np.ndarray,
        row: np.ndarray,
        details: Callable[[np.ndarray], dict[str, np.ndarray]] | None = None,
    ) -> Tally:
        """Count these terms. ``details(positions)`` gives the columns (e.g. an event's title)
        that ride along with the candidates for the top, and only with them."""
        key = np.asarray(key, dtype=np.int64)
        self.sums.add(key, value)
        self.counts += np.bincount(key, minlength=self.n)
        chosen = _largest_candidates(key, np.asarray(value, dtype=float), self.n, self.keep)
        candidates = pd.DataFrame(
            {
                "key": key[chosen],
                "value": np.asarray(value)[chosen],
                "km": np.asarray(km)[chosen],
                "row": np.asarray(row)[chosen],
                **(details(chosen) if details else {}),
            }
        )
        self._keep_top(candidates)
        return self

    def merge(self, other: Tally) -> Tally:
        self.sums.merge(other.sums)
        self.counts += other.counts
        if other.top is not None:
            self._keep_top(other.top)
        return self

    def totals(self) -> np.ndarray:
        return self.sums.totals()

    def _keep_top(self, candidates: pd.DataFrame) -> None:
        both = candidates if self.top is None else pd.concat([self.top, candidates], ignore_index=True)
        order = np.lexsort((both.row.to_numpy(), both.km.to_numpy(), -both.value.to_numpy(), both.key.to_numpy()))
        key = both.key.to_numpy()[order]
        first = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))  # where each key's run starts
        rank = np.arange(len(key)) - np.repeat(first, np.diff(np.append(first, len(key))))
        self.top = both.take(order[rank < self.keep]).reset_index(drop=True)


def _largest_candidates(key: np.ndarray, value: np.ndarray, n: int, keep: int) -> np.ndarray:
    """Positions that may be among each key's ``keep`` largest values: every term at least as
    large as the key's ``keep``-th largest distinct value (so ties are all kept for the final
    ordering), found without sorting every term."""
    ranked = np.where(np.isnan(value), -np.inf, value)
    remaining = np.ones(len(value), dtype=bool)
    threshold = np.full(n, -np.inf)
    for _ in range(keep):
        if not remaining.any():
            break
        largest = np.full(n, -np.inf)
        np.maximum.at(largest, key[remaining], ranked[remaining])
        seen = np.isfinite(largest) | (largest == np.inf)
        threshold[seen] = largest[seen]
        remaining &= ranked < largest[key]
    return np.flatnonzero(ranked >= threshold[key])
