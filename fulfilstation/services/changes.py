"""``Changes``: what a use case changed, reported to whoever listens in this process.

Every use case (the ``use_case`` decorator) runs inside ``db.change_recorder.committed_here``
and, when it succeeded and committed anything, publishes ``Changes`` (the tables its
transactions changed, which use case, by whom) through ``ChangeHub``: the window refreshes
the views built from those tables (Anki's ``OpChanges``). Other stations' changes arrive
as table sets through ``fulfilstation.changes.ChangeListener`` instead; both speak table
names, and ``ALL`` means "anything may have changed".

Threading: ``publish`` runs the callbacks on the publishing (worker) thread; a callback
must hand over to its own thread and return quickly (the window uses a queued signal). A
failing callback is logged and the others still run. Subscribing is thread-safe.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from fulfilstation.db.change_format import ALL

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changes:
    tables: frozenset[str]
    use_case: str  # e.g. "orders.hold"
    username: str | None = None

    def touches(self, *tables: str) -> bool:
        return ALL in self.tables or not self.tables.isdisjoint(tables)


OnChanges = Callable[[Changes], None]


class ChangeHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._callbacks: list[OnChanges] = []

    def subscribe(self, callback: OnChanges) -> Callable[[], None]:
        """Call ``callback`` with each change; returns the function that unsubscribes it."""
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe

    def publish(self, changes: Changes) -> None:
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(changes)
            except Exception:  # one listener's failure must not stop the others or the use case
                log.exception("a change listener failed on %s", changes.use_case)
