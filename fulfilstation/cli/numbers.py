"""argparse types for the numbers commands take: finite, in range, one plain message.

``float`` alone accepts ``nan``, ``inf`` and ``1e308``, which later overflow a sleep or
make a comparison meaningless; these types refuse them while parsing, so argparse prints
one line (``argument --timeout: …``) and exits 2. Pure functions, safe anywhere.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

MAX_SECONDS = 24 * 3600.0
"""The longest wait (a timeout, an interval) a command accepts: one day."""


def bounded_number(low: float, high: float, what: str, *, low_inclusive: bool = True) -> Callable[[str], float]:
    """An argparse ``type``: a finite number between ``low`` and ``high`` (``what`` names
    it in the message, e.g. "seconds")."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        above_low = value >= low if low_inclusive else value > low
        if not (math.isfinite(value) and above_low and value <= high):
            span = f"from {low:g} to {high:g}" if low_inclusive else f"above {low:g}, at most {high:g}"
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of {what} {span}")
        return value

    return parse


seconds = bounded_number(0.0, MAX_SECONDS, "seconds", low_inclusive=False)
"""Seconds: more than 0, at most a day."""


def whole_number(low: int, high: int, what: str = "") -> Callable[[str], int]:
    """An argparse ``type``: a whole number from ``low`` to ``high`` (``1,000`` and
    ``1_000`` are accepted). Bounds keep a number inside what the database can store."""
    noun = f" of {what}" if what else ""

    def parse(text: str) -> int:
        try:
            value = int(text.strip().replace(",", "").replace("_", ""))
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number{noun} from {low:,} to {high:,}")
        return value

    return parse


DATABASE_ID = whole_number(1, 2**63 - 1)
"""A row id: positive and within a 64-bit integer."""
