"""The Returns screen (offscreen, SQLite and PostgreSQL) driven by a scanner's keystrokes:
scan the RMA slip to open it, scan the items in (a refusal sounds), grade each unit in the
panel (a bin label scanned into the bin box) until the RMA is processed; the return label's
barcode opens its RMA; overdue RMAs are flagged red in the list; a manager authorises a
return in the dialog; the screen fits a 1280×800 screen in the window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database
from fulfilstation.db.models import Rma
from fulfilstation.services.returns import NewRmaLine
from tests.support.app import app_for, sign_in
from tests.support.column_fit import cut_off
from tests.support.returns import on_hand, refund_due, shipped_order
from tests.support.station_window import WAIT_MS, Station
from tests.support.text_fit import HouseStyle, outside_screen
from tests.support.warehouse import unit_barcode
from tests.ui.test_window_fits_screen import whole_buttons
from ui.returns import ReturnsScreen
from ui.station.sounds import SoundPlayer
from ui.style import RED

WAIT = 15_000
MUG, NOTEBOOK = "MUG-CER-350", "NB-A5-DOT"


class _Recorder(SoundPlayer):
    """Sounds asked for, without playing them."""

    def __init__(self) -> None:
        super().__init__(False)

    def play(self, name: str) -> None:
        self.played.append(name)


def scan(qtbot: QtBot, box: object, code: str) -> None:
    """Type ``code`` and Enter into ``box``, as a keyboard-wedge scanner does."""
    qtbot.keyClicks(box, code)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def lines(screen: ReturnsScreen) -> list[list[str]]:
    proxy = screen.lines_proxy
    return [[str(proxy.index(row, column).data()) for column in (0, 3, 4)] for row in range(proxy.rowCount())]


def open_screen(qtbot: QtBot, screen: ReturnsScreen) -> None:
    qtbot.addWidget(screen)
    screen.resize(1280, 760)
    screen.show()
    qtbot.waitExposed(screen)
    screen.shown()


def test_a_packer_receives_and_grades_a_return_with_the_scanner(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer = sign_in(app, "packer")
    order = shipped_order(app, packer, [(MUG, 2), (NOTEBOOK, 1)], price_minor=900, service="ups/ground")
    made = app.returns.create(sign_in(app, "manager"), order, [NewRmaLine(MUG, 2, "damaged-in-transit"),
                                                               NewRmaLine(NOTEBOOK, 1, "wrong-item")], label=False)
    sounds = _Recorder()
    screen = ReturnsScreen(app, sounds=sounds)
    screen.set_actor(packer)
    open_screen(qtbot, screen)
    qtbot.waitUntil(lambda: screen.rmas.rowCount() == 1, timeout=WAIT)
    assert not screen.new_button.isVisible()  # a packer does not authorise returns

    scan(qtbot, screen.scan_box, made.number)
    qtbot.waitUntil(lambda: screen.view is not None, timeout=WAIT)
    assert screen.prompt.text() == "Scan each returned item (3 to come)"
    mug = unit_barcode(db, MUG)
    scan(qtbot, screen.scan_box, mug)
    qtbot.waitUntil(lambda: lines(screen)[0] == [MUG, "1/2", "0"], timeout=WAIT)
    scan(qtbot, screen.scan_box, unit_barcode(db, "PEN-GEL-BLK"))
    qtbot.waitUntil(lambda: "refuse" in sounds.played, timeout=WAIT)
    assert "is not on" in screen.status.text()
    scan(qtbot, screen.scan_box, mug)  # typed faster than decided: they wait their turn
    scan(qtbot, screen.scan_box, NOTEBOOK)  # the SKU on the item's own label
    qtbot.waitUntil(lambda: lines(screen) == [[MUG, "2/2", "0"], [NOTEBOOK, "1/1", "0"]], timeout=WAIT)
    assert screen.prompt.text() == "Grade each unit below (3 to grade)" and screen.grading.isVisible()
    assert sounds.played.count("accept") >= 4

    a01 = on_hand(db, MUG, "A-01-1")
    screen.item_choice.setCurrentIndex(screen.item_choice.findData(MUG))
    screen.grade_choice.setCurrentIndex(screen.grade_choice.findData("like-new"))
    assert screen.action_choice.currentData() == "restock"
    screen.bin_box.setFocus()
    scan(qtbot, screen.bin_box, "A-01-1")  # the bin label scanned into the bin box grades the unit
    qtbot.waitUntil(lambda: lines(screen)[0][2] == "1", timeout=WAIT)
    assert on_hand(db, MUG, "A-01-1") == a01 + 1
    screen.grade_choice.setCurrentIndex(screen.grade_choice.findData("damaged"))
    assert screen.action_choice.currentData() == "quarantine"
    screen.bin_box.clear()
    qtbot.mouseClick(screen.grade_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lines(screen)[0][2] == "2", timeout=WAIT)
    assert screen.item_choice.count() == 1 and screen.item_choice.currentData() == NOTEBOOK
    screen.grade_choice.setCurrentIndex(screen.grade_choice.findData("wrong-item"))
    screen.action_choice.setCurrentIndex(screen.action_choice.findData("dispose"))
    assert not screen.bin_box.isEnabled()
    qtbot.mouseClick(screen.grade_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.status == "closed", timeout=WAIT)
    assert screen.prompt.text() == f"{made.number} is processed: scan the next RMA"
    assert f"{made.number} is processed" in screen.status.text() and not screen.grading.isVisible()
    assert on_hand(db, MUG, "QUAR-01") == 1 and refund_due(db, order)


def test_the_return_label_opens_its_rma_and_overdue_ones_are_red(qtbot: QtBot, seeded_database: Database,
                                                                 tmp_path: Path) -> None:
    db = seeded_database
    app = app_for(db, documents_dir=tmp_path / "documents")
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [(MUG, 2)], service="ups/ground")
    late = app.returns.create(manager, order, [NewRmaLine(MUG, 1, "arrived-late")], label=False)
    labelled = app.returns.create(manager, order, [NewRmaLine(MUG, 1, "other")])
    assert labelled.tracking_number
    app.returns.receive(packer, late.number, unit_barcode(db, MUG))
    with db.unit_of_work() as session:
        session.execute(update(Rma).where(Rma.number == late.number).values(
            received_at=utcnow() - dt.timedelta(hours=50)))
    screen = ReturnsScreen(app)
    screen.set_actor(packer)
    open_screen(qtbot, screen)
    qtbot.waitUntil(lambda: screen.rmas.rowCount() == 2, timeout=WAIT)
    first = screen.rmas.row(0)
    assert first.number == late.number and first.overdue
    assert screen.rmas.index(0, 2).data() == "OVERDUE"
    assert screen.rmas.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).name().lower() == RED.lower()
    assert "1 overdue" in screen.list_hint.text()
    scan(qtbot, screen.scan_box, labelled.tracking_number)
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.number == labelled.number, timeout=WAIT)
    assert labelled.tracking_number in screen.heading.text()
    scan(qtbot, screen.scan_box, late.number)  # another RMA's slip while one is open: that one opens
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.number == late.number, timeout=WAIT)
    assert "OVERDUE" in screen.heading.text()
    qtbot.mouseClick(screen.slip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "RMA slip saved" in screen.status.text(), timeout=WAIT)
    assert (tmp_path / "documents" / "PACK-T" / f"{late.number}.pdf").read_bytes().startswith(b"%PDF-")


def test_a_manager_authorises_a_return_in_the_dialog(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    order = shipped_order(app, sign_in(app, "packer"), [(MUG, 1)], service="ups/ground")
    screen = ReturnsScreen(app)
    screen.set_actor(sign_in(app, "manager"))
    open_screen(qtbot, screen)
    assert screen.new_button.isVisible()
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert dialog is not None
    dialog.order.setText(order)
    dialog.lines.setPlainText(f"{MUG} 2 defective")
    dialog.label.setChecked(False)
    dialog.submit()
    qtbot.waitUntil(lambda: "at most 1 more" in dialog.message.text(), timeout=WAIT)
    dialog.lines.setPlainText(f"{MUG} 1 shiny")
    dialog.submit()
    assert "reason" in dialog.message.text()
    dialog.lines.setPlainText(f"{MUG} 1 Damaged in transit")
    dialog.submit()
    qtbot.waitUntil(lambda: screen.dialog is None and screen.rmas.rowCount() == 1, timeout=WAIT)
    assert "authorised for order" in screen.status.text()
    assert app.returns.find(screen.rmas.row(0).number).lines[0].reason == "damaged-in-transit"


@pytest.fixture
def house_style() -> Iterator[HouseStyle]:
    with HouseStyle() as style:
        yield style


def test_the_returns_screen_fits_a_1280_by_800_screen(qtbot: QtBot, seeded_database: Database,
                                                      printer: ZplPrinterSimulator, house_style: HouseStyle) -> None:
    db = seeded_database
    app = app_for(db)
    order = shipped_order(app, sign_in(app, "packer"), [(MUG, 3), (NOTEBOOK, 2)], service="ups/ground")
    made = app.returns.create(sign_in(app, "manager"), order, [NewRmaLine(MUG, 3, "not-as-described"),
                                                               NewRmaLine(NOTEBOOK, 2, "damaged-in-transit")])
    app.returns.receive(sign_in(app, "packer"), made.number, NOTEBOOK)
    station = Station(qtbot, db, printer.uri)
    station.log_in("manager", "2222")
    window = station.window
    window.show_screen("returns")
    screen = window.screens["returns"]
    assert isinstance(screen, ReturnsScreen)
    qtbot.waitUntil(lambda: screen.rmas.rowCount() == 1, timeout=WAIT_MS)
    scan(qtbot, screen.scan_box, made.number)
    qtbot.waitUntil(lambda: screen.view is not None and screen.grading.isVisible(), timeout=WAIT_MS)
    qtbot.wait(50)
    problems = outside_screen(window) + cut_off(screen.rma_table) + cut_off(screen.line_table) + whole_buttons(screen)
    assert not problems, "\n".join(problems)


def test_a_manager_cancels_closes_short_and_records_the_refund_on_the_screen(qtbot: QtBot,
                                                                           seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [(MUG, 3)], price_minor=900)
    first = app.returns.create(manager, order, [NewRmaLine(MUG, 1, "other")], label=False)
    sounds = _Recorder()
    screen = ReturnsScreen(app, sounds=sounds)
    screen.set_actor(manager)
    open_screen(qtbot, screen)
    qtbot.waitUntil(lambda: screen.rmas.rowCount() == 1, timeout=WAIT)
    scan(qtbot, screen.scan_box, "rma-000099")  # an RMA number not known here says so
    qtbot.waitUntil(lambda: "refuse" in sounds.played, timeout=WAIT)
    assert "rma-000099 is not an RMA number" in screen.status.text()
    scan(qtbot, screen.scan_box, first.number)
    qtbot.waitUntil(lambda: screen.view is not None, timeout=WAIT)
    assert screen.rma_table.selectionModel().selectedRows()[0].row() == 0  # the selection follows the scan
    assert screen.cancel_button.isVisible() and not screen.close_button.isVisible()
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.status == "cancelled", timeout=WAIT)
    assert "is cancelled" in screen.status.text() and not screen.cancel_button.isVisible()

    second = app.returns.create(manager, order, [NewRmaLine(MUG, 2, "defective")], label=False)
    app.returns.receive(packer, second.number, unit_barcode(db, MUG))
    with db.unit_of_work() as session:  # received three days ago: overdue
        session.execute(update(Rma).where(Rma.number == second.number)
                        .values(received_at=utcnow() - dt.timedelta(days=3)))
    scan(qtbot, screen.scan_box, second.number)
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.number == second.number, timeout=WAIT)
    assert screen.heading.text().startswith(f"OVERDUE  ·  {second.number}") and "1/2 received" in screen.heading.text()
    screen.bin_box.setText("E-09-2")
    screen.grade_choice.setCurrentIndex(screen.grade_choice.findData("defective"))
    scan(qtbot, screen.scan_box, "QUAR-01")  # a bin label scanned while grading: the bin to grade into
    qtbot.waitUntil(lambda: screen.bin_box.text() == "QUAR-01", timeout=WAIT)
    qtbot.mouseClick(screen.grade_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.to_grade == 0, timeout=WAIT)
    assert screen.view.status == "received" and screen.close_button.isVisible()
    qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.status == "closed", timeout=WAIT)
    assert f"{second.number} closed with 1 of 2 received" in screen.status.text()
    assert "refund $9.00 due" in screen.heading.text() and screen.refund_button.isVisible()
    qtbot.mouseClick(screen.refund_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Refund of $9.00 recorded" in screen.status.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: not screen.refund_button.isVisible(), timeout=WAIT)
    assert not refund_due(db, order)

    screen.bin_box.setText("E-09-2")
    screen.set_actor(packer)  # a new person: a fresh grading form
    assert screen.bin_box.text() == "" and screen.grade_choice.currentData() == "like-new"
    assert not screen.cancel_button.isVisible() and not screen.refund_button.isVisible()
