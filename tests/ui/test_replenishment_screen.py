"""The Replenishment screen in the workspace (pytest-qt, both engines): the reorder report
loads off the GUI thread with a busy bar, a scanned SKU selects its row, Export CSV writes
the report shown, Create purchase orders makes one PO per supplier for the selected rows
(after asking) and they show up in Receiving; on the Slotting tab Propose lists the moves,
a scanned bin selects its proposal, Accept moves the stock and Reject leaves it; a packer
never sees the screen; the screen fits 1280×800."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.ports import ScanValue
from tests.db.test_replenishment import MUG, PEN, _available, _set
from tests.db.test_slotting import movers
from tests.support.app import app_for
from tests.support.column_fit import cut_off
from tests.support.scanner_keys import scan_keys
from tests.support.station_window import WAIT_MS, Station
from tests.support.text_fit import HouseStyle, cut_labels, outside_screen
from ui.replenishment import ReplenishmentScreen
from ui.replenishment.screen import SLOTTING_TAB


def open_screen(station: Station) -> ReplenishmentScreen:
    window = station.window
    window.show_screen("replenishment")
    screen = window.screens["replenishment"]
    assert isinstance(screen, ReplenishmentScreen) and window.stack.currentWidget() is screen
    assert screen.progress.isVisible()  # the forecasts run in the background: the busy bar says so
    station.qtbot.waitUntil(lambda: screen.report is not None and screen.progress.isHidden(), timeout=WAIT_MS)
    return screen


def test_the_reorder_tab_exports_and_orders_the_selected_rows(qtbot: QtBot, seeded_database: Database,
                                                              printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    app = app_for(db)
    _set(db, MUG, reorder_point=_available(app, MUG) + 12, supplier="Acme Ceramics")
    _set(db, PEN, reorder_point=_available(app, PEN) + 4, supplier="Inkwell Ltd")
    station = Station(qtbot, db, printer.uri)
    assert station.log_in("manager", "2222")[1] == "ok"
    screen = open_screen(station)
    assert [row.sku for row in screen.reorder_model.rows()] == [MUG, PEN]
    assert not screen.progress.isVisible()

    screen.scan_box.setFocus()
    scan_keys(station.focused(), PEN.lower())  # the wedge types the SKU; any case
    qtbot.waitUntil(lambda: [r.sku for r in screen.selected_rows()] == [PEN], timeout=WAIT_MS)
    assert screen.sounds[-1] == "accept"
    screen.take_scan(ScanValue("NO-SUCH-THING"))
    qtbot.waitUntil(lambda: screen.sounds[-1] == "refuse", timeout=WAIT_MS)
    assert "Nothing on this list matches 'NO-SUCH-THING'" in screen.reorder_status.text()

    screen.reorder_buttons["export"].click()
    qtbot.waitUntil(lambda: "Reorder report saved to" in screen.reorder_status.text(), timeout=WAIT_MS)
    saved = Path(screen.reorder_status.text().removeprefix("Reorder report saved to ").rstrip("."))
    assert [row["sku"] for row in csv.DictReader(saved.open(encoding="utf-8-sig"))] == [MUG, PEN]

    screen.select_code(PEN)
    asked: list[str] = []
    screen.confirm = lambda question: asked.append(question) is None
    screen.reorder_buttons["order"].click()
    qtbot.waitUntil(lambda: "Created PO-" in screen.reorder_status.text(), timeout=WAIT_MS)
    assert asked == ["Create 1 purchase order (Inkwell Ltd) for 1 product, 4 units?"]
    number = screen.reorder_status.text().split()[1]
    assert app.receiving.show(number).lines[0].expected == 4
    assert number in {summary.number for summary in app.receiving.list(open_only=True)}
    qtbot.waitUntil(lambda: [(r.sku, r.on_order) for r in screen.reorder_model.rows()] == [(MUG, 0), (PEN, 4)],
                    timeout=WAIT_MS)


def test_the_slotting_tab_proposes_accepts_and_rejects(qtbot: QtBot, seeded_database: Database,
                                                       printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    app = app_for(db)
    movers(db, app.replenishment.today())
    station = Station(qtbot, db, printer.uri)
    assert station.log_in("manager", "2222")[1] == "ok"
    screen = open_screen(station)
    screen.tabs.setCurrentIndex(SLOTTING_TAB)
    assert screen.slotting_empty.isVisible() and "Press Propose" in screen.slotting_empty.text()
    screen.slotting_buttons["propose"].click()
    qtbot.waitUntil(lambda: screen.slotting_model.rowCount() == 3, timeout=WAIT_MS)
    assert "Proposed 3 moves." in screen.slotting_status.text() and not screen.slotting_empty.isVisible()
    shown = [screen.slotting_model.row(screen.slotting_proxy.mapToSource(screen.slotting_proxy.index(row, 0)).row())
             for row in range(screen.slotting_proxy.rowCount())]
    assert shown == app.slotting.proposals()  # rank order (fastest mover first), as the CLI lists them
    assert [p.units_shipped for p in shown] == sorted((p.units_shipped for p in shown), reverse=True)
    screen.take_scan(ScanValue("A-03-1"))  # the bin meant for PEN-FTN-NAV
    assert [(p.sku, p.to_bin) for p in screen.selected_proposals()] == [("PEN-FTN-NAV", "A-03-1")]
    screen.slotting_buttons["reject"].click()
    qtbot.waitUntil(lambda: screen.slotting_model.rowCount() == 2, timeout=WAIT_MS)
    assert "Rejected move" in screen.slotting_status.text()

    screen.select_code(MUG)
    assert [p.sku for p in screen.selected_proposals()] == [MUG]
    screen.slotting_buttons["accept"].click()
    qtbot.waitUntil(lambda: screen.slotting_model.rowCount() == 1, timeout=WAIT_MS)
    assert screen.slotting_status.text() == "Accepted 1 move"
    assert {row.bin: row.on_hand for row in app.stock.levels() if row.sku == MUG} == {"A-02-1": 102, "A-08-2": 3}


def test_a_packer_does_not_see_the_screen(qtbot: QtBot, seeded_database: Database,
                                          printer: ZplPrinterSimulator) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    assert station.log_in("packer", "1111")[1] == "ok"
    assert not station.window.navigation.allows("replenishment")


def test_the_replenishment_screen_fits_a_1280_by_800_screen(qtbot: QtBot, seeded_database: Database,
                                                            printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    app = app_for(db)
    _set(db, MUG, reorder_point=_available(app, MUG) + 400, safety_stock=25,
         supplier="A supplier with a rather long name, Incorporated")
    movers(db, app.replenishment.today())
    with HouseStyle():
        station = Station(qtbot, db, printer.uri)
        assert station.log_in("owner", "3333")[1] == "ok"
        screen = open_screen(station)
        screen.reorder_status.say("A long message about the reorder report and its many suppliers " * 3, "red")
        qtbot.wait(50)
        window = station.window
        problems = outside_screen(window) + cut_labels(window) + cut_off(screen.reorder_table)
        assert not problems, "\n".join(problems)
        table, metrics = screen.reorder_table, screen.reorder_table.fontMetrics()
        for row in range(table.model().rowCount()):  # the method is read whole, not cut
            text = str(table.model().index(row, 7).data())
            assert metrics.horizontalAdvance(text) + 6 <= table.columnWidth(7), text
        assert table.columnWidth(1) > table.columnWidth(2)  # the name has more room than the (long) supplier
        tip = str(table.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole))
        assert tip.startswith("Forecast: ") and "Listed because: " in tip
        screen.tabs.setCurrentIndex(SLOTTING_TAB)
        screen.slotting_buttons["propose"].click()
        qtbot.waitUntil(lambda: screen.slotting_model.rowCount() == 3, timeout=WAIT_MS)
        qtbot.wait(50)
        problems = outside_screen(window) + cut_labels(window) + cut_off(screen.slotting_table)
        assert not problems, "\n".join(problems)
