"""The Orders screen with kits and pending orders (offscreen, SQLite and PostgreSQL): a
manager selects a pending order and presses Reserve stock — a short one stays pending and the
status line names the SKU short; once stock is there it becomes ready, and its detail lists
the kit with its components under it. The button is off for a packer and for orders that are
not pending. At the station the components are listed "part of KIT ×N" and the kit's own
barcode is refused, naming them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from tests.support.app import app_for, sign_in
from tests.support.kits import make_kit, new_product, pending_order, put_stock, status_of
from tests.support.station_window import Station
from tests.support.warehouse import make_order, unit_barcode
from tests.ui.test_orders_screen import WAIT, rows, screen_for, search
from ui.station.lines_model import NAME


def test_a_manager_reserves_a_pending_kit_order_from_the_screen(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    new_product(db, "UI-PART")
    put_stock(db, "UI-PART", "E-08-1", 1)
    make_kit(db, "UI-KIT", [("UI-PART", 1), ("SOAP-OAT-100", 2)])
    number = pending_order(db, [("UI-KIT", 2)])
    ready = make_order(db, [("MUG-CER-350", 1)])
    screen = screen_for(qtbot, db)

    search(qtbot, screen, ready)
    qtbot.waitUntil(lambda: rows(screen) == [ready] and screen.detail.number == ready, timeout=WAIT)
    assert not screen.reserve_button.isEnabled()
    search(qtbot, screen, number)
    qtbot.waitUntil(lambda: rows(screen) == [number] and screen.detail.number == number, timeout=WAIT)
    assert screen.reserve_button.isEnabled()

    qtbot.mouseClick(screen.reserve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.busy and "short" in screen.status.text(), timeout=WAIT)
    assert screen.status.text() == (f"Order {number} stays pending, nothing reserved: UI-PART short by 1 "
                                    "(needs 2, 1 available).")
    assert status_of(db, number) == "pending"

    put_stock(db, "UI-PART", "E-08-2", 1)
    qtbot.waitUntil(lambda: screen.reserve_button.isEnabled(), timeout=WAIT)
    qtbot.mouseClick(screen.reserve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.busy and screen.status.text().endswith("ready to pack."), timeout=WAIT)
    assert screen.status.text() == f"Order {number}: 6 units reserved; ready to pack."
    qtbot.waitUntil(lambda: screen.detail.rows("Lines") != [] and len(screen.detail.rows("Lines")) == 3
                    and screen.detail.rows("Reserved") != [], timeout=WAIT)
    assert [row[:3] for row in screen.detail.rows("Lines")] == [
        ["UI-KIT", "Test UI-KIT (kit)", "2"], ["↳ SOAP-OAT-100", "Oatmeal Bar Soap 100 g", "4"],
        ["↳ UI-PART", "Test UI-PART", "2"]]
    qtbot.waitUntil(lambda: not screen.reserve_button.isEnabled(), timeout=WAIT)  # ready now


def test_a_packer_cannot_reserve(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    number = pending_order(db, [("MUG-CER-350", 1)])
    screen = screen_for(qtbot, db, "packer")
    search(qtbot, screen, number)
    qtbot.waitUntil(lambda: rows(screen) == [number], timeout=WAIT)
    assert not screen.reserve_button.isEnabled()


def test_the_station_lists_a_kits_components_and_refuses_its_own_barcode(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    make_kit(db, "UI-GIFT", [("MUG-ENA-300", 1), ("SOAP-LAV-100", 2)], barcode="KIT-UI-GIFT")
    number = pending_order(db, [("UI-GIFT", 1)])
    app = app_for(db)
    app.orders.reserve_stock(sign_in(app, "manager"), [number])
    station = Station(qtbot, db, printer.uri)
    station.log_in("packer", "1111")
    station.scan(number)
    model = station.window.station.pack.model
    assert [model.index(row, NAME).data() for row in range(model.rowCount())] == [
        "Enamel Camp Mug 300 ml · part of UI-GIFT ×1", "Lavender Bar Soap 100 g · part of UI-GIFT ×1"]
    text, tone = station.scan("KIT-UI-GIFT")
    assert tone == "error" and text == ("Test UI-GIFT is a kit: do not scan the kit's own barcode, scan its "
                                        "components: 1 × Enamel Camp Mug 300 ml, 2 × Lavender Bar Soap 100 g.")
    assert station.window.station.sounds.played[-1] == "refuse-wrong-item"
    assert station.scan(unit_barcode(db, "MUG-ENA-300"))[1] == "ok"
