"""The Bins screen in the workspace (pytest-qt, both engines): a scanned bin label selects
its bin, an owner adds and deactivates bins (a bin holding stock is refused in words),
labels print on the station's printer and a PDF sheet is saved — and their barcodes decode
back — a manager may look and print but not edit, and the screen fits 1280×800."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.ports import ScanValue
from tests.support.app import app_for
from tests.support.column_fit import cut_off
from tests.support.pdf import pdf_barcodes
from tests.support.scanner_keys import scan_keys
from tests.support.station_window import STATION, WAIT_MS, Station
from tests.support.text_fit import HouseStyle, cut_labels, outside_screen
from tests.support.zpl import decode_barcodes, render_zpl
from ui.bins import BinsScreen
from ui.bins.dialogs import BinForm


def bins_screen(station: Station) -> BinsScreen:
    window = station.window
    window.show_screen("bins")
    screen = window.screens["bins"]
    assert isinstance(screen, BinsScreen) and window.stack.currentWidget() is screen
    expected = len(app_for(station.window.context.app.bins.database).bins.list())
    station.qtbot.waitUntil(lambda: screen.model.rowCount() == expected, timeout=WAIT_MS)
    return screen


def codes(screen: BinsScreen) -> list[str]:
    return [b.code for b in screen.selected()]


def test_a_scanned_bin_label_selects_its_bin(qtbot: QtBot, seeded_database: Database,
                                             printer: ZplPrinterSimulator) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    assert station.log_in("owner", "3333")[1] == "ok"
    screen = bins_screen(station)
    scan_keys(station.focused(), "B-03-2")  # the wedge types the label at scanner speed
    qtbot.waitUntil(lambda: codes(screen) == ["B-03-2"], timeout=WAIT_MS)
    assert screen.filter.text() == "B-03-2" and screen.proxy.rowCount() == 1
    screen.take_scan(ScanValue("recv-01", "]C0"))  # a scanner that is not a wedge; any case
    assert codes(screen) == ["RECV-01"]
    screen.filter.clear()
    qtbot.keyClicks(screen.filter, "dock")  # typing filters
    assert screen.proxy.rowCount() == 4
    screen.take_scan(ScanValue("NO-SUCH-BIN"))
    assert "No bin has the code 'NO-SUCH-BIN'" in screen.status.text()


def test_an_owner_adds_deactivates_and_prints_labels(qtbot: QtBot, seeded_database: Database,
                                                     printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    assert station.log_in("owner", "3333")[1] == "ok"
    screen = bins_screen(station)
    rows = screen.model.rowCount()

    def answer(form: QDialog) -> bool:
        assert isinstance(form, BinForm)
        form.code.setText("Z-NEW-1")
        form.zone.setText("Z")
        form.sequence.setValue(1)
        form.kind.setCurrentText("staging")
        return True

    screen.ask = answer
    screen.add()
    qtbot.waitUntil(lambda: screen.model.rowCount() == rows + 1, timeout=WAIT_MS)
    assert "Saved: bin Z-NEW-1." in screen.status.text()
    full = next(b for b in screen.model.rows() if b.units)
    screen.select_code(full.code)
    assert screen.buttons["active"].text() == "Deactivate"
    screen.toggle_active()
    qtbot.waitUntil(lambda: f"Bin {full.code} holds {full.units} units" in screen.status.text(), timeout=WAIT_MS)
    screen.select_code("Z-NEW-1")
    screen.toggle_active()
    qtbot.waitUntil(lambda: "Saved: bin Z-NEW-1 (inactive)." in screen.status.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: screen.buttons["active"].text() == "Reactivate", timeout=WAIT_MS)

    screen.select_code("A-01-1")
    screen.print_labels()
    qtbot.waitUntil(lambda: "Printed 1 label (bin A-01-1)" in screen.status.text(), timeout=WAIT_MS)
    (job,) = printer.wait_for_jobs(1)
    (page,) = render_zpl(job, tmp_path / "bin", width_in=2, height_in=1)
    assert [d.text for d in decode_barcodes(page)] == ["A-01-1"]

    screen.filter.setText("DOCK")
    screen.table.clearSelection()
    screen.paper.setCurrentText("A4")
    screen.save_sheet()
    qtbot.waitUntil(lambda: "Label sheet saved to" in screen.status.text(), timeout=WAIT_MS)
    saved = Path(screen.status.text().removeprefix("Label sheet saved to ").removesuffix("."))
    assert saved.parent.name == STATION
    found = sorted(d.text for page in pdf_barcodes(saved.read_bytes(), tmp_path) for d in page)
    assert found == ["DMG-01", "QUAR-01", "RECV-01", "RET-01"]


def test_a_manager_looks_and_prints_but_does_not_edit(qtbot: QtBot, seeded_database: Database,
                                                      printer: ZplPrinterSimulator) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    assert station.log_in("manager", "2222")[1] == "ok"
    assert station.window.navigation.allows("bins")
    screen = bins_screen(station)
    screen.select_code("A-01-1")
    assert not screen.buttons["add"].isEnabled() and not screen.buttons["edit"].isEnabled()
    assert not screen.buttons["active"].isEnabled() and screen.buttons["print"].isEnabled()


def test_the_bins_screen_fits_a_1280_by_800_screen(qtbot: QtBot, seeded_database: Database,
                                                   printer: ZplPrinterSimulator) -> None:
    with HouseStyle():
        station = Station(qtbot, seeded_database, printer.uri)
        assert station.log_in("owner", "3333")[1] == "ok"
        screen = bins_screen(station)
        screen.select_code("QUAR-01")  # the longest kind
        screen.status.say("A long message about a bin that holds a great many units of many products " * 3, "red")
        qtbot.wait(50)
        window = station.window
        problems = outside_screen(window) + cut_labels(window) + cut_off(screen.table)
        assert not problems, "\n".join(problems)
        paper = screen.paper.geometry()
        assert screen.paper.isVisible() and paper.width() >= screen.paper.sizeHint().width()
        hidden_by = [b.text() for b in screen.buttons.values() if b.geometry().intersects(paper)]
        assert not hidden_by, f"the paper choice is under {hidden_by}"


def test_an_owner_edits_a_bin_and_a_refusal_is_said(qtbot: QtBot, seeded_database: Database,
                                                    printer: ZplPrinterSimulator) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    assert station.log_in("owner", "3333")[1] == "ok"
    screen = bins_screen(station)
    screen.select_code("A-01-2")

    def rename(form: QDialog) -> bool:
        assert isinstance(form, BinForm) and form.code.text() == "A-01-2" and form.kind.currentText() == "storage"
        form.code.setText("A-01-2B")
        form.level.setText("2B")
        return True

    screen.ask = rename
    screen.edit()
    qtbot.waitUntil(lambda: "Saved: bin A-01-2B." in screen.status.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: any(b.code == "A-01-2B" and b.level == "2B" for b in screen.model.rows()),
                    timeout=WAIT_MS)

    asked: list[BinForm] = []

    def taken(form: QDialog) -> bool:
        assert isinstance(form, BinForm)
        asked.append(form)
        if len(asked) > 1:
            return False  # the form came back with the refusal: the owner reads it and cancels
        form.code.setText("A-01-1")
        form.zone.setText("A")
        form.level.setText("9")
        return True

    screen.ask = taken
    screen.add()
    qtbot.waitUntil(lambda: "Bin code A-01-1 is already a pickable bin in zone A" in screen.status.text(),
                    timeout=WAIT_MS)
    # the form opens again with what was typed and why, so nothing has to be typed twice
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=WAIT_MS)
    again = asked[1]
    assert (again.code.text(), again.zone.text(), again.level.text()) == ("A-01-1", "A", "9")
    assert "already a pickable bin in zone A" in again.message.text()


def test_an_owner_imports_bins_with_a_preview_and_a_report(qtbot: QtBot, seeded_database: Database,
                                                           printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    station = Station(qtbot, seeded_database, printer.uri)
    assert station.log_in("owner", "3333")[1] == "ok"
    screen = bins_screen(station)
    before = screen.model.rowCount()
    file = tmp_path / "bins.csv"
    file.write_bytes("\ufeffcode;zone;aisle;bay;level;pick_sequence;kind\n"
                     "Y-01-1;Y;Y;01;1;5010;pickable\nY-01-2;Y;Y;01;2;5020;storage\nY-01-3;Y;Y;01;3;x;shelf\n"
                     .encode())
    qtbot.mouseClick(screen.buttons["import"], Qt.MouseButton.LeftButton)
    dialog = screen.import_dialog
    assert dialog is not None and dialog.windowTitle() == "Import bins"
    dialog.load(str(file))
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=WAIT_MS)
    assert [problem.line for problem in dialog.model.rows()] == [4]
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as finished:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].summary() == "imported 2, updated 0, rejected 1"
    qtbot.waitUntil(lambda: screen.model.rowCount() == before + 2, timeout=WAIT_MS)
    dialog.close()


def test_a_double_click_on_print_labels_prints_once(qtbot: QtBot, seeded_database: Database,
                                                    printer: ZplPrinterSimulator) -> None:
    """A second click while the labels are printing does nothing (the buttons are off until
    the use case answers), so a double-click does not print every label twice."""
    station = Station(qtbot, seeded_database, printer.uri)
    assert station.log_in("owner", "3333")[1] == "ok"
    screen = bins_screen(station)
    screen.select_code("A-01-1")
    qtbot.mouseDClick(screen.buttons["print"], Qt.MouseButton.LeftButton)
    screen.print_labels()  # however the second click arrives
    assert not screen.buttons["print"].isEnabled()
    qtbot.waitUntil(lambda: "Printed 1 label (bin A-01-1)" in screen.status.text(), timeout=WAIT_MS)
    assert screen.buttons["print"].isEnabled()
    qtbot.wait(300)
    assert len(printer.jobs) == 1


def test_bin_labels_scanned_one_after_another_each_select_their_bin(qtbot: QtBot, seeded_database: Database,
                                                                      printer: ZplPrinterSimulator) -> None:
    """The focus stays in the filter after a scan: the next label replaces the text (it was
    appended, "B-03-2A-01-1", and no bin was found)."""
    station = Station(qtbot, seeded_database, printer.uri)
    assert station.log_in("owner", "3333")[1] == "ok"
    screen = bins_screen(station)
    for code in ("B-03-2", "A-01-1"):
        scan_keys(station.focused(), code)
        qtbot.waitUntil(lambda code=code: codes(screen) == [code], timeout=WAIT_MS)  # type: ignore[misc]
    assert screen.filter.text() == "A-01-1"
