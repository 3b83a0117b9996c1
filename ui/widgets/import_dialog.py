"""``ImportDialog``: importing a file from the window — choose it, see the preview, import
with a progress bar, read the report. Generic: products, bins and purchase orders each
hand it a title and two callables that go through ``AppServices``:

* ``preview(data) -> ImportReport``: the dry run (nothing changes);
* ``run(data, progress) -> ImportReport``: the import; ``progress(done, total)`` is called
  on the worker thread and reaches the bar through a Qt signal (queued to the GUI thread).

Both run on the thread pool (``ui/worker.run_in_background``), as does reading the file:
the window never blocks. The table lists the report's problems (rejections and warnings)
by line, up to ``SHOWN_PROBLEMS``; a refusal (a file that cannot be read at all) is shown
in words. ``imported`` is emitted with the final report, so a screen can reload. Closing is
refused while an import runs (the import would go on unseen).

Threading: GUI thread only; the callables run on worker threads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.imports import CsvUnreadable, ImportProgress, ImportReport, RowProblem
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.refused import Refused
from ui.widgets.file_dialogs import open_file_name
from ui.widgets.file_places import start_folder
from ui.widgets.fit_columns import fit_columns
from ui.widgets.fit_text import ElidedLabel, let_wrap, show_wrapped
from ui.widgets.row_model import SORT_ROLE, Column, RowModel
from ui.widgets.screen_fit import client_fitted
from ui.worker import run_in_background

Preview = Callable[[bytes], ImportReport]
Run = Callable[[bytes, ImportProgress], ImportReport]
SHOWN_PROBLEMS = 500
CSV_FILTER = "CSV files (*.csv *.txt *.tsv);;All files (*)"
COLUMNS: tuple[Column[RowProblem], ...] = (
    Column("Line", lambda p: str(p.line), lambda p: p.line),
    Column("Row", lambda p: p.key),
    Column("", lambda p: "rejected" if p.rejects else "warning"),
    Column("Reason", lambda p: p.reason),
)
REASON = 3  # the column that takes the rest of the width, its text wrapped


class ImportDialog(QDialog):
    progressed = Signal(int, int)  # (done, total), emitted from the worker thread
    imported = Signal(object)  # the final ImportReport

    def __init__(self, title: str, preview: Preview, run: Run, parent: QWidget | None = None,
                 *, intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._preview, self._run = preview, run
        self._data: bytes | None = None
        self._running = False
        self.report: ImportReport | None = None
        self.intro = let_wrap(QLabel(intro or "Choose a CSV file: you see what it would do before anything "
                                     "changes.", self))
        self.choose_button = QPushButton("Choose file…", self)
        self.choose_button.clicked.connect(self.choose_file)
        self.file_label = ElidedLabel("No file chosen", self)
        self.summary = let_wrap(QLabel("", self))
        self.notes = let_wrap(QLabel("", self))
        self.model: RowModel[RowProblem] = RowModel(COLUMNS, lambda p: "#b00020" if p.rejects else "#8a6d00")
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        fit_columns(self.table, flexible=(REASON,))
        self.table.setItemDelegateForColumn(REASON, QStyledItemDelegate(self.table))  # wrapped, never cut
        self.table.setWordWrap(True)  # a reason is read whole: it says what to fix
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.hide()
        self.import_button = QPushButton("Import", self)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.close)
        self.progressed.connect(self._show_progress)
        self._lay_out()

    def _lay_out(self) -> None:
        file_row = QHBoxLayout()
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.file_label, 1)
        self.file_row = file_row  # a subclass may add its own fields beside the file
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(file_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.resize(client_fitted(QSize(960, 620), self))

    # -- choosing and previewing

    def choose_file(self) -> None:
        path = open_file_name(self, self.windowTitle(), str(start_folder()), CSV_FILTER)
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        """Read ``path`` and preview it (both in the background)."""
        self._data = None
        self.report = None
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.file_label.setText(path)
        self._say(f"Reading {Path(path).name}…")
        self.model.set_rows([])
        self.notes.setText("")
        run_in_background(lambda: Path(path).read_bytes(), self._read, self._failed, owner=self)

    def _read(self, data: bytes) -> None:
        self._data = data
        self._say("Checking the file (nothing changes yet)…")
        run_in_background(lambda: self._preview(data), self._previewed, self._failed, owner=self)

    def _previewed(self, report: ImportReport) -> None:
        self.choose_button.setEnabled(True)
        self._show(report)
        would = report.imported + report.updated
        self._say(f"This file would import {report.imported}, update {report.updated} and reject "
                  f"{report.rejected} (unchanged {report.unchanged})."
                  + ("" if would else " There is nothing to import."))
        self.import_button.setEnabled(would > 0)

    # -- importing

    def start_import(self) -> None:
        data = self._data
        if data is None or self._running:
            return
        self._running = True
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.progress.show()
        self._say("Importing…")
        run_in_background(lambda: self._run(data, self.progressed.emit), self._done, self._failed, owner=self)

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def _done(self, report: ImportReport) -> None:
        self._running = False
        self.report = report
        if self.progress.maximum() == 0:  # no progress was reported: the bar was busy
            self.progress.setRange(0, 1)
        self.progress.setValue(self.progress.maximum())
        self.choose_button.setEnabled(True)
        self.close_button.setEnabled(True)
        self._show(report)
        self._say(f"Done: {report.summary()}.")
        self.imported.emit(report)

    def _failed(self, error: Exception) -> None:
        self._running = False
        self.progress.hide()
        self.choose_button.setEnabled(True)
        self.close_button.setEnabled(True)
        self.import_button.setEnabled(False)
        if isinstance(error, Refused):
            self._say(error.message)
        elif isinstance(error, CsvUnreadable):
            self._say(f"{error}. Nothing was imported.")
        elif isinstance(error, OSError):
            self._say(f"The file cannot be read: {error.strerror or error}. Nothing was imported.")
        else:
            self._say(f"The import failed ({type(error).__name__}: {error}); nothing was imported.")

    # -- showing

    def _show(self, report: ImportReport) -> None:
        shown = report.problems[:SHOWN_PROBLEMS]
        self.model.set_rows(list(shown))
        more = len(report.problems) - len(shown)
        notes = list(report.notes) + ([f"{more} more problems are not listed here (the CLI lists all)."]
                                      if more > 0 else [])
        show_wrapped(self.notes, "\n".join(notes))

    def _say(self, text: str) -> None:
        show_wrapped(self.summary, text)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self._running:
            self._say("The import is still running: wait for it to finish.")
            event.ignore()
            return
        super().closeEvent(event)

    def reject(self) -> None:  # Escape: the same rule as closing
        if self._running:
            self._say("The import is still running: wait for it to finish.")
            return
        super().reject()


def products_import_dialog(app: AppServices, actor: Actor, parent: QWidget | None = None) -> ImportDialog:
    """The dialog for ``app.product_files.import_products`` (Shopify's export or the generic file)."""

    def preview(data: bytes) -> ImportReport:
        return app.product_files.import_products(actor, data, dry_run=True)

    def run(data: bytes, progress: ImportProgress) -> ImportReport:
        return app.product_files.import_products(actor, data, progress=progress)

    return ImportDialog("Import products", preview, run, parent,
                        intro="Choose Shopify's product export or a generic product CSV (docs/import-formats.md). "
                              "The SKU is the key: products already here are updated, new ones added. You see "
                              "what the file would do before anything changes.")


def bins_import_dialog(app: AppServices, actor: Actor, parent: QWidget | None = None) -> ImportDialog:
    """The dialog for ``app.bins.import_bins`` (the bin CSV of docs/import-formats.md)."""

    def preview(data: bytes) -> ImportReport:
        return app.bins.import_bins(actor, data, dry_run=True)

    def run(data: bytes, progress: ImportProgress) -> ImportReport:
        return app.bins.import_bins(actor, data, progress=progress)

    return ImportDialog("Import bins", preview, run, parent,
                        intro="Choose a bin CSV (code, zone, aisle, bay, level, pick_sequence, kind, active: "
                              "docs/import-formats.md). The code is the key: bins already here are updated, new "
                              "ones added. You see what the file would do before anything changes.")
