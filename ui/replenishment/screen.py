"""The Replenishment screen (managers and owners): two tabs.

* **Reorder** — the reorder report (SKU, name, supplier, available, on order, reorder
  point, safety stock, forecast per day, method, suggested); the forecasts run off the GUI
  thread while a busy bar shows; Export CSV writes the report shown to the station's
  documents folder; Create purchase orders makes one PO per supplier from the selected
  rows (none selected: every row with a suggested quantity), after asking.
* **Slotting** — Propose (days and limit), the proposals waiting (fastest mover first),
  Accept selected (each a stock move) and Reject selected.

A scan (a wedge typing into the scan box + Enter, or ``take_scan``) of a SKU, a product
barcode or a bin label selects its rows on the tab shown (a barcode is looked up through
``app.stock.identify`` in the background); the accept or refuse sound says whether
anything matched. Every call runs through ``ui.worker`` as the signed-in person; a refusal
is said in words on the tab's status line. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.roles import Permission
from fulfilstation.domain.words import plural
from fulfilstation.ports import ScanValue
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.replenishment import PurchaseOrdersMade, ReorderReport, ReorderRow
from fulfilstation.services.replenishment.forecast import (
    AVERAGE,
    DAILY_AVERAGE,
    HOLT,
    HOLT_WINTERS,
    NO_HISTORY,
    SIMPLE,
)
from fulfilstation.services.slotting import PROPOSAL_LIMIT, VELOCITY_DAYS, AcceptedAll, Proposed, SlottingProposal
from fulfilstation.services.stock import ScanTarget
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, GREEN, RED
from ui.widgets.fit_columns import ElidingDelegate, fit_columns
from ui.widgets.row_model import SORT_ROLE, Column, Index, RowModel
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background
from ui.workspace.screen import Screen

SoundSink = Callable[[str], None]

# The Method column's short words (the whole method and why the row is listed are the row's tooltip).
# At 1280×800 in the house font the table is ~810 px for nine columns: the short words keep the
# method whole and leave the width to the name.
SHORT_METHODS = {HOLT_WINTERS: "weekly", HOLT: "trend", SIMPLE: "smoothed", DAILY_AVERAGE: "1 day",
                 AVERAGE: "average", NO_HISTORY: "none"}
SUPPLIER_MAX_WIDTH = 80  # px: a long supplier is cut (whole in the tooltip) so the name keeps the room

REORDER_COLUMNS: tuple[Column[ReorderRow], ...] = (
    Column("SKU", lambda r: r.sku), Column("Name", lambda r: r.name), Column("Supplier", lambda r: r.supplier or "—"),
    Column("Avail-\nable", lambda r: str(r.available), lambda r: r.available),
    Column("On\norder", lambda r: str(r.on_order), lambda r: r.on_order),
    Column("ROP +\nsafety", lambda r: f"{r.reorder_point} + {r.safety_stock}",
           lambda r: r.reorder_point + r.safety_stock),
    Column("Per\nday", lambda r: f"{r.forecast_per_day:.1f}", lambda r: r.forecast_per_day),
    Column("Method", lambda r: SHORT_METHODS.get(r.method, r.method)),
    Column("Sug-\ngested", lambda r: str(r.suggested), lambda r: r.suggested),
)
REORDER_FLEXIBLE = (1,)  # the name takes the width left; cut with …, whole in the tooltip
REORDER_SUPPLIER = 2
SLOTTING_COLUMNS: tuple[Column[SlottingProposal], ...] = (
    Column("#", lambda p: str(p.id), lambda p: p.id), Column("SKU", lambda p: p.sku), Column("Name", lambda p: p.name),
    Column("From", lambda p: p.from_bin, lambda p: p.from_sequence),
    Column("To", lambda p: p.to_bin, lambda p: p.to_sequence), Column("Lot", lambda p: p.lot),
    Column("Units", lambda p: str(p.quantity), lambda p: p.quantity),
    Column("Shipped", lambda p: str(p.units_shipped), lambda p: p.units_shipped),
)
SLOTTING_FLEXIBLE = (2,)  # name
REORDER_TAB, SLOTTING_TAB = 0, 1


NO_PROPOSALS = ("No moves waiting. Press Propose to rank the fast movers and suggest pickable bins nearer "
                "the packing stations for them.")


def _cap_column(table: QTableView, column: int, widest: int) -> None:
    """Keep ``column`` at most ``widest`` px (never narrower than its header): longer texts are
    cut with … (whole in the tooltip)."""
    table.resizeColumnToContents(column)
    widest = max(widest, table.horizontalHeader().sectionSizeHint(column))
    if table.columnWidth(column) <= widest:
        return
    table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    table.setItemDelegateForColumn(column, ElidingDelegate(table))
    table.setColumnWidth(column, widest)


class ReorderModel(RowModel[ReorderRow]):
    """The reorder rows; each row's tooltip says how it was forecast and why it is listed."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            row = self.row(index.row())
            return f"Forecast: {row.method}, {row.forecast_per_day:.2f} a day.\nListed because: {row.why}."
        return super().data(index, role)


def _table(parent: QWidget, name: str, model: RowModel[Any]) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
    table.verticalHeader().setVisible(False)
    # A header click still sorts; the arrow is left out, or its room in every column would
    # push the ten columns of the reorder report past a 1280×800 screen.
    table.horizontalHeader().setSortIndicatorShown(False)
    # No column sorted until a header is clicked: the rows keep the service's order (the
    # report by supplier, proposals fastest mover first), not Qt's default of column 0 descending.
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    proxy.sort(-1)
    return table, proxy


class ReplenishmentScreen(Screen):
    title = "Replenish"  # the navigation is as wide as its longest name: "Replenishment" widened it
    permission = Permission.REPLENISH
    watches = frozenset({"stock_levels", "stock_moves", "receipts", "receipt_lines", "products", "bins",
                         "slotting_moves"})

    def __init__(self, app: AppServices, parent: QWidget | None = None, *, play: SoundSink | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.play = play
        self.sounds: list[str] = []  # every sound asked for, in order (tests, diagnostics)
        self.busy = False
        self.report: ReorderReport | None = None  # the report shown (what Export CSV writes)
        self.confirm: Callable[[str], bool] = self._ask  # tests answer the question
        self.scan_box = QLineEdit(self)
        self.scan_box.setObjectName("replenishmentScan")
        self.scan_box.setPlaceholderText("Scan or type a SKU, a product barcode or a bin")
        self.scan_box.setClearButtonEnabled(True)
        big = QFont(self.scan_box.font())
        big.setPointSizeF(big.pointSizeF() * 1.3)
        self.scan_box.setFont(big)
        self.scan_box.returnPressed.connect(self._entered)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._reorder_tab(), "Reorder")
        self.tabs.addTab(self._slotting_tab(), "Slotting")
        self.tabs.currentChanged.connect(lambda _index: self._enable())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scan_box)
        layout.addWidget(self.tabs, 1)
        self._enable()

    # ------------------------------------------------------------------ building
    def _reorder_tab(self) -> QWidget:
        tab = QWidget(self)
        self.reorder_model: RowModel[ReorderRow] = ReorderModel(
            REORDER_COLUMNS, lambda r: RED if r.available <= 0 else (AMBER if r.below_reorder_point else None))
        self.reorder_table, self.reorder_proxy = _table(tab, "reorder", self.reorder_model)
        self.reorder_table.selectionModel().selectionChanged.connect(lambda *_args: self._enable())
        self.progress = QProgressBar(tab)
        self.progress.setObjectName("forecastProgress")
        self.progress.setRange(0, 0)  # busy: the forecasts run in one background call
        self.progress.setFormat("Forecasting…")
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.reorder_status = StatusLine(tab)
        self.reorder_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, action in (("refresh", "Refresh report", self.load_report),
                                  ("export", "Export CSV", self.export_csv),
                                  ("order", "Create purchase orders", self.create_purchase_orders)):
            button = QPushButton(text, tab)
            button.clicked.connect(action)
            row.addWidget(button)
            self.reorder_buttons[key] = button
        row.addWidget(self.progress, 1)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(2, 4, 2, 2)  # the ten columns need the width
        layout.addLayout(row)
        layout.addWidget(self.reorder_table, 1)
        layout.addWidget(self.reorder_status)
        return tab

    def _slotting_tab(self) -> QWidget:
        tab = QWidget(self)
        self.slotting_model: RowModel[SlottingProposal] = RowModel(SLOTTING_COLUMNS)
        self.slotting_table, self.slotting_proxy = _table(tab, "slotting", self.slotting_model)
        self.slotting_table.selectionModel().selectionChanged.connect(lambda *_args: self._enable())
        self.days = QSpinBox(tab)
        self.days.setRange(1, 365)
        self.days.setValue(VELOCITY_DAYS)
        self.days.setSuffix(" days")
        self.days.setAccessibleName("Rank by units shipped over")
        self.limit = QSpinBox(tab)
        self.limit.setRange(1, 500)
        self.limit.setValue(PROPOSAL_LIMIT)
        self.limit.setAccessibleName("At most this many moves")
        self.slotting_status = StatusLine(tab)
        self.slotting_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addWidget(QLabel("Shipped over", tab))
        row.addWidget(self.days)
        row.addWidget(QLabel("Moves", tab))
        row.addWidget(self.limit)
        decide = QHBoxLayout()  # a second row: the tab stays narrow enough for 1280×800
        for key, text, action, line in (("propose", "Propose", self.propose, row),
                                        ("accept", "Accept selected", self.accept, decide),
                                        ("reject", "Reject selected", self.reject, decide)):
            button = QPushButton(text, tab)
            button.clicked.connect(action)
            line.addWidget(button)
            self.slotting_buttons[key] = button
        row.addStretch(1)
        decide.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addLayout(decide)
        layout.addWidget(self.slotting_table, 1)
        self.slotting_empty = QLabel(NO_PROPOSALS, tab)
        self.slotting_empty.setObjectName("slottingEmpty")
        self.slotting_empty.setWordWrap(True)
        layout.addWidget(self.slotting_empty)
        layout.addWidget(self.slotting_status)
        return tab

    # ------------------------------------------------------------------ screen
    def set_actor(self, actor: Actor | None) -> None:
        super().set_actor(actor)
        self._enable()

    def forget_messages(self) -> None:
        self.reorder_status.forget()
        self.slotting_status.forget()

    def refresh(self) -> None:
        self.load_report()
        self.load_proposals()

    def load_report(self) -> None:
        self.progress.show()
        run_in_background(self.app.replenishment.report, self._report_loaded, self._report_failed, owner=self)

    def load_proposals(self) -> None:
        run_in_background(self.app.slotting.proposals, self._proposals_loaded,
                          lambda exc: self.slotting_status.say(refusal_text(exc), RED), owner=self)

    def _report_loaded(self, report: ReorderReport) -> None:
        self.progress.hide()
        chosen = {row.sku for row in self.selected_rows()}
        self.report = report
        self.reorder_model.set_rows(list(report.rows))
        fit_columns(self.reorder_table, REORDER_FLEXIBLE)
        _cap_column(self.reorder_table, REORDER_SUPPLIER, SUPPLIER_MAX_WIDTH)
        self._select(self.reorder_table, self.reorder_proxy, self.reorder_model, lambda r: r.sku in chosen)
        self._enable()

    def _report_failed(self, exc: Exception) -> None:
        self.progress.hide()
        self.reorder_status.say(refusal_text(exc), RED)

    def _proposals_loaded(self, proposals: list[SlottingProposal]) -> None:
        chosen = {p.id for p in self.selected_proposals()}
        self.slotting_model.set_rows(proposals)
        self.slotting_empty.setVisible(not proposals)
        fit_columns(self.slotting_table, SLOTTING_FLEXIBLE)
        self._select(self.slotting_table, self.slotting_proxy, self.slotting_model, lambda p: p.id in chosen)
        self._enable()

    # ------------------------------------------------------------------ selection and scans
    def selected_rows(self) -> list[ReorderRow]:
        return self._selected(self.reorder_table, self.reorder_proxy, self.reorder_model)

    def selected_proposals(self) -> list[SlottingProposal]:
        return self._selected(self.slotting_table, self.slotting_proxy, self.slotting_model)

    @staticmethod
    def _selected(table: QTableView, proxy: QSortFilterProxyModel, model: RowModel[Any]) -> list[Any]:
        rows = sorted(index.row() for index in table.selectionModel().selectedRows())
        return [model.row(proxy.mapToSource(proxy.index(row, 0)).row()) for row in rows]

    @staticmethod
    def _select(table: QTableView, proxy: QSortFilterProxyModel, model: RowModel[Any],
                wanted: Callable[[Any], bool]) -> int:
        """Select the rows ``wanted`` says (only those); how many."""
        table.clearSelection()
        selection = table.selectionModel()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        found = 0
        for row in range(proxy.rowCount()):
            if wanted(model.row(proxy.mapToSource(proxy.index(row, 0)).row())):
                selection.select(proxy.index(row, 0), flags)
                if not found:
                    table.scrollTo(proxy.index(row, 0))
                found += 1
        return found

    def _entered(self) -> None:
        """Enter in the scan box (a wedge's scan ends so); the next scan replaces the text."""
        self.select_code(self.scan_box.text())
        self.scan_box.selectAll()

    def take_scan(self, value: ScanValue) -> None:
        self.scan_box.setText(value.text)
        self.select_code(value.text)

    def select_code(self, text: str) -> None:
        """Select the rows of the tab shown whose SKU or bin is ``text`` (any case); a code
        that is neither is looked up as a product barcode in the background."""
        code = text.strip()
        if not code:
            return
        if self._select_matching(code):
            return

        def looked_up(target: ScanTarget) -> None:
            if not self._select_matching(target.code):
                self._say(f"{target.code} is not on this list.", RED)
                self._sound("refuse")

        def unknown(exc: Exception) -> None:
            self._say(f"Nothing on this list matches {code!r}.", RED)
            self._sound("refuse")

        run_in_background(lambda: self.app.stock.identify(code), looked_up, unknown, owner=self)

    def _select_matching(self, code: str) -> bool:
        key = code.lower()
        if self.tabs.currentIndex() == SLOTTING_TAB:
            found = self._select(self.slotting_table, self.slotting_proxy, self.slotting_model,
                                 lambda p: key in (p.sku.lower(), p.from_bin.lower(), p.to_bin.lower()))
        else:
            found = self._select(self.reorder_table, self.reorder_proxy, self.reorder_model,
                                 lambda r: r.sku.lower() == key)
        if found:
            self._sound("accept")
        return bool(found)

    # ------------------------------------------------------------------ actions
    def export_csv(self) -> None:
        report = self.report
        if report is None or self.busy:
            return
        self._run(self.reorder_status, "Saving the reorder report…",
                  lambda _who: self.app.replenishment.export_to_documents(report), needs_actor=False)

    def create_purchase_orders(self) -> None:
        chosen = self.selected_rows()
        rows = [row for row in chosen if row.suggested > 0] if chosen else [
            row for row in self.reorder_model.rows() if row.suggested > 0]
        if not rows:
            self.reorder_status.say("No chosen row has a suggested quantity: nothing to order.", RED)
            return
        suppliers = sorted({row.supplier or "Unknown supplier" for row in rows})
        question = (f"Create {plural(len(suppliers), 'purchase order')} ({', '.join(suppliers)}) for "
                    f"{plural(len(rows), 'product')}, {plural(sum(row.suggested for row in rows), 'unit')}?")
        if not self.confirm(question):
            return
        skus = [row.sku for row in rows]
        self._run(self.reorder_status, "Creating purchase orders…",
                  lambda who: self.app.replenishment.create_purchase_orders(who, skus))

    def propose(self) -> None:
        days, limit = self.days.value(), self.limit.value()
        self._run(self.slotting_status, "Proposing slotting moves…",
                  lambda who: self.app.slotting.propose(who, days=days, limit=limit))

    def accept(self) -> None:
        ids = [p.id for p in self.selected_proposals()]
        if ids:
            self._run(self.slotting_status, f"Accepting {plural(len(ids), 'move')}…",
                      lambda who: self.app.slotting.accept_all(who, ids))

    def reject(self) -> None:
        chosen = self.selected_proposals()
        if len(chosen) == 1:
            move_id = chosen[0].id
            self._run(self.slotting_status, f"Rejecting move {move_id}…",
                      lambda who: self.app.slotting.reject(who, move_id))

    def _run(self, status: StatusLine, doing: str, job: Callable[[Any], object], *,
             needs_actor: bool = True) -> None:
        who = self.actor
        if who is None and needs_actor:
            status.say("Sign in first.", RED)
            return
        if self.busy:
            return
        status.say(doing, AMBER)
        self._set_busy(True)

        def failed(exc: Exception) -> None:
            self._set_busy(False)
            status.say(refusal_text(exc), RED)
            self._sound("refuse")
            self.load_proposals()  # a stale proposal is marked so: show it gone

        run_in_background(lambda: job(who), lambda result: self._done(status, result), failed, owner=self)

    def _done(self, status: StatusLine, result: object) -> None:
        self._set_busy(False)
        if isinstance(result, PurchaseOrdersMade):
            orders = ", ".join(f"{o.number} ({o.supplier})" for o in result.orders)
            skipped = f"; nothing to order for {', '.join(result.skipped)}" if result.skipped else ""
            status.say(f"Created {orders}: receive them on the Receiving screen{skipped}.", GREEN)
            self.load_report()
        elif isinstance(result, AcceptedAll):
            stale = f"; {len(result.stale)} stale: {result.stale[0][1]}" if result.stale else ""
            status.say(f"Accepted {plural(len(result.accepted), 'move')}{stale}", AMBER if stale else GREEN)
            self.load_proposals()
        elif isinstance(result, SlottingProposal):
            status.say(f"Rejected move {result.id}: {result.sku} stays in {result.from_bin}.", GREEN)
            self.load_proposals()
        elif isinstance(result, Proposed):
            count = len(result.proposals)
            status.say(f"Proposed {plural(count, 'move')}." if count else "Nothing to propose: no fast mover sits "
                       "farther than an empty pickable bin.", GREEN)
            self.load_proposals()
        else:
            status.say(f"Reorder report saved to {result}.", GREEN)
        self._sound("accept")

    # ------------------------------------------------------------------ state
    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._enable()

    def _enable(self) -> None:
        may_order = self.actor is not None and self.actor.may(Permission.REPLENISH) and not self.busy
        may_slot = self.actor is not None and self.actor.may(Permission.SLOTTING) and not self.busy
        self.reorder_buttons["export"].setEnabled(self.report is not None and not self.busy)
        self.reorder_buttons["order"].setEnabled(may_order and any(r.suggested > 0 for r in self.reorder_model.rows()))
        self.reorder_buttons["refresh"].setEnabled(not self.busy)
        chosen = self.selected_proposals()
        self.slotting_buttons["propose"].setEnabled(may_slot)
        self.slotting_buttons["accept"].setEnabled(may_slot and bool(chosen))
        self.slotting_buttons["reject"].setEnabled(may_slot and len(chosen) == 1)

    def _say(self, text: str, colour: str) -> None:
        (self.slotting_status if self.tabs.currentIndex() == SLOTTING_TAB else self.reorder_status).say(text, colour)

    def _sound(self, name: str) -> None:
        self.sounds.append(name)
        if self.play is not None:
            self.play(name)

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Create purchase orders", question)
        return answer == QMessageBox.StandardButton.Yes
