"""The manager's Orders screen: find orders, open one, hold, release, cancel it or change
where it ships.

* The search box finds orders by number, shop id, customer, SKU, product barcode or
  tracking number as one types (after a short pause), at once on Enter — so a scan into
  it searches, and a scan that finds exactly one order opens it. A scanner that is not a
  keyboard wedge hands its scans here (``take_scan``) while the screen is shown. Filters:
  status, hold, ship-by (late / today / later) and carrier. Columns sort on a click.
* Double-click or Enter opens the order in the detail pane (lines, reservations, scans,
  shipments, holds, history). Ctrl+F goes back to the search box; ↓ from it to the list.
* Reserve (stock for a pending order: ready when all its units are reserved, else the status
  line says which SKUs are short, nothing reserved). Re-check (``IMPORT_ORDERS``) runs the
  intake checks again on a pending or ready order (its Problems tab says why it is held;
  a backorder shows as "Backorder", and the status filter finds them).
* Hold…, Release, Cancel order…, Edit address… and Release pack… (an order being packed
  at a station that stopped: its open pack is closed, the order is ready again) act on
  the selected order: they ask
  what they need (a reason, the address), then call ``app.orders`` as the signed-in actor
  in the background ("Working…"); a refusal is shown in words in the dialog, which stays
  open to try again. Buttons follow the actor's permissions; the use cases check anyway.
* The status line (``StatusLine``) says what the last change did; it is cleared on sign-in
  and sign-out and when another order is selected.

Never blocks: every service call runs through ``run_in_background``; stale search results
(an older search finishing after a newer one) are dropped. Threading: GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.address import Address
from fulfilstation.domain.roles import Permission
from fulfilstation.domain.words import plural
from fulfilstation.ports import ScanValue
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.orders import OrderDetail, OrderSummary, Rechecked, ReserveOutcome
from fulfilstation.services.refused import Refused
from ui.orders.columns import hidden_columns
from ui.orders.detail_pane import OrderDetailPane
from ui.orders.dialogs import AddressDialog, AskDialog, ReasonDialog
from ui.orders.import_dialog import OrdersImportDialog, orders_import_dialog
from ui.orders.model import HEADERS, OrdersProxy, orders_model
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, GREEN, RED
from ui.widgets.fit_columns import fit_columns
from ui.widgets.fit_text import ElidedLabel
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background
from ui.workspace.screen import Screen

SEARCH_PAUSE_MS = 350
LIMIT = 500
STATUSES = (("Any status", None), ("Pending", "pending"), ("Ready", "ready"), ("Being packed", "packing"),
            ("Shipped", "shipped"), ("Cancelled", "cancelled"), ("Backorder", "backorder"))
HOLDS = (("Held or not", None), ("On hold", True), ("Not on hold", False))
SHIP_BY = (("Any ship-by", None), ("Late", "late"), ("Due today", "today"), ("Later", "later"))
#: The dashboard's filters this screen knows (``show_filter``): name → (status, hold, ship-by) chosen.
NAMED_FILTERS: dict[str, tuple[str | None, bool | None, str | None]] = {
    "hold": (None, True, None), "held": (None, True, None), "holds": (None, True, None),
    "packing": ("packing", None, None), "stuck": ("packing", None, None),
    "stuck-pack-sessions": ("packing", None, None), "pack-sessions": ("packing", None, None),
    "late": (None, None, "late"), "due-today": (None, None, "today"), "backorder": ("backorder", None, None),
}
#: The columns that share what the short ones leave (cut with "…", whole in the tooltip).
FLEXIBLE = frozenset({HEADERS.index("Hold"), HEADERS.index("Customer"), HEADERS.index("Service"),
                      HEADERS.index("Tracking")})
# Sized for a 1280×800 screen beside the navigation and the simulator panel: the list keeps
# about ten rows with an order open below it; larger screens show more rows, not larger type.
LOOK = """
QLineEdit#orderSearch { font-size: 17pt; padding: 4px; }
QLabel#orderTitle { font-size: 16pt; font-weight: 700; }
QLabel#orderShipTo { font-size: 13pt; }
QLabel#orderStatus, QLabel#orderDialogStatus { font-size: 15pt; }
QTableView#orders { font-size: 14pt; }
QTabWidget#orderTabs QTableView { font-size: 13pt; }
QTabWidget#orderTabs QTabBar::tab { font-size: 13pt; padding: 4px 8px; }
"""


class OrdersTable(QTableView):
    """The list: Enter opens the current order, as a double-click does; ``resized`` says its
    new width (the columns shown depend on it)."""

    open_requested = Signal(QModelIndex)
    resized = Signal(int)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.resized.emit(event.size().width())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class OrdersScreen(Screen):
    title = "Orders"
    permission = Permission.MANAGE_ORDERS
    watches = frozenset({"orders", "order_lines", "allocations", "pack_sessions", "scan_events", "shipments"})

    def __init__(self, app: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.busy = False
        self.dialog: AskDialog | None = None
        self._generation = 0  # of the latest search: older answers are dropped
        self._open_single = False  # the search came from Enter or a scan: open a single hit
        self._carriers_loaded = False
        self.setStyleSheet(LOOK)
        self.model = orders_model()
        self.proxy = OrdersProxy(self.model)
        self._build()
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._pause.timeout.connect(self.refresh)
        self.search.textEdited.connect(lambda _text: self._pause.start())
        self.search.returnPressed.connect(self.search_now)
        for combo in self.filters:
            combo.currentIndexChanged.connect(lambda _index: self.refresh())
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._update_buttons()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setObjectName("orderSearch")
        self.search.setPlaceholderText("Search: order number, customer, SKU, barcode or tracking number — or scan it")
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.status_filter = self._combo(STATUSES, "Status")
        self.hold_filter = self._combo(HOLDS, "Hold")
        self.ship_by_filter = self._combo(SHIP_BY, "Ship-by day")
        self.carrier_filter = self._combo((("Any carrier", None),), "Carrier")
        self.filters = (self.status_filter, self.hold_filter, self.ship_by_filter, self.carrier_filter)
        self.refresh_button = QPushButton("Re&fresh", self)
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()  # the search box on its own row; the filters below it, each showing its whole choice
        top.addWidget(self.search, 1)
        top.addWidget(self.refresh_button)
        filter_row = QHBoxLayout()
        for combo in self.filters:
            filter_row.addWidget(combo)
        self.table = OrdersTable(self)
        self.table.setObjectName("orders")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # as the search ranks them until a header is clicked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        fit_columns(self.table, FLEXIBLE)  # no sideways scrolling: long names are cut, whole in the tooltip
        self.table.doubleClicked.connect(self.open_index)
        self.table.open_requested.connect(self.open_index)
        self.table.resized.connect(lambda _width: self._show_columns())
        self.table.selectionModel().currentRowChanged.connect(lambda *_args: self._selection_changed())
        self.count = ElidedLabel("", self)  # "First 500 orders: narrow the search…" never widens the window
        self.count.setObjectName("hint")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.detail = OrderDetailPane(self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)  # both tables are wide: the list above, the order below
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)  # the list gets most of the height; the detail pane is a glance
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 100])  # nothing open yet: the pane is a line of help under the list
        self.splitter = splitter
        splitter.setChildrenCollapsible(False)  # the detail's tabs keep their rows (``detail_pane.TABS_MIN_HEIGHT``)
        self.hold_button = self._button("&Hold…", self.hold)
        self.release_button = self._button("&Release", self.release)
        self.cancel_button = self._button("Cance&l…", self.cancel)
        self.cancel_button.setToolTip("Cancel the selected order (a reason is asked)")
        self.address_button = self._button("&Address…", self.edit_address)
        self.address_button.setToolTip("Change where the selected order ships")
        self.release_pack_button = self._button("Release &pack…", self.release_pack)
        self.reserve_button = self._button("Re&serve", self.reserve)
        self.reserve_button.setToolTip("Reserve stock for the selected pending order (kits: their components)")
        self.recheck_button = self._button("Re-chec&k", self.recheck)
        self.recheck_button.setToolTip("Run the intake checks again on the selected order (after its product was "
                                       "added or its address fixed): an intake hold whose problems are gone is "
                                       "released")
        self.import_button = self._button("&Import…", self.open_import)
        self.import_button.setToolTip("Orders from Shopify's order export, a generic order CSV or any CSV through a "
                                      "saved column mapping")
        self.import_dialog: OrdersImportDialog | None = None
        buttons = QHBoxLayout()  # what to do with the selected order, in one row (short labels: 1280 px)
        for button in (self.hold_button, self.release_button, self.cancel_button, self.address_button,
                       self.release_pack_button, self.reserve_button):
            buttons.addWidget(button)
        top.insertWidget(1, self.recheck_button)  # the row of changes is full at 1280 px: the search box gives way
        buttons.addStretch(1)
        filter_row.addWidget(self.count, 1)  # "50 orders" beside the filters: a row less above the list
        top.addWidget(self.import_button)
        self.status = StatusLine(self)
        self.status.setObjectName("orderStatus")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filter_row)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def _combo(self, choices: tuple[tuple[str, Any], ...], name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # never "Any statu"
        for label, value in choices:
            combo.addItem(label, value)
        return combo

    def _button(self, text: str, action: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(action)
        return button

    # ------------------------------------------------------------------ Screen

    def set_actor(self, actor: Actor | None) -> None:
        self.actor = actor
        self._update_buttons()

    def forget_messages(self) -> None:
        self.status.forget()

    def show_filter(self, name: str | None) -> None:
        """A dashboard exception's list (``NAMED_FILTERS``: orders on hold, being packed — a stuck
        pack session's order is being packed —, late …): the search emptied, the filters set
        (the carrier back to any); the list loads when the screen is shown."""
        chosen = NAMED_FILTERS.get((name or "").strip().lower().replace("_", "-"))
        if chosen is None:
            return
        self.search.clear()
        status, hold, ship_by = chosen
        for combo, value in zip(self.filters, (status, hold, ship_by, None), strict=True):
            combo.blockSignals(True)  # one load, when shown
            combo.setCurrentIndex(max(0, combo.findData(value)) if value is not None else 0)
            combo.blockSignals(False)

    def shown(self) -> None:
        self.refresh()
        self.focus_search()
        if not self._carriers_loaded:
            run_in_background(self.app.carriers.list, self._carriers, lambda _exc: None, owner=self)

    def take_scan(self, value: ScanValue) -> None:
        """A scan (from a scanner that is not a wedge): search for it; one hit opens."""
        if self.dialog is not None:
            return
        self.search.setText(value.text.strip())
        self.search_now()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt API
        """↓ in the search box goes to the list."""
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Down and self.proxy.rowCount() > 0:
            self.table.setFocus()
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ searching

    def search_now(self) -> None:
        self._pause.stop()
        self._open_single = True
        self.refresh()

    def refresh(self) -> None:
        self._generation += 1
        generation, orders = self._generation, self.app.orders
        text = self.search.text().strip() or None
        status, hold, ship_by, carrier = (combo.currentData() for combo in self.filters)
        self.count.setText("Searching…")
        run_in_background(lambda: orders.search(text, status, hold, ship_by, carrier, LIMIT),
                          lambda rows: self._found(generation, rows), lambda exc: self._search_failed(generation, exc),
                          owner=self)

    def _found(self, generation: int, rows: list[OrderSummary]) -> None:
        if generation != self._generation:
            return
        keep = self.selected()
        self.model.set_rows(rows)
        self._show_columns()
        shown = f"{plural(len(rows), 'order')}"
        self.count.setText(f"First {shown}: narrow the search to see others." if len(rows) >= LIMIT else shown)
        single, self._open_single = self._open_single and len(rows) == 1, False
        if single:
            self.select(rows[0].number)
            self.open_order(rows[0].number)
        elif keep is not None:
            self.select(keep.number)
        self._update_buttons()

    def _show_columns(self) -> None:
        """Hide the columns that say nothing for these rows, or do not fit (``columns``)."""
        hidden = hidden_columns(self.model.rows(), self.table.width())
        for column in range(self.model.columnCount()):
            self.table.setColumnHidden(column, column in hidden)

    def _search_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self._open_single = False
            self.count.setText("")
            self._say(refusal_text(exc), AMBER if isinstance(exc, Refused) else RED)

    def _carriers(self, carriers: list[Any]) -> None:
        self._carriers_loaded = True
        for carrier in carriers:
            self.carrier_filter.addItem(carrier.name, carrier.code)

    # ------------------------------------------------------------------ the selected and the opened order

    def selected(self) -> OrderSummary | None:
        return self._summary_at(self.table.currentIndex())

    def _summary_at(self, index: QModelIndex) -> OrderSummary | None:
        if not index.isValid():
            return None
        row = self.proxy.mapToSource(index).row()
        return self.model.row(row) if 0 <= row < self.model.rowCount() else None

    def select(self, number: str) -> None:
        row = next((row for row, summary in enumerate(self.model.rows()) if summary.number == number), None)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                                    | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def open_index(self, index: QModelIndex) -> None:
        summary = self._summary_at(index)
        if summary is not None:
            self.open_order(summary.number)

    def open_order(self, number: str, then: Callable[[OrderDetail], None] | None = None) -> None:
        """Show everything about ``number`` in the detail pane (read in the background)."""
        orders = self.app.orders

        def shown(detail: OrderDetail) -> None:
            first = self.detail.detail is None
            self.detail.show_detail(detail)
            if first:  # until now the pane was one line under the list: give it its share
                total = sum(self.splitter.sizes())
                self.splitter.setSizes([total * 3 // 5, total - total * 3 // 5])
            if then is not None:
                then(detail)

        run_in_background(lambda: orders.detail(number), shown,
                          lambda exc: self._say(refusal_text(exc), AMBER if isinstance(exc, Refused) else RED),
                          owner=self)

    # ------------------------------------------------------------------ changes

    def hold(self) -> None:
        summary = self.selected()
        if summary is None or not self._may(Permission.MANAGE_ORDERS):
            return
        number = summary.number
        packing = " It is being packed now: its station will not be able to ship it." \
            if summary.status == "packing" else ""
        dialog = ReasonDialog(f"Hold order {number}", "Hold", f"Order {number} will not be packed or shipped until "
                              f"it is released. The packers see the reason.{packing}", parent=self)
        orders = self.app.orders
        self._ask(dialog, lambda reason: lambda actor: orders.hold(actor, number, str(reason)),
                  lambda held: f"Order {number} is on hold: {held.hold_reason}.")

    def release(self) -> None:
        summary, actor = self.selected(), self.actor
        if summary is None or actor is None or self.busy or not self._may(Permission.MANAGE_ORDERS):
            return
        number, orders = summary.number, self.app.orders
        self._set_busy(True)
        run_in_background(lambda: orders.release(actor, number), lambda released: self._done(
            None, released, f"Order {number} is released: stations can pack it."), self._refused, owner=self)

    def cancel(self) -> None:
        summary = self.selected()
        if summary is None or not self._may(Permission.MANAGE_ORDERS):
            return
        number, orders = summary.number, self.app.orders
        dialog = ReasonDialog(f"Cancel order {number}", "Cancel order", f"Order {number} will never ship: its "
                              "reserved stock goes back on the shelf and the shop is told. This cannot be undone.",
                              parent=self)
        self._ask(dialog, lambda reason: lambda actor: orders.cancel(actor, number, str(reason)),
                  lambda done: f"Order {number} is cancelled; {done.units_released} reserved units released.")

    def reserve(self) -> None:
        """Reserve stock for the selected pending order: ready when all of it is there; else it
        stays pending, nothing reserved, and the status line says which SKUs are short."""
        summary, actor = self.selected(), self.actor
        if summary is None or actor is None or self.busy or not self._may(Permission.MANAGE_ORDERS):
            return
        number, orders = summary.number, self.app.orders
        self._set_busy(True)
        run_in_background(lambda: orders.reserve_stock(actor, [number]),
                          lambda outcomes: self._reserved(outcomes[0]), self._refused, owner=self)

    def recheck(self) -> None:
        """Run the intake checks again on the selected order; the status line says what they
        found and whether the intake hold was released."""
        summary, actor = self.selected(), self.actor
        if summary is None or actor is None or self.busy or not self._may(Permission.IMPORT_ORDERS):
            return
        number, orders = summary.number, self.app.orders
        self._set_busy(True)
        run_in_background(lambda: orders.recheck(actor, number), self._rechecked, self._refused, owner=self)

    def _rechecked(self, outcome: Rechecked) -> None:
        self._done(None, outcome, outcome.message)
        if outcome.hold in ("held", "kept"):
            self._say(outcome.message, AMBER)
        self.open_order(outcome.number)

    def _reserved(self, outcome: ReserveOutcome) -> None:
        self._done(None, outcome, outcome.message)
        if outcome.result != "ready":
            self._say(outcome.message, AMBER)

    def release_pack(self) -> None:
        """Give back the open pack of an order being packed (its station stopped mid-pack)."""
        summary = self.selected()
        if summary is None or not self._may(Permission.MANAGE_ORDERS):
            return
        number, orders = summary.number, self.app.orders
        dialog = ReasonDialog(f"Release the pack of {number}", "Release pack", f"The pack of {number} is closed "
                              "wherever it is open and the order goes back to the queue for any station. Its scans "
                              "stay in the history but are not counted again: the next packer scans every item.",
                              required=False, parent=self)
        self._ask(dialog, lambda reason: lambda actor: orders.release_pack_session(
            actor, number, str(reason or "") or "released by a manager"), lambda done: done.message)

    def edit_address(self) -> None:
        summary = self.selected()
        if summary is None or not self._may(Permission.EDIT_ADDRESS):
            return
        number, detail = summary.number, self.detail.detail
        if detail is None or detail.number != number:
            self.open_order(number, then=lambda opened: self._ask_address(opened))
            return
        self._ask_address(detail)

    def _ask_address(self, detail: OrderDetail) -> None:
        if self.dialog is not None:
            return
        number, orders = detail.number, self.app.orders
        self._ask(AddressDialog(number, detail.ship_to, self),
                  lambda address: lambda actor: orders.set_address(actor, number, address),
                  lambda stored: f"Order {number} now ships to {stored.one_line()}.")

    def _ask(self, dialog: AskDialog, job_for: Callable[[Any], Callable[[Actor], Any]],
             said: Callable[[Any], str]) -> None:
        if self.dialog is not None or self.busy:
            return
        self.dialog = dialog
        dialog.submitted.connect(lambda value: self._run(dialog, job_for(value), said))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _run(self, dialog: AskDialog, job: Callable[[Actor], Any], said: Callable[[Any], str]) -> None:
        actor = self.actor
        if actor is None:
            dialog.say("Sign in first: changes are made as the person signed in.")
            return
        dialog.set_busy(True)
        self._set_busy(True)
        run_in_background(lambda: job(actor), lambda result: self._done(dialog, result, said(result)),
                          lambda exc: self._refused(exc, dialog), owner=self)

    def _done(self, dialog: AskDialog | None, result: Any, sentence: str) -> None:
        self._set_busy(False)
        if dialog is not None:
            dialog.set_busy(False)
            dialog.accept()
        self._say(sentence, GREEN)
        selected = self.selected()
        number = selected.number if selected is not None else None
        self.refresh()
        if number is not None and (self.detail.number == number or isinstance(result, Address)):
            self.open_order(number)

    def _refused(self, exc: Exception, dialog: AskDialog | None = None) -> None:
        self._set_busy(False)
        colour = AMBER if isinstance(exc, Refused) else RED
        if dialog is not None and dialog.isVisible():
            dialog.set_busy(False)
            dialog.say(refusal_text(exc), colour)
        else:
            self._say(refusal_text(exc), colour)

    def _closed(self, dialog: AskDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.table.setFocus()

    # ------------------------------------------------------------------ state

    def _may(self, permission: Permission) -> bool:
        return self.actor is not None and self.actor.may(permission)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        if busy:
            self._say("Working…", AMBER)
        self._update_buttons()

    def _selection_changed(self) -> None:
        summary = self.selected()
        self.status.selection_is(summary.number if summary is not None else None)
        self._update_buttons()

    def open_import(self) -> None:
        """The order import dialog (mapping, preview, progress, report) as the signed-in
        actor; the list refreshes when an import has changed something."""
        if self.actor is None or not self._may(Permission.IMPORT_ORDERS):
            return
        dialog = orders_import_dialog(self.app, self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(lambda _report: self.refresh())
        self.import_dialog = dialog
        dialog.open()

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(self._may(Permission.IMPORT_ORDERS))
        summary = self.selected()
        manage = self._may(Permission.MANAGE_ORDERS) and summary is not None and not self.busy
        self.hold_button.setEnabled(manage and summary is not None and summary.is_open and not summary.hold)
        self.release_button.setEnabled(manage and summary is not None and summary.hold)
        self.cancel_button.setEnabled(manage and summary is not None and summary.is_open)
        self.release_pack_button.setEnabled(manage and summary is not None and summary.status == "packing")
        self.reserve_button.setEnabled(manage and summary is not None and summary.status == "pending")
        self.recheck_button.setEnabled(self._may(Permission.IMPORT_ORDERS) and summary is not None and not self.busy
                                       and summary.status in ("pending", "ready"))
        self.address_button.setEnabled(self._may(Permission.EDIT_ADDRESS) and summary is not None
                                       and summary.is_open and not self.busy)

    def _say(self, text: str, colour: str) -> None:
        self.status.say(text, colour)
