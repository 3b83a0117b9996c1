"""The Orders screen shows why an order is held at intake (offscreen, both engines): its
Problems tab lists each finding (warnings marked) and the lines with unknown SKUs; after the
product is added, Re-check releases the intake hold and reserves the order; a backorder
reads "Backorder" and the status filter finds it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fulfilstation.db.database import Database
from fulfilstation.services.orders.arrival import reserve_arrivals
from fulfilstation.services.orders.intake.findings import IntakeProblem
from tests.db.test_backorders import TODAY, ids_of
from tests.db.test_intake_checks import intake_held_order
from tests.support.app import sign_in
from tests.support.kits import new_product, pending_order, put_stock
from tests.ui.test_orders_screen import WAIT, rows, screen_for, search
from ui.orders.model import HEADERS

STATUS_COLUMN = HEADERS.index("Status")


def test_a_held_order_says_why_and_recheck_releases_it_once_the_product_exists(qtbot: QtBot,
                                                                                seeded_database: Database) -> None:
    db = seeded_database
    number = intake_held_order(db, lines=[("MUG-CER-350", 1)],
                               unmatched=[{"line_no": 2, "sku": "UI-NEW-1", "name": "New lamp", "quantity": 1}],
                               problems=(IntakeProblem("unknown-sku", "SKU UI-NEW-1 is not in the catalogue: add "
                                                       "the product, then re-check the order."),
                                         IntakeProblem("phone", "The phone '555' is not a phone number.", False)))
    screen = screen_for(qtbot, db)
    search(qtbot, screen, number)
    qtbot.waitUntil(lambda: rows(screen) == [number] and screen.detail.number == number, timeout=WAIT)
    assert screen.detail.rows("Problems") == [
        ["Holds the order", "SKU UI-NEW-1 is not in the catalogue: add the product, then re-check the order."],
        ["Warning", "The phone '555' is not a phone number."],
        ["Unknown SKU", "1 × UI-NEW-1 New lamp: add the product, then Re-check"]]
    assert "ON HOLD: SKU UI-NEW-1 is not in the catalogue" in screen.detail.title.text()
    new_product(db, "UI-NEW-1")
    put_stock(db, "UI-NEW-1", "A-01-1", 1)
    assert screen.recheck_button.isEnabled()
    qtbot.mouseClick(screen.recheck_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.busy and "intake hold is released" in screen.status.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: screen.detail.number == number and screen.detail.detail is not None
                    and not screen.detail.detail.summary.hold, timeout=WAIT)
    assert screen.detail.rows("Problems") == []
    assert screen.detail.title.text().startswith(f"{number} · Ready")


def test_a_backorder_reads_as_such_and_the_filter_finds_it(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    new_product(db, "UI-BO-1")
    number = pending_order(db, [("UI-BO-1", 1)])
    screen = screen_for(qtbot, db)
    app = screen.app
    reserve_arrivals(db, sign_in(app, "manager"), ids_of(db, [number]), TODAY)
    screen.status_filter.setCurrentIndex(screen.status_filter.findData("backorder"))
    search(qtbot, screen, "")
    qtbot.waitUntil(lambda: rows(screen) == [number], timeout=WAIT)
    assert str(screen.proxy.index(0, STATUS_COLUMN).data()) == "Backorder"
