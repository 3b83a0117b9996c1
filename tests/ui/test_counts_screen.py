"""The Cycle counts screen (offscreen, SQLite and PostgreSQL): a packer counts with a
scanner's keystrokes alone — bin, items (a case counts its pack; "Units per scan" types a
quantity), the bin again records it — and never sees an expected figure; scans that cannot
count are refused with their sounds; completing over the threshold waits for a manager,
whose approval posts and shows the variances; the window shows the screen to every role and
fits 1280×800 in the house style."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from tests.support.app import app_for, sign_in
from tests.support.column_fit import cut_off
from tests.support.counts import bin_holding, on_hand
from tests.support.scanner_keys import scan_keys
from tests.support.station_window import Station
from tests.support.text_fit import HouseStyle, cut_labels, outside_screen
from tests.support.warehouse import case_barcode, unit_barcode
from ui.counts import CountsScreen

WAIT = 15_000
MUG, SOAP = "MUG-CER-350", "SOAP-LAV-100"


@pytest.fixture
def house_style() -> Iterator[HouseStyle]:
    with HouseStyle() as style:
        yield style


def screen_for(qtbot: QtBot, db: Database, username: str = "packer", documents: Path | None = None) -> CountsScreen:
    app = app_for(db, documents_dir=documents)
    screen = CountsScreen(app)
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, username))
    screen.resize(1100, 720)
    screen.show()
    qtbot.waitExposed(screen)
    screen.shown()
    return screen


def wedge(qtbot: QtBot, box: QLineEdit, code: str) -> None:
    """A keyboard-wedge scanner: the code's keystrokes into the focused box, then Enter."""
    qtbot.keyClicks(box, code)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def settled(screen: CountsScreen) -> bool:
    return not screen.busy and not screen._queue


def counted(screen: CountsScreen) -> dict[tuple[str, str], int | None]:
    return {(line.bin, line.sku): line.counted for line in screen.lines_model.rows()}


def test_a_packer_counts_blind_with_the_scanner_and_a_manager_approves(qtbot: QtBot, seeded_database: Database,
                                                                       tmp_path: Path) -> None:
    db = seeded_database
    app = app_for(db)
    mug_bin, mug_units = bin_holding(db, MUG)
    soap_bin, soap_units = bin_holding(db, SOAP)
    number = app.counts.create(sign_in(app, "manager"), bins=[mug_bin, soap_bin]).number
    screen = screen_for(qtbot, db, documents=tmp_path)
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.number == number, timeout=WAIT)
    assert "due for a count" in screen.proposal_label.text()
    qtbot.mouseClick(screen.sheet_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Count sheet saved to" in screen.status.text(), timeout=WAIT)
    (sheet,) = tmp_path.rglob(f"count-sheet-{number}.pdf")
    assert sheet.read_bytes().startswith(b"%PDF-")
    assert not screen.create_button.isVisible() and not screen.approve_button.isVisible()
    assert screen.view is not None and screen.view.blind
    assert screen.lines_model.columnCount() == 5  # bin, SKU, name, lot, counted: no expected figure
    assert screen.step.text() == f"1. Scan a bin of {number} (2 bins to count)"

    box = screen.scan_box
    wedge(qtbot, box, unit_barcode(db, MUG))  # an item before its bin
    qtbot.waitUntil(lambda: settled(screen) and "first" in screen.status.text(), timeout=WAIT)
    wedge(qtbot, box, "RET-01")  # not a bin of the count: taken as an item code, and refused
    qtbot.waitUntil(lambda: settled(screen) and screen.sounds[-1] == "refuse", timeout=WAIT)

    case, pack = case_barcode(db, MUG)
    wedge(qtbot, box, mug_bin)
    assert screen.step.text() == f"2. Scan the items in {mug_bin}, then scan {mug_bin} again"
    for code in (unit_barcode(db, MUG), unit_barcode(db, MUG), case, "NOT-A-CODE"):  # fast, in order
        wedge(qtbot, box, code)
    qtbot.waitUntil(lambda: settled(screen) and screen.sounds[-1] == "refuse-unknown", timeout=WAIT)
    assert screen.running_words() == [f"{2 + pack} × {MUG}\nCeramic Mug 350 ml, Slate"]
    wedge(qtbot, box, soap_bin)  # another bin while this one is open
    qtbot.waitUntil(lambda: settled(screen) and f"Finish bin {mug_bin} first" in screen.status.text(), timeout=WAIT)
    wedge(qtbot, box, mug_bin)  # the bin again: bin done
    qtbot.waitUntil(lambda: settled(screen) and counted(screen)[(mug_bin, MUG)] == 2 + pack, timeout=WAIT)
    assert screen.status.text() == f"Bin {mug_bin} recorded: {2 + pack} × {MUG}."
    assert screen.running_words() == []

    wedge(qtbot, box, soap_bin)
    screen.quantity.setValue(soap_units)  # typed: this many units for the next scan
    wedge(qtbot, box, unit_barcode(db, SOAP))
    qtbot.waitUntil(lambda: settled(screen) and screen.running_words() == [
        f"{soap_units} × {SOAP}\nLavender Bar Soap 100 g"], timeout=WAIT)
    assert screen.quantity.value() == 1
    qtbot.mouseClick(screen.bin_done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(screen) and counted(screen)[(soap_bin, SOAP)] == soap_units, timeout=WAIT)
    assert screen.step.text() == f"Every bin of {number} is counted: Complete count."

    qtbot.mouseClick(screen.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(screen) and "waits for a manager's approval" in screen.status.text(),
                    timeout=WAIT)
    assert screen.status.text() == f"{number} waits for a manager's approval: 1 line differs by more than the " \
        "site allows."  # blind: the counter hears no system figure nor variance
    assert on_hand(db, MUG, mug_bin)[0] == mug_units  # nothing posted yet

    manager = screen_for(qtbot, db, "manager")
    qtbot.waitUntil(lambda: manager.view is not None and manager.view.number == number, timeout=WAIT)
    assert manager.lines_model.columnCount() == 8 and manager.approve_button.isVisible()
    qtbot.mouseClick(manager.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(manager) and manager.view is not None and manager.view.status == "completed",
                    timeout=WAIT)
    assert f"Count {number} completed" in manager.status.text()
    variances = {(line.bin, line.sku): line.variance for line in manager.lines_model.rows()}
    assert variances == {(mug_bin, MUG): 2 + pack - mug_units, (soap_bin, SOAP): 0}
    assert on_hand(db, MUG, mug_bin)[0] == 2 + pack
    assert app.stock.check().consistent


def test_a_count_number_scanned_chooses_it_and_the_focus_stays_in_the_scan_box(
        qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    mug_bin, _mug_units = bin_holding(db, MUG)
    soap_bin, _soap_units = bin_holding(db, SOAP)
    first = app.counts.create(manager, bins=[mug_bin]).number
    second = app.counts.create(manager, bins=[soap_bin]).number
    screen = screen_for(qtbot, db)
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.number == second, timeout=WAIT)
    table = screen.counts_table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(
        screen.counts_model.index(0, 0)).center())
    assert QApplication.focusWidget() is screen.scan_box  # a row click: back to the scan box

    box = screen.scan_box
    wedge(qtbot, box, first.lower())  # the count's barcode on its sheet
    qtbot.waitUntil(lambda: settled(screen) and screen.view is not None and screen.view.number == first,
                    timeout=WAIT)
    chosen = screen.chosen()
    assert chosen is not None and chosen.number == first
    wedge(qtbot, box, soap_bin)  # a bin, but not of this count
    qtbot.waitUntil(lambda: settled(screen) and "is not on count" in screen.status.text(), timeout=WAIT)
    assert screen.status.text() == f"{soap_bin} is not on count {first}: scan one of its bins ({mug_bin})."
    wedge(qtbot, box, mug_bin)
    wedge(qtbot, box, unit_barcode(db, MUG))
    wedge(qtbot, box, mug_bin)  # its own label again: bin done
    qtbot.waitUntil(lambda: settled(screen) and counted(screen)[(mug_bin, MUG)] == 1, timeout=WAIT)
    qtbot.mouseClick(screen.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(screen) and "manager" in screen.status.text(), timeout=WAIT)
    assert QApplication.focusWidget() is screen.scan_box  # after a button: scans are not lost
    wedge(qtbot, box, second)
    qtbot.waitUntil(lambda: settled(screen) and screen.view is not None and screen.view.number == second,
                    timeout=WAIT)


def test_the_counts_screen_fits_a_managers_window(qtbot: QtBot, seeded_database: Database,
                                                  printer: ZplPrinterSimulator, house_style: HouseStyle) -> None:
    db = seeded_database
    app = app_for(db)
    mug_bin, _ = bin_holding(db, MUG)
    number = app.counts.create(sign_in(app, "manager"), bins=[mug_bin]).number
    station = Station(qtbot, db, printer.uri)
    station.log_in("manager", "2222")
    window = station.window
    assert window.navigation.allows("counts")
    window.show_screen("counts")
    counts = window.screens["counts"]
    assert isinstance(counts, CountsScreen) and counts.actor is window.actor
    qtbot.waitUntil(lambda: counts.view is not None and counts.view.number == number, timeout=WAIT)
    for code in (mug_bin, unit_barcode(db, MUG), "X" * 120):  # the station's wedge scanner
        scan_keys(station.focused(), code)
        qtbot.waitUntil(lambda: settled(counts), timeout=WAIT)
    qtbot.waitUntil(lambda: "neither a bin label" in counts.status.text(), timeout=WAIT)
    assert counts.running_words() == [f"1 × {MUG}\nCeramic Mug 350 ml, Slate"]
    qtbot.wait(50)
    problems = outside_screen(window) + cut_labels(window) + cut_off(counts.counts_table) + cut_off(
        counts.lines_table)
    assert not problems, "\n".join(problems)
    assert window.width() <= 1280 and window.minimumSizeHint().width() <= 1280
