"""The Stock screen (offscreen, SQLite and PostgreSQL): a packer moves stock with a scanner's
keystrokes alone — source bin, items (a case counts its pack, a GS1 code names the lot),
destination bin — and sees what is carried; unknown codes, items not in the bin and more
than is free are refused with their sounds and change nothing; Esc puts everything back.
The filter box takes a scanned barcode or bin label; a manager adjusts a level through the
dialog, which insists on a reason; the window shows the screen to everyone signed in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.db.models import StockLevel
from fulfilstation.ports import ScanValue
from tests.db.test_stock_moves import MUG, TEA, empty_bins, figures, level
from tests.support.app import app_for, sign_in
from tests.support.column_fit import cut_off
from tests.support.scanner_keys import scan_keys
from tests.support.station_window import Station
from tests.support.text_fit import HouseStyle, cut_labels, outside_screen
from tests.support.warehouse import case_barcode, make_order, unit_barcode
from ui.stock import StockScreen
from ui.stock.adjust_dialog import AdjustDialog
from ui.stock.model import AVAILABLE, LEDGER_HEADERS, LEVEL_HEADERS, ON_HAND

WAIT = 15_000


@pytest.fixture
def house_style() -> Iterator[HouseStyle]:
    """The station's type sizes and spacing (as the window fit tests use them)."""
    with HouseStyle() as style:
        yield style


def screen_for(qtbot: QtBot, db: Database, username: str = "packer") -> StockScreen:
    app = app_for(db)
    screen = StockScreen(app)
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, username))
    screen.resize(1100, 720)
    screen.show()
    qtbot.waitExposed(screen)
    screen.shown()
    qtbot.waitUntil(lambda: screen.proxy.rowCount() > 40, timeout=WAIT)
    return screen


def wedge(qtbot: QtBot, box: QLineEdit, code: str) -> None:
    """A keyboard-wedge scanner: the code's keystrokes into the focused box, then Enter."""
    qtbot.keyClicks(box, code)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def settled(screen: StockScreen) -> bool:
    panel = screen.move_panel
    return not panel.busy and not panel._queue


def cell(screen: StockScreen, row: int, header: str) -> str:
    return str(screen.proxy.index(row, LEVEL_HEADERS.index(header)).data() or "")


def test_a_packer_moves_stock_with_the_scanner_alone(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    screen = screen_for(qtbot, db)
    panel = screen.move_panel
    assert QApplication.focusWidget() is panel.scan_box
    assert not screen.adjust_button.isVisible()  # a packer may look and move, not adjust
    mug, tea = level(screen.app, MUG), level(screen.app, TEA)
    (target,) = empty_bins(db)
    case, pack = case_barcode(db, MUG)
    wedge(qtbot, panel.scan_box, mug.bin)
    qtbot.waitUntil(lambda: settled(screen) and panel.source == mug.bin, timeout=WAIT)
    assert panel.step.text() == f"2. Scan the items from {mug.bin}, then the bin to put them in"
    for code in (unit_barcode(db, MUG), unit_barcode(db, MUG), case):  # scanned fast, looked up in order
        wedge(qtbot, panel.scan_box, code)
    qtbot.waitUntil(lambda: settled(screen) and panel.carried_words() == [
        f"{2 + pack} × {MUG}  Ceramic Mug 350 ml, Slate"], timeout=WAIT)
    assert [panel.list.item(row).text() for row in range(panel.list.count())] == panel.carried_words()
    assert figures(screen.app, MUG, mug.bin) == (mug.on_hand, mug.reserved)  # nothing moved yet
    wedge(qtbot, panel.scan_box, target)
    qtbot.waitUntil(lambda: settled(screen) and panel.source is None, timeout=WAIT)
    assert panel.status.text() == f"Moved {2 + pack} units from {mug.bin} to {target}: {2 + pack} × {MUG}"
    assert figures(screen.app, MUG, target) == (2 + pack, 0)
    assert figures(screen.app, MUG, mug.bin) == (mug.on_hand - 2 - pack, mug.reserved)
    assert screen.sounds == ["prompt", "accept", "accept", "accept", "accept"]
    assert panel.carried_words() == [] and panel.step.text() == "1. Scan the bin to take from"

    lot_code = f"01{unit_barcode(db, TEA)}10{tea.lot}"  # a GS1-128 naming the lot
    mug_with_lot = f"01{unit_barcode(db, MUG)}10X1"  # a lot on a product without lots: ignored
    for code in (mug.bin, mug_with_lot, target):
        wedge(qtbot, panel.scan_box, code)
    qtbot.waitUntil(lambda: settled(screen) and panel.source is None and "Moved 1 unit" in panel.status.text(),
                    timeout=WAIT)
    assert figures(screen.app, MUG, target) == (3 + pack, 0)
    for code in (tea.bin, lot_code, lot_code, target):
        wedge(qtbot, panel.scan_box, code)
    qtbot.waitUntil(lambda: settled(screen) and panel.source is None and "Moved 2 units" in panel.status.text(),
                    timeout=WAIT)
    assert figures(screen.app, TEA, target, tea.lot) == (2, 0)
    qtbot.waitUntil(lambda: any(cell(screen, row, "Bin") == target for row in range(screen.proxy.rowCount())),
                    timeout=WAIT)  # the table follows
    assert screen.app.stock.check().consistent


def test_scans_that_cannot_count_are_refused_and_esc_puts_everything_back(qtbot: QtBot,
                                                                          seeded_database: Database) -> None:
    db = seeded_database
    make_order(db, [(MUG, 3)])
    screen = screen_for(qtbot, db)
    panel = screen.move_panel
    mug, tea = level(screen.app, MUG), level(screen.app, TEA)
    (target,) = empty_bins(db)
    wedge(qtbot, panel.scan_box, unit_barcode(db, MUG))  # an item before its bin
    qtbot.waitUntil(lambda: settled(screen) and screen.sounds == ["refuse"], timeout=WAIT)
    assert panel.status.text() == f"First scan the bin you take {MUG} from, then the items."
    wedge(qtbot, panel.scan_box, "NOT-A-CODE-42")
    qtbot.waitUntil(lambda: settled(screen) and screen.sounds[-1] == "refuse-unknown", timeout=WAIT)
    assert "NOT-A-CODE-42 is neither a bin label nor a product barcode" in panel.status.text()
    wedge(qtbot, panel.scan_box, mug.bin)
    wedge(qtbot, panel.scan_box, unit_barcode(db, TEA))  # not in this bin
    qtbot.waitUntil(lambda: settled(screen) and screen.sounds[-1] == "refuse-wrong-item", timeout=WAIT)
    assert panel.status.text().startswith(f"Bin {mug.bin} holds no {TEA}")
    with db.unit_of_work() as session:  # leave just 2 free units in the mug's bin
        session.execute(update(StockLevel).where(StockLevel.on_hand == mug.on_hand, StockLevel.reserved
                                                 == mug.reserved).values(on_hand=mug.reserved + 2))
    wedge(qtbot, panel.scan_box, unit_barcode(db, MUG))
    wedge(qtbot, panel.scan_box, unit_barcode(db, MUG))
    wedge(qtbot, panel.scan_box, unit_barcode(db, MUG))  # the third is reserved for an order
    qtbot.waitUntil(lambda: settled(screen) and screen.sounds[-1] == "refuse-too-many", timeout=WAIT)
    assert panel.status.text().startswith(f"Only 2 units of {MUG} in {mug.bin} are free")
    assert panel.carried_words() == [f"2 × {MUG}  Ceramic Mug 350 ml, Slate"]
    wedge(qtbot, panel.scan_box, mug.bin)  # the source again: not a destination
    qtbot.waitUntil(lambda: settled(screen) and "the bin you take from" in panel.status.text(), timeout=WAIT)
    qtbot.keyClick(panel.scan_box, Qt.Key.Key_Escape)
    assert panel.source is None and panel.carried_words() == []
    assert panel.status.text() == "Move cancelled: nothing moved. Put the items back."
    assert figures(screen.app, MUG, target) == (0, 0) and screen.app.stock.moves(sku=MUG)[0].reason == "receive"
    assert tea.on_hand == level(screen.app, TEA).on_hand


def test_the_filter_takes_a_scanned_barcode_or_bin_label(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    screen = screen_for(qtbot, db)
    tea = level(screen.app, TEA)
    screen.table.sortByColumn(LEVEL_HEADERS.index(AVAILABLE), Qt.SortOrder.DescendingOrder)
    free = [int(cell(screen, row, AVAILABLE)) for row in range(screen.proxy.rowCount())]
    assert free == sorted(free, reverse=True) and free[0] > free[-1]
    assert screen.totals.text().endswith(" · sorted by available ↓")
    screen.table.sortByColumn(LEVEL_HEADERS.index("SKU"), Qt.SortOrder.AscendingOrder)
    screen.filter.setFocus()
    wedge(qtbot, screen.filter, case_barcode(db, MUG)[0])  # a case GTIN: its product
    qtbot.waitUntil(lambda: {cell(screen, row, "SKU") for row in range(screen.proxy.rowCount())} == {MUG},
                    timeout=WAIT)
    assert screen.totals.text().startswith("1 level of 1 product")
    qtbot.waitUntil(lambda: screen.ledger_model.rowCount() == 1, timeout=WAIT)  # its ledger, selected
    assert screen.ledger_proxy.index(0, LEDGER_HEADERS.index("Reason")).data() == "receive"
    assert screen.ledger_proxy.index(0, LEDGER_HEADERS.index("Change")).data().startswith("+")
    screen.filter.clear()
    screen.take_scan(ScanValue(tea.bin, "]C0"))  # a scanner that is not a wedge, nothing being moved
    qtbot.waitUntil(lambda: screen.proxy.rowCount() >= 1 and {cell(screen, row, "Bin") for row in range(
        screen.proxy.rowCount())} == {tea.bin}, timeout=WAIT)


def test_a_manager_adjusts_a_level_with_a_reason(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    screen = screen_for(qtbot, db, "manager")
    mug = level(screen.app, MUG)
    wedge(qtbot, screen.filter, MUG)
    qtbot.waitUntil(lambda: screen.proxy.rowCount() == 1 and screen.selected() is not None, timeout=WAIT)
    assert screen.adjust_button.isVisible() and screen.adjust_button.isEnabled()
    qtbot.mouseClick(screen.adjust_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert isinstance(dialog, AdjustDialog) and dialog.isVisible()
    dialog.figure.setValue(mug.on_hand - 5)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason yet: said, nothing sent
    assert "Type the reason first" in dialog.message.text() and dialog.isVisible()
    dialog.figure.setValue(0)  # below what is reserved: refused in the dialog
    qtbot.keyClicks(dialog.reason, "counted")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "reserved for" in dialog.message.text() and not dialog.busy, timeout=WAIT)
    dialog.figure.setValue(mug.on_hand - 5)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=WAIT)
    assert screen.status.text() == (f"{MUG} in {mug.bin} adjusted: {mug.on_hand} → {mug.on_hand - 5} on hand (-5). "
                                    "Reason: counted")
    qtbot.waitUntil(lambda: cell(screen, 0, ON_HAND) == str(mug.on_hand - 5), timeout=WAIT)
    qtbot.waitUntil(lambda: screen.ledger_proxy.rowCount() == 2, timeout=WAIT)
    newest = [screen.ledger_proxy.index(0, LEDGER_HEADERS.index(h)).data() for h in ("Reason", "Change", "By", "Note")]
    assert newest == ["adjust", "-5", "Morgan Manager at PACK-T", "counted"]


def test_the_window_shows_stock_to_everyone_signed_in(qtbot: QtBot, seeded_database: Database,
                                                      printer: ZplPrinterSimulator) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    window = station.window
    stock = window.screens["stock"]
    assert isinstance(stock, StockScreen)
    station.log_in("packer", "1111")
    assert window.navigation.allows("stock")
    window.show_screen("stock")
    assert window.stack.currentWidget() is stock and stock.actor is window.actor
    qtbot.waitUntil(lambda: stock.proxy.rowCount() > 40, timeout=WAIT)
    assert not stock.adjust_button.isVisible()
    db = seeded_database
    mug = level(stock.app, MUG)
    (target,) = empty_bins(db)
    said = len(station.messages)
    for code in (mug.bin, unit_barcode(db, MUG), target):  # the station's wedge scanner, at scanner speed
        scan_keys(station.focused(), code)
        qtbot.waitUntil(lambda: settled(stock), timeout=WAIT)
    qtbot.waitUntil(lambda: stock.move_panel.status.text().startswith("Moved 1 unit"), timeout=WAIT)
    assert figures(stock.app, MUG, target) == (1, 0)
    assert len(station.messages) == said  # the scans went to the Stock screen, not to the station


def test_the_stock_screen_fits_a_managers_window(qtbot: QtBot, seeded_database: Database,
                                                 printer: ZplPrinterSimulator, house_style: HouseStyle) -> None:
    """The whole window as a manager sees it at 1280×800 in the house style: the levels and
    the ledger show every header and cell whole (long names cut with "…", whole in the
    tooltip), and a long refusal in the Move panel wraps instead of widening the window."""
    db = seeded_database
    station = Station(qtbot, db, printer.uri)
    station.log_in("manager", "2222")
    window = station.window
    window.show_screen("stock")
    stock = window.screens["stock"]
    assert isinstance(stock, StockScreen)
    qtbot.waitUntil(lambda: stock.proxy.rowCount() > 40, timeout=WAIT)
    stock.table.selectRow(0)
    qtbot.waitUntil(lambda: stock.ledger_proxy.rowCount() > 0, timeout=WAIT)
    stock.move_panel.scan("X" * 120)  # unknown: its refusal names the code
    qtbot.waitUntil(lambda: settled(stock) and "neither a bin label" in stock.move_panel.status.text(), timeout=WAIT)
    qtbot.wait(50)
    problems = outside_screen(window) + cut_labels(window) + cut_off(stock.table) + cut_off(stock.ledger)
    assert not problems, "\n".join(problems)
    assert window.width() <= 1280 and window.minimumSizeHint().width() <= 1280


def test_another_stations_move_reaches_the_shown_stock_screen(qtbot: QtBot, seeded_database: Database,
                                                              printer: ZplPrinterSimulator) -> None:
    """No polling: the move committed elsewhere is announced (LISTEN/NOTIFY, the SQLite
    change counter) and the shown Stock screen reloads its levels."""
    station = Station(qtbot, seeded_database, printer.uri)
    window = station.window
    station.log_in("manager", "2222")
    window.show_screen("stock")
    stock = window.screens["stock"]
    assert isinstance(stock, StockScreen)
    qtbot.waitUntil(lambda: stock.proxy.rowCount() > 40, timeout=WAIT)
    assert window.context.listener is not None and window.context.listener.wait_listening(5)
    mug = level(stock.app, MUG)
    (target,) = empty_bins(seeded_database)
    other = Database.connect(seeded_database.engine.url)  # another station: its own engine
    try:
        elsewhere = app_for(other, station="PACK-ELSEWHERE")
        packer = sign_in(elsewhere, "packer2")  # signing in changes tables too: before listening
        applied: list[frozenset[str]] = []
        window.changes_applied.connect(applied.append)
        elsewhere.stock.move(packer, MUG, mug.bin, target, 4)
        qtbot.waitUntil(lambda: any({"stock_levels", "stock_moves"} <= tables for tables in applied), timeout=WAIT)
        qtbot.waitUntil(lambda: any(cell(stock, row, "Bin") == target for row in range(stock.proxy.rowCount())),
                        timeout=WAIT)
    finally:
        other.dispose()


def test_the_ledger_shows_every_column_beside_the_simulator_panel(qtbot: QtBot, seeded_database: Database,
                                                                   house_style: HouseStyle) -> None:
    """The workspace at 1280×800 beside the navigation and the simulator panel (about 850 px):
    a level received on a PO and adjusted with a reason shows who, what for and the reason —
    the Note column is not pushed out of sight by the others (long texts are cut with "…",
    whole in their tooltip)."""
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    mug = level(app, MUG)
    app.stock.adjust(manager, MUG, mug.bin, "counted on the shelf after the flood in aisle A", by=-1)
    screen = StockScreen(app)
    qtbot.addWidget(screen)
    screen.set_actor(manager)
    screen.resize(860, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.shown()
    qtbot.waitUntil(lambda: screen.proxy.rowCount() > 40, timeout=WAIT)
    wedge(qtbot, screen.filter, mug.bin)
    qtbot.waitUntil(lambda: screen.selected() is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: screen.ledger_proxy.rowCount() >= 1, timeout=WAIT)
    qtbot.wait(50)
    ledger = screen.ledger
    assert not (cut := cut_off(ledger)), "\n".join(cut)
    note = LEDGER_HEADERS.index("Note")
    assert ledger.columnWidth(note) >= ledger.horizontalHeader().fontMetrics().horizontalAdvance("Note")


def test_scans_one_after_another_into_the_filter_each_filter_alone(qtbot: QtBot, seeded_database: Database) -> None:
    """The focus stays in the filter after a scan: the next scan replaces the text rather than
    being appended to it."""
    db = seeded_database
    screen = screen_for(qtbot, db)
    tea = level(screen.app, TEA)
    screen.filter.setFocus()
    wedge(qtbot, screen.filter, unit_barcode(db, MUG))
    qtbot.waitUntil(lambda: {cell(screen, row, "SKU") for row in range(screen.proxy.rowCount())} == {MUG},
                    timeout=WAIT)
    wedge(qtbot, screen.filter, tea.bin)
    qtbot.waitUntil(lambda: screen.proxy.rowCount() >= 1 and {cell(screen, row, "Bin") for row in range(
        screen.proxy.rowCount())} == {tea.bin}, timeout=WAIT)
    assert screen.filter.text() == tea.bin


def test_a_non_wedge_scan_does_not_move_stock_behind_the_adjust_dialog(qtbot: QtBot,
                                                                        seeded_database: Database) -> None:
    """A move under way, then Adjust… opened: a serial/HID scanner's scan reaches the screen,
    and went into the move behind the dialog; it is dropped while the dialog is open."""
    db = seeded_database
    screen = screen_for(qtbot, db, "manager")
    mug = level(screen.app, MUG)
    screen.move_panel.scan_box.setFocus()
    screen.take_scan(ScanValue(mug.bin))
    qtbot.waitUntil(lambda: settled(screen) and screen.move_panel.active, timeout=WAIT)
    wedge(qtbot, screen.filter, mug.bin)
    qtbot.waitUntil(lambda: screen.selected() is not None, timeout=WAIT)
    qtbot.mouseClick(screen.adjust_button, Qt.MouseButton.LeftButton)
    assert isinstance(screen.dialog, AdjustDialog) and screen.dialog.isVisible()
    carried = screen.move_panel.status.text()
    screen.take_scan(ScanValue(unit_barcode(db, MUG)))
    qtbot.wait(300)
    assert settled(screen) and screen.move_panel.status.text() == carried, "nothing was taken into the move"
    screen.dialog.reject()
