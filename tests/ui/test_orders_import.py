"""The order import dialog (pytest-qt, both engines): Shopify's export previewed then imported
on a worker thread; a file of no known format opens the mapping dialog, whose combo boxes
pick the file's columns, and Save stores the mapping (a use case) and imports through it; a
saved mapping whose columns are the file's is picked by itself and can be changed; the
preview says how many orders would be held and why, and counts no backorders; the Orders
screen's "Import…" is there for a manager, not for a packer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order
from fulfilstation.services.order_files import MappingView
from fulfilstation.services.orders.intake.write import NO_BACKORDERS_YET
from tests.db.test_order_intake import SHOPIFY
from tests.support.app import app_for, sign_in
from ui.orders.import_dialog import OrdersImportDialog, matching_mapping, orders_import_dialog
from ui.orders.screen import OrdersScreen
from ui.widgets.fit_text import ZERO_WIDTH_SPACE
from ui.widgets.screen_fit import available


def orders(database: Database) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Order)) or 0)


def dialog_for(qtbot: QtBot, database: Database) -> OrdersImportDialog:
    app = app_for(database)
    dialog = orders_import_dialog(app, sign_in(app, "manager"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_shopify_export_preview_then_import(qtbot: QtBot, seeded_database: Database, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, seeded_database)
    assert dialog.frameGeometry().height() <= available(dialog).height()
    file = tmp_path / "orders_export_1.csv"
    file.write_bytes(SHOPIFY)
    before = orders(seeded_database)
    dialog.load(str(file))
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=20_000)
    assert "would import 4, update 0 and reject 1" in dialog.summary.text()
    assert orders(seeded_database) == before
    assert (9, True) in [(problem.line, problem.rejects) for problem in dialog.model.rows()]
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as finished:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].summary() == "imported 4, updated 0, rejected 1"
    assert orders(seeded_database) == before + 4


def test_an_unknown_header_is_mapped_saved_and_imported(qtbot: QtBot, seeded_database: Database,
                                                        tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, seeded_database)
    file = tmp_path / "erp.csv"
    file.write_text("Ref;Customer;Street;Town;State;Zip;Land;Item;Qty\n"
                    "X-9;Cy Young;7 Oak Rd;Springfield;IL;62704;US;SOAP-LAV-100;3\n", encoding="utf-8")
    before = orders(seeded_database)
    dialog.load(str(file))
    qtbot.waitUntil(lambda: dialog.mapping_dialog is not None and dialog.mapping_dialog.isVisible(), timeout=20_000)
    mapping = dialog.mapping_dialog
    assert mapping is not None
    save = mapping.buttons.buttons()[0]
    assert not save.isEnabled() and "order_id" in mapping.problem.text()
    for column, header in (("order_id", "Ref"), ("ship_to_name", "Customer"), ("ship_to_line1", "Street"),
                           ("ship_to_city", "Town"), ("ship_to_region", "State"), ("ship_to_postal_code", "Zip"),
                           ("ship_to_country", "Land"), ("sku", "Item"), ("quantity", "Qty")):
        combo = mapping.combos[column]
        combo.setCurrentIndex(combo.findData(header))
    mapping.name_edit.setText("erp")
    assert save.isEnabled()
    mapping.accept()
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=20_000)
    assert "would import 1, update 0 and reject 0" in dialog.summary.text()
    assert [saved.name for saved in dialog.app.order_files.mappings()] == ["erp"]
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as finished:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].summary() == "imported 1, updated 0, rejected 0"
    assert orders(seeded_database) == before + 1


def test_the_orders_screen_offers_import_to_managers_only(qtbot: QtBot, seeded_database: Database) -> None:
    app = app_for(seeded_database)
    screen = OrdersScreen(app)
    qtbot.addWidget(screen)
    screen.set_actor(sign_in(app, "manager"))
    assert screen.import_button.isEnabled()
    screen.open_import()
    assert isinstance(screen.import_dialog, OrdersImportDialog)
    screen.import_dialog.close()
    screen.set_actor(sign_in(app, "packer"))
    assert not screen.import_button.isEnabled()


def test_two_shops_exports_go_in_under_their_own_channels(qtbot: QtBot, seeded_database: Database,
                                                          tmp_path: Path) -> None:
    """The same export imported as another shop's creates that shop's orders; it never
    updates the first shop's orders of the same numbers."""
    file = tmp_path / "orders_export_1.csv"
    file.write_bytes(SHOPIFY)
    before = orders(seeded_database)
    for shop in ("shop-a", "shop-b"):
        dialog = dialog_for(qtbot, seeded_database)
        dialog.channel_edit.setText(shop)
        dialog.load(str(file))
        qtbot.waitUntil(dialog.import_button.isEnabled, timeout=20_000)
        assert "would import 4, update 0" in dialog.summary.text()
        with qtbot.waitSignal(dialog.imported, timeout=30_000) as finished:
            qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert finished.args[0].summary() == "imported 4, updated 0, rejected 1"
    with seeded_database.unit_of_work() as session:
        channels = dict(session.execute(select(Order.channel, func.count()).group_by(Order.channel)).all())
    assert channels["shop-a"] == 4 and channels["shop-b"] == 4 and orders(seeded_database) == before + 8


ERP = ("Ref;Customer;Street;Town;State;Zip;Land;Item;Qty;Paid\n"
       "X-9;Cy Young;7 Oak Rd;Springfield;IL;62704;US;SOAP-LAV-100;3;paid\n"
       "X-10;Di Prince;8 Oak Rd;Springfield;IL;62704;US;SOAP-LAV-100;1;pending\n"
       "X-11;Ed Wood;9 Oak Rd;Springfield;IL;62704;US;NO-SUCH-SKU;1;pending\n")
ERP_COLUMNS = {"order_id": "Ref", "ship_to_name": "Customer", "ship_to_line1": "Street", "ship_to_city": "Town",
               "ship_to_region": "State", "ship_to_postal_code": "Zip", "ship_to_country": "Land", "sku": "Item",
               "quantity": "Qty", "financial_status": "Paid"}


def test_a_saved_mapping_that_fits_the_header_is_picked_and_can_be_changed(
        qtbot: QtBot, seeded_database: Database, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, seeded_database)
    files = dialog.app.order_files
    files.save_mapping(dialog.actor, "erp-no-pay", {k: v for k, v in ERP_COLUMNS.items() if k != "financial_status"})
    files.save_mapping(dialog.actor, "erp", ERP_COLUMNS)  # reads more of the file: preferred
    files.save_mapping(dialog.actor, "other-shop", {**ERP_COLUMNS, "order_id": "Order No"})  # not this file's
    file = tmp_path / "erp.csv"
    file.write_text(ERP, encoding="utf-8")
    before = orders(seeded_database)
    dialog.load(str(file))
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=20_000)
    assert dialog.mapping_dialog is None, "no question asked: the saved mapping fits"
    assert dialog.mapping == "erp" and dialog.mapping_button.isVisible()
    assert "would import 3, update 0 and reject 0" in dialog.summary.text()
    notes = dialog.notes.text().replace(ZERO_WIDTH_SPACE, "")
    assert notes.startswith("Read through the saved mapping erp: its columns are this file's.")
    assert "2 orders would be held: 2 not paid, 1 SKU not in the catalogue." in notes
    assert NO_BACKORDERS_YET in notes and orders(seeded_database) == before

    qtbot.mouseClick(dialog.mapping_button, Qt.MouseButton.LeftButton)  # the person reads it another way
    mapping = dialog.mapping_dialog
    assert mapping is not None and mapping.saved_combo.currentData() == "erp"
    assert mapping.name_edit.text() == "erp" and mapping.combos["financial_status"].currentData() == "Paid"
    paid = mapping.combos["financial_status"]
    paid.setCurrentIndex(paid.findData(""))  # this file's Paid column is not to be trusted
    mapping.name_edit.setText("erp-unpaid-ignored")
    mapping.accept()
    qtbot.waitUntil(lambda: dialog.mapping == "erp-unpaid-ignored" and dialog.import_button.isEnabled()
                    and "1 order would be held" in dialog.notes.text().replace(ZERO_WIDTH_SPACE, ""), timeout=20_000)
    notes = dialog.notes.text().replace(ZERO_WIDTH_SPACE, "")
    assert notes.startswith("Read through the mapping erp-unpaid-ignored.")
    assert "1 order would be held: 1 SKU not in the catalogue." in notes
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as finished:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].summary() == "imported 3, updated 0, rejected 0"
    assert "1 order was held: 1 SKU not in the catalogue." in finished.args[0].notes


def test_no_saved_mapping_fits_so_the_person_is_asked(qtbot: QtBot, seeded_database: Database,
                                                      tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, seeded_database)
    dialog.app.order_files.save_mapping(dialog.actor, "other-shop", {**ERP_COLUMNS, "order_id": "Order No"})
    file = tmp_path / "erp.csv"
    file.write_text(ERP, encoding="utf-8")
    dialog.load(str(file))
    qtbot.waitUntil(lambda: dialog.mapping_dialog is not None and dialog.mapping_dialog.isVisible(), timeout=20_000)
    assert dialog.mapping_dialog is not None and dialog.mapping_dialog.saved_combo.currentData() is None
    assert not dialog.mapping_button.isVisible() and dialog.mapping is None


def test_which_saved_mapping_fits_a_header() -> None:
    erp = MappingView("erp", {"order_id": "Ref", "sku": "Item", "quantity": "Qty"})
    wider = MappingView("erp-wide", {"order_id": "Ref", "sku": "Item", "quantity": "Qty", "ship_to_name": "Customer"})
    assert matching_mapping([" ref ", "ITEM", "Qty"], [wider, erp]) == erp  # case and spaces as the file is read
    assert matching_mapping(["Ref", "Item", "Qty", "Customer"], [erp, wider]) == wider  # the one reading the most
    assert matching_mapping(["Ref", "Item"], [erp, wider]) is None
    assert matching_mapping(["Ref", "Item", "Qty"], [MappingView("b", erp.columns), MappingView("a", erp.columns)]) \
        == MappingView("a", erp.columns)
