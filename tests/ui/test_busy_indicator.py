"""The station shows "Working…" only when a call lasts longer than a moment."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.widgets.busy_indicator import BusyIndicator


def test_shown_after_the_delay_and_hidden_when_done(qtbot: QtBot) -> None:
    indicator = BusyIndicator(delay_ms=100)
    qtbot.addWidget(indicator)
    indicator.set_busy(True)
    assert not indicator.isVisible()  # a quick call never flickers it
    qtbot.waitUntil(indicator.isVisible, timeout=2000)
    indicator.set_busy(True)  # still busy: stays
    assert indicator.isVisible()
    indicator.set_busy(False)
    assert not indicator.isVisible()


def test_a_call_shorter_than_the_delay_shows_nothing(qtbot: QtBot) -> None:
    indicator = BusyIndicator(delay_ms=300)
    qtbot.addWidget(indicator)
    indicator.set_busy(True)
    indicator.set_busy(False)
    qtbot.wait(450)
    assert not indicator.isVisible()
