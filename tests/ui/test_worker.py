"""``ui.worker.run_in_background``: the callback runs on the GUI thread, a deleted owner's
callback is dropped, and a finished call leaves nothing behind (issue #15 point 6: a relay
QObject per call kept every call's callbacks and what they held, about 55 KB per pack)."""

from __future__ import annotations

import functools
import gc
import threading
import weakref
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.worker import _gui_hub, _Pending, _Task, calls_in_flight, run_in_background


class Held:
    """Something a callback's closure holds, to see whether it is ever let go."""


def test_results_and_failures_come_back_on_the_gui_thread(qtbot: QtBot) -> None:
    seen: list[tuple[str, object, bool]] = []
    gui = QThread.currentThread()

    def fail() -> None:
        raise ValueError("the scale said nonsense")

    run_in_background(lambda: threading.get_ident(), lambda r: seen.append(("done", r, QThread.currentThread() is gui)),
                      lambda e: seen.append(("error", e, False)))
    run_in_background(fail, lambda r: seen.append(("done", r, False)),
                      lambda e: seen.append(("error", str(e), QThread.currentThread() is gui)))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    by_kind = {kind: (value, on_gui) for kind, value, on_gui in seen}
    assert by_kind["done"][1] and by_kind["error"][1], seen
    assert by_kind["done"][0] != threading.get_ident()  # fn ran on a pool thread
    assert by_kind["error"][0] == "the scale said nonsense"


def test_a_deleted_owners_callback_is_dropped(qtbot: QtBot) -> None:
    owner = QLabel()
    called: list[object] = []
    release = threading.Event()
    run_in_background(lambda: release.wait(5), called.append, called.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner), timeout=2000)
    release.set()
    qtbot.waitUntil(lambda: calls_in_flight() == 0, timeout=5000)
    assert called == []


def test_a_thousand_finished_calls_hold_nothing(qtbot: QtBot) -> None:
    done: list[int] = []
    held: list[weakref.ref[Held]] = []
    for n in range(1000):
        thing = Held()
        held.append(weakref.ref(thing))
        run_in_background(functools.partial(int, n), _appender(done, thing), lambda e: None)
    del thing
    qtbot.waitUntil(lambda: len(done) == 1000, timeout=20000)
    qtbot.waitUntil(lambda: calls_in_flight() == 0, timeout=5000)
    gc.collect()
    alive = sum(1 for ref in held if ref() is not None)
    assert alive == 0, f"{alive} of 1000 finished calls still hold their callback's closure"


def _appender(done: list[int], thing: Held) -> Callable[[int], None]:
    def append(result: int) -> None:
        assert thing is not None  # the closure holds ``thing`` until the callback is let go
        done.append(result)
    return append



def test_a_call_that_ends_after_the_hub_is_gone_ends_quietly(qtbot: QtBot) -> None:
    """Cancel in the set-up assistant during a connection test: the program closes, Qt deletes
    the hub, then the test's thread ends ("Signal source has been deleted" was printed)."""
    hub = _gui_hub()
    hub.pending[-1] = _Pending(lambda: "late", lambda _r: None, lambda _e: None, None)
    shiboken6.delete(hub)
    _Task(hub, -1).run()  # on this thread: a RuntimeError here is what the pool thread printed
    assert not shiboken6.isValid(hub) and calls_in_flight() == 0
    assert _gui_hub() is not hub  # the next call gets a new hub
