"""Numbers as a shop's JSON gives them, read the same way for every shop.

A shop sends a quantity as ``3``, ``"3"`` or ``3.0``, and may send anything else (``inf``,
``"1e999999999"``, an object). ``whole_number`` never raises and never builds a huge
integer: anything that is not a whole number within ±``AMOUNT_LIMIT`` reads as 0, which
the intake refuses in words ("the quantity must be at least 1").
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

AMOUNT_LIMIT = Decimal(10) ** 18  # no order's amount or quantity comes near it; past it a value is refused


def whole_number(value: Any) -> int:
    """A quantity as JSON gives it; 0 when it is not a whole number within ±10¹⁸."""
    if isinstance(value, bool) or value is None:
        return 0
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return 0
    if not number.is_finite() or number.copy_abs() >= AMOUNT_LIMIT or number != number.to_integral_value():
        return 0
    return int(number)
