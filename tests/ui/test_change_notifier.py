"""ui/change_notifier: another station's commit arrives as ``changed`` on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fulfilstation.changes import ChangeListener
from fulfilstation.db.database import Database
from fulfilstation.db.models import SiteSetting
from ui.change_notifier import ChangeNotifier


@pytest.fixture
def other_station(database: Database) -> Iterator[Database]:
    other = Database.connect(database.engine.url)
    yield other
    other.dispose()


def _commit_a_setting(database: Database, value: int) -> None:
    with database.unit_of_work() as session:
        session.merge(SiteSetting(key="notifier-test", value={"n": value}))


def test_a_change_elsewhere_is_signalled_on_the_gui_thread(qtbot: QtBot, database: Database,
                                                            other_station: Database) -> None:
    listener = ChangeListener(database)
    notifier = ChangeNotifier(listener)
    threads: list[threading.Thread] = []
    # Direct: record the thread that emits, not the one PySide6 might queue a slot to.
    notifier.changed.connect(lambda _tables: threads.append(threading.current_thread()),
                             Qt.ConnectionType.DirectConnection)
    try:
        assert listener.wait_listening(10)
        with qtbot.waitSignal(notifier.changed, timeout=2000) as blocker:
            _commit_a_setting(other_station, 1)
        assert blocker.args == [frozenset({"site_settings"})]
        assert threads == [threading.main_thread()]
    finally:
        notifier.close()
    assert not listener.running


def test_nothing_is_signalled_after_close(qtbot: QtBot, database: Database, other_station: Database) -> None:
    listener = ChangeListener(database)
    notifier = ChangeNotifier(listener)
    assert listener.wait_listening(10)
    notifier.close()
    notifier.close()
    with qtbot.assertNotEmitted(notifier.changed, wait=1500):
        _commit_a_setting(other_station, 2)
