"""``ui.worker.run_in_background``: results and failures reach the GUI thread, and nothing
of a finished call stays in memory (a station makes a dozen calls per pack, all day)."""

from __future__ import annotations

import gc
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from ui import worker


def relays_alive() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, worker._Relay))


def settle(qtbot: QtBot) -> None:
    qtbot.wait(20)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def test_results_and_failures_come_back_and_every_finished_call_is_let_go(qtbot: QtBot) -> None:
    settle(qtbot)
    before = relays_alive()
    results: list[object] = []
    failures: list[str] = []

    def fail() -> None:
        raise ValueError("no such order")

    def thousand(n: int) -> Callable[[], list[int]]:
        return lambda: [n] * 1000

    for n in range(50):
        worker.run_in_background(thousand(n), results.append, lambda e: failures.append(str(e)))
        worker.run_in_background(fail, results.append, lambda e: failures.append(str(e)))
    qtbot.waitUntil(lambda: len(results) == 50 and len(failures) == 50, timeout=10_000)
    assert sorted(r[0] for r in results) == list(range(50))  # type: ignore[index]
    assert set(failures) == {"no such order"}
    settle(qtbot)
    assert relays_alive() == before, "a finished call's relay (and the result its closures hold) stays alive"
    assert not worker._live
