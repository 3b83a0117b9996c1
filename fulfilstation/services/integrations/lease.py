"""The outbox lease: one worker at a time per site, settled in the database.

A lease is a row of ``integration_locks`` (``name`` primary key, ``holder``,
``expires_at``). ``take`` first tries ``INSERT … ON CONFLICT DO NOTHING`` (both engines),
then a conditional ``UPDATE … WHERE name = :n AND (expires_at < :now OR holder = :me)``:
exactly one of two workers racing for a free or expired lease gets it (the unique key and
the row lock decide, never Python). ``renew`` extends it only while ``holder = :me``, so a
worker whose lease expired and was taken over learns it and stops. ``release`` deletes it
only when still ours. Times come from the caller (the Clock port): tests need no sleeps.

Threading: each call is its own short transaction; safe from any thread.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import IntegrationLock

OUTBOX_LEASE = "outbox"
LEASE_SECONDS = 120.0


def take(database: Database, holder: str, now: dt.datetime, *, name: str = OUTBOX_LEASE,
         seconds: float = LEASE_SECONDS) -> bool:
    """True when ``holder`` holds the lease until ``now + seconds``."""
    expires = now + dt.timedelta(seconds=seconds)
    with database.unit_of_work() as session:
        insert: Any = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        if session.execute(insert(IntegrationLock).values(name=name, holder=holder, expires_at=expires)
                           .on_conflict_do_nothing(index_elements=[IntegrationLock.name])
                           .returning(IntegrationLock.name)).first() is not None:
            return True
        return bool(rows_changed(session, update(IntegrationLock).where(
            IntegrationLock.name == name,
            or_(IntegrationLock.expires_at < now, IntegrationLock.holder == holder))
            .values(holder=holder, expires_at=expires)))


def renew(database: Database, holder: str, now: dt.datetime, *, name: str = OUTBOX_LEASE,
          seconds: float = LEASE_SECONDS) -> bool:
    """Extend our lease; False when it is no longer ours (it expired and another took it)."""
    with database.unit_of_work() as session:
        return bool(rows_changed(session, update(IntegrationLock).where(
            IntegrationLock.name == name, IntegrationLock.holder == holder)
            .values(expires_at=now + dt.timedelta(seconds=seconds))))


def release(database: Database, holder: str, *, name: str = OUTBOX_LEASE) -> None:
    with database.unit_of_work() as session:
        session.execute(delete(IntegrationLock).where(IntegrationLock.name == name, IntegrationLock.holder == holder))
