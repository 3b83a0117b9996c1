"""The manager's Orders screen (offscreen, SQLite and PostgreSQL): search (typed or scanned),
open an order, hold it with a reason through the dialog and see it held, release it;
refusals are shown in words in the dialog, which stays open; a packer's buttons are off;
the window shows the screen to managers and owners only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.db.models import Order
from fulfilstation.ports import ScanValue
from tests.support.app import app_for, sign_in
from tests.support.orders import MUG_AND_SOAP, audit_of, pack_all
from tests.support.station_window import Station
from tests.support.warehouse import make_order
from ui.orders import OrdersScreen
from ui.orders.dialogs import AddressDialog, ReasonDialog
from ui.orders.model import HEADERS

WAIT = 15_000
HOLD_COLUMN = HEADERS.index("Hold")


def screen_for(qtbot: QtBot, db: Database, username: str = "manager") -> OrdersScreen:
    app = app_for(db)
    screen = OrdersScreen(app)
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, username))
    screen.resize(1400, 900)
    screen.show()
    qtbot.waitExposed(screen)
    screen.shown()
    return screen


def cell(screen: OrdersScreen, row: int, column: int) -> str:
    return str(screen.proxy.index(row, column).data() or "")


def rows(screen: OrdersScreen) -> list[str]:
    return [cell(screen, row, 0) for row in range(screen.proxy.rowCount())]


def search(qtbot: QtBot, screen: OrdersScreen, text: str) -> None:
    """Type ``text`` into the search box and press Enter, as a person (or a wedge scanner) does."""
    screen.search.clear()
    qtbot.keyClicks(screen.search, text)
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)


def set_customer(db: Database, number: str, name: str) -> None:
    with db.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == number).values(ship_to_name=name))


def test_a_manager_finds_an_order_opens_it_and_holds_it(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    number = make_order(db, MUG_AND_SOAP)
    set_customer(db, number, "Ingrid Quarterman")
    screen = screen_for(qtbot, db)
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 51, timeout=WAIT)  # the demo's 50 and ours
    assert QApplication.focusWidget() is screen.search

    search(qtbot, screen, "quarterman")  # one hit: it opens
    qtbot.waitUntil(lambda: rows(screen) == [number] and screen.detail.number == number, timeout=WAIT)
    assert screen.detail.title.text().startswith(f"{number} · Ready")
    assert "Ship to: Ingrid Quarterman, 1 Test St, Springfield, IL, 62704, US" in screen.detail.ship_to.text()
    assert [row[:3] for row in screen.detail.rows("Lines")] == [["MUG-CER-350", "Ceramic Mug 350 ml, Slate", "2"],
                                                                ["SOAP-LAV-100", "Lavender Bar Soap 100 g", "1"]]
    assert len(screen.detail.rows("Reserved")) == 2
    assert screen.hold_button.isEnabled() and not screen.release_button.isEnabled()

    qtbot.mouseClick(screen.hold_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert isinstance(dialog, ReasonDialog) and dialog.isVisible()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason yet: said, nothing sent
    assert "Type the reason first" in dialog.message.text() and dialog.isVisible()
    qtbot.keyClicks(dialog.reason, "Customer asked us to wait")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.dialog is None and cell(screen, 0, HOLD_COLUMN)
                    == "Customer asked us to wait", timeout=WAIT)
    assert screen.status.text() == f"Order {number} is on hold: Customer asked us to wait."
    qtbot.waitUntil(lambda: screen.detail.rows("Holds") != [], timeout=WAIT)
    assert screen.detail.rows("Holds")[0][1:3] == ["Morgan Manager", "Customer asked us to wait"]
    assert audit_of(db, number, "order.held")[0].details["by"] == "manager"
    assert not screen.hold_button.isEnabled() and screen.release_button.isEnabled()

    screen.hold_filter.setCurrentIndex(screen.hold_filter.findData(True))  # on hold only
    search(qtbot, screen, "")
    qtbot.waitUntil(lambda: number in rows(screen) and len(rows(screen)) == 3, timeout=WAIT)  # + the demo's 2

    screen.hold_filter.setCurrentIndex(0)
    search(qtbot, screen, number)
    qtbot.waitUntil(lambda: rows(screen) == [number] and screen.release_button.isEnabled(), timeout=WAIT)
    qtbot.mouseClick(screen.release_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(screen, 0, HOLD_COLUMN) == "" and not screen.busy, timeout=WAIT)
    assert screen.status.text() == f"Order {number} is released: stations can pack it."


def test_refusals_stay_in_the_dialog_and_the_address_is_fixed_there(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    number = make_order(db, MUG_AND_SOAP)
    packer = sign_in(app, "packer")
    pack_all(app, packer, number, MUG_AND_SOAP)
    screen = screen_for(qtbot, db)
    screen.take_scan(ScanValue(number, "]C0"))  # a scanner that is not a wedge: searched, opened
    qtbot.waitUntil(lambda: rows(screen) == [number] and screen.detail.number == number, timeout=WAIT)
    assert len(screen.detail.rows("Scans")) == 3
    assert screen.cancel_button.isEnabled()
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert isinstance(dialog, ReasonDialog)
    qtbot.keyClicks(dialog.reason, "Customer cancelled")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "cancel that pack first" in dialog.message.text(), timeout=WAIT)
    assert dialog.isVisible() and dialog.action_button.isEnabled() and not screen.busy
    dialog.reject()
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=WAIT)

    qtbot.mouseClick(screen.address_button, Qt.MouseButton.LeftButton)
    form = screen.dialog
    assert isinstance(form, AddressDialog)
    assert form.fields["line1"].text() == "1 Test St" and form.fields["region"].text() == "IL"
    form.fields["line1"].setText("77 Harbor Rd")
    form.fields["region"].clear()
    qtbot.mouseClick(form.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "two-letter state" in form.message.text(), timeout=WAIT)
    assert form.isVisible() and app.orders.detail(number).ship_to.line1 == "1 Test St"
    form.fields["region"].setText("or")
    qtbot.mouseClick(form.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None and "77 Harbor Rd" in screen.detail.ship_to.text(), timeout=WAIT)
    assert screen.status.text().startswith(f"Order {number} now ships to Test Person, 77 Harbor Rd")
    assert app.orders.detail(number).ship_to.region == "OR"


def test_columns_sort_and_a_packer_may_only_look(qtbot: QtBot, seeded_database: Database) -> None:
    screen = screen_for(qtbot, seeded_database, "packer")
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 50, timeout=WAIT)
    screen.table.selectRow(0)
    assert not any(button.isEnabled() for button in (screen.hold_button, screen.release_button,
                                                     screen.cancel_button, screen.address_button))
    screen.table.sortByColumn(HEADERS.index("Units"), Qt.SortOrder.DescendingOrder)
    units = [int(cell(screen, row, HEADERS.index("Units"))) for row in range(screen.proxy.rowCount())]
    assert units == sorted(units, reverse=True) and units[0] > units[-1]
    screen.table.sortByColumn(HEADERS.index("Ship by"), Qt.SortOrder.AscendingOrder)
    days = [cell(screen, row, HEADERS.index("Ship by"))[:10] for row in range(screen.proxy.rowCount())]
    assert days == sorted(days)


def test_the_window_shows_orders_to_managers_only(qtbot: QtBot, seeded_database: Database,
                                                  printer: ZplPrinterSimulator) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    window = station.window
    assert isinstance(window.screens["orders"], OrdersScreen)
    station.log_in("packer", "1111")
    assert not window.navigation.allows("orders")
    station.window.log_out()
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT)
    station.log_in("manager", "2222")
    assert window.navigation.allows("orders")
    window.show_screen("orders")
    orders = window.screens["orders"]
    assert window.stack.currentWidget() is orders and orders.actor is window.actor
    qtbot.waitUntil(lambda: orders.proxy.rowCount() == 50, timeout=WAIT)


def test_a_manager_releases_the_pack_of_a_stopped_station(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    number = make_order(db, MUG_AND_SOAP)
    dead = app_for(db, station="BENCH-DEAD")
    dead.packing.start(sign_in(dead), number)
    screen = screen_for(qtbot, db)
    search(qtbot, screen, number)
    qtbot.waitUntil(lambda: rows(screen) == [number] and screen.release_pack_button.isEnabled(), timeout=WAIT)
    qtbot.mouseClick(screen.release_pack_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert isinstance(dialog, ReasonDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.reason, "Bench 3 crashed")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.dialog is None and not screen.busy, timeout=WAIT)
    assert screen.status.text().startswith(f"Released the pack of {number} at station BENCH-DEAD")
    assert audit_of(db, number, "pack.released")[0].details["reason"] == "Bench 3 crashed"
    qtbot.waitUntil(lambda: not screen.release_pack_button.isEnabled(), timeout=WAIT)  # ready again


def test_what_a_change_said_is_forgotten_with_another_order_or_person(qtbot: QtBot,
                                                                     seeded_database: Database) -> None:
    """#10: status messages belong to the moment: another order selected, or a sign-in or
    sign-out (``forget_messages``), clears them; the reload after the change keeps them."""
    db = seeded_database
    held, other = make_order(db, MUG_AND_SOAP), make_order(db, MUG_AND_SOAP)
    screen = screen_for(qtbot, db)
    search(qtbot, screen, held)
    qtbot.waitUntil(lambda: rows(screen) == [held] and screen.selected() is not None, timeout=WAIT)
    qtbot.mouseClick(screen.hold_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert isinstance(dialog, ReasonDialog)
    qtbot.keyClicks(dialog.reason, "Address check")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    said = f"Order {held} is on hold: Address check."
    qtbot.waitUntil(lambda: cell(screen, 0, HOLD_COLUMN) == "Address check", timeout=WAIT)
    assert screen.status.text() == said  # the reload after the hold keeps it

    search(qtbot, screen, "")
    qtbot.waitUntil(lambda: {held, other} <= set(rows(screen)), timeout=WAIT)
    screen.select(held)
    assert screen.status.text() == said
    screen.select(other)
    assert screen.status.text() == ""

    screen.select(held)
    qtbot.mouseClick(screen.release_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.status.text() == f"Order {held} is released: stations can pack it.",
                    timeout=WAIT)
    screen.forget_messages()  # the window calls it on every sign-in and sign-out
    assert screen.status.text() == ""
