"""Importing orders from the window: the generic ``ImportDialog`` (preview, progress, the
report) for ``app.order_files.import_orders``, and — when the file's header is neither
Shopify's order export nor the generic order file — a column mapping:

* a saved mapping whose every column is in the file's header is picked by itself
  (``matching_mapping``: of several, the one reading the most columns) and the file is
  previewed through it at once; "Change mapping…" opens the ``MappingDialog`` with it
  chosen, to read the file another way;
* else the ``MappingDialog``: for each generic column, one of the file's columns (combo
  boxes), a name, Save (``app.order_files.save_mapping``); the file is then previewed and
  imported through that mapping.

The preview's notes say how many orders would be held and why (from the intake's report);
it counts no backorders: stock is reserved only once the orders are in.

Reading the file's header, saving the mapping, the preview and the import all run on the
thread pool (``ui/worker.run_in_background``): the window never blocks.

Threading: GUI thread only; the use cases run on worker threads.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.imports import ImportProgress, ImportReport
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.order_files import MappingView, OrderFileFormat
from ui.widgets.fit_text import ZERO_WIDTH_SPACE, let_wrap, show_wrapped
from ui.widgets.import_dialog import ImportDialog
from ui.widgets.screen_fit import client_fitted
from ui.worker import run_in_background

REQUIRED = ("order_id", "sku", "quantity")
NONE = "(not in this file)"


class MappingDialog(QDialog):
    """Pick, for each generic column, the file's column that holds it; name the mapping.
    ``columns()`` and ``name()`` are read once it is accepted."""

    def __init__(self, headers: Sequence[str], generic: Sequence[str], saved: Sequence[MappingView],
                 parent: QWidget | None = None, chosen: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Read this file's columns as orders")
        self._headers = [header for header in headers if header]
        self._saved = {mapping.name: mapping for mapping in saved}
        intro = let_wrap(QLabel("This file is neither Shopify's order export nor the generic order file. Say which "
                                "of its columns holds each part of an order (order_id, sku and quantity are "
                                "needed), name the mapping and save it: the file is then read through it, and "
                                "`import orders --mapping NAME` reads the next one the same way.", self))
        self.saved_combo = QComboBox(self)
        self.saved_combo.setAccessibleName("Saved mapping")
        self.saved_combo.addItem("(a new mapping)", None)
        for name in sorted(self._saved):
            self.saved_combo.addItem(name, name)
        self.saved_combo.currentIndexChanged.connect(self._use_saved)
        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName("Mapping name")
        self.name_edit.setMaxLength(64)
        self.name_edit.setPlaceholderText("e.g. erp-export")
        self.combos: dict[str, QComboBox] = {}
        form_widget = QWidget(self)
        form = QFormLayout(form_widget)
        form.addRow("Saved mappings", self.saved_combo)
        form.addRow("Name", self.name_edit)
        for column in generic:
            combo = QComboBox(form_widget)
            combo.setAccessibleName(column)
            combo.addItem(NONE, "")
            for header in self._headers:
                combo.addItem(header, header)
            guess = next((header for header in self._headers
                          if header.casefold().replace(" ", "_") == column), "")
            combo.setCurrentIndex(max(combo.findData(guess), 0))
            combo.currentIndexChanged.connect(self._check)
            self.combos[column] = combo
            form.addRow(f"{column}{' *' if column in REQUIRED else ''}", combo)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        self.problem = let_wrap(QLabel("", self))
        self.problem.setObjectName("mappingProblem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(client_fitted(QSize(620, 640), self))
        if chosen is not None and chosen in self._saved:
            self.saved_combo.setCurrentIndex(self.saved_combo.findData(chosen))
        self._check()

    def _use_saved(self) -> None:
        name = self.saved_combo.currentData()
        if name is None:
            return
        mapping = self._saved[name]
        self.name_edit.setText(name)
        for column, combo in self.combos.items():
            combo.setCurrentIndex(max(combo.findData(mapping.columns.get(column, "")), 0))

    def columns(self) -> dict[str, str]:
        return {column: str(combo.currentData()) for column, combo in self.combos.items() if combo.currentData()}

    def name(self) -> str:
        return self.name_edit.text().strip()

    def _check(self) -> None:
        chosen = self.columns()
        missing = [column for column in REQUIRED if column not in chosen]
        if missing:
            words = f"Choose the file's column for {', '.join(missing)}."
        elif not self.name():
            words = "Give the mapping a name."
        else:
            words = ""
        show_wrapped(self.problem, words)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not words)


def matching_mapping(headers: Sequence[str], saved: Sequence[MappingView]) -> MappingView | None:
    """The saved mapping that reads this header: every file column it names is in ``headers``
    (without regard to case or surrounding spaces, as the file is read); of several, the one
    reading the most columns, then the first by name. None: no saved mapping fits."""
    have = {header.strip().casefold() for header in headers if header}
    fitting = [mapping for mapping in saved if mapping.columns
               and all(column.strip().casefold() in have for column in mapping.columns.values())]
    return min(fitting, key=lambda mapping: (-len(mapping.columns), mapping.name), default=None)


class OrdersImportDialog(ImportDialog):
    """``ImportDialog`` for orders: a file in no known format goes through a mapping first."""

    def __init__(self, app: AppServices, actor: Actor, parent: QWidget | None = None) -> None:
        self.app, self.actor = app, actor
        self.mapping: str | None = None
        self.mapping_dialog: MappingDialog | None = None
        super().__init__("Import orders", self._preview_orders, self._run_orders, parent,
                         intro="Choose Shopify's order export, a generic order CSV or any other order CSV "
                               "(you then say which column is which, once). Orders already here are found by their "
                               "channel and id: they are updated while not yet picked, never doubled. You see "
                               "what the file would do before anything changes.")
        # Which shop the file is from: orders are keyed by channel and the shop's id, so two
        # shops' exports (each with its own #1001) must not share a channel.
        self.channel_edit = QLineEdit(self)
        self.channel_edit.setPlaceholderText("shopify-csv or csv")
        self.channel_edit.setToolTip("The shop (sales channel) the file comes from. Give each shop its own name: "
                                     "orders are told apart by channel and the shop's order id or number.")
        self.channel_edit.setMaxLength(32)
        self.channel_edit.editingFinished.connect(self._channel_changed)
        channel_label = QLabel("&Shop:", self)
        channel_label.setBuddy(self.channel_edit)
        self.file_row.addWidget(channel_label)
        self.file_row.addWidget(self.channel_edit)
        self.mapping_button = QPushButton("Change &mapping…", self)
        self.mapping_button.setToolTip("Read this file's columns another way (a saved mapping was picked by itself)")
        self.mapping_button.clicked.connect(self.change_mapping)
        self.mapping_button.setVisible(False)
        self.file_row.addWidget(self.mapping_button)
        self._headers: tuple[tuple[str, ...], tuple[MappingView, ...]] | None = None
        self._mapping_note = ""
        self._preferred: str | None = None

    def channel(self) -> str | None:
        """The shop named in the dialog; None: the default (``shopify-csv`` or ``csv``)."""
        return self.channel_edit.text().strip() or None

    def _channel_changed(self) -> None:
        if self._data is not None and not self._running:  # what the file would do depends on the shop
            self._read(self._data)

    def _preview_orders(self, data: bytes) -> ImportReport:
        return self.app.order_files.import_orders(self.actor, data, channel=self.channel(), mapping=self.mapping,
                                                  dry_run=True)

    def _run_orders(self, data: bytes, progress: ImportProgress) -> ImportReport:
        return self.app.order_files.import_orders(self.actor, data, channel=self.channel(), mapping=self.mapping,
                                                  progress=progress)

    def _read(self, data: bytes) -> None:  # the file's bytes are here: is its format known?
        self._preferred, self.mapping = self.mapping, None  # read again (another shop): keep the mapping chosen
        self._headers = None
        self.mapping_button.setVisible(False)
        files = self.app.order_files

        def header() -> tuple[tuple[str, ...], OrderFileFormat | None, tuple[MappingView, ...]]:
            headers, found = files.file_columns(data)
            return headers, found, files.mappings()

        run_in_background(header, lambda result: self._header_read(data, result), self._failed, owner=self)

    def _header_read(self, data: bytes,
                     result: tuple[tuple[str, ...], OrderFileFormat | None, tuple[MappingView, ...]]) -> None:
        headers, found, saved = result
        if found is not None:
            super()._read(data)
            return
        self._headers = (headers, saved)
        picked = matching_mapping(headers, [mapping for mapping in saved if mapping.name == self._preferred]) \
            or matching_mapping(headers, saved)
        if picked is not None:  # its columns are this file's: read through it, the person may change it
            self._read_through(data, picked.name, f"Read through the saved mapping {picked.name}: its columns "
                               "are this file's. Change mapping… to read it another way.")
            return
        self._ask_mapping(data, headers, saved, None)

    def change_mapping(self) -> None:
        """Open the mapping dialog on the file's header, the mapping in use chosen."""
        if self._data is None or self._headers is None or self._running or self.mapping_dialog is not None:
            return
        headers, saved = self._headers
        self._ask_mapping(self._data, headers, saved, self.mapping)

    def _ask_mapping(self, data: bytes, headers: Sequence[str], saved: Sequence[MappingView],
                     chosen: str | None) -> None:
        dialog = MappingDialog(headers, self.app.order_files.generic_columns(), saved, self, chosen)
        self.mapping_dialog = dialog
        dialog.finished.connect(lambda _result: self._mapping_closed(dialog))
        dialog.accepted.connect(lambda: self._save_mapping(data, dialog.name(), dialog.columns()))
        dialog.rejected.connect(lambda: self._mapping_declined())
        dialog.open()

    def _read_through(self, data: bytes, name: str, note: str) -> None:
        """Preview ``data`` through the saved mapping ``name``; ``note`` says so above the
        report's notes."""
        self.mapping = name
        self._mapping_note = note
        self.mapping_button.setVisible(True)
        self.import_button.setEnabled(False)  # until the preview through it is back
        ImportDialog._read(self, data)
        show_wrapped(self.notes, note)

    def _show(self, report: ImportReport) -> None:
        super()._show(report)
        if self.mapping is not None and self._mapping_note:
            shown = self.notes.toolTip() or self.notes.text().replace(ZERO_WIDTH_SPACE, "")
            show_wrapped(self.notes, "\n".join(filter(None, (self._mapping_note, shown))))

    def _mapping_closed(self, dialog: MappingDialog) -> None:
        if self.mapping_dialog is dialog:
            self.mapping_dialog = None

    def _mapping_declined(self) -> None:
        self.choose_button.setEnabled(True)
        if self.mapping is not None:  # "Change mapping…" closed: the picked one still reads the file
            return
        self._say("The file's columns were not mapped: nothing to import. Choose the file again to map them.")

    def _save_mapping(self, data: bytes, name: str, columns: dict[str, str]) -> None:
        self._say(f"Saving the mapping {name}…")

        def saved(mapping: MappingView) -> None:
            if self._headers is not None:  # the saved list now holds it as stored
                headers, known = self._headers
                self._headers = (headers, (*[m for m in known if m.name != mapping.name], mapping))
            self._read_through(data, mapping.name, f"Read through the mapping {mapping.name}.")

        run_in_background(lambda: self.app.order_files.save_mapping(self.actor, name, columns), saved,
                          self._failed, owner=self)


def orders_import_dialog(app: AppServices, actor: Actor, parent: QWidget | None = None) -> OrdersImportDialog:
    """The dialog for ``app.order_files.import_orders``."""
    return OrdersImportDialog(app, actor, parent)
