"""Engines for the two supported databases, configured the same way everywhere.

* SQLite: foreign keys on, WAL journal (readers do not block the writer), a busy timeout
  so a second connection waits instead of failing at once, and ``synchronous = FULL``:
  every commit is on the disk before it returns (with ``NORMAL`` in WAL mode a power cut
  can undo a committed shipment whose label is already on the parcel). With
  ``create=False`` (every command that does not build the schema) a missing file is
  :class:`NoDatabaseFile`, and neither the file nor its folder is made.
* PostgreSQL (psycopg 3): the password is never in the URL; it is fetched at connect
  time from ``password_for`` (memory, then the keyring), so it never reaches a file or a
  log. Only when the server asks for a password that we do not have is the user prompted
  (once per session).

  A server that goes away must never freeze a station (issue #15): every connection is
  made with ``CONNECTION_ARGS`` — ``connect_timeout`` 3 s (a stopped server or an
  unreachable host is an error within 3 s, not a hang), TCP keepalives (idle 5 s, then 2
  probes 2 s apart: a silently dead peer is noticed in about 9 s while a connection
  waits), ``tcp_user_timeout`` 9 s (data sent and never acknowledged, e.g. a pulled cable
  mid-query, ends the connection instead of TCP's 15-minute retransmissions) and
  ``lock_timeout`` 20 s (a row another session holds turns into a refusal to try again,
  never an endless wait). No ``statement_timeout``: a report over a long period may
  legitimately run longer, and a dead server is bounded by the keepalives, not by it.
  ``pool_pre_ping`` checks a pooled connection before each checkout, so a connection the
  outage cut is replaced instead of failing the next unit of work.
  ``db.health`` classifies the errors of a lost connection and watches for the return.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL

from fulfilstation.db.url import DatabaseUrlError, secret_name

CONNECT_TIMEOUT_S = 3
LOCK_TIMEOUT_MS = 20_000
CONNECTION_ARGS: dict[str, Any] = {
    "connect_timeout": CONNECT_TIMEOUT_S,
    "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2,
    "tcp_user_timeout": 9_000,
}
"""libpq parameters of every PostgreSQL connection FulfilStation makes (see the module doc)."""

PasswordLookup = Callable[[str, bool], str | None]
"""``password_for(secret_name, ask)``: the stored password, or (``ask``) one the user types."""

_PASSWORD_WANTED = ("no password supplied", "password authentication failed")


class NoDatabaseFile(DatabaseUrlError):
    """An SQLite file that does not exist, opened by a command that must not create it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"There is no database at {path}: check --db or the station settings, or "
                         "create it with 'fulfilstation db upgrade'.")


def make_engine(url: URL, password_for: PasswordLookup | None = None, *, create: bool = True,
                **kwargs: Any) -> Engine:
    """An engine for ``url``. ``create=False``: an SQLite file must already exist."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, create, **kwargs)
    return _postgres_engine(url, password_for, **kwargs)


SQLITE_CACHE_KIB = 1024
"""Each SQLite connection's page cache (SQLite's default is 2 MiB). A station keeps several
pooled connections and each fills its cache as the file grows: after ~850 packs their caches
took ~4 MB more of the station's memory (issue #15, point 6). The operating system caches
the file anyway; a packing station's hot pages (open orders, sessions, their indexes) fit."""


def _sqlite_engine(url: URL, create: bool, **kwargs: Any) -> Engine:
    if url.database and url.database != ":memory:":
        path = Path(url.database)
        if not create and not path.is_file():
            raise NoDatabaseFile(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 15}, **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 15000")
        if url.database and url.database != ":memory:":
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        cursor.close()

    return engine


def _postgres_engine(url: URL, password_for: PasswordLookup | None, **kwargs: Any) -> Engine:
    kwargs.setdefault("pool_pre_ping", True)
    kwargs["connect_args"] = {**CONNECTION_ARGS, "application_name": "fulfilstation",
                              "options": f"-c lock_timeout={LOCK_TIMEOUT_MS}", **kwargs.get("connect_args", {})}
    engine = create_engine(url, **kwargs)
    name = secret_name(url)
    if url.password is None and password_for is not None and name is not None:

        @event.listens_for(engine, "do_connect")
        def _connect(dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
            password = password_for(name, False)
            if password is not None:
                cparams["password"] = password
            try:
                return dialect.connect(*cargs, **cparams)
            except Exception as exc:
                if password is not None or not any(w in str(exc) for w in _PASSWORD_WANTED):
                    raise
                typed = password_for(name, True)
                if typed is None:
                    raise
                return dialect.connect(*cargs, **{**cparams, "password": typed})

    return engine
