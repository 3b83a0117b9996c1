"""The Stock screen (everyone signed in; adjusting is a manager's or owner's): stock levels
per product × bin × lot, the ledger of the selected level, moving stock with a scanner, and
the Adjust dialog.

* The filter box narrows the levels as one types (after a pause), at once on Enter — so a
  wedge scan into it filters: a product barcode (a case GTIN too) to that product, a bin
  label to that bin; other text matches SKU, name, bin or lot. Columns sort on a click;
  the line under the table totals what is shown.
* Selecting a level shows its ledger below (newest first, each change signed for its bin).
* The Move panel (``move_panel.MovePanel``) is driven by the scanner alone: bin → items →
  bin; a scanner that is not a wedge hands its scans to it while a move is under way or
  its scan box has the focus, else to the filter box.
* Adjust… (managers and owners; ``Permission.ADJUST_STOCK``) opens ``AdjustDialog`` for the
  selected level; the use case checks again.

Never blocks: every call runs through ``run_in_background``; an answer to an older filter
is dropped. Rows are ``StockRow`` and ``LedgerEntry`` values. Threading: GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.roles import Permission
from fulfilstation.domain.words import plural
from fulfilstation.ports import ScanValue
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.refused import Refused
from fulfilstation.services.stock import Adjusted, LedgerEntry, Moved, StockFilter, StockRow
from ui.station.manager_sign_in import refusal_text
from ui.stock.adjust_dialog import AdjustDialog, Adjustment
from ui.stock.model import LEDGER_FLEXIBLE, NAME_COLUMN, ledger_columns, levels_model, sorting_proxy
from ui.stock.move_panel import MovePanel, WrappedStatus
from ui.style import AMBER, GREEN, RED
from ui.widgets.fit_columns import fit_columns
from ui.widgets.fit_text import let_wrap
from ui.widgets.row_model import RowModel
from ui.worker import run_in_background
from ui.workspace.screen import Screen

FILTER_PAUSE_MS = 350
LIMIT = 5000
LEDGER_LIMIT = 200
SoundSink = Callable[[str], None]


@dataclass(frozen=True)
class _Loaded:
    generation: int
    text: str | None
    rows: tuple[StockRow, ...]


class StockScreen(Screen):
    title = "Stock"
    permission = Permission.MOVE_STOCK  # everyone signed in
    watches = frozenset({"stock_levels", "stock_moves", "allocations", "products", "bins", "product_barcodes"})

    def __init__(self, app: AppServices, parent: QWidget | None = None, *, play: SoundSink | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.play = play
        self.sounds: list[str] = []  # every sound asked for, in order (tests, diagnostics)
        self.dialog: AdjustDialog | None = None
        self.busy = False
        self._generation = 0
        self._selected: tuple[str, str, str] | None = None
        self._loaded_rows: _Loaded | None = None
        self.sort_words = ""
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(FILTER_PAUSE_MS)
        self._pause.timeout.connect(self.refresh)
        self._build()
        self._update_actions()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.filter = QLineEdit(self)
        self.filter.setObjectName("stockFilter")
        self.filter.setPlaceholderText("Filter: SKU, name, bin or lot — or scan a product or a bin label")
        self.filter.setClearButtonEnabled(True)
        self.filter.textEdited.connect(lambda _text: self._pause.start())
        self.filter.returnPressed.connect(self.filter_now)
        self.refresh_button = QPushButton("Re&fresh", self)
        self.refresh_button.clicked.connect(self.refresh)
        self.adjust_button = QPushButton("&Adjust…", self)
        self.adjust_button.clicked.connect(self.open_adjust)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.adjust_button)
        self.model = levels_model()
        self.model.setParent(self)
        self.proxy = sorting_proxy(self.model, self)
        self.table = self._table(self.proxy, "stockLevels")
        self.table.horizontalHeader().setSortIndicatorShown(False)  # its room goes to the columns: the
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sorted)  # totals line says the order
        fit_columns(self.table, {NAME_COLUMN})
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._selection_changed())
        self.ledger_model: RowModel[LedgerEntry] = RowModel(ledger_columns(""))
        self.ledger_model.setParent(self)
        self.ledger_proxy = sorting_proxy(self.ledger_model, self)
        self.ledger = self._table(self.ledger_proxy, "stockLedger")
        fit_columns(self.ledger, LEDGER_FLEXIBLE)
        self.ledger_title = QLabel("Select a level to see its stock moves.", self)
        self.totals = let_wrap(QLabel("", self))
        self.totals.setObjectName("hint")
        self.status = WrappedStatus(self)
        self.status.setObjectName("stockStatus")
        self.move_panel = MovePanel(self.app, self)
        self.move_panel.moved.connect(self._moved)
        self.move_panel.sound.connect(self._sound)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.ledger_title)
        lower_layout.addWidget(self.ledger, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 2)  # the levels get most of the height; the ledger shows a few rows
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.status)
        layout.addWidget(self.move_panel)

    def _table(self, proxy: object, name: str) -> QTableView:
        table = QTableView(self)
        table.setObjectName(name)
        table.setModel(proxy)  # type: ignore[arg-type]
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        return table

    # ------------------------------------------------------------------ the Screen contract
    def set_actor(self, actor: Actor | None) -> None:
        self.actor = actor
        self.move_panel.set_actor(actor)
        self._update_actions()

    def forget_messages(self) -> None:
        self.status.forget()
        self.move_panel.status.forget()

    def take_scan(self, value: ScanValue) -> None:
        """A scanner's scan (not a wedge's): the move under way takes it, else the filter —
        not while the Adjust dialog (or another) is open: it would be moved behind it."""
        if self.dialog is not None or QApplication.activeModalWidget() is not None:
            return
        if self.move_panel.active or self.move_panel.scan_box.hasFocus():
            self.move_panel.scan(value.text)
            return
        self.filter.setText(value.text)
        self.filter_now()

    def shown(self) -> None:
        self.move_panel.scan_box.setFocus()
        self.refresh()

    # ------------------------------------------------------------------ loading
    def filter_now(self) -> None:
        self._pause.stop()
        self.filter.selectAll()  # Enter ended a scan: the next scan replaces it, not appends to it
        self.refresh()

    def refresh(self) -> None:
        self._pause.stop()
        self._generation += 1
        generation, text, stock = self._generation, self.filter.text().strip() or None, self.app.stock

        def load() -> _Loaded:
            return _Loaded(generation, text, tuple(stock.levels(StockFilter(text=text, limit=LIMIT))))

        self.totals.setText("Loading…")
        run_in_background(load, self._loaded, lambda exc: self._load_failed(generation, exc), owner=self)

    def _loaded(self, loaded: _Loaded) -> None:
        if loaded.generation != self._generation:
            return
        keep = self._selected
        self.model.set_rows(loaded.rows)
        self._loaded_rows = loaded
        self._show_totals()
        keys = [row.key for row in loaded.rows]
        if keep in keys:
            self._select(keys.index(keep))  # selectionChanged reloads its ledger
        elif loaded.text and loaded.rows:
            self._select(0)
        else:
            self._selection_changed()

    def _sorted(self, column: int, order: Qt.SortOrder) -> None:
        if 0 <= column < self.model.columnCount():
            header = str(self.model.headerData(column, Qt.Orientation.Horizontal)).replace("-\n", "").replace("\n", " ")
            self.sort_words = f" · sorted by {header.lower()} {'↑' if order == Qt.SortOrder.AscendingOrder else '↓'}"
        self._show_totals()

    def _show_totals(self) -> None:
        if self._loaded_rows is not None:
            self.totals.setText(_totals_words(self._loaded_rows) + self.sort_words)

    def _load_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.totals.setText("")
            self.status.say(refusal_text(exc), RED)

    def _load_ledger(self, row: StockRow) -> None:
        stock = self.app.stock
        self.ledger_title.setText(f"Stock moves of {row.sku} in {row.bin}{f' lot {row.lot}' if row.lot else ''}:")
        run_in_background(lambda: stock.moves(row.sku, row.bin, row.lot, LEDGER_LIMIT),
                          lambda entries: self._ledger_loaded(row, entries),
                          lambda exc: self.status.say(refusal_text(exc), RED), owner=self)

    def _ledger_loaded(self, row: StockRow, entries: list[LedgerEntry]) -> None:
        if self.selected() != row:
            return
        self.ledger_model.columns = ledger_columns(row.bin)
        self.ledger_model.set_rows(entries)

    # ------------------------------------------------------------------ acting
    def open_adjust(self) -> None:
        row, actor = self.selected(), self.actor
        if row is None or actor is None or not actor.may(Permission.ADJUST_STOCK) or self.dialog is not None:
            return
        dialog = AdjustDialog(row, self)
        dialog.submitted.connect(lambda value: self._adjust(dialog, row, value))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _adjust(self, dialog: AdjustDialog, row: StockRow, value: object) -> None:
        actor, stock = self.actor, self.app.stock
        if actor is None or not isinstance(value, Adjustment):
            return
        dialog.set_busy(True)
        run_in_background(lambda: stock.adjust(actor, row.sku, row.bin, value.reason, set_to=value.set_to,
                                               by=value.by, lot=row.lot or None, write_off=value.write_off),
                          lambda done: self._adjusted(dialog, done),
                          lambda exc: self._adjust_failed(dialog, exc), owner=self)

    def _adjusted(self, dialog: AdjustDialog, done: Adjusted) -> None:
        dialog.set_busy(False)
        dialog.accept()
        kind = "written off" if done.reason == "scrap" else "adjusted"
        self.status.say(f"{done.sku} in {done.bin} {kind}: {done.before} → {done.after} on hand ({done.change:+d}). "
                        f"Reason: {done.note}", GREEN)
        self.refresh()

    def _adjust_failed(self, dialog: AdjustDialog, exc: Exception) -> None:
        dialog.set_busy(False)
        dialog.say(refusal_text(exc), AMBER if isinstance(exc, Refused) else RED)

    def _dialog_closed(self, dialog: AdjustDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _moved(self, _moved: tuple[Moved, ...]) -> None:
        self.refresh()

    def _sound(self, name: str) -> None:
        self.sounds.append(name)
        if self.play is not None:
            self.play(name)

    # ------------------------------------------------------------------ selection
    def selected(self) -> StockRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def _select(self, source_row: int) -> None:
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().select(index, flags)
        self.table.scrollTo(index)

    def _selection_changed(self) -> None:
        row = self.selected()
        if row is not None and row.key != self._selected:
            self._selected = row.key
            self.status.selection_is(row.key)
        if row is not None:
            self._load_ledger(row)
        else:
            self.ledger_model.set_rows([])
            self.ledger_title.setText("Select a level to see its stock moves.")
        self._update_actions()

    def _update_actions(self) -> None:
        actor, row = self.actor, self.selected()
        may_adjust = actor is not None and actor.may(Permission.ADJUST_STOCK)
        self.adjust_button.setVisible(may_adjust)
        self.adjust_button.setEnabled(may_adjust and row is not None)


def _totals_words(loaded: _Loaded) -> str:
    rows = loaded.rows
    if not rows:
        return "No stock yet." if loaded.text is None else f"No stock matches {loaded.text!r}."
    on_hand = sum(row.on_hand for row in rows)
    reserved = sum(row.reserved for row in rows)
    products = len({row.sku for row in rows})
    more = f" (the first {LIMIT}: filter to see others)" if len(rows) == LIMIT else ""
    return (f"{plural(len(rows), 'level')} of {plural(products, 'product')}{more}: {on_hand} on hand, "
            f"{reserved} reserved, {on_hand - reserved} available")
