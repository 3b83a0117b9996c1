"""The Shipments screen (offscreen, both engines): a manager at the station window finds a
shipment left label-pending at another station and reprints it here — the label reaches
this station's TCP printer and the row turns Printed; every station's label-pending
shipments in their tab; a scanned label searches; Void… asks why and is a manager's."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.printer import open_label_printer
from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.ports import PrinterStatus, ScanValue
from fulfilstation.services.app import AppServices
from fulfilstation.services.shipping import ShipmentSummary
from tests.support.app import app_for, sign_in
from tests.support.scanner_keys import scan_keys
from tests.support.shipped import ship_order, shipment_status
from tests.support.station_window import WAIT_MS, Station
from tests.support.warehouse import stock_of
from ui.shipments import ShipmentsScreen
from ui.shipments.screen import PENDING
from ui.shipments.table_model import HEADERS

STATUS = HEADERS.index("Status")


def cell(screen: ShipmentsScreen, row: int, header: str) -> str:
    return str(screen.table.model().index(row, HEADERS.index(header)).data())


def orders(screen: ShipmentsScreen) -> list[str]:
    return [cell(screen, row, "Order") for row in range(screen.table.model().rowCount())]


@pytest.fixture
def elsewhere(seeded_database: Database, tmp_path: Path) -> AppServices:
    """Other stations, without a label printer: what they ship waits as label pending."""
    return app_for(seeded_database, documents_dir=tmp_path)


def test_a_manager_finds_a_label_pending_shipment_and_reprints_it_here(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, elsewhere: AppServices) -> None:
    number, failed = ship_order(elsewhere, sign_in(elsewhere, "packer", "PACK-A"), [("MUG-CER-350", 1)])
    tracking = failed.tracking_numbers[0]
    assert not failed.printed
    station = Station(qtbot, seeded_database, printer.uri)
    station.log_in("manager", "2222")
    window = station.window
    assert window.navigation.allows("shipments") and window.navigation.isVisible()
    window.navigation.select("shipments")
    screen = window.screens["shipments"]
    assert isinstance(screen, ShipmentsScreen) and window.stack.currentWidget() is screen
    qtbot.waitUntil(lambda: screen.tabs.tabText(PENDING).endswith(": 1"), timeout=WAIT_MS)

    scan_keys(station.focused(), number)  # typed or wedge-scanned into the search box, then Enter
    qtbot.waitUntil(lambda: orders(screen) == [number] and screen.selected() is not None, timeout=WAIT_MS)
    assert cell(screen, 0, "Status") == "Label pending" and cell(screen, 0, "Station") == "PACK-A"
    assert screen.reprint_button.isEnabled() and screen.void_button.isEnabled()
    qtbot.waitUntil(lambda: f"Reprint prints label 1 of 1 for {number} (tracking {tracking}) on {printer.uri}."
                    in screen.detail.text(), timeout=WAIT_MS)  # what it will print, and where, before it does

    qtbot.mouseClick(screen.reprint_button, Qt.MouseButton.LeftButton)
    assert printer.wait_for_jobs(1, timeout=10)
    assert tracking.encode() in printer.jobs[0]
    qtbot.waitUntil(lambda: cell(screen, 0, "Status") == "Printed", timeout=WAIT_MS)
    assert screen.status.text() == f"Printed label 1 of 1 for {number} (tracking {tracking}) on {printer.uri}."
    assert screen.tabs.tabText(PENDING).endswith(": 0") and shipment_status(elsewhere, number) == "printed"
    assert station.typed == []  # the search box got the keys, not the station


def test_the_label_pending_tab_shows_every_stations_and_a_scan_searches(
        qtbot: QtBot, seeded_database: Database, elsewhere: AppServices) -> None:
    first, _ = ship_order(elsewhere, sign_in(elsewhere, "packer", "PACK-A"), [("MUG-CER-350", 1)])
    second, shipped = ship_order(elsewhere, sign_in(elsewhere, "packer2", "PACK-B"), [("SOAP-LAV-100", 1)])
    screen = ShipmentsScreen(elsewhere)
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(elsewhere, "manager", "PACK-DESK"))
    screen.shown()
    qtbot.waitUntil(lambda: sorted(orders(screen)) == sorted([first, second]), timeout=WAIT_MS)
    assert orders(screen) == [second, first]  # newest first
    assert not screen.reprint_button.isEnabled()  # nothing selected yet
    screen.tabs.setCurrentIndex(PENDING)
    qtbot.waitUntil(lambda: orders(screen) == [first, second], timeout=WAIT_MS)  # oldest first
    assert [cell(screen, row, "Station") for row in range(2)] == ["PACK-A", "PACK-B"]
    assert screen.tabs.tabText(PENDING) == "Label pending (all stations): 2"
    screen.table.sortByColumn(HEADERS.index("Station"), Qt.SortOrder.DescendingOrder)
    assert orders(screen) == [second, first]
    usps = shipped.tracking_numbers[0]
    screen.take_scan(ScanValue(f"42062704\x1d{usps}", "]C1"))  # the USPS label's IMpb: 420 + ZIP, then tracking
    qtbot.waitUntil(lambda: orders(screen) == [second], timeout=WAIT_MS)
    selected = screen.selected()
    assert selected is not None and selected.order_number == second
    assert "No label-pending" not in screen.found.text()
    screen.take_scan(ScanValue("NOTHING-LIKE-THIS"))
    qtbot.waitUntil(lambda: orders(screen) == [], timeout=WAIT_MS)
    assert "No label-pending shipment matches 'NOTHING-LIKE-THIS'" in screen.found.text()


def test_void_asks_why_and_is_a_managers(qtbot: QtBot, seeded_database: Database, elsewhere: AppServices) -> None:
    number, _ = ship_order(elsewhere, sign_in(elsewhere, "packer", "PACK-A"), [("MUG-CER-350", 1)])
    on_shelf = stock_of(seeded_database, "MUG-CER-350")
    asked: list[ShipmentSummary] = []
    answers: list[str | None] = [None, "damaged while packing"]
    screen = ShipmentsScreen(elsewhere, ask_reason=lambda summary: asked.append(summary) or answers.pop(0))
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(elsewhere, "packer", "PACK-A"))
    screen.search_box.setText(number)
    screen.search_now()
    qtbot.waitUntil(lambda: screen.selected() is not None, timeout=WAIT_MS)
    assert screen.reprint_button.isEnabled() and not screen.void_button.isEnabled()  # a packer may reprint only
    assert "Only a manager or an owner" in screen.void_button.toolTip()
    screen.set_actor(sign_in(elsewhere, "manager", "PACK-DESK"))
    assert screen.void_button.isEnabled()
    qtbot.mouseClick(screen.void_button, Qt.MouseButton.LeftButton)  # asked why, then cancelled
    assert [s.order_number for s in asked] == [number] and shipment_status(elsewhere, number) == "label-pending"
    qtbot.mouseClick(screen.void_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(screen, 0, "Status") == "Voided", timeout=WAIT_MS)
    assert "is void" in screen.status.text() and shipment_status(elsewhere, number) == "voided"
    assert stock_of(seeded_database, "MUG-CER-350") == (on_shelf[0] + 1, on_shelf[1] + 1)
    summary = screen.selected()
    assert summary is not None and summary.status is ShipmentStatus.VOIDED
    assert not screen.void_button.isEnabled() and not screen.reprint_button.isEnabled()
    assert "damaged while packing" in screen.detail.text()
    assert "Not reprintable: this shipment is void" in screen.detail.text()


class ThreadRecordingPrinter:
    """The simulator's label printer, noting which thread asked it (never the GUI's)."""

    def __init__(self, uri: str) -> None:
        self.printer = open_label_printer(uri)
        self.uri = uri
        self.threads: list[threading.Thread] = []

    def status(self) -> PrinterStatus:
        self.threads.append(threading.current_thread())
        return self.printer.status()

    def send(self, data: bytes, job_name: str = "label") -> None:
        self.threads.append(threading.current_thread())
        self.printer.send(data, job_name)


@pytest.fixture
def local_printer() -> Iterator[ZplPrinterSimulator]:
    with ZplPrinterSimulator() as simulator:
        yield simulator


def test_a_reprint_that_cannot_print_says_why(qtbot: QtBot, seeded_database: Database, elsewhere: AppServices,
                                              local_printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    number, _ = ship_order(elsewhere, sign_in(elsewhere, "packer", "PACK-A"), [("MUG-CER-350", 1)])
    recording = ThreadRecordingPrinter(local_printer.uri)
    here = app_for(seeded_database, label=recording, documents_dir=tmp_path)
    local_printer.state = "head-open"
    screen = ShipmentsScreen(here)
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(here, "manager", "PACK-DESK"))
    screen.search_box.setText(number)
    screen.search_now()
    qtbot.waitUntil(lambda: screen.selected() is not None, timeout=WAIT_MS)
    screen.reprint()
    assert not screen.reprint_button.isEnabled()  # busy until the answer
    qtbot.waitUntil(lambda: "did not print" in screen.status.text(), timeout=WAIT_MS)
    assert screen.reprint_button.isEnabled() and local_printer.jobs == []
    assert cell(screen, 0, "Status") == "Label pending" and "lid is open" in screen.status.text()
    assert recording.threads and threading.main_thread() not in recording.threads  # never on the GUI thread


def test_a_message_belongs_to_its_moment(qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator,
                                         elsewhere: AppServices) -> None:
    """#10: "The label of order … did not print" stayed on the screen after the manager logged
    out and in, and with another shipment selected. The reload after the reprint keeps it."""
    packer = sign_in(elsewhere, "packer", "PACK-A")
    first, _ = ship_order(elsewhere, packer, [("MUG-CER-350", 1)])
    second, _ = ship_order(elsewhere, packer, [("MUG-CER-350", 1)])
    printer.state = "head-open"
    station = Station(qtbot, seeded_database, printer.uri)
    window = station.window
    station.log_in("manager", "2222")
    window.show_screen("shipments")
    screen = window.screens["shipments"]
    assert isinstance(screen, ShipmentsScreen)

    def reprint_fails(number: str) -> None:
        screen.search_box.setText(number)
        screen.search_now()
        qtbot.waitUntil(lambda: orders(screen) == [number] and screen.selected() is not None, timeout=WAIT_MS)
        screen.reprint()
        qtbot.waitUntil(lambda: "did not print" in screen.status.text() and not screen.busy, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: screen.found.text() == "1 shipment", timeout=WAIT_MS)  # reloaded after it
        assert f"The label of order {number} did not print" in screen.status.text()

    reprint_fails(first)
    window.log_out()
    qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT_MS)
    assert screen.status.text() == ""
    station.log_in("manager", "2222")
    window.show_screen("shipments")
    assert window.stack.currentWidget() is screen and screen.status.text() == ""

    reprint_fails(first)
    screen.search_box.setText("")
    screen.search_now()
    qtbot.waitUntil(lambda: {first, second} <= set(orders(screen)), timeout=WAIT_MS)
    assert "did not print" in screen.status.text()  # nothing else selected yet
    screen.table.selectRow(orders(screen).index(second))
    assert screen.status.text() == ""
    screen.table.selectRow(orders(screen).index(first))  # and back: the message is gone for good
    assert screen.status.text() == ""
