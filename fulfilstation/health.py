"""Is the database there? ``DatabaseHealth`` watches the connection and says when it goes
away and when it is back (issue #15: a database outage in the middle of a pack).

* ``is_connection_error(exc)`` is the one rule for "the connection was lost" (not "the
  database refused"): SQLAlchemy's ``connection_invalidated``, or a psycopg
  ``OperationalError`` / ``InterfaceError`` that carries no SQLSTATE (the client could not
  connect, or the socket closed) or a connection SQLSTATE (class 08, the server shutting
  down: 57P01–57P03). A lock timeout, a cancelled statement, a deadlock or a constraint are
  NOT connection errors: they are the database answering. SQLite never goes away.
* ``DatabaseHealth(database)`` probes ``SELECT 1`` on a connection of its own (never the
  pool's), made with the engine's short connect timeout and keepalives: every
  ``online_interval`` seconds while online (so an idle station notices an outage within a
  few seconds) and every ``offline_interval`` seconds while offline. It also hears every
  failed unit of work at once (``Database.watch_failures``): a connection error flips the
  state to offline immediately and the next probe follows within ``offline_interval``.
  Each transition (online → offline, offline → online) is told once to every subscriber,
  with the reason in plain words.

Invariants: ``online`` is the last transition told; subscribers are called in the order of
the transitions, never twice for one. The probe never touches the engine's pool, so it
never takes a connection a use case needs, and a probe on a dead server is bounded by
``CONNECT_TIMEOUT_S`` (connect) and the keepalives / ``tcp_user_timeout`` (query).

Threading: Qt-free. ``start`` runs the probe on a daemon thread; subscribers are called on
that thread or on the thread of the failed unit of work (a Qt adapter must queue to its GUI
thread: ``ui.db_health``). ``stop`` returns after the thread ended (bounded by a probe).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from fulfilstation.db.database import Database
from fulfilstation.db.engine import CONNECTION_ARGS
from fulfilstation.db.url import secret_name

log = logging.getLogger(__name__)

ONLINE_INTERVAL_S = 2.0
OFFLINE_INTERVAL_S = 1.0
_CONNECTION_STATES = ("57P01", "57P02", "57P03")  # admin / crash shutdown, cannot connect now

OnHealth = Callable[[bool, str], None]
"""``callback(online, reason)``: the database is back (True) or went away (False, why)."""


def is_connection_error(exc: BaseException | None) -> bool:
    """True when ``exc`` (or what it wraps) says the connection to the database was lost
    or could not be made — not that the database answered with an error."""
    seen = 0
    while exc is not None and seen < 8:
        seen += 1
        if isinstance(exc, DBAPIError):
            if exc.connection_invalidated:
                return True
            exc = exc.orig
            continue
        if isinstance(exc, psycopg.InterfaceError):
            return True  # "the connection is closed"
        if isinstance(exc, psycopg.OperationalError):
            state = exc.sqlstate
            return state is None or state.startswith("08") or state in _CONNECTION_STATES
        exc = exc.__cause__
    return False


def offline_words(exc: BaseException | None = None) -> str:
    """Why the database is offline, in a line (no SQL, no traceback)."""
    if exc is None:
        return "the database server does not answer"
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"the database server does not answer ({detail[0]})" if detail else \
        "the database server does not answer"


class DatabaseHealth:
    """Online / offline of one ``Database`` (see the module docstring)."""

    def __init__(self, database: Database, *, online_interval: float = ONLINE_INTERVAL_S,
                 offline_interval: float = OFFLINE_INTERVAL_S) -> None:
        self.database = database
        self.online_interval = online_interval
        self.offline_interval = offline_interval
        self._online = True
        self._reason = ""
        self._lock = threading.Lock()
        self._subscribers: list[OnHealth] = []
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._connection: Any = None  # the probe's own connection (psycopg or SQLAlchemy)
        database.watch_failures(self.saw)

    @property
    def online(self) -> bool:
        return self._online

    @property
    def reason(self) -> str:
        """Why the database is offline ('' while online)."""
        return self._reason

    def subscribe(self, callback: OnHealth) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    # ------------------------------------------------------------------ what we hear

    def saw(self, exc: BaseException) -> bool:
        """A unit of work failed with ``exc``: a connection error flips to offline at once
        (and wakes the probe). Returns whether it was one."""
        if not is_connection_error(exc):
            return False
        self._set(False, offline_words(exc))
        self._wake.set()
        return True

    def check_now(self) -> None:
        """Probe now rather than at the next interval."""
        self._wake.set()

    def probe_once(self) -> bool:
        """One ``SELECT 1`` on the probe's connection (reconnecting when needed); tells the
        transition it finds. Blocking: bounded by the connect timeout and keepalives."""
        try:
            self._select_one()
        except Exception as exc:  # noqa: BLE001 - any failure to answer is "offline"
            self._drop_connection()
            if self._online and not is_connection_error(exc):
                log.warning("the database health probe failed: %s", offline_words(exc))
            self._set(False, offline_words(exc))
            return False
        self._set(True, "")
        return True

    # ------------------------------------------------------------------ life

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="fulfilstation-db-health", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
        self._drop_connection()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self.online_interval if self._online else self.offline_interval)
            self._wake.clear()
            if self._stopping.is_set():
                return
            self.probe_once()

    # ------------------------------------------------------------------ state

    def _set(self, online: bool, reason: str) -> None:
        with self._lock:
            if online == self._online:
                if not online:
                    self._reason = reason
                return
            self._online, self._reason = online, reason
            subscribers = list(self._subscribers)
        log.warning("database %s%s", "back online" if online else "offline: ", reason)
        for callback in subscribers:
            try:
                callback(online, reason)
            except Exception:
                log.exception("a database health subscriber failed")

    # ------------------------------------------------------------------ the probe's connection

    def _select_one(self) -> None:
        if self.database.backend != "postgresql":
            with self.database.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(**self._params())
        self._connection.execute("SELECT 1").fetchone()

    def _params(self) -> dict[str, Any]:
        engine = self.database.engine
        _args, found = engine.dialect.create_connect_args(engine.url)
        params = dict(found)
        params.pop("context", None)  # SQLAlchemy's type adapters: this connection only probes
        name = secret_name(engine.url)
        if "password" not in params and self.database.password_for is not None and name is not None:
            password = self.database.password_for(name, False)
            if password is not None:
                params["password"] = password
        params.update(CONNECTION_ARGS, autocommit=True, application_name="fulfilstation-health")
        return params

    def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - a dead connection may fail to close: it is gone anyway
                log.debug("the probe's connection did not close cleanly", exc_info=True)
