"""Partial shipments in the window (offscreen, both engines): an owner turns them on in Site
settings (saved, audited, the dialog says so; a manager is refused in words), and the Orders
screen's detail says a split order's rest waits in <number>-2 and the remainder is part of it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fulfilstation.db.database import Database
from fulfilstation.services.orders.arrival import reserve_arrivals
from tests.db.test_backorders import TODAY, ids_of
from tests.support.app import app_for, sign_in
from tests.support.kits import new_product, pending_order, put_stock
from tests.ui.test_orders_screen import WAIT, rows, screen_for, search
from ui.site_settings_dialog import SiteSettingsDialog


def test_an_owner_turns_partial_shipments_on_and_a_manager_is_refused(qtbot: QtBot,
                                                                      seeded_database: Database) -> None:
    app = app_for(seeded_database)
    dialog = SiteSettingsDialog(app, sign_in(app, "owner"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=WAIT)
    assert not dialog.partial.isChecked()
    dialog.partial.setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.text() == "Saved: partial shipments are on.", timeout=WAIT)
    assert app.site.partial_shipments() is True
    refused = SiteSettingsDialog(app, sign_in(app, "manager"))
    qtbot.addWidget(refused)
    refused.show()
    qtbot.waitUntil(lambda: refused.save_button.isEnabled() and refused.partial.isChecked(), timeout=WAIT)
    refused.partial.setChecked(False)
    qtbot.mouseClick(refused.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: refused.save_button.isEnabled() and "Saving" not in refused.message.text(),
                    timeout=WAIT)
    assert refused.message.text() == ("Morgan Manager is a manager: only an owner can change the site settings. "
                                      "Ask one to do it, or to sign in here.")
    assert app.site.partial_shipments() is True


def test_the_orders_screen_says_where_the_rest_of_a_split_order_waits(qtbot: QtBot,
                                                                      seeded_database: Database) -> None:
    db = seeded_database
    new_product(db, "UI-PS-1")
    put_stock(db, "UI-PS-1", "A-01-1", 1)
    number = pending_order(db, [("UI-PS-1", 3)])
    screen = screen_for(qtbot, db)
    app = screen.app
    app.site.set_partial_shipments(sign_in(app, "owner"), True)
    reserve_arrivals(db, sign_in(app, "manager"), ids_of(db, [number]), TODAY)
    search(qtbot, screen, f"{number}-2")  # one hit: it opens
    qtbot.waitUntil(lambda: rows(screen) == [f"{number}-2"] and screen.detail.number == f"{number}-2", timeout=WAIT)
    assert f"part of {number}" in screen.detail.title.text()
    search(qtbot, screen, number)  # the order and its rest: opened as a person does (Enter on its row)
    qtbot.waitUntil(lambda: sorted(rows(screen)) == [number, f"{number}-2"], timeout=WAIT)
    screen.open_index(screen.proxy.index(rows(screen).index(number), 0))
    qtbot.waitUntil(lambda: screen.detail.number == number, timeout=WAIT)
    assert f"rest in {number}-2" in screen.detail.title.text()
