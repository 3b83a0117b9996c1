"""Running blocking work off the GUI thread, Anki-style.

``run_in_background(fn, on_done, on_error)`` runs ``fn`` on Qt's global thread pool and
calls ``on_done(result)`` or ``on_error(exc)`` **on the GUI thread** (queued signal
delivery to a receiver living there). Callbacks whose ``owner`` widget has been deleted are
dropped, so a window closed mid-query does not crash.

Known defect (issue #15, memory): each call's relay is never freed — its connections hold
closures that hold it, a cycle through C++ the garbage collector cannot see — so a station
keeps every call and its result. Deleting the relay after its callback is NOT the mend: the
relay is Python-owned, so when the pool thread drops the last reference its C++ object is
destroyed on that thread (seen as segfaults). The mend to make: one long-lived relay living
on the GUI thread, with the callbacks in a dict by call id, popped when the call finishes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # noqa: BLE001 - every failure is reported to the GUI
            self._emit(self._relay.failed, exc)
        else:
            self._emit(self._relay.done, result)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        signal.emit(value)


_live: set[_Relay] = set()


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[Exception], None], owner: QObject | None = None) -> None:
    relay = _Relay()  # created on the GUI thread, so its slots run there; kept alive by _live
    _live.add(relay)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        _live.discard(relay)
        if owner is None or shiboken6.isValid(owner):
            callback(value)

    relay.done.connect(lambda result: finish(on_done, result))
    relay.failed.connect(lambda exc: finish(on_error, exc))
    QThreadPool.globalInstance().start(_Task(fn, relay))
