"""The workspace for the desk: the first-run screen makes the first owner of a new
database, the owner's Users screen manages people, and each role sees its screens."""

from __future__ import annotations

import argparse

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

import main
from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.db.models import User
from tests.support.station_window import WAIT_MS, Station
from ui.main_window import MainWindow
from ui.users.dialogs import PinForm, UserForm
from ui.users.screen import UsersScreen


def test_a_new_database_asks_for_its_owner_then_signs_them_in(qtbot: QtBot, database: Database,
                                                             printer: ZplPrinterSimulator) -> None:
    args = argparse.Namespace(db=database.engine.url.render_as_string(hide_password=False), demo=False,
                              fullscreen=False, verbose=False)
    window = MainWindow(main.bootstrap(args))
    qtbot.addWidget(window)
    window.show()
    screens = window.station
    qtbot.waitUntil(lambda: screens.stack.currentWidget() is screens.first_run, timeout=WAIT_MS)
    first = screens.first_run
    first.username.setText("olga")
    first.full_name.setText("Olga Owner")
    first.pin.setText("4812")
    first.again.setText("4821")
    first.create_owner()
    assert "differ" in first.message.text()
    first.pin.setText("4812")
    first.again.setText("4812")
    first.create_owner()
    qtbot.waitUntil(lambda: screens.stack.currentWidget() is screens.login, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: screens.login.username() == "olga", timeout=WAIT_MS)
    with database.unit_of_work() as session:
        assert session.scalars(select(User.role).where(User.username == "olga")).one() == "owner"
    screens.controller.login_pin("olga", "4812")
    qtbot.waitUntil(lambda: window.actor is not None, timeout=WAIT_MS)
    assert window.navigation.isVisible() and window.navigation.allows("users")


def test_the_owner_adds_a_user_and_sets_a_pin_from_the_users_screen(qtbot: QtBot, seeded_database: Database,
                                                                   printer: ZplPrinterSimulator) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    window = station.window
    assert station.log_in("packer", "1111")[1] == "ok"
    assert not window.navigation.allows("users") and not window.navigation.allows("orders")  # a packer's desk:
    assert window.navigation.allows("receiving") and window.navigation.allows("stock")  # receiving and stock
    station.scan("FS:LOGOUT")
    assert station.log_in("manager", "2222")[1] == "ok"
    assert window.navigation.allows("manifests") and not window.navigation.allows("users")
    window.show_screen("users")
    assert window.stack.currentWidget() is window.station  # not a manager's screen
    station.scan("FS:LOGOUT")
    assert station.log_in("owner", "3333")[1] == "ok"
    window.show_screen("users")
    users = window.screens["users"]
    assert isinstance(users, UsersScreen) and window.stack.currentWidget() is users
    qtbot.waitUntil(lambda: users.model.rowCount() == 4, timeout=WAIT_MS)

    def answer(form: QDialog) -> bool:
        if isinstance(form, UserForm):
            form.username.setText("kim")
            form.full_name.setText("Kim Kay")
            form.role.setCurrentText("packer")
        elif isinstance(form, PinForm):
            form.pin.setText("2468")
            form.again.setText("2468")
        return True

    users.ask = answer
    users.add()
    qtbot.waitUntil(lambda: users.model.rowCount() == 5, timeout=WAIT_MS)
    users.select("kim")
    users.set_pin()
    qtbot.waitUntil(lambda: users.status.text().startswith("Saved: Kim Kay"), timeout=WAIT_MS)
    assert window.context.app.users.sign_in_with_pin("kim", "2468").role == "packer"
    users.select("owner")
    assert users.status.text() == ""  # said about Kim: not about the owner now selected
    users.toggle_active()
    qtbot.waitUntil(lambda: "only active owner" in users.status.text(), timeout=WAIT_MS)
    station.key(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # log out from any screen
    assert window.stack.currentWidget() is window.station and not window.navigation.isVisible()
    assert users.status.text() == ""  # the owner's refusal is not the next person's to read
