"""Running blocking work off the GUI thread, Anki-style.

``run_in_background(fn, on_done, on_error)`` runs ``fn`` on Qt's global thread pool and
calls ``on_done(result)`` or ``on_error(exc)`` **on the GUI thread** (queued signal
delivery to a receiver living there). Callbacks whose ``owner`` widget has been deleted are
dropped, so a window closed mid-query does not crash.

Invariant: nothing of a call outlives it. Each call's relay is deleted (``deleteLater``)
once its callback has run: the relay's connections hold the closures, and the closures hold
the relay, a cycle through Qt's C++ that Python's garbage collector cannot see, so without
the delete every call (and whatever its result referenced) stayed in memory for good.
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
        self._fn: Callable[[], Any] | None = fn
        self._relay: _Relay | None = relay

    @Slot()
    def run(self) -> None:
        fn, relay = self._fn, self._relay
        self._fn = self._relay = None  # PySide may keep this runnable's wrapper: it must hold nothing
        assert fn is not None and relay is not None, "a task runs once"
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - every failure is reported to the GUI
            self._emit(relay.failed, exc)
        else:
            self._emit(relay.done, result)

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
        relay.done.disconnect()  # the connections hold these closures, which hold the relay
        relay.failed.disconnect()
        relay.deleteLater()
        if owner is None or shiboken6.isValid(owner):
            callback(value)

    relay.done.connect(lambda result: finish(on_done, result))
    relay.failed.connect(lambda exc: finish(on_error, exc))
    QThreadPool.globalInstance().start(_Task(fn, relay))
