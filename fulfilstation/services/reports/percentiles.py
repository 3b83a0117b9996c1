"""Median and p90 of durations, the way the service-level tables state them.

* median: the middle value of the sorted values, the mean of the two middle ones for an even count;
* p90: nearest rank — the value at rank ⌈0.9 · n⌉ of the sorted values (1-based), so that at
  least 90 % of the values are at or below it and it is always one of the values.

Both are None for no values. Pure functions; thread-safe.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def nearest_rank(values: Sequence[float], share: float) -> float | None:
    """The value at rank ⌈share · n⌉ (at least rank 1) of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered) - 1e-9))
    return ordered[rank - 1]


def p90(values: Sequence[float]) -> float | None:
    return nearest_rank(values, 0.9)
