"""Complexity-adjusted packing productivity: standard minutes per order, fitted over a period.

The model: an order's packing minutes ≈ ``a + b × items + c × distinct SKUs`` — a fixed part per
order (open it, choose and close the box, label), a part per unit scanned and a part per
different product to find. ``a``, ``b``, ``c`` are fitted over every closed pack session of the
period, across all packers, by non-negative least squares (every subset of the three terms is
fitted by least squares, and the best fit whose coefficients are all ≥ 0 is kept: a coefficient
the data would make negative is held at 0 — more items never take less time).
A packer's index is ``100 × Σ expected minutes of their orders / Σ their actual minutes``: 100
is the period's average pace for that mix of orders, above 100 faster. A packer who packs only
multi-item orders is measured against what multi-item orders take, so they are not ranked
below one on single-item orders for the same pace.

With fewer than three sessions, or orders all alike, the fit has nothing to tell apart: the
standard is then the period's mean minutes per order (``Standard.fitted`` False).

Threading: pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a standard is fitted: numpy is ~20 MB a packing station never needs
    import numpy as np


@dataclass(frozen=True)
class Standard:
    per_order: float  # a, minutes
    per_item: float  # b, minutes per unit
    per_sku: float  # c, minutes per distinct SKU
    fitted: bool  # False: the period's mean minutes per order, nothing else told apart

    def minutes(self, items: int, skus: int) -> float:
        return self.per_order + self.per_item * items + self.per_sku * skus

    def words(self) -> str:
        if not self.fitted:
            return (f"standard minutes per order = the period's mean, {self.per_order:.2f} min (too few or too "
                    "alike orders to fit items and SKUs)")
        return (f"standard minutes per order = {self.per_order:.2f} + {self.per_item:.2f} × items + "
                f"{self.per_sku:.2f} × distinct SKUs, fitted over every closed pack of the period by "
                "non-negative least squares")


@dataclass(frozen=True)
class Moments:
    """The sums least squares needs over the sessions (n, Σ items, Σ SKUs, Σ items², Σ items·SKUs,
    Σ SKUs², Σ minutes, Σ items·minutes, Σ SKUs·minutes, Σ minutes²): the database adds them up,
    so no session has to leave it."""

    n: float = 0.0
    items: float = 0.0
    skus: float = 0.0
    items2: float = 0.0
    items_skus: float = 0.0
    skus2: float = 0.0
    minutes: float = 0.0
    items_minutes: float = 0.0
    skus_minutes: float = 0.0
    minutes2: float = 0.0

    @classmethod
    def of(cls, samples: Sequence[tuple[int, int, float]]) -> Moments:
        return cls(float(len(samples)), *(float(sum(values)) for values in zip(
            *[(i, s, i * i, i * s, s * s, m, i * m, s * m, m * m) for i, s, m in samples], strict=True))) \
            if samples else cls()


def fit_standard(samples: Sequence[tuple[int, int, float]]) -> Standard:
    """``samples``: (items, distinct SKUs, minutes) of each pack session."""
    return fit_moments(Moments.of(samples))


def fit_moments(m: Moments) -> Standard:
    import numpy as np

    if m.n <= 0:
        return Standard(0.0, 0.0, 0.0, fitted=False)
    mean = m.minutes / m.n
    gram = np.array([[m.n, m.items, m.skus], [m.items, m.items2, m.items_skus], [m.skus, m.items_skus, m.skus2]])
    if m.n < 3 or np.linalg.matrix_rank(gram) < 2:
        return Standard(mean, 0.0, 0.0, fitted=False)
    a, b, c = non_negative_fit(gram, np.array([m.minutes, m.items_minutes, m.skus_minutes]), m.minutes2)
    return Standard(a, b, c, fitted=True)


def non_negative_fit(gram: np.ndarray, moment: np.ndarray, total2: float) -> tuple[float, float, float]:
    """The least-squares coefficients ≥ 0 of the three columns, from the normal equations
    (``gram`` = XᵀX, ``moment`` = Xᵀy, ``total2`` = yᵀy). Exact for three columns: every subset
    is solved freely and the admissible one with the least residual ``yᵀy − 2βᵀXᵀy + βᵀXᵀXβ`` wins."""
    import numpy as np

    best: tuple[float, tuple[float, float, float]] | None = None
    for size in (3, 2, 1):
        for chosen in combinations(range(3), size):
            sub = np.ix_(chosen, chosen)
            solution = np.linalg.lstsq(gram[sub], moment[list(chosen)], rcond=None)[0]
            if any(value < -1e-9 for value in solution):
                continue
            full = np.zeros(3)
            for column, value in zip(chosen, solution, strict=True):
                full[column] = max(0.0, round(float(value), 9))
            residual = float(total2 - 2 * full @ moment + full @ gram @ full)
            if best is None or residual < best[0] - 1e-9 * max(1.0, abs(total2)):
                best = (residual, (float(full[0]), float(full[1]), float(full[2])))
    return best[1] if best is not None else (float(moment[0] / gram[0, 0]), 0.0, 0.0)


def index(expected_minutes: float, actual_minutes: float) -> float | None:
    """100 × expected / actual (None when no time was recorded)."""
    if actual_minutes <= 0:
        return None
    return 100.0 * expected_minutes / actual_minutes
