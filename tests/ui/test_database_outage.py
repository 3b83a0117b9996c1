"""The database going away in the middle of a pack (issue #15 point 1), on a private
PostgreSQL server the test stops and restarts itself.

The station keeps the pack on screen with the scans the database has, says "offline"
within 5 s, refuses a further scan and the ship in plain words, prints nothing and stays
responsive; when the server is back it says so within 5 s, carries on with the pack and
ships it once. A workspace screen (Orders) shows the strip too and reloads by itself.
(``timeout=5000`` below is the issue's functional bound, not a speed measurement.)
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, PackSession, ScanEvent, Shipment, StockMove
from fulfilstation.domain.enums import ScanResult, StockMoveReason
from tests.support.cutting_proxy import CuttingProxy
from tests.support.outage import DATABASE, warehouse_server
from tests.support.station_window import Station
from tests.support.warehouse import make_order, unit_barcode
from ui.db_health import OFFLINE_TEXT
from ui.orders import OrdersScreen
from ui.station.controller import OFFLINE_NOW, OFFLINE_SCAN, OFFLINE_SHIP

BOUND_MS = 5_000  # the issue's: offline shown, and online again, within 5 s


def shipped_facts(database: Database, number: str) -> tuple[int, int, int]:
    """(shipments, accepted item scans, units taken off stock by ship moves) of the order."""
    with database.unit_of_work() as session:
        order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
        shipments = session.scalar(select(func.count()).select_from(Shipment).where(Shipment.order_id == order_id))
        scans = session.scalar(select(func.coalesce(func.sum(ScanEvent.quantity), 0))
                               .join(PackSession, PackSession.id == ScanEvent.pack_session_id)
                               .where(PackSession.order_id == order_id, ScanEvent.result == ScanResult.ACCEPTED,
                                      ScanEvent.order_line_id.is_not(None)))
        moved = session.scalar(select(func.coalesce(func.sum(StockMove.quantity), 0))
                               .where(StockMove.order_id == order_id, StockMove.reason == StockMoveReason.SHIP))
    return int(shipments or 0), int(scans or 0), int(moved or 0)


def test_a_pack_carries_on_across_a_database_outage(qtbot: QtBot, printer: ZplPrinterSimulator,
                                                    tmp_path: Path) -> None:
    with warehouse_server(tmp_path) as (server, url):
        db = Database.connect(url)
        try:
            number = make_order(db, [("MUG-CER-350", 2), ("SOAP-LAV-100", 1)])
            mug, soap = unit_barcode(db, "MUG-CER-350"), unit_barcode(db, "SOAP-LAV-100")
            station = Station(qtbot, db, printer.uri)
            window = station.window
            window.sim_dock.panel.auto_weight.setChecked(False)
            assert station.log_in("packer", "1111")[1] == "ok"
            assert station.scan(number)[1] == "ok"
            assert station.scan(mug)[1] == "ok" and station.scanned() == [1, 0]

            server.stop()
            qtbot.waitUntil(window.offline_strip.isVisible, timeout=BOUND_MS)
            assert window.offline_strip.text() == OFFLINE_TEXT
            qtbot.waitUntil(lambda: (OFFLINE_NOW, "error") in station.messages, timeout=BOUND_MS)
            pack = window.station.pack
            assert window.station.stack.currentWidget() is pack and pack.header.number.text() == number
            assert station.scanned() == [1, 0] and pack.model.rowCount() == 2
            assert station.scan(soap) == (OFFLINE_SCAN, "error")  # refused, never counted
            assert station.scanned() == [1, 0]
            view = station.controller.view
            assert view is not None and view.expected_g is not None
            station.weigh(view.expected_g)
            assert station.key(Qt.Key.Key_Return) == (OFFLINE_SHIP, "error")
            ticks: list[int] = []
            timer = QTimer(window)
            timer.timeout.connect(lambda: ticks.append(1))
            timer.start(20)
            qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=BOUND_MS)  # the GUI thread is not blocked
            timer.stop()
            assert printer.jobs == []  # no label for a shipment that was never committed

            server.start()
            qtbot.waitUntil(lambda: not window.offline_strip.isVisible(), timeout=BOUND_MS)
            qtbot.waitUntil(lambda: any(text.startswith("The database is back: carry on with " + number)
                                        for text, _ in station.messages), timeout=BOUND_MS)
            assert station.scanned() == [1, 0]
            assert station.scan(mug)[1] == "ok"
            text, tone = station.scan(soap)
            assert tone == "ok" and text.startswith("All items scanned") and station.scanned() == [2, 1]
            view = station.controller.view
            assert view is not None and view.expected_g is not None
            station.weigh(view.expected_g)
            text, _tone = station.key(Qt.Key.Key_Return)
            assert text.startswith(f"Shipped {number} — tracking ") and "label printed" in text
            tracking = text.split("tracking ")[1].split(" —")[0]
            assert tracking.encode() in printer.wait_for_jobs(1, timeout=5)[0] and len(printer.jobs) == 1
            assert shipped_facts(db, number) == (1, 3, 3)  # one shipment, each scan once, stock moved once
        finally:
            db.dispose()


def test_a_scan_cut_by_the_outage_is_refused_and_checked_when_the_database_is_back(
        qtbot: QtBot, printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    with warehouse_server(tmp_path) as (server, url):
        db = Database.connect(url)
        try:
            number = make_order(db, [("MUG-CER-350", 2)])
            mug = unit_barcode(db, "MUG-CER-350")
            station = Station(qtbot, db, printer.uri)
            window = station.window
            health = window.context.health
            assert health is not None
            station.log_in("packer", "1111")
            station.scan(number)
            health.online_interval = 3600.0  # the probe looks no more: the cut scan is the first to know
            station.controller.heartbeat.stop()  # nor does the heartbeat (every 30 s) get there first
            qtbot.wait(int(2.5 * 1000))  # the probe's wait already under way ends (at most 2 s)
            server.stop()
            assert window.offline_strip.isHidden()
            before = len(station.messages)
            station.scan(mug)  # tried and cut: the state flips at once, and the scan is refused, not counted
            qtbot.waitUntil(lambda: len(station.messages) >= before + 2 and not station.controller.busy,
                            timeout=BOUND_MS)
            assert station.messages[before:] == [(OFFLINE_NOW, "error"), (OFFLINE_SCAN, "error")]
            assert station.scanned() == [0]
            qtbot.waitUntil(window.offline_strip.isVisible, timeout=BOUND_MS)
            server.start()
            qtbot.waitUntil(lambda: any(text.startswith("The database is back") for text, _ in station.messages),
                            timeout=BOUND_MS)
            back = next(text for text, _ in station.messages if text.startswith("The database is back"))
            assert back.endswith(f"Scan {mug} again: it was not recorded.") and station.scanned() == [0]
            assert station.scan(mug)[1] == "ok" and station.scanned() == [1]
        finally:
            db.dispose()


def test_the_orders_screen_shows_the_outage_and_reloads_after_it(qtbot: QtBot, printer: ZplPrinterSimulator,
                                                                 tmp_path: Path) -> None:
    with warehouse_server(tmp_path) as (server, url):
        db = Database.connect(url)
        try:
            station = Station(qtbot, db, printer.uri)
            window = station.window
            assert station.log_in("manager", "2222")[1] == "ok"
            window.show_screen("orders")
            orders = window.screens["orders"]
            assert isinstance(orders, OrdersScreen)
            assert window.stack.currentWidget() is orders

            server.stop()
            qtbot.waitUntil(window.offline_strip.isVisible, timeout=BOUND_MS)
            assert window.stack.currentWidget() is orders  # the screen stays: nothing freezes or closes
            server.start()
            number = make_order(db, [("MUG-CER-350", 1)])  # made while the window still thinks it is offline
            qtbot.waitUntil(lambda: not window.offline_strip.isVisible(), timeout=BOUND_MS)
            qtbot.waitUntil(lambda: number in orders_shown(orders), timeout=BOUND_MS)
        finally:
            db.dispose()


def orders_shown(screen: OrdersScreen) -> set[str]:
    return {summary.number for summary in screen.model.rows()}


def test_a_ship_whose_commit_answer_is_lost_is_checked_and_never_shipped_twice(
        qtbot: QtBot, printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    """The server commits the shipment but the station never hears it: no label is printed
    then; when the connection is back the station finds the shipment and says so (Ctrl+R
    prints its label, once), and the order is not shipped again."""
    with warehouse_server(tmp_path) as (server, url), CuttingProxy(server.port) as proxy:
        db = Database.connect(url)
        through_proxy = Database.connect(make_url(proxy.url(DATABASE)))
        try:
            number = make_order(db, [("MUG-CER-350", 1)])
            station = Station(qtbot, through_proxy, printer.uri)
            window = station.window
            window.sim_dock.panel.auto_weight.setChecked(False)
            station.log_in("packer", "1111")
            station.scan(number)
            assert station.scan(unit_barcode(db, "MUG-CER-350"))[0].startswith("All items scanned")
            view = station.controller.view
            assert view is not None and view.expected_g is not None
            station.weigh(view.expected_g)

            proxy.arm(b"INSERT INTO shipments")
            before = len(station.messages)
            qtbot.keyClick(station.focused(), Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: (OFFLINE_SHIP, "error") in station.messages[before:], timeout=BOUND_MS)
            assert proxy.cut.is_set() and printer.jobs == []  # committed, but no label for what was not confirmed
            qtbot.waitUntil(lambda: any(text.startswith("The database is back") for text, _ in station.messages),
                            timeout=BOUND_MS)
            back = next(text for text, _ in station.messages if text.startswith("The database is back"))
            assert f"{number} WAS shipped" in back and "Ctrl+R" in back and station.controller.view is None
            assert station.scan("FS:SHIP")[0].startswith("No pack in progress")  # nothing to ship again
            text, tone = station.key(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
            assert tone == "ok" and text.startswith("Reprinted label 1 of 1 for " + number)
            assert len(printer.wait_for_jobs(1, timeout=5)) == 1
            assert shipped_facts(db, number) == (1, 1, 1)  # one shipment, the scan once, stock moved once
        finally:
            through_proxy.dispose()
            db.dispose()
