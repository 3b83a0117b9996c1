"""Hearing what other stations changed: ``ChangeListener`` (Qt-free; ``ui/change_notifier``
adapts it to a Qt signal).

    listener = ChangeListener(database)
    listener.start(lambda tables: ...)   # called on the listener's thread
    ...
    listener.stop()

The callback receives a ``frozenset`` of the table names that transactions committed by
*other* ``Database`` objects (other stations, other processes, or another ``Database`` in
this process) changed, within about a second of the commit (PostgreSQL: as the
notification arrives; SQLite: at the next half-second poll). Commits by this listener's
own ``Database`` are skipped (their source token is its ``change_source``). Changes
arriving together are delivered in one call. ``ALL`` in the set means "anything may have
changed": refresh everything (``touches`` answers "should this view refresh?").

Invariants:

* Nothing is delivered before the first connection: a view that should miss nothing
  starts the listener *before* its first load (``wait_listening`` waits for that).
* The database going away (refused connection, restart, dropped connection) never ends
  the thread: the first failure of an outage is logged as a warning, the next ones at
  debug level; a new connection is tried every ``retry_seconds``; once connected again,
  ``{ALL}`` is delivered, because what changed meanwhile is unknown.
* No busy loop: the thread blocks in the socket (PostgreSQL, half a second at a time), in a
  half-second wait between polls (SQLite), or in the retry wait.
* An exception raised by the callback is logged and the listener carries on. The
  callback must be quick and must not wait for the thread that calls ``stop()`` (hand
  the set over, e.g. by a queued Qt signal, and return).
* ``stop()`` is idempotent, may be called from any thread (also from the callback), and
  returns within about half a second; no callback starts after it returned. Only a connection
  attempt to an unreachable host can outlast it (at most the 3 s connect timeout): the
  thread is a daemon and delivers nothing after ``stop()``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from fulfilstation.db.change_format import ALL
from fulfilstation.db.change_sources import ChangeSource, open_source
from fulfilstation.db.database import Database

__all__ = ["ALL", "ChangeListener", "OnChange", "touches"]

log = logging.getLogger(__name__)

OnChange = Callable[[frozenset[str]], None]
EVERYTHING = frozenset({ALL})


def touches(changed: frozenset[str], *tables: str) -> bool:
    """Whether a view built from ``tables`` must refresh after ``changed``."""
    return ALL in changed or not changed.isdisjoint(tables)


class ChangeListener:
    def __init__(self, database: Database, retry_seconds: float = 3.0) -> None:
        self._database = database
        self._retry_seconds = retry_seconds
        self._on_change: OnChange | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._listening = threading.Event()
        self._delivering = threading.Lock()

    @property
    def listening(self) -> bool:
        """Connected and waiting for changes (false while starting, retrying or stopped)."""
        return self._listening.is_set()

    @property
    def running(self) -> bool:
        """The thread is alive (started, and not yet ended by ``stop()``)."""
        return self._thread is not None and self._thread.is_alive()

    def wait_listening(self, timeout: float) -> bool:
        """Wait until connected; True if it is."""
        return self._listening.wait(timeout)

    def start(self, on_change: OnChange) -> None:
        """Start the thread; ``on_change`` is called on it. A listener starts once."""
        if self._thread is not None:
            raise RuntimeError("this ChangeListener was started already")
        self._on_change = on_change
        self._thread = threading.Thread(target=self._run, name="fulfilstation-changes", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stopping.set()
        if threading.current_thread() is not self._thread:
            with self._delivering:
                pass  # a callback under way finishes before stop() returns
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        missed = False  # a connection failed or was lost: deliver ALL once connected again
        while not self._stopping.is_set():
            source = self._connect(quietly=missed)
            if source is None:
                missed = True
                self._stopping.wait(self._retry_seconds)
                continue
            if missed:
                log.info("Listening for other stations' changes again on %s", self._database.display_url)
                self._deliver(EVERYTHING)
                missed = False
            connected_at = time.monotonic()
            try:
                self._listen(source)
            except Exception as exc:
                missed = True
                log.warning("Lost the connection that hears other stations' changes (%s); reconnecting",
                            _reason(exc))
                if time.monotonic() - connected_at < self._retry_seconds:  # flapping: do not churn
                    self._stopping.wait(self._retry_seconds)
            finally:
                self._listening.clear()
                _close(source)

    def _connect(self, quietly: bool) -> ChangeSource | None:
        try:
            source = open_source(self._database)
        except Exception as exc:
            (log.debug if quietly else log.warning)(
                "Cannot listen for other stations' changes on %s (%s); retrying every %g s",
                self._database.display_url, _reason(exc), self._retry_seconds)
            return None
        self._listening.set()
        return source

    def _listen(self, source: ChangeSource) -> None:
        own = self._database.change_source
        while not self._stopping.is_set():
            tables: set[str] = set()
            for change in source.next_changes(self._stopping):
                if change.source != own:
                    tables |= change.tables
            if tables:
                self._deliver(frozenset(tables))

    def _deliver(self, tables: frozenset[str]) -> None:
        with self._delivering:
            if self._stopping.is_set() or self._on_change is None:
                return
            try:
                self._on_change(tables)
            except Exception:
                log.exception("A change callback failed (tables %s)", sorted(tables))


def _reason(exc: BaseException) -> str:
    first = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {first[0]}" if first else type(exc).__name__


def _close(source: ChangeSource) -> None:
    try:
        source.close()
    except Exception:
        log.debug("Closing a change source failed", exc_info=True)
