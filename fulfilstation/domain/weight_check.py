"""Checking a parcel's weight against what its contents and box should weigh.

Allowed difference: the larger of a fixed number of grams and a percentage of the expected
weight (both site settings). Invariant: a range never reaches down to an empty scale — its
minimum is at least ``MIN_WEIGHT_G`` (1 g), even when the allowance is larger than a light
parcel (a USB-C cable in a poly mailer, 50 g, with the demo's 60 g tolerance). Pure functions;
grams throughout.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from fulfilstation.domain.units import format_least_weight, format_weight

#: Why a manager accepts a weight outside the range: the choices offered (free text may be
#: added, or replace "Other"). An override always carries a reason: the use case refuses none.
OVERRIDE_REASONS: Final = (
    "Catalogue weight is wrong",
    "Extra packing material",
    "Substitute item approved",
    "Scale checked, reading is right",
    "Other",
)


#: The least an expected range's minimum may be: no range includes an empty scale (0 g).
MIN_WEIGHT_G: Final = 1


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
        return cls(expected, max(MIN_WEIGHT_G, expected - allowance), max(MIN_WEIGHT_G, expected + allowance))

    def verdict(self, measured_g: int) -> WeightVerdict:
        """OVER or UNDER outside ``min_g``…``max_g``; an empty scale (zero or less) is always
        UNDER, even when the range reaches down to zero."""
        if measured_g > self.max_g:
            return WeightVerdict.OVER
        if measured_g < self.min_g or (measured_g <= 0 < self.expected_g):
            return WeightVerdict.UNDER
        return WeightVerdict.OK

    def explain(self, measured_g: int, unit: str = "g") -> str:
        """What the packer should check, in words, weights in ``unit`` (one of
        ``units.WEIGHT_UNITS``); empty when the weight is right. Nothing on the scale (zero
        or less) is said as such, not as a missing item."""
        verdict = self.verdict(measured_g)
        if verdict is WeightVerdict.UNDER and measured_g <= 0:
            return (f"The scale shows {format_weight(measured_g, unit)}: nothing is on it. Put the parcel on the "
                    "scale and wait for a steady weight.")
        if verdict is WeightVerdict.OVER:
            return (f"The parcel is {self.difference(measured_g, unit)} heavier than expected: is there an extra "
                    "item, or the wrong box?")
        if verdict is WeightVerdict.UNDER:
            return f"The parcel is {self.difference(measured_g, unit)} lighter than expected: an item may be missing."
        return ""

    def difference(self, measured_g: int, unit: str = "g") -> str:
        """How far ``measured_g`` is from the expected weight, in ``unit``, without a sign."""
        return format_weight(abs(measured_g - self.expected_g), unit)

    def range_text(self, unit: str = "g") -> str:
        """The accepted range in ``unit``: ``"0.380 kg – 0.480 kg"``."""
        return f"{format_least_weight(self.min_g, unit)} – {format_weight(self.max_g, unit)}"

    def is_empty_scale(self, measured_g: int) -> bool:
        """Nothing on the scale: zero or less (a scale zeroed with something on it)."""
        return measured_g <= 0


def acceptance_words(accepted_by: str, measured_g: int, expected_g: int, unit: str, reason: str) -> str:
    """A manager's accepted weight in words, for the shipped banner and the order history:
    ``accepted by Morgan Manager at 0.412 kg (0.150 kg light): Extra packing material``."""
    difference = measured_g - expected_g
    side = "heavy" if difference > 0 else "light"
    text = (f"accepted by {accepted_by} at {format_weight(measured_g, unit)} "
            f"({format_weight(abs(difference), unit)} {side})")
    return f"{text}: {reason}" if reason else text


def override_words(details: Mapping[str, Any]) -> str:
    """A ``weight.override`` audit entry's details as ``accepted by NAME at W (D light): REASON``."""
    return acceptance_words(str(details.get("accepted_by") or "a manager"), int(details.get("measured_g") or 0),
                            int(details.get("expected_g") or 0), str(details.get("unit") or "g"),
                            str(details.get("reason") or ""))
