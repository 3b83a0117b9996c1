"""The Picking screen (offscreen, SQLite and PostgreSQL) driven by a scanner's keystrokes:
scan a pick list's number to open it, a wrong bin and a wrong item are refused loudly, scan
the bin then the items until the row is done, SHORT (typed like a scan, twice: asked, then
confirmed) records a short pick whose order is reserved elsewhere, the new stop is picked
and the list is done; a list is made with "Make list" and saved as a PDF; the screen fits
1280×800. A short before a bin is scanned is refused, and one asks first (a scan cancels)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fulfilstation.db.database import Database
from tests.support.app import app_for, sign_in
from tests.support.picking import ready_order
from tests.support.warehouse import unit_barcode
from ui.picking import PickingScreen

WAIT = 15_000


def scan(qtbot: QtBot, screen: PickingScreen, code: str) -> None:
    """Type ``code`` and Enter into the scan box, as a keyboard-wedge scanner does."""
    qtbot.keyClicks(screen.scan_box, code)
    qtbot.keyClick(screen.scan_box, Qt.Key.Key_Return)


def _screen(qtbot: QtBot, app: object, played: list[str], saved: list[str] | None = None,
            path: Path | None = None) -> PickingScreen:
    screen = PickingScreen(app, play=played.append,  # type: ignore[arg-type]
                           choose_save=lambda suggested: (saved.append(suggested) if saved is not None else None)
                           or str(path or ""))
    qtbot.addWidget(screen)
    screen.resize(1280, 760)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def test_a_packer_picks_a_list_with_the_scanner_alone(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer = sign_in(app, "packer")
    order = ready_order(app, sign_in(app, "manager"), [("NB-A5-LIN", 2), ("CUT-BRD-OAK", 1)])
    number = app.picking.create(packer, [order]).number
    played: list[str] = []
    screen = _screen(qtbot, app, played)
    screen.set_actor(packer)
    screen.shown()
    qtbot.waitUntil(lambda: screen.lists.rowCount() >= 1, timeout=WAIT)

    scan(qtbot, screen, number)
    qtbot.waitUntil(lambda: screen.view is not None, timeout=WAIT)
    assert screen.view is not None
    first = next(row for row in screen.view.rows if row.sku == "NB-A5-LIN")
    second = next(row for row in screen.view.rows if row.sku == "CUT-BRD-OAK")
    assert screen.prompt.text() == f"Go to bin {screen.view.rows[0].bin}" and not screen.list_pane.isVisible()
    assert screen.walk.rowCount() == 2

    scan(qtbot, screen, "Z-99-9")
    qtbot.waitUntil(lambda: played[-1:] == ["refuse"], timeout=WAIT)
    assert "Wrong bin" in screen.status.text() and screen.view.rows[0].bin in screen.status.text()

    scan(qtbot, screen, first.bin)  # any stop of the walk may be picked first
    qtbot.waitUntil(lambda: screen.bin == first.bin, timeout=WAIT)
    assert screen.prompt.text().startswith(f"Scan {first.sku}: {first.quantity} to pick")
    scan(qtbot, screen, unit_barcode(db, second.sku))
    qtbot.waitUntil(lambda: played[-1:] == ["refuse"] and "Wrong item" in screen.status.text(), timeout=WAIT)
    for _unit in range(first.quantity):
        scan(qtbot, screen, unit_barcode(db, first.sku))  # typed faster than decided: they wait their turn
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.rows_done == 1 and not screen.busy, timeout=WAIT)
    assert screen.prompt.text() == f"Go to bin {second.bin}"

    scan(qtbot, screen, second.bin)
    qtbot.waitUntil(lambda: screen.bin == second.bin, timeout=WAIT)
    scan(qtbot, screen, "SHORT")  # the bin has none: asked, then confirmed; found elsewhere, a new stop
    qtbot.waitUntil(lambda: "press F8 again to confirm" in screen.prompt.text() and not screen.busy, timeout=WAIT)
    scan(qtbot, screen, "SHORT")
    qtbot.waitUntil(lambda: "Reserved elsewhere" in screen.status.text() and not screen.busy, timeout=WAIT)
    assert screen.view is not None and screen.view.short == 1
    extra = screen.view.next_row
    assert extra is not None and extra.bin != second.bin
    assert screen.prompt.text() == f"Go to bin {extra.bin}"
    scan(qtbot, screen, extra.bin)
    qtbot.waitUntil(lambda: screen.bin == extra.bin, timeout=WAIT)
    scan(qtbot, screen, unit_barcode(db, extra.sku))
    qtbot.waitUntil(lambda: screen.view is not None and screen.view.status == "done" and not screen.busy,
                    timeout=WAIT)
    assert "is done" in screen.status.text() and screen.prompt.text() == f"Pick list {number} is done"
    assert played.count("accept") >= 4 and "prompt" in played


def test_a_list_made_on_the_screen_is_saved_as_a_pdf(qtbot: QtBot, seeded_database: Database,
                                                     tmp_path: Path) -> None:
    app = app_for(seeded_database)
    packer = sign_in(app, "packer")
    played: list[str] = []
    suggested: list[str] = []
    target = tmp_path / "list.pdf"
    screen = _screen(qtbot, app, played, suggested, target)
    screen.set_actor(packer)
    screen.shown()
    assert not screen.wave_button.isVisible()  # a packer makes no waves
    screen.next_count.setValue(3)
    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.view is not None, timeout=WAIT)
    assert screen.view is not None and len(screen.view.totes) == 3
    qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.exists() and "saved to" in screen.status.text(), timeout=WAIT)
    assert target.read_bytes().startswith(b"%PDF-") and suggested == [f"{screen.view.number}.pdf"]
    assert screen.minimumSizeHint().width() <= 1280 and screen.minimumSizeHint().height() <= 800
    screen.set_actor(sign_in(app, "manager"))
    assert screen.wave_button.isEnabled() and screen.cancel_button.isEnabled()
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.view is None and "cancelled" in screen.status.text(), timeout=WAIT)


def test_a_short_needs_the_bin_scanned_and_a_confirmation(qtbot: QtBot, seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer = sign_in(app, "packer")
    order = ready_order(app, sign_in(app, "manager"), [("MUG-CER-350", 2)])
    created = app.picking.create(packer, [order], by_zone=False)
    (row,) = created.view.rows
    tote = created.view.totes[0]
    played: list[str] = []
    screen = _screen(qtbot, app, played)
    screen.set_actor(packer)
    screen.shown()
    qtbot.waitUntil(lambda: screen.lists.rowCount() >= 1, timeout=WAIT)
    header, viewport = screen.list_table.horizontalHeader(), screen.list_table.viewport()
    chosen = screen.lists.columnCount() - 1
    assert header.sectionViewportPosition(chosen) + 20 <= viewport.width()  # "Chosen" is on the screen
    scan(qtbot, screen, created.number)
    qtbot.waitUntil(lambda: screen.view is not None and not screen.busy, timeout=WAIT)

    qtbot.keyClick(screen.scan_box, Qt.Key.Key_F8)  # no bin scanned: refused, nothing written off
    qtbot.waitUntil(lambda: played[-1:] == ["refuse"], timeout=WAIT)
    assert screen.status.text().startswith(f"Scan the bin first: go to bin {row.bin}")
    scan(qtbot, screen, unit_barcode(db, "MUG-CER-350"))  # an item before its bin
    qtbot.waitUntil(lambda: played.count("refuse") == 2 and not screen.busy, timeout=WAIT)
    assert screen.status.text() == f"Scan the bin first: go to bin {row.bin}."

    scan(qtbot, screen, row.bin)
    qtbot.waitUntil(lambda: screen.bin == row.bin and not screen.busy, timeout=WAIT)
    assert f"{tote.tote} ({tote.order}): 2" in screen.prompt.text()  # the tote as its label reads
    scan(qtbot, screen, "SHORT")
    qtbot.waitUntil(lambda: screen.short_asked is not None and not screen.busy, timeout=WAIT)
    assert screen.prompt.text().startswith(f"Bin {row.bin} has no more MUG-CER-350? Its stock of ")
    assert "any scan to cancel" in screen.prompt.text()
    scan(qtbot, screen, unit_barcode(db, "MUG-CER-350"))  # any scan cancels
    qtbot.waitUntil(lambda: "Short cancelled" in screen.status.text() and not screen.busy, timeout=WAIT)
    assert screen.short_asked is None and app.picking.show(created.number).short == 0
    assert app.picking.show(created.number).picked == 0  # the cancelling scan picked nothing

    qtbot.keyClick(screen.scan_box, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: screen.short_asked is not None and not screen.busy, timeout=WAIT)
    qtbot.keyClick(screen.scan_box, Qt.Key.Key_F8)  # the second press confirms
    qtbot.waitUntil(lambda: "written off" in screen.status.text() and not screen.busy, timeout=WAIT)
    assert f"count create --bins {row.bin}" in screen.status.text()
    assert app.picking.show(created.number).short == 2
