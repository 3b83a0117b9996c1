"""The Receiving screen (offscreen, SQLite and PostgreSQL) driven by a scanner's keystrokes:
open a PO by scanning its number, scan the bin, items, a lot and its expiry as the prompts
ask, see expected against received, undo, hear a refusal, close with the over/under summary
confirmed — the stock is posted; an ad hoc receipt started and cancelled; a manager creates a
purchase order in the dialog and imports others from a CSV file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.sim.printer import SimLabelPrinter
from fulfilstation.db.database import Database
from fulfilstation.ports import ScanValue
from fulfilstation.services.receiving import ExpectedLine, NewPurchaseOrder
from tests.support.app import app_for, sign_in
from tests.support.receiving import on_hand
from tests.support.warehouse import unit_barcode
from ui.receiving import ReceivingScreen
from ui.station.sounds import SoundPlayer

WAIT = 15_000
MUG, TEA = "MUG-CER-350", "TEA-EARL-100"


class _Recorder(SoundPlayer):
    """Sounds asked for, without playing them."""

    def __init__(self) -> None:
        super().__init__(False)

    def play(self, name: str) -> None:
        self.played.append(name)


def scan(qtbot: QtBot, screen: ReceivingScreen, code: str) -> None:
    """Type ``code`` and Enter into the scan box, as a keyboard-wedge scanner does."""
    qtbot.keyClicks(screen.scan_box, code)
    qtbot.keyClick(screen.scan_box, Qt.Key.Key_Return)


def table(screen: ReceivingScreen) -> list[list[str]]:
    proxy = screen.lines_proxy
    return [[str(proxy.index(row, column).data()) for column in (0, 2, 3, 4)] for row in range(proxy.rowCount())]


def test_a_packer_receives_a_po_with_the_scanner_alone(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    printer = SimLabelPrinter()
    app = app_for(db, label=printer)
    app.receiving.create_po(sign_in(app, "manager"), NewPurchaseOrder(
        "Acme", (ExpectedLine(MUG, 3), ExpectedLine(TEA, 2)), number="PO-UI"))
    confirmed: list[str] = []
    sounds = _Recorder()
    screen = ReceivingScreen(app, confirm=lambda _title, text: confirmed.append(text) or True, sounds=sounds)
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "packer"))
    screen.resize(1280, 760)
    screen.show()
    qtbot.waitExposed(screen)
    screen.shown()
    qtbot.waitUntil(lambda: screen.receipts.rowCount() == 1, timeout=WAIT)

    scan(qtbot, screen, "PO-UI")
    qtbot.waitUntil(lambda: screen.place is not None and screen.view is not None, timeout=WAIT)
    assert screen.prompt.text() == "Scan the bin"
    assert table(screen) == [[MUG, "3", "0", "3 to come"], [TEA, "2", "0", "2 to come"]]
    mug, tea = unit_barcode(db, MUG), unit_barcode(db, TEA)
    for code in ("A-01-1", mug, mug, tea, "L-UI-1"):
        scan(qtbot, screen, code)  # typed faster than decided: they wait their turn
    qtbot.waitUntil(lambda: screen.prompt.text().startswith("Scan or type the expiry of Earl Grey"), timeout=WAIT)
    scan(qtbot, screen, "2027-03-31")
    qtbot.waitUntil(lambda: table(screen) == [[MUG, "3", "2", "1 to come"], [TEA, "2", "1", "1 to come"]],
                    timeout=WAIT)
    assert screen.prompt.text() == "Scan an item (into A-01-1)"
    assert screen.last_scans.count() == 3 and "lot L-UI-1, expires 2027-03-31" in screen.last_scans.item(0).text()
    assert sounds.played.count("accept") == 4 and sounds.played.count("prompt") == 2

    scan(qtbot, screen, "NOT-A-THING")
    qtbot.waitUntil(lambda: sounds.played[-1] == "refuse", timeout=WAIT)
    assert "Unknown code 'NOT-A-THING'" in screen.status.text()

    screen.take_scan(ScanValue(mug))  # a serial/HID scanner's scan
    screen.take_scan(ScanValue(mug))
    qtbot.waitUntil(lambda: table(screen)[0] == [MUG, "3", "4", "+1 over"], timeout=WAIT)
    qtbot.mouseClick(screen.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: table(screen)[0] == [MUG, "3", "3", "✓"], timeout=WAIT)

    screen.line_table.selectRow(1)
    request = screen.print_labels_for_selected()
    assert request is not None and (request.sku, request.lot, str(request.expiry)) == (TEA, "L-UI-1", "2027-03-31")
    qtbot.waitUntil(lambda: screen.status.text().startswith("Printed 1 label"), timeout=WAIT)
    (job,) = printer.jobs  # a 4x4 label whose GS1-128 carries the expiry (17) and the lot (10)
    assert b"^PW812" in job and b"(17) 270331 (10) L-UI-1" in job  # its decoding: tests/db/test_labels.py

    qtbot.waitUntil(lambda: screen.close_button.isEnabled(), timeout=WAIT)
    qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.place is None and "closed" in screen.status.text(), timeout=WAIT)
    assert confirmed == ["Close PO-UI and put 4 units into stock?\nUnder: TEA-EARL-100 -1 (1 of 2)"]
    assert "Under: TEA-EARL-100 -1." in screen.status.text()
    assert on_hand(db, TEA, "A-01-1", "L-UI-1") == 1
    qtbot.waitUntil(lambda: screen.receipts.rowCount() == 0, timeout=WAIT)
    assert screen.prompt.text().startswith("Open a receipt")


def test_an_ad_hoc_receipt_from_the_screen(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    screen = ReceivingScreen(app, confirm=lambda _title, _text: True, sounds=_Recorder())
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "packer"))
    screen.show()
    screen.shown()
    qtbot.keyClicks(screen.supplier_box, "Walk-in Supplier")
    qtbot.keyClick(screen.supplier_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.number == "RCV-1", timeout=WAIT)
    for code in ("RECV-01", unit_barcode(db, MUG)):
        scan(qtbot, screen, code)
    qtbot.waitUntil(lambda: table(screen) == [[MUG, "0", "1", "+1 over"]], timeout=WAIT)
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.place is None, timeout=WAIT)
    assert "the receipt is cancelled" in screen.status.text()
    assert app.receiving.show("RCV-1").summary.status == "cancelled"


def test_a_manager_creates_and_imports_purchase_orders(qtbot: QtBot, seeded_database: Database,
                                                        tmp_path: Path) -> None:
    db = seeded_database
    app = app_for(db)
    csv = tmp_path / "po.csv"
    csv.write_text("po_number,supplier,sku,quantity\nPO-CSV,Tea House,TEA-EARL-100,40\nPO-BAD,X,NOPE,1\n")
    screen = ReceivingScreen(app, sounds=_Recorder(), choose_file=lambda: str(csv))
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "packer"))
    screen.show()
    assert not screen.new_po_button.isVisible() and not screen.import_button.isVisible()  # a packer's
    screen.set_actor(sign_in(app, "manager"))
    assert screen.new_po_button.isVisible() and screen.import_button.isVisible()

    qtbot.mouseClick(screen.new_po_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.supplier, "Acme")
    qtbot.keyClicks(dialog.number, "PO-NEW")
    dialog.lines.setPlainText(f"{MUG} 12\nNO-SUCH-SKU 3")
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "There is no product with SKU 'NO-SUCH-SKU'" in dialog.message.text(), timeout=WAIT)
    assert dialog.isVisible()  # the refusal is said in the dialog, which stays open
    dialog.lines.setPlainText(f"{MUG} 12\n{TEA} 40 RECV-01\n")
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None and "Purchase order PO-NEW created" in screen.status.text(),
                    timeout=WAIT)
    assert {line.sku: (line.expected, line.bin) for line in app.receiving.show("PO-NEW").lines} == {
        MUG: (12, None), TEA: (40, "RECV-01")}

    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.status.text().startswith("imported 1, updated 0, rejected 1"), timeout=WAIT)
    assert "line 3 (PO-BAD): there is no product with SKU 'NOPE'" in screen.status.text()
    qtbot.waitUntil(lambda: {row.number for row in screen.receipts.rows()} == {"PO-NEW", "PO-CSV"}, timeout=WAIT)


def test_a_receipt_closed_at_another_station_leaves_the_screen(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    screen = ReceivingScreen(app, sounds=_Recorder())
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "packer"))
    screen.show()
    qtbot.keyClicks(screen.supplier_box, "Walk-in")
    qtbot.keyClick(screen.supplier_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.view is not None, timeout=WAIT)
    for code in ("RECV-01", unit_barcode(db, MUG)):
        scan(qtbot, screen, code)
    qtbot.waitUntil(lambda: len(table(screen)) == 1, timeout=WAIT)
    elsewhere = app_for(db, station="RECV-B")
    elsewhere.receiving.close(sign_in(elsewhere, "packer2"), "RCV-1")
    screen.refresh()  # as the window does when another station's change is heard
    qtbot.waitUntil(lambda: screen.place is None, timeout=WAIT)
    assert "RCV-1 was received at another station" in screen.status.text()


def test_a_scan_after_a_click_on_a_line_or_on_undo_still_reaches_the_scan_box(
        qtbot: QtBot, seeded_database: Database) -> None:
    """A packer clicks a line (to print its label) or Undo, then scans: the wedge's keystrokes
    land on the table or the button, yet the scan is received (not lost, no button pressed);
    an open receipt takes the width (the list comes back with Back); closing asks with No as
    the default, so a stray scan's Enter does not close the receipt."""
    db = seeded_database
    app = app_for(db, label=SimLabelPrinter())
    app.receiving.create_po(sign_in(app, "manager"), NewPurchaseOrder(
        "Acme", (ExpectedLine(MUG, 3),), number="PO-FOCUS"))
    screen = ReceivingScreen(app, sounds=_Recorder())
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "packer"))
    screen.resize(1000, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.shown()
    qtbot.waitUntil(lambda: screen.receipts.rowCount() == 1, timeout=WAIT)
    scan(qtbot, screen, "PO-FOCUS")
    qtbot.waitUntil(lambda: screen.view is not None, timeout=WAIT)
    assert not screen.list_pane.isVisible(), "the open receipt's lines get the whole width"
    mug = unit_barcode(db, MUG)
    for code in ("A-01-1", mug):
        scan(qtbot, screen, code)
    qtbot.waitUntil(lambda: table(screen) == [[MUG, "3", "1", "2 to come"]], timeout=WAIT)

    screen.line_table.setFocus()
    screen.line_table.selectRow(0)
    qtbot.keyClicks(screen.line_table, mug)  # the wedge types into the focused table …
    qtbot.keyClick(screen.scan_box, Qt.Key.Key_Return)  # … its first key moved the focus to the scan box
    qtbot.waitUntil(lambda: table(screen) == [[MUG, "3", "2", "1 to come"]], timeout=WAIT)

    qtbot.mouseClick(screen.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: table(screen) == [[MUG, "3", "1", "2 to come"]], timeout=WAIT)
    qtbot.waitUntil(lambda: not screen.busy, timeout=WAIT)
    assert screen.scan_box.hasFocus() or not screen.isActiveWindow(), "the focus is back in the scan box"
    screen.undo_button.setFocus()
    qtbot.keyClicks(screen.undo_button, mug)
    qtbot.keyClick(screen.scan_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table(screen) == [[MUG, "3", "2", "1 to come"]], timeout=WAIT)

    assert screen.line_table.isVisible()
    screen.leave_receipt()
    assert screen.list_pane.isVisible() and not screen.line_table.isVisible(), "no empty lines table beside the list"


def test_a_scan_from_a_non_wedge_scanner_is_not_received_behind_an_open_dialog(
        qtbot: QtBot, seeded_database: Database) -> None:
    """A manager receiving PO-DLG opens New PO… and scans a SKU for it with a serial/HID
    scanner: the scan reaches the screen (``take_scan``), and was received into the open
    receipt behind the dialog. It is refused, in words, and nothing is received."""
    db = seeded_database
    app = app_for(db)
    app.receiving.create_po(sign_in(app, "manager"), NewPurchaseOrder(
        "Acme", (ExpectedLine(MUG, 3),), number="PO-DLG"))
    sounds = _Recorder()
    screen = ReceivingScreen(app, sounds=sounds)
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "manager"))
    screen.show()
    qtbot.waitExposed(screen)
    screen.shown()
    qtbot.waitUntil(lambda: screen.receipts.rowCount() == 1, timeout=WAIT)
    mug = unit_barcode(db, MUG)
    for code in ("PO-DLG", "A-01-1", mug):
        screen.take_scan(ScanValue(code))
        qtbot.waitUntil(lambda: not screen.busy, timeout=WAIT)
    qtbot.waitUntil(lambda: table(screen) == [[MUG, "3", "1", "2 to come"]], timeout=WAIT)
    screen.new_purchase_order()
    assert screen.dialog is not None and screen.dialog.isVisible()
    screen.take_scan(ScanValue(mug))
    qtbot.wait(300)
    assert not screen.busy and table(screen) == [[MUG, "3", "1", "2 to come"]]
    assert "was not received: finish the open dialog first" in screen.status.text()
    assert sounds.played[-1] == "refuse"
    screen.dialog.reject()
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=WAIT)
    screen.take_scan(ScanValue(mug))
    qtbot.waitUntil(lambda: table(screen) == [[MUG, "3", "2", "1 to come"]], timeout=WAIT)
