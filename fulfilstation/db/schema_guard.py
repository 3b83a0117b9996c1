"""Refusing to write into a database whose schema a newer FulfilStation made.

A station that does not know the database's Alembic revision (a newer version upgraded
it) must not write: its statements would miss columns, constraints or rules the newer
schema relies on. ``install(engine)`` (called by ``Database``) hooks the engine so that
every statement that changes rows (INSERT, UPDATE, DELETE, …) first checks the revision
and raises :class:`NewerSchema` — before the statement runs — when it is unknown. Reads
still work, so a station can show what it has while it waits for its update.

Invariants and costs:

* the check is made on the connection about to write, inside its transaction (the
  revision row is read there, never from a cache older than ``RECHECK_AFTER_S``): a
  known revision is trusted for ``RECHECK_AFTER_S`` seconds per engine, so the scan hot
  path pays one small SELECT every few seconds at most, and a newer station's upgrade
  is noticed within that time; an unknown revision is remembered for good;
* a database without ``alembic_version`` (being created by the migrations) is not from
  the future;
* the revisions this code knows are the migration scripts shipped with it.

Threading: the hooks run on the thread using the connection; the per-engine state is a
pair of floats/strings replaced atomically (a race re-checks, harmlessly).
"""

from __future__ import annotations

import functools
import re
import threading
import time
import weakref
from typing import Any

from sqlalchemy import Engine, event

RECHECK_AFTER_S = 5.0

_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "UPSERT", "COPY"})
_FIRST_WORD = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/|\()*([A-Za-z]+)", re.DOTALL)
_WRITE_IN_WITH = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
_GUARDED: weakref.WeakSet[Engine] = weakref.WeakSet()
_INSTALLING = threading.Lock()


class NewerSchema(Exception):
    """The database was upgraded by a newer FulfilStation: this station may not write."""

    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(f"this database was upgraded by a newer FulfilStation (revision {revision}): "
                         "update this station")


@functools.cache
def known_revisions() -> frozenset[str]:
    """Every revision of the migration scripts shipped with this FulfilStation."""
    from fulfilstation.db import revisions

    return revisions.known()


def is_from_the_future(revision: str | None) -> bool:
    return revision is not None and revision not in known_revisions()


def writes_rows(sql: str) -> bool:
    """Whether a statement's SQL text may change rows (pure)."""
    match = _FIRST_WORD.match(sql)
    word = match.group(1).upper() if match else ""
    return word in _WRITES or (word == "WITH" and _WRITE_IN_WITH.search(sql) is not None)


def install(engine: Engine) -> None:
    """Refuse (NewerSchema) every row-changing statement on ``engine`` while the database's
    revision is unknown to this code. Idempotent per engine."""
    with _INSTALLING:
        if engine in _GUARDED:
            return
        _GUARDED.add(engine)
    state: dict[str, Any] = {"checked_at": -RECHECK_AFTER_S, "newer": None}
    backend = engine.dialect.name

    def _before(_connection: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if state["newer"] is None and time.monotonic() - state["checked_at"] < RECHECK_AFTER_S:
            return
        if not writes_rows(statement):
            return
        if state["newer"] is None:
            revision = _revision(cursor, backend)
            if is_from_the_future(revision):
                state["newer"] = revision
            else:
                state["checked_at"] = time.monotonic()
                return
        raise NewerSchema(state["newer"])

    event.listen(engine, "before_cursor_execute", _before)


def _revision(cursor: Any, backend: str) -> str | None:
    """The revision in ``alembic_version``, read on the writing connection itself."""
    exists = ("SELECT to_regclass('alembic_version') IS NOT NULL" if backend == "postgresql"
              else "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
    cursor.execute(exists)
    if not cursor.fetchone()[0]:
        return None
    cursor.execute("SELECT version_num FROM alembic_version")
    row = cursor.fetchone()
    return None if row is None else str(row[0])
