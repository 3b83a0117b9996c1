"""The workspace's navigation by role (offscreen, SQLite and PostgreSQL): signing in happens
on the Station screen; a manager then sees the navigation with Manifests and works there as
the signed-in manager, a packer sees the Station, Receiving and Stock (Manifests cannot be shown to them),
and logging out — from any screen — returns to the station's log-in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.domain.commands import StationCommand
from tests.db.test_manifests import pack_at
from tests.support.station_window import WAIT_MS, Station
from tests.support.warehouse import user_id
from ui.main_window import MainWindow
from ui.manifests_view import ManifestsView
from ui.workspace.navigation import KEY_ROLE


def shown_screens(window: MainWindow) -> list[str]:
    """The navigation's entries the signed-in person sees, in order."""
    navigation = window.navigation
    return [str(navigation.item(row).data(KEY_ROLE)) for row in range(navigation.count())
            if not navigation.item(row).isHidden()]


def at_the_log_in(window: MainWindow) -> bool:
    station = window.station
    return (window.stack.currentWidget() is station and station.stack.currentWidget() is station.login
            and window.actor is None and not window.navigation.isVisible() and not window.log_out_button.isVisible())


def choose(qtbot: QtBot, window: MainWindow, key: str) -> None:
    """Click the navigation entry ``key``, as a person does."""
    navigation = window.navigation
    item = next(navigation.item(row) for row in range(navigation.count())
                if navigation.item(row).data(KEY_ROLE) == key)
    qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton,
                     pos=navigation.visualItemRect(item).center())


def test_a_manager_sees_manifests_a_packer_does_not_and_log_out_returns_to_the_log_in(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    pack_at(db, "PACK-A")  # something for the manager to close
    station = Station(qtbot, db, printer.uri)
    window = station.window
    manifests = window.screens["manifests"]
    assert isinstance(manifests, ManifestsView)
    assert at_the_log_in(window) and manifests.actor is None

    assert station.log_in("packer", "1111")[1] == "ok"
    assert window.actor is not None and window.actor.username == "packer"
    assert window.log_out_button.isVisible() and "Pat" in window.who.text()
    assert window.navigation.isVisible()  # a packer's screens:
    assert shown_screens(window) == ["station", "receiving", "stock", "picking", "returns", "counts"]
    window.show_screen("manifests")  # not for a packer: the station stays
    assert window.stack.currentWidget() is window.station
    assert station.scan("FS:LOGOUT") == ("Logged out.", "info")
    assert at_the_log_in(window) and manifests.actor is None

    assert station.log_in("manager", "2222")[1] == "ok"
    shown = shown_screens(window)
    assert window.navigation.isVisible() and shown[0] == "station" and "manifests" in shown
    assert "users" not in shown  # an owner's screen
    assert window.stack.currentWidget() is window.station  # signed in on the Station, and still there
    choose(qtbot, window, "manifests")
    assert window.stack.currentWidget() is manifests and window.navigation.currentItem().text() == "Manifests"
    assert manifests.actor is not None and manifests.actor.user_id == user_id(db, "manager")
    qtbot.waitUntil(lambda: len(manifests.close_buttons) == 1, timeout=WAIT_MS)
    assert all(button.isEnabled() for button in manifests.close_buttons.values())  # the manager may close
    enabled = {command for command, action in window.station.actions_by_command.items() if action.isEnabled()}
    assert enabled == {StationCommand.LOG_OUT}  # the station's keys rest while another screen is shown

    qtbot.mouseClick(window.log_out_button, Qt.MouseButton.LeftButton)  # from the Manifests screen
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT_MS)
    assert at_the_log_in(window) and station.messages[-1] == ("Logged out.", "info")
    assert manifests.actor is None and not any(button.isEnabled() for button in manifests.close_buttons.values())
    assert all(action.isEnabled() for action in window.station.actions_by_command.values())

    assert station.log_in("packer2", "4444")[1] == "ok"  # the next person starts on the Station
    assert window.stack.currentWidget() is window.station and "manifests" not in shown_screens(window)
