"""``ui/gui_gc.py``: while the window runs, Python's cycle collector runs only on the GUI
thread (a collection on a pool thread destroyed QObjects there: segfaults "Garbage-collecting"
inside a use case), yet cycles are still collected."""

from __future__ import annotations

import gc
import threading
import weakref

from pytestqt.qtbot import QtBot


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_collections_happen_only_on_the_gui_thread_and_still_free_cycles(qtbot: QtBot) -> None:
    assert not gc.isenabled()  # the fixture installed the collector, as ui/app.py does
    threads: list[int] = []

    def record(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            threads.append(threading.get_ident())

    gc.callbacks.append(record)
    try:
        cycle = weakref.ref(Cycle())

        def allocate() -> None:  # enough young objects to cross every threshold, on a pool-like thread
            junk = [Cycle() for _ in range(20 * gc.get_threshold()[0])]
            del junk

        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        assert threads == [], "no collection ran on the worker thread"
        qtbot.waitUntil(lambda: cycle() is None, timeout=5000)  # the GUI thread's timer collected it
        assert set(threads) == {threading.get_ident()}
    finally:
        gc.callbacks.remove(record)

