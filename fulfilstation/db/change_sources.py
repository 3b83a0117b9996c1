"""The listening end of the change feed: one dedicated connection that reports what other
transactions committed.

``open_source(database)`` opens it; ``next_changes(stopping)`` blocks for half a second
at most (less once ``stopping`` is set) and returns the changes committed since the last
call, as ``Change`` objects (possibly including this ``Database``'s own: the caller
filters by source). Any error means the connection is gone: close it and open a new one.

* PostgreSQL: its own psycopg connection (autocommit, ``LISTEN CHANNEL``), made from the
  engine's URL and the engine's ``CONNECTION_ARGS`` (3 s connect timeout, TCP keepalives:
  a vanished server is noticed within about 9 s even without a FIN). The password comes
  from ``Database.password_for`` without ever asking (a listener must not prompt from a
  background thread; the app's own connection has asked already). It waits in the
  socket (waking every ``WAIT_SECONDS`` to see whether to stop), so it costs nothing
  while nothing happens.
* SQLite: a DBAPI connection detached from the engine's pool. Every ``POLL_SECONDS`` it
  reads ``PRAGMA data_version`` (changes when another connection commits; no table is
  read) and only then the small ``change_counters`` table. A table whose version moved by
  exactly one since the last read was bumped by one commit, whose source is recorded;
  a larger jump is reported with an unknown source (so never skipped as an echo).

Threading: a source is used, and closed, by the one thread that opened it.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

import psycopg
from psycopg import sql

from fulfilstation.db.change_format import CHANNEL, UNKNOWN_SOURCE, Change, decode
from fulfilstation.db.database import Database
from fulfilstation.db.engine import CONNECTION_ARGS
from fulfilstation.db.url import secret_name

WAIT_SECONDS = 0.5  # how long a PostgreSQL wait may delay stop()
POLL_SECONDS = 0.5


class ChangeSource(Protocol):
    def next_changes(self, stopping: threading.Event) -> list[Change]: ...

    def close(self) -> None: ...


def open_source(database: Database) -> ChangeSource:
    """A listening connection for ``database``; raises whatever connecting raised."""
    if database.backend == "postgresql":
        return PostgresSource.open(database)
    return SqliteSource.open(database)


class PostgresSource:
    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._connection = connection

    @classmethod
    def open(cls, database: Database) -> PostgresSource:
        url = database.engine.url
        _args, params = database.engine.dialect.create_connect_args(url)
        params.pop("context", None)  # SQLAlchemy's type adapters: this connection only listens
        name = secret_name(url)
        if "password" not in params and database.password_for is not None and name is not None:
            password = database.password_for(name, False)
            if password is not None:
                params["password"] = password
        params.update(CONNECTION_ARGS, autocommit=True,
                      application_name="fulfilstation-changes")
        connection = psycopg.connect(**params)
        try:
            connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
        except BaseException:
            connection.close()
            raise
        return cls(connection)

    def next_changes(self, stopping: threading.Event) -> list[Change]:
        connection = self._connection
        found = [decode(n.payload) for n in connection.notifies(timeout=WAIT_SECONDS, stop_after=1)]
        if found:  # take the rest of a burst at once: one call back for many commits
            found += [decode(n.payload) for n in connection.notifies(timeout=0.0)]
        elif connection.closed or connection.broken:
            raise psycopg.OperationalError("the listening connection is closed")
        return found

    def close(self) -> None:
        self._connection.close()


class SqliteSource:
    def __init__(self, connection: Any) -> None:
        self._connection = connection  # sqlite3.Connection, detached from the pool
        self._data_version = self._read_data_version()
        self._versions = {name: version for name, version, _source in self._read_counters()}

    @classmethod
    def open(cls, database: Database) -> SqliteSource:
        pooled = database.engine.raw_connection()
        pooled.detach()  # ours for good: it never goes back to the pool
        try:
            return cls(pooled.dbapi_connection)
        except BaseException:
            pooled.close()
            raise

    def next_changes(self, stopping: threading.Event) -> list[Change]:
        if stopping.wait(POLL_SECONDS):
            return []
        data_version = self._read_data_version()
        if data_version == self._data_version:
            return []
        self._data_version = data_version
        by_source: dict[str, set[str]] = {}
        for name, version, source in self._read_counters():
            seen = self._versions.get(name, 0)
            if version != seen:
                self._versions[name] = version
                by_source.setdefault(source if version == seen + 1 else UNKNOWN_SOURCE, set()).add(name)
        return [Change(source, frozenset(names)) for source, names in by_source.items()]

    def close(self) -> None:
        self._connection.close()

    def _read_data_version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def _read_counters(self) -> list[tuple[str, int, str]]:
        cursor = self._connection.execute("SELECT table_name, version, source FROM change_counters")
        try:
            return [(str(n), int(v), str(s)) for n, v, s in cursor.fetchall()]
        finally:
            cursor.close()
            self._connection.rollback()  # hold no read snapshot between polls
