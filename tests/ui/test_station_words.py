"""Clear words at the bench (offscreen, SQLite and PostgreSQL): a refusal said again is
visibly a repeat, and a log-out takes the last customer's label and address off the screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.printer import open_document_printer
from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.domain.commands import StationCommand
from tests.db.test_manifests import office, pack_at
from tests.support.column_fit import cut_off
from tests.support.station_window import STATION, WAIT_MS, Station
from tests.support.warehouse import make_order, unit_barcode
from ui.manifests_view import ManifestsView
from ui.station.banner import MAX_HEIGHT, POINTS, StatusBanner
from ui.station.last_label import LastLabelDialog
from ui.widgets.fit_text import ZERO_WIDTH_SPACE
from ui.widgets.queue_model import SERVICE

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_the_same_refusal_again_shows_its_count(qtbot: QtBot, seeded_database: Database,
                                                printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 1)])
    station = Station(qtbot, db, printer.uri)
    station.log_in("packer", "1111")
    station.scan(number)
    banner = station.window.station.banner
    first, tone = station.scan("NOT-A-PRODUCT")
    assert tone == "error" and banner.text() == first
    station.scan("NOT-A-PRODUCT")
    assert banner.text() == f"{first}  ×2"
    station.scan("NOT-A-PRODUCT")
    assert banner.text() == f"{first}  ×3" and banner.repeats == 3
    other, _ = station.scan(unit_barcode(db, "SOAP-OAT-100"))  # another refusal starts again
    assert banner.text() == other
    station.scan("NOT-A-PRODUCT")
    assert banner.text() == first


def test_a_refusal_after_other_words_is_not_a_repeat(qtbot: QtBot) -> None:
    banner = StatusBanner()
    qtbot.addWidget(banner)
    banner.show_message("Wrong item.", "error")
    banner.show_message("Wrong item.", "warn")  # not a refusal: no count
    assert banner.text() == "Wrong item."
    banner.show_message("Wrong item.", "error")
    assert banner.text() == "Wrong item."
    banner.show_message("Wrong item.", "error")
    assert banner.text() == "Wrong item.  ×2"


def test_a_message_too_long_for_the_smallest_type_is_cut_between_words_never_half_drawn(qtbot: QtBot) -> None:
    """The keyring's own explanation once ran to six lines at 11 pt: the banner cut its first
    and last lines in half. Now it keeps the most whole words that fit, then "…"."""
    banner = StatusBanner()
    qtbot.addWidget(banner)
    banner.resize(1000, MAX_HEIGHT)
    banner.show()
    whole = " ".join(f"word{n}" for n in range(400))
    banner.show_message(whole, "warn")
    assert banner.points == POINTS[-1] and banner.text().endswith(" …")
    assert banner.heightForWidth(banner.width()) <= MAX_HEIGHT, "every line it draws is whole"
    assert whole.startswith(banner.text().removesuffix(" …").replace(ZERO_WIDTH_SPACE, ""))
    assert banner.toolTip() == whole
    banner.show_message("Short again.", "ok")
    assert banner.text() == "Short again." and banner.toolTip() == ""


def test_log_out_clears_the_last_customers_label_and_address(qtbot: QtBot, seeded_database: Database,
                                                             printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 1)])
    station = Station(qtbot, db, printer.uri)
    station.window.sim_dock.panel.auto_weight.setChecked(False)
    screens = station.window.station
    station.log_in("packer", "1111")
    station.scan(number)
    assert screens.pack.header.destination.text()  # the address is on screen while packing
    station.scan(unit_barcode(db, "MUG-CER-350"))
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g)
    assert "label printed" in station.key(Qt.Key.Key_Return)[0]
    thumbnail, panel = screens.idle.last_label, station.window.sim_dock.panel
    qtbot.waitUntil(lambda: not thumbnail.isHidden(), timeout=WAIT_MS)
    qtbot.keyClick(station.focused(), Qt.Key.Key_L, CTRL_SHIFT)
    dialog = station.window.menu_actions.dialog
    assert isinstance(dialog, LastLabelDialog) and dialog.isVisible()

    dialog.reject()
    qtbot.waitUntil(lambda: station.window.menu_actions.dialog is None, timeout=WAIT_MS)
    qtbot.keyClick(station.focused(), Qt.Key.Key_L, CTRL_SHIFT)
    dialog = station.window.menu_actions.dialog
    assert isinstance(dialog, LastLabelDialog)
    station.controller.command(StationCommand.LOG_OUT)
    qtbot.waitUntil(lambda: station.controller.user is None, timeout=WAIT_MS)
    assert thumbnail.isHidden() and thumbnail.image.image is None and thumbnail.pages is None
    assert not dialog.isVisible() and station.window.menu_actions.dialog is None
    assert panel.preview.pixmap().isNull()
    assert screens.pack.header.destination.text() == "" and screens.pack.header.customer.text() == ""
    assert number not in screens.banner.text()


def test_the_queue_shows_each_orders_service_and_fits_1280_by_800(qtbot: QtBot, seeded_database: Database,
                                                                    printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    asked = make_order(db, [("MUG-CER-350", 1)], service="ups/ground")
    station = Station(qtbot, db, printer.uri)
    station.window.resize(1280, 800)
    station.log_in("packer", "1111")
    idle = station.window.station.idle
    table, model = idle.table, idle.queue_model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=WAIT_MS)
    idle.last_label.setVisible(True)  # the thumbnail a station shows once it has shipped takes its room
    qtbot.wait(50)
    services = {model.index(row, 0).data(): model.index(row, SERVICE).data() for row in range(model.rowCount())}
    quote = station.window.context.app.orders.quote(asked)
    assert services[asked] == f"{quote.carrier_name} · {quote.service_name} (asked)"
    assert all(" · " in service for service in services.values())
    assert cut_off(table) == []


def test_the_manifests_columns_fit_1280_by_800(qtbot: QtBot, seeded_database: Database,
                                               printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    pack_at(db, "PACK-A", "ups/ground")
    app, manager = office(db)
    app.manifests.close(manager, "ups")
    pack_at(db, "PACK-A", "ups/ground")
    pack_at(db, "PACK-B")
    station = Station(qtbot, db, printer.uri)
    station.window.resize(1280, 800)
    station.log_in("manager", "2222")
    station.window.show_screen("manifests")
    view = station.window.screens["manifests"]
    assert isinstance(view, ManifestsView)
    qtbot.waitUntil(lambda: view.open_table.rowCount() == 2 and view.past_table.rowCount() == 1, timeout=WAIT_MS)
    qtbot.wait(50)
    assert cut_off(view.open_table) == [] and cut_off(view.past_table) == []


def test_without_a_document_printer_the_banner_says_where_the_slip_is_in_amber(
        qtbot: QtBot, seeded_database: Database, printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    db = seeded_database
    number = make_order(db, [("MUG-CER-350", 1)])
    station = Station(qtbot, db, printer.uri)  # the settings name no document printer
    station.window.sim_dock.panel.auto_weight.setChecked(False)
    station.log_in("packer", "1111")
    station.scan(number)
    station.scan(unit_barcode(db, "MUG-CER-350"))
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g)
    text, tone = station.key(Qt.Key.Key_Return)
    slip = tmp_path / "documents" / STATION / f"packing-slip-{number}.pdf"
    assert tone == "warn" and station.window.station.banner.tone == "warn", text
    assert text.splitlines()[-1] == f"No document printer: packing slip saved to {slip}"
    assert slip.read_bytes().startswith(b"%PDF")


def test_a_pdf_document_printer_says_where_the_slip_is(qtbot: QtBot, seeded_database: Database,
                                                      printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    db = seeded_database
    folder = tmp_path / "slips"  # as the demo sets: pdf:// in the station's documents folder
    number = make_order(db, [("MUG-CER-350", 1)])
    station = Station(qtbot, db, printer.uri, documents=open_document_printer("pdf:///" + folder.as_posix()
                                                                               .lstrip("/")))
    station.window.sim_dock.panel.auto_weight.setChecked(False)
    station.log_in("packer", "1111")
    station.scan(number)
    station.scan(unit_barcode(db, "MUG-CER-350"))
    view = station.controller.view
    assert view is not None and view.expected_g is not None
    station.weigh(view.expected_g)
    text, tone = station.key(Qt.Key.Key_Return)
    [filed] = folder.glob("*.pdf")
    assert tone == "ok" and text.splitlines()[-1] == f"Packing slip saved to {filed}"
