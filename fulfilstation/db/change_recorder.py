"""Recording which tables each committed transaction changed, and publishing them.

``install(engine)`` (called by ``Database`` for its engine, once per engine) hooks the
engine's events, so every writer is covered without a use case doing anything: ORM
flushes, ``session.execute(update(...))``, ``session.connection().execute(prebuilt)``
and plain ``engine.begin()`` blocks alike.

Invariants:

* **Collect.** After each statement runs (``after_execute``), the table it may have
  changed joins the set kept for the current transaction of that connection, in
  ``Connection.info``. That dict belongs to the pooled DBAPI connection and so outlives a
  checkout: the set is dropped at every BEGIN, COMMIT and ROLLBACK, so a transaction never
  inherits what another one did on the same pooled connection.
* **Publish at commit, in the transaction.** At COMMIT, just before the DBAPI commit, a
  non-empty set is published *inside that transaction*, so it is seen if and only if the
  transaction commits; a rollback publishes nothing.

  - PostgreSQL: ``SELECT pg_notify(CHANNEL, payload)`` (``change_format``); the server
    delivers it at commit. Nothing is written to any table: a shared counter row would
    serialize every writer of every station for its whole transaction. NOTIFY itself
    does serialize the *commit step*: PostgreSQL holds a cluster-wide lock from queuing
    the notification until the commit is durable (``PreCommit_Notify`` in async.c), so
    announcing commits reach the disk one at a time instead of in groups. A site's few
    commits per second never notice; ``bench/change_feed.py`` measures the ceiling
    (commits per second of concurrent writers, with and without).
  - SQLite: an upsert of ``change_counters`` (version + 1, source) per table. SQLite has
    one writer at a time anyway, so this costs no concurrency. A database not yet
    migrated to a revision before 0006 has no such table: then nothing is published (no listener
    can be reading it either).

  It is written on the raw DBAPI connection, so it is not itself recorded and costs no
  SQLAlchemy statement overhead. If publishing fails, the commit fails (with the driver's
  own exception) and the transaction is rolled back: a change is never committed
  unannounced.

What counts as a change of which table:

* an INSERT, UPDATE or DELETE construct (Core or ORM): its target table. An UPDATE or
  DELETE without RETURNING that reports 0 rows changed nothing and is not recorded;
* text SQL (``text()``, ``exec_driver_sql``), whose tables cannot be known reliably: if
  it starts with a keyword that never changes rows (SELECT, SET, SHOW, PRAGMA, the
  transaction keywords, LISTEN/NOTIFY, and schema DDL such as CREATE/ALTER/DROP, which
  only migrations run) it is not a change; anything else (INSERT, UPDATE, DELETE, WITH,
  MERGE, COPY, CALL, EXPLAIN, anything unrecognised) records ``ALL``, so every listener
  refreshes everything. Over-reporting costs a refresh; under-reporting would leave a
  stale screen;
* everything else (SELECT constructs, DDL constructs): no change.

Known over-reporting (safe): a change inside a savepoint that is rolled back is still
published with the enclosing transaction. Not covered: writes on a connection in
AUTOCOMMIT mode are published only if that connection's ``commit()`` is called.

In this process, ``committed_here()`` also tells a caller which tables the transactions
committed on its own thread changed (how a use case reports what it changed).

Threading: the hooks run on whichever thread uses the connection and keep their state
on that connection only (a connection is used by one thread at a time); only ``install``
takes a lock. ``committed_here`` keeps its sets per thread.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Executable, TextClause, event
from sqlalchemy.engine import CursorResult
from sqlalchemy.sql.dml import Delete, Update, UpdateBase
from sqlalchemy.sql.selectable import TextualSelect

from fulfilstation.db.change_format import ALL, CHANNEL, NOT_PUBLISHED, encode, new_source

_KEY = "fulfilstation.changed_tables"
_SILENT = "fulfilstation.unpublished"  # set on a connection while a migration runs on it
_SOURCES: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
_INSTALLING = threading.Lock()
_HERE = threading.local()  # .sets: the sets of the committed_here blocks open on this thread

_NOT_CHANGES = frozenset({
    "SELECT", "VALUES", "TABLE", "SHOW", "SET", "RESET", "PRAGMA", "DISCARD",
    "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "PREPARE", "DEALLOCATE",
    "DECLARE", "FETCH", "MOVE", "CLOSE", "LISTEN", "UNLISTEN", "NOTIFY", "LOCK",
    "ANALYZE", "VACUUM", "CHECKPOINT", "REINDEX", "CLUSTER",
    "CREATE", "ALTER", "DROP", "COMMENT", "GRANT", "REVOKE",
})
_FIRST_WORD = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/|\()*([A-Za-z]+)", re.DOTALL)

_SQLITE_BUMP = ("INSERT INTO change_counters (table_name, version, source) VALUES (?, 1, ?) "
                "ON CONFLICT (table_name) DO UPDATE SET version = change_counters.version + 1, "
                "source = excluded.source")
_PG_NOTIFY = "SELECT pg_notify(%s, %s)"


def install(engine: Engine) -> str:
    """Record and publish the changes of every transaction on ``engine``; return its source
    token. Idempotent: a second call for the same engine returns the same token."""
    with _INSTALLING:
        source = _SOURCES.get(engine)
        if source is None:
            source = _SOURCES[engine] = _install(engine)
        return source


def _install(engine: Engine) -> str:
    backend = engine.dialect.name
    if backend not in ("postgresql", "sqlite"):
        raise ValueError(f"Changes cannot be published on {backend}: use PostgreSQL or SQLite.")
    source = new_source()
    publish = _notify if backend == "postgresql" else _bump_counters

    def _commit(connection: Connection) -> None:
        tables: set[str] | None = connection.info.pop(_KEY, None)
        if tables:
            publish(connection.connection.dbapi_connection, source, tables)
            for collected in getattr(_HERE, "sets", ()):
                collected.update(tables)

    event.listen(engine, "begin", _forget)
    event.listen(engine, "rollback", _forget)
    event.listen(engine, "after_execute", _collect)
    event.listen(engine, "commit", _commit)
    return source


@contextmanager
def unpublished(connection: Connection) -> Iterator[None]:
    """Nothing changed on ``connection`` inside the block is published: a schema migration's
    table copies (``_alembic_tmp_*``) and data fixes are not changes anyone can act on. A
    listener (re)connecting to the migrated database says ``ALL``, and a station still
    running the code from before refuses to write to it (``schema_guard``)."""
    connection.info[_SILENT] = True
    try:
        yield
    finally:
        connection.info.pop(_SILENT, None)
        connection.info.pop(_KEY, None)


@contextmanager
def committed_here() -> Iterator[set[str]]:
    """The tables changed by the transactions this thread commits inside the block (a block
    nested in another one counts for both). A failed commit may still have been counted:
    callers report the set only when their work succeeded."""
    sets: list[set[str]] = _HERE.__dict__.setdefault("sets", [])
    mine: set[str] = set()
    sets.append(mine)
    try:
        yield mine
    finally:
        sets.remove(mine)


def changed_table(statement: object, result: object = None) -> str | None:
    """The table ``statement`` may have changed, ``ALL`` if that cannot be known, or None
    when it changes no rows (rules in the module docstring)."""
    if isinstance(statement, UpdateBase):
        if isinstance(statement, Update | Delete) and _matched_nothing(result):
            return None
        name = getattr(getattr(statement, "table", None), "name", None)
        return name if isinstance(name, str) else ALL
    if isinstance(statement, str):
        sql = statement
    elif isinstance(statement, TextClause):
        sql = statement.text
    elif isinstance(statement, TextualSelect):  # text(...).columns(...): may still be UPDATE ... RETURNING
        element = statement.element
        sql = element.text if isinstance(element, TextClause) else ""
    else:
        return None
    word = _FIRST_WORD.match(sql)
    return None if word and word.group(1).upper() in _NOT_CHANGES else ALL


def _matched_nothing(result: object) -> bool:
    return isinstance(result, CursorResult) and not result.returns_rows and result.rowcount == 0


def _forget(connection: Connection) -> None:
    if connection.invalidated:  # lost (a dropped server, Ctrl+C mid-statement): its info went with it
        return
    connection.info.pop(_KEY, None)


def _collect(connection: Connection, statement: Executable | str, _multiparams: Any, _params: Any,
             _options: Any, result: Any) -> None:
    if connection.info.get(_SILENT):
        return
    table = changed_table(statement, result)
    if table is not None and table not in NOT_PUBLISHED:
        tables: set[str] = connection.info.setdefault(_KEY, set())
        tables.add(table)


def _notify(dbapi: Any, source: str, tables: set[str]) -> None:
    """PostgreSQL (``dbapi`` is a psycopg connection): one NOTIFY, sent at commit."""
    if dbapi.info.transaction_status.name == "INERROR":
        return  # the transaction failed: COMMIT will roll it back, there is nothing to announce
    dbapi.execute(_PG_NOTIFY, (CHANNEL, encode(source, tables)))


def _bump_counters(dbapi: Any, source: str, tables: set[str]) -> None:
    """SQLite (``dbapi`` is an sqlite3 connection): one counter upsert per table."""
    try:
        dbapi.executemany(_SQLITE_BUMP, [(table, source) for table in sorted(tables)])
    except sqlite3.OperationalError as exc:
        if "no such table: change_counters" not in str(exc):
            raise
