"""The set-up assistant's database page: a connection test that answers after the person
switched to "This PC only" says nothing (its answer is about a URL no longer used), and
joining a site says why Next is off until a test passes."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from fulfilstation.services.setup import ConnectionCheck, StationSetup
from fulfilstation.services.setup.values import SchemaState, SetupRefused
from ui.setup_assistant.database_page import SITE_HINT, DatabasePage

URL = "postgresql://station@127.0.0.1:5997/fulfil"


class SlowDoor(StationSetup):
    """A set-up door whose connection test waits until ``release`` is set, then answers ``outcome``."""

    def __init__(self, outcome: ConnectionCheck | Exception) -> None:
        super().__init__(None)
        self.release = threading.Event()
        self.outcome = outcome

    def test_connection(self, database: str, password: str | None = None) -> ConnectionCheck:
        self.release.wait(10)
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


@pytest.mark.parametrize("outcome", [
    SetupRefused("no-connection", "Cannot reach the database at the URL."),
    ConnectionCheck(URL, False, SchemaState.UP_TO_DATE, "0015", "0015"),
], ids=["refused", "passed"])
def test_an_answer_after_choosing_one_pc_leaves_the_one_pc_page_alone(
        qtbot: QtBot, outcome: ConnectionCheck | Exception) -> None:
    door = SlowDoor(outcome)
    page = DatabasePage(door)
    qtbot.addWidget(page)
    page.site.click()
    assert page.result.text() == SITE_HINT and not page.isComplete()
    page.url.setText(URL)
    page.test_button.click()
    page.one_pc.click()
    one_pc_note = page.result.text()
    assert one_pc_note.startswith("FulfilStation keeps everything in a file on this PC")
    door.release.set()
    qtbot.waitUntil(lambda: not page.testing, timeout=10_000)
    assert page.result.text() == one_pc_note
    assert page.tested is None and page.isComplete() and page.database() == ""
    page.site.click()
    assert not page.isComplete()  # back on the site: that answer does not count as a test
