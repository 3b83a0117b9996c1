"""The order import dialog (pytest-qt, both engines): Shopify's export previewed then imported
on a worker thread; a file of no known format opens the mapping dialog, whose combo boxes
pick the file's columns, and Save stores the mapping (a use case) and imports through it;
the Orders screen's "Import orders…" is there for a manager, not for a packer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order
from tests.db.test_order_intake import SHOPIFY
from tests.support.app import app_for, sign_in
from ui.orders.import_dialog import OrdersImportDialog, orders_import_dialog
from ui.orders.screen import OrdersScreen
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
