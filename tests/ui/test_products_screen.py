"""The manager's Products screen (offscreen, SQLite and PostgreSQL), driven as a person with
a keyboard-wedge scanner drives it: a scan typed into the search box selects its product
and opens it (UPC, EAN, GS1 forms); a new product is made in its dialog with its barcode
scanned in (the scan's Enter does not submit); a barcode another product holds is refused
in the dialog, which stays open; a kit is made in the components dialog; deactivate and
reactivate; a packer's buttons are off and the window shows the screen to managers only,
within a 1280×800 screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.ports import ScanValue
from tests.support.app import app_for, sign_in
from tests.support.column_fit import cut_off
from tests.support.station_window import Station
from tests.support.text_fit import HouseStyle, cut_labels, outside_screen
from ui.products import ProductsScreen
from ui.products.dialogs import BarcodeDialog, ComponentsDialog, ProductDialog
from ui.products.model import HEADERS

WAIT = 15_000
PAPRIKA_EAN = "0614141000302"  # the demo's SPC-SMK-PAP


def screen_for(qtbot: QtBot, db: Database, username: str = "manager") -> ProductsScreen:
    app = app_for(db)
    screen = ProductsScreen(app)
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, username))
    screen.resize(1200, 760)
    screen.show()
    qtbot.waitExposed(screen)
    screen.shown()
    return screen


def cell(screen: ProductsScreen, row: int, header: str) -> str:
    return str(screen.proxy.index(row, HEADERS.index(header)).data() or "")


def skus(screen: ProductsScreen) -> list[str]:
    return [cell(screen, row, "SKU") for row in range(screen.proxy.rowCount())]


def scan(qtbot: QtBot, code: str, widget: QWidget | None = None) -> None:
    """A wedge scan: the code's keys and Enter, into ``widget`` (default: whatever has the focus)."""
    target = widget or QApplication.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, code)
    qtbot.keyClick(target, Qt.Key.Key_Return)


def settled(screen: ProductsScreen) -> bool:
    return not screen.loading and not screen.busy


def test_a_scan_selects_its_product_and_opens_it(qtbot: QtBot, seeded_database: Database) -> None:
    screen = screen_for(qtbot, seeded_database)
    qtbot.waitUntil(lambda: settled(screen) and screen.proxy.rowCount() > 30, timeout=WAIT)
    assert QApplication.focusWidget() is screen.search
    assert skus(screen) == sorted(skus(screen))
    for code in (PAPRIKA_EAN, "00614141000302", "(01)00614141000302(10)L2601", "614141000302"):
        screen.search.selectAll()
        scan(qtbot, code)
        qtbot.waitUntil(lambda: screen.detail.sku == "SPC-SMK-PAP" and screen.selected_sku() == "SPC-SMK-PAP",
                        timeout=WAIT)
        assert skus(screen) == ["SPC-SMK-PAP"]
        screen.detail.clear()
    screen.take_scan(ScanValue("]E00614141000012", None))  # a non-wedge scanner: the Ceramic Mug
    qtbot.waitUntil(lambda: screen.detail.sku == "MUG-CER-350", timeout=WAIT)
    assert screen.detail.title.text() == "MUG-CER-350 · Ceramic Mug 350 ml, Slate"
    assert screen.detail.rows("Barcodes") == [["00614141000012", "1"], ["10614141000019", "12"]]
    assert screen.detail.rows("Bins") and "available" in screen.detail.facts.text()
    assert "0.84 lb" in screen.detail.facts.text()  # 380 g in the demo site's unit
    screen.search.clear()
    screen.search_now()
    qtbot.waitUntil(lambda: settled(screen) and screen.proxy.rowCount() > 30, timeout=WAIT)
    assert screen.selected_sku() == "MUG-CER-350"  # kept across the reload
    screen.table.setFocus()
    scan(qtbot, "]E00614141000302")  # typed while the list has the focus: it goes to the search box
    qtbot.waitUntil(lambda: screen.detail.sku == "SPC-SMK-PAP", timeout=WAIT)
    assert QApplication.focusWidget() is screen.search
    screen.table.sortByColumn(HEADERS.index("Name"), Qt.SortOrder.DescendingOrder)
    assert screen.selected_sku() == "SPC-SMK-PAP"


def test_a_manager_makes_a_product_with_a_scanned_barcode_then_a_kit(qtbot: QtBot,
                                                                     seeded_database: Database) -> None:
    db = seeded_database
    screen = screen_for(qtbot, db)
    qtbot.waitUntil(lambda: settled(screen) and screen.proxy.rowCount() > 30, timeout=WAIT)
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert isinstance(dialog, ProductDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.texts["sku"], "GIFT-TEA")
    qtbot.keyClicks(dialog.texts["name"], "Tea gift box")
    dialog.price.setText("24.90")
    scan(qtbot, PAPRIKA_EAN, dialog.barcode)  # the Enter ends the scan; it does not submit
    assert dialog.isVisible() and dialog.barcode.text() == PAPRIKA_EAN
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not screen.busy and "already the barcode" in dialog.message.text(), timeout=WAIT)
    assert dialog.isVisible()
    assert dialog.message.text().startswith(f"{PAPRIKA_EAN} is already the barcode of SPC-SMK-PAP Smoked Paprika")
    dialog.barcode.setText("012345678905")
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None and settled(screen) and screen.selected_sku() == "GIFT-TEA",
                    timeout=WAIT)
    assert screen.status.text() == "Added GIFT-TEA Tea gift box."
    assert cell(screen, screen.table.currentIndex().row(), "Price") == "$24.90"
    assert cell(screen, screen.table.currentIndex().row(), "Weight") == "0.00 lb"
    assert screen.detail.rows("Barcodes") == [["00012345678905", "1"]]

    qtbot.mouseClick(screen.add_barcode_button, Qt.MouseButton.LeftButton)
    barcode = screen.dialog
    assert isinstance(barcode, BarcodeDialog)
    scan(qtbot, "10012345678902", barcode.code)
    barcode.pack.setValue(6)
    qtbot.mouseClick(barcode.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None and len(screen.detail.rows("Barcodes")) == 2, timeout=WAIT)
    assert screen.detail.rows("Barcodes")[1] == ["10012345678902", "6"]

    qtbot.waitUntil(lambda: screen.components_button.isEnabled(), timeout=WAIT)
    qtbot.mouseClick(screen.components_button, Qt.MouseButton.LeftButton)
    parts = screen.dialog
    assert isinstance(parts, ComponentsDialog)
    parts.table.item(0, 0).setText("TEA-SEN-100")  # type: ignore[union-attr]
    parts.table.item(0, 1).setText("2")  # type: ignore[union-attr]
    parts.add_line("GIFT-TEA", 1)  # the kit itself: refused in the dialog
    qtbot.mouseClick(parts.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cannot be a component of itself" in parts.message.text(), timeout=WAIT)
    parts.table.setCurrentCell(1, 0)
    parts.remove_line()
    qtbot.mouseClick(parts.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None and screen.detail.rows("Components") != [], timeout=WAIT)
    assert screen.detail.rows("Components")[0][:3] == ["TEA-SEN-100", "Sencha Green Tea 100 g", "2"]
    assert screen.status.text().startswith("GIFT-TEA is a kit of 1 component;")
    qtbot.waitUntil(lambda: settled(screen) and cell(screen, screen.table.currentIndex().row(), "Kit") == "Kit",
                    timeout=WAIT)

    qtbot.mouseClick(screen.active_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(screen) and screen.status.text() == "GIFT-TEA is inactive.", timeout=WAIT)
    # it stays in sight (the list shows active products or not now), selected: Reactivate undoes it at once
    assert screen.status_filter.currentData() == "all" and screen.selected_sku() == "GIFT-TEA"
    assert cell(screen, screen.table.currentIndex().row(), "Active") == "No"
    qtbot.waitUntil(lambda: screen.active_button.text() == "&Reactivate" and screen.active_button.isEnabled(),
                    timeout=WAIT)
    qtbot.mouseClick(screen.active_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(screen) and screen.status.text() == "GIFT-TEA is active again.", timeout=WAIT)


def test_edit_changes_only_what_was_changed_then_import_and_export(qtbot: QtBot, seeded_database: Database,
                                                                  tmp_path: Path) -> None:
    screen = screen_for(qtbot, seeded_database)
    qtbot.waitUntil(lambda: settled(screen), timeout=WAIT)
    scan(qtbot, "MUG-CER-350")
    qtbot.waitUntil(lambda: screen.detail.sku == "MUG-CER-350" and screen.edit_button.isEnabled(), timeout=WAIT)
    qtbot.mouseClick(screen.edit_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert isinstance(dialog, ProductDialog) and dialog.texts["sku"].text() == "MUG-CER-350"
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Nothing was changed: edit a field first, or cancel."
    dialog.numbers["weight_g"].setValue(395)
    dialog.texts["hs_code"].setText("6912.00")
    dialog.texts["supplier"].setText("Stoneware Co")
    dialog.numbers["lead_time_days"].setValue(30)
    dialog.cost.setText("4.20")
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None and settled(screen), timeout=WAIT)
    detail = screen.detail.detail
    assert detail is not None and detail.fields.weight_g == 395 and detail.fields.hs_code == "6912.00"
    assert (detail.fields.supplier, detail.fields.lead_time_days, detail.fields.cost_minor) == ("Stoneware Co", 30, 420)
    assert detail.fields.name == "Ceramic Mug 350 ml, Slate"
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    dialog = screen.import_dialog
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "Import products"
    dialog.reject()
    exported = tmp_path / "catalogue.csv"
    screen.export_to(str(exported))
    qtbot.waitUntil(lambda: screen.status.text().startswith("Exported"), timeout=WAIT)
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("sku,") and any(line.startswith("MUG-CER-350,") for line in lines)


def test_a_packer_may_look_but_not_change(qtbot: QtBot, seeded_database: Database) -> None:
    screen = screen_for(qtbot, seeded_database, "packer")
    qtbot.waitUntil(lambda: settled(screen) and screen.proxy.rowCount() > 30, timeout=WAIT)
    screen.select("MUG-CER-350")
    qtbot.waitUntil(lambda: screen.detail.sku == "MUG-CER-350", timeout=WAIT)
    for button in (screen.new_button, screen.edit_button, screen.add_barcode_button, screen.components_button,
                   screen.active_button, screen.import_button):
        assert not button.isEnabled(), button.text()
    screen.new_product()
    assert screen.dialog is None


def test_the_window_shows_products_to_managers_within_the_screen(qtbot: QtBot, seeded_database: Database,
                                                                 printer: ZplPrinterSimulator) -> None:
    with HouseStyle():
        station = Station(qtbot, seeded_database, printer.uri)
        window = station.window
        station.log_in("packer", "1111")
        assert not window.navigation.allows("products")
        window.log_out()
        qtbot.waitUntil(lambda: window.actor is None, timeout=WAIT)
        station.log_in("manager", "2222")
        assert window.navigation.allows("products")
        window.show_screen("products")
        screen = window.screens["products"]
        assert isinstance(screen, ProductsScreen)
        qtbot.waitUntil(lambda: settled(screen) and screen.proxy.rowCount() > 30, timeout=WAIT)
        screen.select("MUG-CER-350")
        qtbot.waitUntil(lambda: screen.detail.sku == "MUG-CER-350", timeout=WAIT)
        qtbot.wait(50)
        assert not (problems := outside_screen(window) + cut_labels(window)), "\n".join(problems)
        assert not (cut := cut_off(screen.table)), "\n".join(cut)
        screen.status_filter.setCurrentIndex(screen.status_filter.findData("all"))  # the Active column shows
        qtbot.waitUntil(lambda: settled(screen) and not screen.table.isColumnHidden(HEADERS.index("Active")),
                        timeout=WAIT)
        assert not (cut := cut_off(screen.table)), "\n".join(cut)


def test_changes_during_a_load_reload_once_after_it(qtbot: QtBot, seeded_database: Database,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    screen = screen_for(qtbot, seeded_database)
    qtbot.waitUntil(lambda: settled(screen), timeout=WAIT)
    products = screen.app.products
    asked: list[str | None] = []
    original = products.list

    def counting(search: str | None = None, *args: object, **kwargs: object) -> object:
        asked.append(search)
        return original(search, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(products, "list", counting)
    screen.reload()
    for _ in range(3):  # three changes announced while it loads
        screen.refresh()
    qtbot.waitUntil(lambda: settled(screen) and len(asked) == 2, timeout=WAIT)
    qtbot.wait(200)
    assert len(asked) == 2 and screen.proxy.rowCount() > 30


def test_the_screen_reloads_for_every_table_the_catalogue_use_cases_change() -> None:
    assert {"products", "product_barcodes", "product_components", "stock_levels"} <= ProductsScreen.watches


def test_a_narrow_table_cuts_the_barcodes_before_the_sku_and_the_detail_shows_its_barcodes(
        qtbot: QtBot, seeded_database: Database) -> None:
    """The workspace beside the navigation and the simulator panel at 1280×800 (about 850 px
    for the table, in the house style): every SKU shows whole (the barcodes give way first),
    and a product's barcodes (a unit and a case code) both show in the detail pane."""
    with HouseStyle():
        app = app_for(seeded_database)
        screen = ProductsScreen(app)
        qtbot.addWidget(screen)
        screen.set_actor(sign_in(app, "manager"))
        screen.resize(870, 640)
        screen.show()
        qtbot.waitExposed(screen)
        screen.shown()
        qtbot.waitUntil(lambda: settled(screen) and screen.proxy.rowCount() > 30, timeout=WAIT)
        sku = HEADERS.index("SKU")
        metrics = screen.table.fontMetrics()
        widest = max(metrics.horizontalAdvance(code) for code in skus(screen))
        assert widest + 6 <= screen.table.columnWidth(sku), "no SKU is cut"
        screen.select("MUG-CER-350")
        qtbot.waitUntil(lambda: screen.detail.sku == "MUG-CER-350", timeout=WAIT)
        qtbot.wait(50)
        barcodes = screen.detail.tables["Barcodes"]
        assert barcodes.rowCount() == 2
        last = barcodes.visualRect(barcodes.model().index(1, 0))
        assert barcodes.viewport().rect().contains(last), "the second barcode shows without scrolling"


def test_a_new_product_left_out_by_the_search_is_shown_and_said(qtbot: QtBot, seeded_database: Database) -> None:
    """The manager scanned a barcode into the search, then adds a product: the list shows the
    new one (the search becomes its SKU), it is selected, and the status line says so."""
    screen = screen_for(qtbot, seeded_database)
    qtbot.waitUntil(lambda: settled(screen) and screen.proxy.rowCount() > 30, timeout=WAIT)
    scan(qtbot, PAPRIKA_EAN, screen.search)
    qtbot.waitUntil(lambda: settled(screen) and skus(screen) == ["SPC-SMK-PAP"], timeout=WAIT)
    screen.kind_filter.setCurrentIndex(screen.kind_filter.findData(True))  # kits only
    qtbot.waitUntil(lambda: settled(screen) and skus(screen) == [], timeout=WAIT)
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert isinstance(dialog, ProductDialog)
    qtbot.keyClicks(dialog.texts["sku"], "NEW-ONE")
    qtbot.keyClicks(dialog.texts["name"], "A new one")
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None and settled(screen) and skus(screen) == ["NEW-ONE"], timeout=WAIT)
    assert screen.selected_sku() == "NEW-ONE"
    assert screen.search.text() == "NEW-ONE"
    assert screen.status.text() == "Added NEW-ONE A new one."


def test_the_components_dialog_shows_its_headers_and_takes_typing_in_the_new_line(qtbot: QtBot) -> None:
    """Both headers show whole (no sideways scrolling), and typing goes straight into the
    new line's SKU cell."""
    with HouseStyle():
        dialog = ComponentsDialog("GIFT-TEA-SET", ())
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.wait(50)
        assert not (cut := cut_off(dialog.table)), "\n".join(cut)
        assert dialog.table.horizontalScrollBar().value() == 0
        assert (dialog.table.currentRow(), dialog.table.currentColumn()) == (0, 0)
        for key in "TEA-SEN-100":  # as a wedge types: each key to whatever has the focus then
            qtbot.keyClick(QApplication.focusWidget() or dialog.table, key)
        qtbot.keyClick(QApplication.focusWidget() or dialog.table, Qt.Key.Key_Tab)
        assert dialog.value() == [("TEA-SEN-100", 1)]


def test_export_and_import_open_in_the_documents_folder_not_the_programs(
        qtbot: QtBot, seeded_database: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An installed app runs from its install folder: Export… suggests products.csv in the
    person's Documents (else home) folder, and the import dialog opens there too."""
    import ui.products.screen as products_screen
    import ui.widgets.import_dialog as import_dialog
    from ui.widgets.file_places import start_folder

    monkeypatch.chdir(tmp_path)
    asked: list[str] = []
    monkeypatch.setattr(products_screen, "save_file_name",
                        lambda _parent, _title, path, _filter: (asked.append(path), "")[1])
    monkeypatch.setattr(import_dialog, "open_file_name",
                        lambda _parent, _title, path, _filter: (asked.append(path), "")[1])
    screen = screen_for(qtbot, seeded_database)
    screen.open_export()
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    dialog = import_dialog.products_import_dialog(app, manager)
    qtbot.addWidget(dialog)
    dialog.choose_file()
    folder = start_folder()
    assert folder.is_absolute() and folder != tmp_path
    assert asked == [str(folder / "products.csv"), str(folder)]


def test_scans_one_after_another_into_the_search_each_find_their_product(
        qtbot: QtBot, seeded_database: Database) -> None:
    """The focus stays in the search box after a scan: the next scan replaces it (it was
    appended to it, "…0302(01)0061…", finding nothing or the wrong product)."""
    screen = screen_for(qtbot, seeded_database)
    qtbot.waitUntil(lambda: settled(screen) and screen.proxy.rowCount() > 30, timeout=WAIT)
    scan(qtbot, PAPRIKA_EAN, screen.search)
    qtbot.waitUntil(lambda: settled(screen) and screen.selected_sku() == "SPC-SMK-PAP", timeout=WAIT)
    scan(qtbot, "(01)00614141000050(17)271231(10)LOT42")  # no click in between: into the focused search box
    qtbot.waitUntil(lambda: settled(screen) and screen.selected_sku() == "TEA-EARL-100", timeout=WAIT)
    assert screen.search.text() == "(01)00614141000050(17)271231(10)LOT42"


def test_a_product_selected_beyond_the_first_page_stays_selected_across_a_reload(
        qtbot: QtBot, seeded_database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """With more products than the first page (a real catalogue: 200), a reload (after an
    import, a change at another station) selected the product again only when it was on the
    first page: otherwise the detail showed it with every button off."""
    import ui.products.screen as products_screen

    monkeypatch.setattr(products_screen, "FIRST_PAGE", 5)
    screen = screen_for(qtbot, seeded_database)
    qtbot.waitUntil(lambda: settled(screen) and screen.proxy.rowCount() > 30, timeout=WAIT)
    assert screen.select("YOGA-MAT-6")
    qtbot.waitUntil(lambda: screen.detail.sku == "YOGA-MAT-6" and screen.edit_button.isEnabled(), timeout=WAIT)
    screen.reload()
    qtbot.waitUntil(lambda: settled(screen) and screen.proxy.rowCount() > 30, timeout=WAIT)
    assert screen.selected_sku() == "YOGA-MAT-6" and screen.edit_button.isEnabled()


def test_a_scanned_sku_moves_on_to_the_name_instead_of_submitting(qtbot: QtBot) -> None:
    """A scanner ends its code with Enter: in a new product's SKU field that moves to the
    name, it does not submit a half-filled form."""
    dialog = ProductDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    submitted: list[object] = []
    dialog.submitted.connect(submitted.append)
    sku = dialog.texts["sku"]
    sku.setFocus()
    qtbot.keyClicks(sku, "NEW-SKU-1")
    qtbot.keyClick(sku, Qt.Key.Key_Return)
    assert submitted == [] and dialog.isVisible() and dialog.message.text() == ""
    assert dialog.focusWidget() is dialog.texts["name"]
