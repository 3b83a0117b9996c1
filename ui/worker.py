"""Running blocking work off the GUI thread, Anki-style.

``run_in_background(fn, on_done, on_error)`` runs ``fn`` on Qt's global thread pool and
calls ``on_done(result)`` or ``on_error(exc)`` **on the GUI thread**. Callbacks whose
``owner`` widget has been deleted are dropped, so a window closed mid-query does not crash.

How a result gets back: one long-lived ``_Hub`` QObject living on the GUI thread owns the
function and callbacks of every call in flight, in a dict by call id. The pool thread runs the
function, hands its outcome to the hub and emits the hub's ``finished(call_id)`` (queued to
the GUI thread); the hub's slot pops the call and its outcome and runs the callback. So a
finished call leaves nothing behind, and nothing a call touched is let go (possibly
destroying a QObject) off the GUI thread; ``ui/gui_gc.py`` keeps cycles there too. (A relay
QObject per call leaked: its connections held closures that held it, a cycle through C++
the garbage collector cannot see; deleting it after its callback destroyed a Python-owned
QObject on the pool thread, a segfault.)

A call still running when the program closes (Cancel during a connection test) ends quietly:
its outcome has nowhere to go.

Threading: ``run_in_background`` is called on the GUI thread (the dict is touched only
there); ``fn`` runs on a pool thread and must not touch widgets.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot


@dataclass(frozen=True)
class _Pending:
    fn: Callable[[], Any]
    on_done: Callable[[Any], None]
    on_error: Callable[[Exception], None]
    owner: QObject | None


class _Hub(QObject):
    """The GUI thread's end of every background call. It holds each call's function and,
    once run, its outcome, so the last reference to anything a call touched (a closure over
    a widget, a result) is always dropped on the GUI thread, never on the pool thread."""

    finished = Signal(int)  # the call id whose outcome is in ``outcomes``

    def __init__(self) -> None:
        super().__init__()
        self.pending: dict[int, _Pending] = {}
        self.outcomes: dict[int, tuple[bool, object]] = {}  # call id → (ok, result or exception)
        self.finished.connect(self._deliver)

    @Slot(int)
    def _deliver(self, call_id: int) -> None:
        call = self.pending.pop(call_id, None)
        ok, value = self.outcomes.pop(call_id, (False, None))
        if call is None or (call.owner is not None and not shiboken6.isValid(call.owner)):
            return
        if ok:
            call.on_done(value)
        else:
            call.on_error(value)  # type: ignore[arg-type]


class _Task(QRunnable):
    def __init__(self, hub: _Hub, call_id: int) -> None:
        super().__init__()
        self._hub = hub
        self._call_id = call_id

    @Slot()
    def run(self) -> None:
        call = self._hub.pending.get(self._call_id)  # a dict read: atomic under the GIL
        if call is None:
            return
        outcome: tuple[bool, object]
        try:
            outcome = (True, call.fn())
        except Exception as exc:  # noqa: BLE001 - every failure is reported to the GUI
            outcome = (False, exc)
        del call
        self._hub.outcomes[self._call_id] = outcome  # the hub holds it before this thread lets go
        del outcome
        with contextlib.suppress(RuntimeError):  # the hub went with the QApplication: closing, no one waits
            self._hub.finished.emit(self._call_id)


_hub: _Hub | None = None
_call_ids = itertools.count(1)


def _gui_hub() -> _Hub:
    """The hub, made on first use (on the GUI thread) and again if its QApplication went."""
    global _hub
    if _hub is None or not shiboken6.isValid(_hub):
        _hub = _Hub()
        application = QCoreApplication.instance()
        if application is not None and _hub.thread() is not application.thread():
            _hub.moveToThread(application.thread())
    return _hub


def calls_in_flight() -> int:
    """Background calls whose callbacks have not run yet (for tests and the memory bench)."""
    return len(_hub.pending) if _hub is not None and shiboken6.isValid(_hub) else 0


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[Exception], None], owner: QObject | None = None) -> None:
    hub = _gui_hub()
    call_id = next(_call_ids)
    hub.pending[call_id] = _Pending(fn, on_done, on_error, owner)
    QThreadPool.globalInstance().start(_Task(hub, call_id))
