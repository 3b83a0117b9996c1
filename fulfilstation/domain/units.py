"""Showing weights: integer grams inside, the site's units on screen. Pure, no Qt.

``format_weight(567, "lb")`` → ``"1.25 lb"``. Units: ``lb`` (2 decimals), ``oz``
(1 decimal), ``lb-oz`` (``"2 lb 3.2 oz"``), ``kg`` (3 decimals, one gram), ``g``.
A weight the scale did not report (``None``) shows as an em dash. A value that rounds
to zero never shows a minus sign.
"""

from __future__ import annotations

GRAMS_PER_POUND = 453.59237
GRAMS_PER_OUNCE = GRAMS_PER_POUND / 16
WEIGHT_UNITS = ("lb", "oz", "lb-oz", "kg", "g")
NO_WEIGHT = "—"


def format_weight(grams: int | None, unit: str = "lb") -> str:
    """``grams`` in ``unit`` (one of :data:`WEIGHT_UNITS`); ValueError for another unit."""
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


def _number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _pounds_and_ounces(grams: int) -> str:
    tenths = round(abs(grams) / GRAMS_PER_OUNCE * 10)  # whole tenths of an ounce
    pounds, rest = divmod(tenths, 160)
    sign = "-" if grams < 0 and tenths else ""
    ounces = f"{rest // 10}.{rest % 10} oz"
    return f"{sign}{pounds} lb {ounces}" if pounds else f"{sign}{ounces}"


_GRAMS_PER_UNIT = {"g": 1.0, "kg": 1000.0, "lb": GRAMS_PER_POUND, "oz": GRAMS_PER_OUNCE}


def parse_weight(text: str) -> int:
    """``"1.25lb"``, ``"567g"``, ``"0.4 kg"``, ``"20oz"`` → whole grams (half up).
    ValueError naming the accepted units for anything else."""
    cleaned = text.strip().lower().replace(" ", "")
    number = cleaned.rstrip("abcdefghijklmnopqrstuvwxyz")
    unit = cleaned[len(number):]
    try:
        value = float(number)
    except ValueError:
        value = -1.0
    if unit not in _GRAMS_PER_UNIT or value < 0 or number in ("", "."):
        raise ValueError(f"'{text}' is not a weight: write it like 1.25lb, 567g, 0.4kg or 20oz")
    return int(value * _GRAMS_PER_UNIT[unit] + 0.5)
