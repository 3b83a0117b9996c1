"""Declarative base, naming convention and portable column types.

Invariants kept by every model:

* Quantities are ``int``; money is integer minor units beside an ISO 4217 ``currency``;
  weights are integer grams; lengths are integer millimetres.
* Timestamps are timezone-aware UTC in Python whatever the engine stores (``UtcDateTime``).
* Status columns are plain strings guarded by named CHECK constraints (no native enums),
  so one schema runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import CheckConstraint, DateTime, Dialect, MetaData, String
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is always timezone-aware UTC on the Python side.

    SQLite keeps no zone, so values are normalised to UTC before storing and tagged as
    UTC when read. A naive datetime is refused: it is a bug in the caller.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column; use an aware UTC time")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def Currency() -> String:  # noqa: N802 - reads like a type in column declarations
    """ISO 4217 code, three upper-case letters."""
    return String(3)


def one_of(column: str, values: Iterable[str], name: str) -> CheckConstraint:
    """A named CHECK that ``column`` holds one of ``values`` (the portable enum)."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


def non_negative(*columns: str, name: str) -> CheckConstraint:
    return CheckConstraint(" AND ".join(f"{c} >= 0" for c in columns), name=name)
