"""The generic import dialog driven with the products import (pytest-qt, both engines):
choose a file → the dry run's counts and problems by line → Import → a progress bar fed
from the worker thread → the final report, and the products are in the database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Product
from fulfilstation.imports import ImportProgress, ImportReport
from tests.db.test_product_import import SHOPIFY
from tests.support.app import app_for, sign_in
from ui.widgets.import_dialog import ImportDialog, products_import_dialog
from ui.widgets.screen_fit import available


def products(database: Database) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Product)) or 0)


def dialog_for(qtbot: QtBot, database: Database, threads: list[bool]) -> ImportDialog:
    app = app_for(database)
    manager = sign_in(app, "manager")

    def run(data: bytes, progress: ImportProgress) -> ImportReport:
        threads.append(QThread.currentThread() is not QApplication.instance().thread())
        return app.product_files.import_products(manager, data, progress=progress, file_name="products.csv")

    dialog = ImportDialog("Import products",
                          lambda data: app.product_files.import_products(manager, data, dry_run=True), run)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_preview_then_import_with_progress(qtbot: QtBot, seeded_database: Database, tmp_path: Path) -> None:
    threads: list[bool] = []
    dialog = dialog_for(qtbot, seeded_database, threads)
    assert dialog.frameGeometry().width() <= available(dialog).width()
    assert dialog.frameGeometry().height() <= available(dialog).height()
    file = tmp_path / "products_export_1.csv"
    file.write_bytes(SHOPIFY)
    before = products(seeded_database)
    dialog.load(str(file))
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=20_000)
    assert "would import 7, update 0 and reject 3" in dialog.summary.text()
    assert products(seeded_database) == before  # the preview changed nothing
    shown = [(problem.line, problem.rejects) for problem in dialog.model.rows()]
    assert shown == [(11, False), (12, False), (13, False), (14, True), (16, True), (17, True)]
    assert "image rows" in dialog.notes.text()
    values: list[int] = []
    dialog.progress.valueChanged.connect(values.append)
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as finished:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert not dialog.close_button.isEnabled()
    report = finished.args[0]
    assert report.summary() == "imported 7, updated 0, rejected 3"
    assert threads == [True]  # the import ran on a worker thread
    assert dialog.progress.value() == dialog.progress.maximum()
    assert values and values == sorted(values)
    assert "Done: imported 7, updated 0, rejected 3." in dialog.summary.text()
    assert products(seeded_database) == before + 7
    assert dialog.close_button.isEnabled() and not dialog.import_button.isEnabled()


def test_a_file_that_is_not_a_product_file_says_so(qtbot: QtBot, seeded_database: Database, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, seeded_database, [])
    file = tmp_path / "photo.csv"
    file.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    dialog.load(str(file))
    qtbot.waitUntil(lambda: "cannot be imported" in dialog.summary.text(), timeout=20_000)
    assert "not a text file" in dialog.summary.text()
    assert not dialog.import_button.isEnabled() and dialog.choose_button.isEnabled()
    dialog.load(str(tmp_path / "gone.csv"))
    qtbot.waitUntil(lambda: "cannot be read" in dialog.summary.text(), timeout=20_000)


def test_the_products_dialog_imports_as_its_actor(qtbot: QtBot, seeded_database: Database, tmp_path: Path) -> None:
    app = app_for(seeded_database)
    dialog = products_import_dialog(app, sign_in(app, "owner"))
    qtbot.addWidget(dialog)
    dialog.show()
    file = tmp_path / "p.csv"
    file.write_bytes(b"sku,name,weight_g\nDLG-1,Dialog product,250\n")
    dialog.load(str(file))
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=20_000)
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as finished:
        dialog.import_button.click()
    assert finished.args[0].summary() == "imported 1, updated 0, rejected 0"


def test_a_packer_sees_the_refusal(qtbot: QtBot, seeded_database: Database, tmp_path: Path) -> None:
    app = app_for(seeded_database)
    dialog = products_import_dialog(app, sign_in(app, "packer"))
    qtbot.addWidget(dialog)
    file = tmp_path / "p.csv"
    file.write_bytes(b"sku,name\nDLG-2,Nope\n")
    dialog.load(str(file))
    qtbot.waitUntil(lambda: "only a manager or an owner can import products" in dialog.summary.text(),
                    timeout=20_000)
    assert not dialog.import_button.isEnabled()


def test_every_reason_shows_whole(qtbot: QtBot, seeded_database: Database, tmp_path: Path) -> None:
    """A reason says what to fix (the bin kinds to use, the product holding a barcode): it is
    wrapped in its row, never cut with "…" at the dialog's size."""
    dialog = dialog_for(qtbot, seeded_database, [])
    file = tmp_path / "products_export_1.csv"
    file.write_bytes(SHOPIFY)
    dialog.load(str(file))
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=20_000)
    qtbot.wait(50)
    table, metrics = dialog.table, dialog.table.fontMetrics()
    width = table.columnWidth(3) - 12  # the cell's text margins
    assert table.model().rowCount() > 0
    for row in range(table.model().rowCount()):
        text = str(table.model().index(row, 3).data())
        needed = metrics.boundingRect(0, 0, width, 10_000, int(Qt.TextFlag.TextWordWrap), text).height()
        assert needed <= table.rowHeight(row), f"line {table.model().index(row, 0).data()}: {text!r} is cut"
    assert table.columnWidth(3) > table.columnWidth(1), "the reason gets the width, not the row's key"
