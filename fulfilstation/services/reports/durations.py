"""Instants and durations computed by the database (one expression per engine), so reports
fetch numbers rather than rows of timestamps.

Invariants: ``epoch_seconds`` is seconds since 1970-01-01 UTC of a ``UtcDateTime`` column
(PostgreSQL: ``EXTRACT(EPOCH …)``; SQLite: from ``julianday`` of the stored UTC text, exact to
well under a millisecond); a duration is the difference of two of them. Money is done with
whole milliseconds: rounded in Python (``whole_ms``) or by the database (``total_whole_ms``).

Threading: pure (builds SQL expressions).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Float, cast, func
from sqlalchemy.orm import InstrumentedAttribute

Instant = ColumnElement[Any] | InstrumentedAttribute[Any]


def epoch_seconds(instant: Instant, dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return (func.julianday(instant) - 2440587.5) * 86400.0
    return cast(func.extract("epoch", instant), Float)


def seconds_between(start: Instant, end: Instant, dialect: str) -> ColumnElement[Any]:
    return epoch_seconds(end, dialect) - epoch_seconds(start, dialect)


def minutes(start: Instant, end: Instant, dialect: str) -> ColumnElement[Any]:
    return seconds_between(start, end, dialect) / 60.0


def total_whole_ms(start: Instant, end: Instant, dialect: str) -> ColumnElement[Any]:
    """The sum of the group's durations in whole milliseconds (the database's ``whole_ms``)."""
    return func.round(func.sum(seconds_between(start, end, dialect)) * 1000)


def whole_ms(seconds: float | None) -> float:
    """Seconds rounded to whole milliseconds (None: 0): what SQLite's float arithmetic gives back
    for a duration of 480 s may be 479.99999997."""
    return round(float(seconds or 0.0), 3)
