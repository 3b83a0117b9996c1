"""Checking a parcel's weight against what its contents and box should weigh.

Allowed difference: the larger of a fixed number of grams and a percentage of the expected
weight (both site settings). Pure functions; grams throughout.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class WeightVerdict(enum.StrEnum):
    OK = "ok"
    OVER = "over"
    UNDER = "under"


@dataclass(frozen=True)
class Tolerance:
    grams: int = 50
    percent: float = 5.0

    def allowance(self, expected_g: int) -> int:
        return max(self.grams, round(expected_g * self.percent / 100))


@dataclass(frozen=True)
class ExpectedWeight:
    expected_g: int
    min_g: int
    max_g: int

    @classmethod
    def of(cls, contents_g: int, tare_g: int, tolerance: Tolerance) -> ExpectedWeight:
        expected = contents_g + tare_g
        allowance = tolerance.allowance(expected)
        return cls(expected, max(0, expected - allowance), expected + allowance)

    def verdict(self, measured_g: int) -> WeightVerdict:
        if measured_g > self.max_g:
            return WeightVerdict.OVER
        if measured_g < self.min_g:
            return WeightVerdict.UNDER
        return WeightVerdict.OK

    def explain(self, measured_g: int) -> str:
        """What the packer should check, in words (empty when the weight is right)."""
        verdict = self.verdict(measured_g)
        difference = abs(measured_g - self.expected_g)
        if verdict is WeightVerdict.OVER:
            return (f"The parcel is {difference} g heavier than expected: is there an extra item, "
                    "or the wrong box?")
        if verdict is WeightVerdict.UNDER:
            return f"The parcel is {difference} g lighter than expected: an item may be missing."
        return ""
