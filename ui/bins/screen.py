"""The Bins screen: every bin in walking order with what it holds; owners add, edit,
deactivate and reactivate bins; anyone here prints bin labels on the station's label
printer or saves a PDF sheet of them.

The filter box narrows the table to rows holding its text; a scanned bin label (a wedge's
typing + Enter, or a scan from another scanner: ``take_scan``) selects that bin exactly.
Actions run the use cases (``app.bins``, ``app.labels``) in the background as the
signed-in person; the list reloads after each change and whenever the bins or the stock
changed elsewhere (``watches``). Refusals are said in words on the status line, cleared on
sign-in and sign-out and when another bin is selected. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRegularExpression, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.roles import Permission
from fulfilstation.domain.words import plural
from fulfilstation.ports import ScanValue
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.bins import BinFields, BinInfo
from fulfilstation.services.labels import LabelsPrinted
from fulfilstation.services.refused import Refused
from ui.bins.dialogs import BinForm
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, GREEN, GREY, RED
from ui.widgets.fit_columns import fit_columns
from ui.widgets.import_dialog import ImportDialog, bins_import_dialog
from ui.widgets.row_model import SORT_ROLE, Column, RowModel
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background
from ui.workspace.screen import Screen

COLUMNS: tuple[Column[BinInfo], ...] = (
    Column("Code", lambda b: b.code), Column("Zone", lambda b: b.zone), Column("Aisle", lambda b: b.aisle or ""),
    Column("Bay", lambda b: b.bay or ""), Column("Level", lambda b: b.level or ""),
    Column("Seq", lambda b: str(b.pick_sequence), lambda b: b.pick_sequence), Column("Kind", lambda b: b.kind),
    Column("Active", lambda b: "yes" if b.active else "no"),
    Column("Units", lambda b: str(b.units), lambda b: b.units),  # units held
)
FLEXIBLE = (1,)  # zone: the rest of the width (zones are short; a long one is cut, whole in its tooltip)
BUTTONS_PER_ROW = 4


class BinsScreen(Screen):
    title = "Bins"
    permission = Permission.EDIT_CATALOG  # managers and owners look and print; owners edit (EDIT_BINS)
    watches = frozenset({"bins", "stock_levels"})

    def __init__(self, app: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.import_dialog: ImportDialog | None = None
        self.busy = False  # a use case is running: a second click (a double-click) does nothing
        self.ask: Callable[[QDialog], bool] = lambda form: bool(form.exec())  # tests answer the form
        self.model: RowModel[BinInfo] = RowModel(COLUMNS, lambda b: None if b.active else GREY)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("binFilter")
        self.filter.setPlaceholderText("Filter, or scan a bin label")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self._entered)
        self.table = QTableView(self)
        self.table.setObjectName("bins")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        self.table.verticalHeader().setVisible(False)
        fit_columns(self.table, FLEXIBLE)
        self.paper = QComboBox(self)
        self.paper.addItems(["Letter", "A4"])
        self.status = StatusLine(self)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for index, (key, text, action) in enumerate((
                ("add", "Add…", self.add), ("edit", "Edit…", self.edit), ("active", "Deactivate", self.toggle_active),
                ("print", "Print labels", self.print_labels), ("sheet", "Save label sheet (PDF)", self.save_sheet),
                ("import", "Import…", self.open_import))):
            button = QPushButton(text, self)
            button.clicked.connect(action)
            place = index + (1 if key == "import" else 0)  # the paper choice sits beside the sheet's button
            grid.addWidget(button, place // BUTTONS_PER_ROW, place % BUTTONS_PER_ROW)
            self.buttons[key] = button
        self.paper.setToolTip("The paper the label sheet is laid out for")
        self.paper.setAccessibleName("Paper")
        grid.addWidget(self.paper, 1, 1)  # its own cell, beside "Save label sheet (PDF)"
        grid.setColumnStretch(BUTTONS_PER_ROW, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._enable())
        self._enable()

    # -- loading

    def refresh(self) -> None:
        run_in_background(self.app.bins.list, self._loaded, lambda exc: self.status.say(refusal_text(exc), RED),
                          owner=self)

    def _loaded(self, bins: list[BinInfo]) -> None:
        chosen = [b.code for b in self.selected()]
        self.model.set_rows(bins)
        fit_columns(self.table, FLEXIBLE)
        for code in chosen:
            self._select_row(code, add=True)
        self._enable()

    def selected(self) -> list[BinInfo]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.row(self.proxy.mapToSource(self.proxy.index(row, 0)).row()) for row in rows]

    def _filter(self, text: str) -> None:
        self.proxy.setFilterRegularExpression(QRegularExpression(QRegularExpression.escape(text.strip()),
                                              QRegularExpression.PatternOption.CaseInsensitiveOption))

    def _entered(self) -> None:
        """Enter in the filter box (a wedge's scan ends so): select that bin; the next scan
        replaces the text rather than being appended to it."""
        self.select_code(self.filter.text())
        self.filter.selectAll()

    def take_scan(self, value: ScanValue) -> None:
        """A scanned bin label (from a scanner that is not a wedge): select that bin."""
        self.select_code(value.text)

    def select_code(self, text: str) -> None:
        """Select the bin whose code is ``text`` (exactly, else ignoring case) and show only it."""
        code = text.strip()
        if not code:
            return
        codes = {b.code: b.code for b in self.model.rows()}
        found = codes.get(code) or next((c for c in codes if c.lower() == code.lower()), None)
        if self.filter.text() != code:
            self.filter.setText(code)
        if found is None:
            self.status.say(f"No bin has the code {code!r}.", RED)
            return
        self.table.clearSelection()
        self._select_row(found, add=False)

    def _select_row(self, code: str, *, add: bool) -> None:
        for row in range(self.proxy.rowCount()):
            if self.model.row(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).code == code:
                if add:
                    self.table.selectionModel().select(
                        self.proxy.index(row, 0), self.table.selectionModel().SelectionFlag.Select
                        | self.table.selectionModel().SelectionFlag.Rows)
                else:
                    self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                return

    def forget_messages(self) -> None:
        self.status.forget()

    def set_actor(self, actor: Actor | None) -> None:
        super().set_actor(actor)
        self._enable()

    def _enable(self) -> None:
        chosen = self.selected()
        self.status.selection_is(tuple(b.code for b in chosen) or None)
        owner = self.actor is not None and self.actor.may(Permission.EDIT_BINS) and not self.busy
        self.buttons["add"].setEnabled(owner)
        self.buttons["import"].setEnabled(owner)
        self.buttons["edit"].setEnabled(owner and len(chosen) == 1)
        self.buttons["active"].setEnabled(owner and len(chosen) == 1)
        self.buttons["active"].setText("Reactivate" if len(chosen) == 1 and not chosen[0].active else "Deactivate")
        self.buttons["print"].setEnabled(bool(chosen) and not self.busy)
        self.buttons["sheet"].setEnabled((self.proxy.rowCount() > 0 or bool(chosen)) and not self.busy)

    # -- actions: ask, then run the use case as the signed-in person

    def open_import(self) -> None:
        """The bin import dialog (preview, progress, report) as the signed-in owner; the list
        reloads when an import has changed something."""
        if self.actor is None:
            return
        dialog = bins_import_dialog(self.app, self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(lambda _report: self.refresh())
        self.import_dialog = dialog
        dialog.open()

    def add(self, typed: BinFields | None = None, refusal: str = "") -> None:
        """Ask for a new bin; a refusal opens the form again with what was typed and why."""
        form = BinForm(self, typed=typed, message=refusal)
        if self.ask(form):
            fields = form.fields()
            self._run(f"Adding bin {fields.code}…", lambda who: self.app.bins.add(who, fields),
                      retry=lambda why: self.add(fields, why))

    def edit(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or self.actor is None or not self.actor.may(Permission.EDIT_BINS):
            return
        self._edit(chosen[0])

    def _edit(self, existing: BinInfo, typed: BinFields | None = None, refusal: str = "") -> None:
        form = BinForm(self, existing, typed=typed, message=refusal)
        if self.ask(form):
            fields, code = form.fields(), existing.code
            self._run(f"Saving bin {code}…", lambda who: self.app.bins.edit(who, code, fields),
                      retry=lambda why: self._edit(existing, fields, why))

    def toggle_active(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1:
            return
        found = chosen[0]
        use = self.app.bins.reactivate if not found.active else self.app.bins.deactivate
        self._run(f"{'Reactivating' if not found.active else 'Deactivating'} bin {found.code}…",
                  lambda who: use(who, found.code))

    def print_labels(self) -> None:
        codes = [b.code for b in self.selected()]
        if codes:
            self._run(f"Printing {plural(len(codes), 'bin label')}…",
                      lambda who: self.app.labels.print_bin_labels(who, codes))

    def save_sheet(self) -> None:
        codes = [b.code for b in self.selected()] or [self.model.row(self.proxy.mapToSource(
            self.proxy.index(row, 0)).row()).code for row in range(self.proxy.rowCount())]
        paper = self.paper.currentText().lower()
        if not codes or self.busy:
            return
        self.status.say(f"Saving a sheet of {plural(len(codes), 'bin label')}…", AMBER)
        self._set_busy(True)
        run_in_background(lambda: self.app.labels.save_bin_label_sheet(codes, paper=paper), self._saved,
                          self._failed, owner=self)

    def _saved(self, path: object) -> None:
        self._set_busy(False)
        self.status.say(f"Label sheet saved to {path}.", GREEN)

    def _run(self, doing: str, job: Callable[[Any], object], retry: Callable[[str], None] | None = None) -> None:
        """``job`` as the signed-in person; a refusal is said, and (``retry``) the form that
        asked opens again with what was typed, so nothing has to be typed twice."""
        who = self.actor
        if who is None:
            self.status.say("Sign in first.", RED)
            return
        if self.busy:
            return
        self.status.say(doing, AMBER)
        self._set_busy(True)

        def failed(exc: Exception) -> None:
            self._failed(exc)
            if retry is not None and isinstance(exc, Refused) and self.actor is who and self.isVisible():
                retry(refusal_text(exc))

        run_in_background(lambda: job(who), self._done, failed, owner=self)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._enable()

    def _done(self, result: object) -> None:
        self._set_busy(False)
        if isinstance(result, LabelsPrinted):
            self.status.say(result.message, GREEN)
            return
        if isinstance(result, BinInfo):
            state = "" if result.active else " (inactive)"
            self.status.say(f"Saved: bin {result.code}{state}.", GREEN)
            self.refresh()

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self.status.say(refusal_text(exc), RED)
