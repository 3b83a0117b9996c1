"""Weights and lengths: the one table of unit factors, the one parser of typed weights, and
integer grams shown in the site's units. Pure, no Qt, no I/O; safe from any thread.

Invariants:

* :data:`GRAMS_PER_UNIT` and :data:`MM_PER_INCH_EXACT` are exact by definition (1 lb is
  453.59237 g, 1 oz is 1/16 lb, 1 in is 25.4 mm). Every float constant here is derived from
  them; no other module writes a factor again.
* Grams are whole numbers. :func:`to_grams` and :func:`parse_weight` round half up (half
  away from zero): 1 lb → 454 g, 0.5 g → 1 g.
* :func:`parse_weight` accepts exactly: optional surrounding whitespace, a plain decimal
  number (digits, at most one point, at most 9 digits before it: no sign, no exponent, no
  thousands separator, no nan/inf), optional spaces, and a unit word of
  :data:`UNIT_WORDS` in any letter case (``g``, ``kg``, ``lb``, ``lbs``, ``oz`` …). Anything
  else raises ValueError with a message that shows the accepted form.
* :func:`format_weight` never shows a minus sign on a value that rounds to zero; a weight
  the scale did not report (``None``) shows as an em dash. :func:`format_least_weight` (a
  range's lower bound) never shows a positive weight as zero.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Final

OUNCES_PER_POUND: Final = 16
_POUND = Decimal("453.59237")
#: Grams in one unit, exact. ``mg``, ``ct`` (metric carat) and ``ozt`` (troy ounce) are
#: units a scale may report; people type the four of :data:`UNIT_WORDS`.
GRAMS_PER_UNIT: Final[Mapping[str, Decimal]] = MappingProxyType({
    "mg": Decimal("0.001"),
    "g": Decimal(1),
    "kg": Decimal(1000),
    "ct": Decimal("0.2"),
    "oz": _POUND / OUNCES_PER_POUND,  # 28.349523125, exactly
    "ozt": Decimal("31.1034768"),
    "lb": _POUND,
})
MM_PER_INCH_EXACT: Final = Decimal("25.4")

# Float views of the exact table, for display and layout arithmetic.
GRAMS_PER_POUND: Final = float(GRAMS_PER_UNIT["lb"])
GRAMS_PER_OUNCE: Final = float(GRAMS_PER_UNIT["oz"])
MM_PER_INCH: Final = float(MM_PER_INCH_EXACT)

#: The words a person (or a rate table's header) writes for a weight unit → the unit.
UNIT_WORDS: Final[Mapping[str, str]] = MappingProxyType({
    "g": "g", "gram": "g", "grams": "g",
    "kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
    "oz": "oz", "ounce": "oz", "ounces": "oz",
})

WEIGHT_UNITS = ("lb", "oz", "lb-oz", "kg", "g")  # what format_weight shows
NO_WEIGHT = "—"
ACCEPTED_FORM = "a plain number and a unit (g, kg, lb or oz), like 1.25lb, 567g, 0.4 kg or 20oz"

_TYPED_WEIGHT = re.compile(r"([0-9]{1,9}(?:\.[0-9]*)?|\.[0-9]+) *([a-z]+)", re.ASCII | re.IGNORECASE)


def to_grams(value: Decimal, unit: str) -> int:
    """``value`` ``unit`` as whole grams, half away from zero. KeyError for a unit not in
    :data:`GRAMS_PER_UNIT`."""
    return int((value * GRAMS_PER_UNIT[unit]).to_integral_value(rounding=ROUND_HALF_UP))


def from_grams(grams: int, unit: str, decimals: int) -> Decimal:
    """``grams`` in ``unit``, rounded half up to ``decimals`` places."""
    value = Decimal(grams) / GRAMS_PER_UNIT[unit]
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def parse_weight(text: str) -> int:
    """A typed weight (``"1.25lb"``, ``"567 g"``, ``"0.4KG"``, ``"20 oz"``) → whole grams.
    ValueError, naming the accepted form, for anything else (``"-1lb"``, ``"1e3g"``)."""
    return parse_weight_and_unit(text)[0]


def parse_weight_and_unit(text: str) -> tuple[int, str]:
    """Like :func:`parse_weight`, also returning the unit typed (``"1.25 lbs"`` →
    ``(567, "lb")``), for a display that shows the weight the way it was given."""
    match = _TYPED_WEIGHT.fullmatch(text.strip())
    unit = UNIT_WORDS.get(match.group(2).lower()) if match else None
    if match is None or unit is None:
        raise ValueError(f"{text!r} is not a weight: write {ACCEPTED_FORM}")
    return to_grams(Decimal(match.group(1)), unit), unit


def format_weight(grams: int | None, unit: str = "lb") -> str:
    """``grams`` in ``unit`` (one of :data:`WEIGHT_UNITS`): ``lb`` with 2 decimals
    (``"1.25 lb"``), ``oz`` with 1, ``lb-oz`` (``"2 lb 3.2 oz"``), ``kg`` with 3, ``g``.
    ValueError for another unit."""
    if unit not in WEIGHT_UNITS:
        raise ValueError(f"unknown weight unit {unit!r}: use one of {', '.join(WEIGHT_UNITS)}")
    if grams is None:
        return NO_WEIGHT
    if unit == "lb-oz":
        return _pounds_and_ounces(grams)
    if unit == "g":
        return f"{grams} g"
    value, decimals = {"lb": (grams / GRAMS_PER_POUND, 2), "oz": (grams / GRAMS_PER_OUNCE, 1),
                       "kg": (grams / 1000, 3)}[unit]
    return f"{_number(value, decimals)} {unit}"


def format_least_weight(grams: int, unit: str = "lb") -> str:
    """A range's lower bound in ``unit``: :func:`format_weight`, except that a positive
    weight that would round to zero shows as the unit's smallest step (1 g is ``0.01 lb``,
    not ``0.00 lb``), so no range reads as if it accepted an empty scale."""
    shown = format_weight(grams, unit)
    if grams <= 0 or shown != format_weight(0, unit):
        return shown
    return {"lb": "0.01 lb", "oz": "0.1 oz", "lb-oz": "0.1 oz", "kg": "0.001 kg"}.get(unit, shown)


def _number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _pounds_and_ounces(grams: int) -> str:
    tenths = round(abs(grams) / GRAMS_PER_OUNCE * 10)  # whole tenths of an ounce
    pounds, rest = divmod(tenths, OUNCES_PER_POUND * 10)
    sign = "-" if grams < 0 and tenths else ""
    ounces = f"{rest // 10}.{rest % 10} oz"
    return f"{sign}{pounds} lb {ounces}" if pounds else f"{sign}{ounces}"
