"""The manager's Products screen: the catalogue — find a product, see its barcodes,
components and stock, create and edit products, their barcodes and kits, deactivate and
reactivate them.

* The search box finds products by SKU, name or any barcode as one types (after a short
  pause), at once on Enter; a keyboard wedge's scan (typed + Enter) of a barcode selects
  that product and opens it, whatever form the code takes (UPC, EAN, GTIN-14, GS1-128).
  Typing while the table has the focus goes to the search box, so a scan is never lost. A
  scanner that is not a wedge hands its scans here (``take_scan``). Filters: active /
  inactive / all, kits or not. Columns sort on a click.
* New…, Edit…, Add barcode…, Remove barcode, Components… and Deactivate / Reactivate call
  ``app.products`` as the signed-in actor in the background; a refusal is shown in words in
  the dialog, which stays open. Buttons follow the actor's permission (``EDIT_CATALOG``);
  the use cases check anyway. Import… and Export… only ask for the import and export
  dialogs (``import_requested`` / ``export_requested``): the window wires them.

Scale (50,000 products): the first ``FIRST_PAGE`` rows are asked for first and shown as
soon as they arrive; the rest follow in one more background call and are appended. Rows
are formatted off the GUI thread (``model.table_rows``), the model sorts by precomputed
keys, rows have a fixed height and columns are sized once per load, so painting and
scrolling touch only the visible rows. Stale answers (an older search finishing after a
newer one) are dropped.

Threading: GUI thread only; every service call runs through ``run_in_background``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
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
from fulfilstation.services.products import ProductDetail, ProductPage
from fulfilstation.services.refused import Refused
from ui.orders.dialogs import AskDialog
from ui.products.detail_pane import ProductDetailPane
from ui.products.dialogs import BarcodeDialog, ComponentsDialog, ProductDialog
from ui.products.model import HEADERS, ProductsModel, ProductsProxy, TableRow, table_rows
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, GREEN, RED
from ui.widgets.file_dialogs import save_file_name
from ui.widgets.file_places import suggested
from ui.widgets.fit_columns import ElidingDelegate
from ui.widgets.import_dialog import ImportDialog, products_import_dialog
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background
from ui.workspace.screen import Screen

SEARCH_PAUSE_MS = 350
FIRST_PAGE = 200
COLUMN_WIDTH = 300  # px at most, after fitting the first page's text
NAME_WIDTH = 180  # px the name keeps when the other columns are fitted and there is room
NAME_FLOOR = 120  # px the name keeps at least, when the barcodes have given way and it is still too narrow
CELL_PADDING = 14  # px: the style's cell margins and a little air
HEADER_PADDING = 22  # px: the header's padding (6 px a side) and air
ACTIVE = HEADERS.index("Active")  # hidden while only active products are listed (every row would say Yes)
FLEXIBLE = (HEADERS.index("Name"),)
ELIDED = (HEADERS.index("SKU"), HEADERS.index("Name"), HEADERS.index("Barcodes"))  # cut with "…", whole in a tooltip
GIVE_WAY = (HEADERS.index("Barcodes"), HEADERS.index("SKU"))  # too narrow: the barcodes are cut first, the SKU last
STATUSES = (("Active", "active"), ("Inactive", "inactive"), ("Active or not", "all"))
KINDS = (("Kits or not", None), ("Kits", True), ("Not kits", False))
LOOK = """
QLineEdit#productSearch { font-size: 20pt; padding: 6px; }
QLabel#productTitle { font-size: 20pt; font-weight: 700; }
QLabel#productFacts, QLabel#productStatus, QLabel#orderDialogStatus { font-size: 15pt; }
"""
Loaded = tuple[ProductPage, list[TableRow], str]  # the page, its rows, the weight unit they show


class ProductsTable(QTableView):
    """The list: typing here goes to the search box (``search``), so a wedge scan is never
    lost — the first key moves the focus there and every key of the scan, Enter included,
    reaches it; Enter on a selected row (nothing typed) edits it."""

    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search: QLineEdit | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        search = self.search
        text = event.text()
        plain = not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        typing = bool(text) and text.isprintable() and plain
        if search is not None and (typing or not self.hasFocus()):
            if self.hasFocus():
                search.setFocus()
                search.selectAll()  # a new search (or scan) replaces the old one
            QApplication.sendEvent(search, event)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


def _load(products: Any, site: Any, unit: str | None, search: str | None, status: str, kits: bool | None,
          offset: int, limit: int | None) -> Loaded:
    """One page and its table rows, formatted here (a worker thread), not on the GUI thread;
    weights in ``unit`` (None: the site's, asked here)."""
    page: ProductPage = products.list(search, status, kits, "sku", offset, limit)
    unit = unit or site.weight_unit()
    return page, table_rows(page.rows, unit), unit


class ProductsScreen(Screen):
    title = "Products"
    permission = Permission.EDIT_CATALOG
    watches = frozenset({"products", "product_barcodes", "product_components", "stock_levels", "bins"})
    import_requested = Signal()  # the Import… button: the window opens the import dialog
    export_requested = Signal()  # the Export… button: the window opens the export dialog

    def __init__(self, app: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.busy = False
        self.loading = False
        self.dialog: AskDialog | None = None
        self.import_dialog: ImportDialog | None = None
        self._generation = 0
        self._want: str | None = None  # select this SKU when the rows arrive
        self._again = False  # a watched table changed during the load: load again after it
        self.total = 0
        self.unit: str | None = None  # the site's weight unit (the window sets it; else asked with the first load)
        self.setStyleSheet(LOOK)
        self.model = ProductsModel()
        self.proxy = ProductsProxy(self.model)
        self._build()
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._pause.timeout.connect(self.reload)
        self.search.textEdited.connect(lambda _text: self._pause.start())
        self.search.returnPressed.connect(self.search_now)
        for combo in (self.status_filter, self.kind_filter):
            combo.currentIndexChanged.connect(lambda _index: self.reload())
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._update_buttons()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setObjectName("productSearch")
        self.search.setPlaceholderText("Search: SKU, name or barcode — or scan it")
        self.search.setClearButtonEnabled(True)
        self.status_filter = self._combo(STATUSES, "Active")
        self.kind_filter = self._combo(KINDS, "Kits")
        self.import_button = self._button("&Import…", self.open_import)
        self.export_button = self._button("E&xport…", self.open_export)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status_filter)
        top.addWidget(self.kind_filter)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)
        self.table = self._table()
        self.count = QLabel("", self)
        self.count.setObjectName("hint")
        self.detail = ProductDetailPane(self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([560, 340])
        splitter.setChildrenCollapsible(False)
        self.new_button = self._button("&New…", self.new_product)
        self.edit_button = self._button("&Edit…", self.edit_product)
        self.add_barcode_button = self._button("Add &barcode…", self.add_barcode)
        self.remove_barcode_button = self._button("Remove barcode", self.remove_barcode)
        self.components_button = self._button("&Components…", self.edit_components)
        self.active_button = self._button("&Deactivate", self.toggle_active)
        self.detail.add_actions(self.add_barcode_button, self.remove_barcode_button)
        buttons = QHBoxLayout()  # each row narrower than the workspace beside the navigation (1280×800)
        for button in (self.new_button, self.edit_button, self.components_button, self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.status = StatusLine(self)
        self.status.setObjectName("productStatus")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def _table(self) -> ProductsTable:
        table = ProductsTable(self)
        table.setObjectName("products")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # as the service sorts them (SKU) until a click
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in FLEXIBLE:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        delegate = ElidingDelegate(table)
        for column in ELIDED:
            table.setItemDelegateForColumn(column, delegate)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.search = self.search
        table.open_requested.connect(self.edit_product)
        table.doubleClicked.connect(lambda _index: self.edit_product())
        table.selectionModel().currentRowChanged.connect(lambda *_args: self._selection_changed())
        return table

    def _combo(self, choices: tuple[tuple[str, Any], ...], name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
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

    def shown(self) -> None:
        self.reload()
        self.focus_search()

    def take_scan(self, value: ScanValue) -> None:
        """A scan from a scanner that is not a wedge: search for it; its product is selected."""
        if self.dialog is not None:
            return
        self.search.setText(value.text.strip())
        self.search_now()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def open_import(self) -> None:
        """The product import dialog (preview, progress, report) as the signed-in actor; the
        list reloads when an import has changed something."""
        self.import_requested.emit()
        if self.actor is None:
            return
        dialog = products_import_dialog(self.app, self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(lambda _report: self.reload())
        self.import_dialog = dialog
        dialog.open()

    def open_export(self) -> None:
        """Save the whole catalogue as a generic product CSV (it imports back unchanged); the
        file is written in the background, the status line says where."""
        self.export_requested.emit()
        path = save_file_name(self, "Export products", suggested("products.csv"), "CSV (*.csv)")
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        product_files = self.app.product_files

        def write() -> str:
            Path(path).write_bytes(product_files.export_products())
            return path

        self._say(f"Exporting the catalogue to {path}…", AMBER)
        run_in_background(write, lambda done: self._say(f"Exported the catalogue to {done}.", GREEN),
                          lambda error: self._say(f"The catalogue was not exported: {refusal_text(error)}", RED),
                          owner=self)

    # ------------------------------------------------------------------ loading

    def search_now(self) -> None:
        self._pause.stop()
        self.search.selectAll()  # Enter ended a scan (or a search): the next scan replaces it, not appends to it
        self.reload()

    def refresh(self) -> None:
        """Load again because a watched table changed (here or at another station): one load
        at a time — a change during a load reloads once more when it ends, so a busy
        warehouse's stream of stock changes never keeps 50,000 rows from arriving."""
        if self.loading:
            self._again = True
            return
        self.reload()

    def reload(self) -> None:
        """Load what the search and filters ask for now, dropping any load under way."""
        self._again = False
        self._generation += 1
        generation, products = self._generation, self.app.products
        search = self.search.text().strip() or None
        status, kits = self.status_filter.currentData(), self.kind_filter.currentData()
        self.loading = True
        self.count.setText("Loading…")
        self.table.setColumnHidden(ACTIVE, status == "active")
        site, unit = self.app.site, self.unit
        run_in_background(lambda: _load(products, site, unit, search, status, kits, 0, FIRST_PAGE),
                          lambda loaded: self._first(generation, loaded, (search, status, kits)),
                          lambda exc: self._failed(generation, exc), owner=self)

    def _first(self, generation: int, loaded: Loaded, query: tuple[str | None, str, bool | None]) -> None:
        if generation != self._generation:
            return
        page, rows, unit = loaded
        self.unit = self.unit or unit  # the window may have set a newer one meanwhile: it reloads then
        self.detail.unit = unit
        keep = self._want or (self.selected_sku() if page.exact_sku is None else page.exact_sku)
        self.total = page.total
        self.model.set_rows(rows)
        self._fit_columns()
        if keep is not None and not self.select(keep):
            self._want = keep  # beyond the first page: selected again when the rest arrives
        if page.exact_sku is not None and self.detail.sku != page.exact_sku:
            self.open_product(page.exact_sku)
        if len(rows) < page.total:
            products, site, unit = self.app.products, self.app.site, self.unit
            run_in_background(lambda: _load(products, site, unit, *query, len(rows), None),
                              lambda rest: self._rest(generation, rest), lambda exc: self._failed(generation, exc),
                              owner=self)
            self._counted(loading=True)
        else:
            self._done_loading()

    def _rest(self, generation: int, loaded: Loaded) -> None:
        if generation != self._generation:
            return
        self.model.append_rows(loaded[1])
        if self._want is not None:
            self.select(self._want)
        self._done_loading()

    def _done_loading(self) -> None:
        self.loading = False
        self._want = None
        self._counted(loading=False)
        self._update_buttons()
        if self._again:
            self.reload()

    def _counted(self, *, loading: bool) -> None:
        shown = self.model.rowCount()
        more = f" (loading the other {self.total - shown:,}…)" if loading else ""
        self.count.setText(f"{plural(self.total, 'product')}{more}")

    def _fit_columns(self) -> None:
        """Each column as wide as the first page's longest texts, measured with the font
        (a few measurements per column, not Qt's per-cell sampling); the name takes what is
        left, and when that is too little the elided columns (SKU, barcodes) give way."""
        cells, heads = self.table.fontMetrics(), self.table.horizontalHeader().fontMetrics()
        sample = self.model.texts(FIRST_PAGE)
        widths: dict[int, int] = {}
        for column, title in enumerate(HEADERS):
            if column in FLEXIBLE or self.table.isColumnHidden(column):
                continue
            texts = [row[column] for row in sample]
            most = max((len(t) for t in texts), default=0)
            longest = {t for t in texts if len(t) >= most - 2}  # the widest in pixels is among the longest
            text = max((cells.horizontalAdvance(t) for t in longest), default=0) + CELL_PADDING
            widths[column] = min(max(text, heads.horizontalAdvance(title) + HEADER_PADDING), COLUMN_WIDTH)
        over = sum(widths.values()) + NAME_WIDTH - self.table.viewport().width()
        for column in (c for c in GIVE_WAY if c in widths):  # the SKU is what tells rows apart: cut it last
            floor = heads.horizontalAdvance(HEADERS[column]) + HEADER_PADDING
            give = min(max(0, over), widths[column] - floor)
            widths[column] -= give
            over -= give
            if column == GIVE_WAY[0]:
                over -= min(max(0, over), NAME_WIDTH - NAME_FLOOR)  # then the name narrows, before the SKU does
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.loading = False
            self._again = False
            self.count.setText("")
            self._say(refusal_text(exc), AMBER if isinstance(exc, Refused) else RED)

    # ------------------------------------------------------------------ selection and detail

    def selected_sku(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = self.proxy.mapToSource(index).row()
        return self.model.product(row).sku if 0 <= row < self.model.rowCount() else None

    def select(self, sku: str) -> bool:
        row = self.model.row_of(sku)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                                    | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def _selection_changed(self) -> None:
        sku = self.selected_sku()
        self.status.selection_is(sku)
        if sku is not None and sku != self.detail.sku:
            self.open_product(sku)
        self._update_buttons()

    def open_product(self, sku: str) -> None:
        products = self.app.products
        run_in_background(lambda: products.show(sku), self._show_detail,
                          lambda exc: self._say(refusal_text(exc), AMBER if isinstance(exc, Refused) else RED),
                          owner=self)

    def _show_detail(self, detail: ProductDetail) -> None:
        if self.selected_sku() not in (None, detail.sku):
            return  # another product was selected meanwhile: its detail is on the way
        self.detail.show_detail(detail)
        self._update_buttons()

    # ------------------------------------------------------------------ changes

    def new_product(self) -> None:
        if not self._may():
            return
        products = self.app.products
        self._ask(ProductDialog(None, self), lambda value: lambda actor: products.create(actor, *value),
                  lambda done: f"Added {done.sku} {done.name}.", reveal=True)

    def edit_product(self) -> None:
        detail = self._current_detail()
        if detail is None or not self._may():
            return
        sku, products = detail.sku, self.app.products
        self._ask(ProductDialog(detail.fields, self), lambda changes: lambda actor: products.edit(actor, sku, changes),
                  lambda done: f"Saved {done.sku} {done.name}.")

    def add_barcode(self) -> None:
        detail = self._current_detail()
        if detail is None or not self._may():
            return
        sku, products = detail.sku, self.app.products
        self._ask(BarcodeDialog(sku, self), lambda spec: lambda actor: products.add_barcode(
            actor, sku, spec.code, spec.pack_quantity),
            lambda done: f"{done.sku} has {plural(len(done.barcodes), 'barcode')} now.")

    def remove_barcode(self) -> None:
        detail, code = self._current_detail(), self.detail.selected_barcode()
        if detail is None or code is None or not self._may():
            return
        sku, products = detail.sku, self.app.products
        self._act(lambda actor: products.remove_barcode(actor, sku, code),
                  f"{code} is no longer a barcode of {sku}.")

    def edit_components(self) -> None:
        detail = self._current_detail()
        if detail is None or not self._may():
            return
        sku, products = detail.sku, self.app.products
        self._ask(ComponentsDialog(sku, detail.components, self),
                  lambda parts: lambda actor: products.set_components(actor, sku, parts),
                  lambda done: f"{done.sku} is a kit of {plural(len(done.components), 'component')}; "
                               f"{done.stock.available} available." if done.kit else f"{done.sku} is a plain product.")

    def toggle_active(self) -> None:
        detail = self._current_detail()
        if detail is None or not self._may():
            return
        sku, products = detail.sku, self.app.products
        if detail.active:
            self._act(lambda actor: products.deactivate(actor, sku), f"{sku} is inactive.")
        else:
            self._act(lambda actor: products.reactivate(actor, sku), f"{sku} is active again.")

    def _current_detail(self) -> ProductDetail | None:
        detail = self.detail.detail
        return detail if detail is not None and detail.sku == self.selected_sku() else None

    def _ask(self, dialog: AskDialog, job_for: Callable[[Any], Callable[[Actor], Any]],
             said: Callable[[Any], str], *, reveal: bool = False) -> None:
        if self.dialog is not None or self.busy:
            dialog.deleteLater()
            return
        self.dialog = dialog
        dialog.submitted.connect(lambda value: self._run(dialog, job_for(value), said, reveal))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _act(self, job: Callable[[Actor], Any], sentence: str) -> None:
        actor = self.actor
        if actor is None or self.busy:
            return
        self._set_busy(True)
        run_in_background(lambda: job(actor), lambda result: self._done(None, result, sentence), self._refused,
                          owner=self)

    def _run(self, dialog: AskDialog, job: Callable[[Actor], Any], said: Callable[[Any], str],
             reveal: bool = False) -> None:
        actor = self.actor
        if actor is None:
            dialog.say("Sign in first: changes are made as the person signed in.")
            return
        dialog.set_busy(True)
        self._set_busy(True)
        run_in_background(lambda: job(actor), lambda result: self._done(dialog, result, said(result), reveal),
                          lambda exc: self._refused(exc, dialog), owner=self)

    def _keep_listed(self, result: ProductDetail, *, search: bool) -> None:
        """Make the filters (and, ``search``, the search: a product just added) list ``result``,
        so the product just changed stays in sight and selected — a product just deactivated
        under "Active" is listed under "Active or not", where Reactivate undoes it."""
        for combo in (self.status_filter, self.kind_filter):
            combo.blockSignals(True)
        if search and self.search.text().strip():
            self.search.setText(result.sku)
        if self.status_filter.currentData() == ("inactive" if result.active else "active"):
            self.status_filter.setCurrentIndex(self.status_filter.findData("all"))
        if self.kind_filter.currentData() not in (None, result.kit):
            self.kind_filter.setCurrentIndex(0)  # kits or not
        for combo in (self.status_filter, self.kind_filter):
            combo.blockSignals(False)

    def _done(self, dialog: AskDialog | None, result: ProductDetail, sentence: str, reveal: bool = False) -> None:
        self._set_busy(False)
        if dialog is not None:
            dialog.set_busy(False)
            dialog.accept()
        self.detail.show_detail(result)
        self._want = result.sku
        self._keep_listed(result, search=reveal)
        self.reload()
        self._say(sentence, GREEN)
        self.status.selection_is(result.sku, keep_message=True)

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

    def _may(self) -> bool:
        return self.actor is not None and self.actor.may(Permission.EDIT_CATALOG)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        if busy:
            self._say("Working…", AMBER)
        self._update_buttons()

    def _update_buttons(self) -> None:
        may = self._may() and not self.busy
        detail = self._current_detail()
        chosen = may and detail is not None
        self.new_button.setEnabled(may)
        self.import_button.setEnabled(may)
        self.export_button.setEnabled(self.actor is not None)
        for button in (self.edit_button, self.add_barcode_button, self.components_button, self.active_button):
            button.setEnabled(chosen)
        self.remove_barcode_button.setEnabled(chosen and detail is not None and bool(detail.barcodes))
        self.active_button.setText("&Reactivate" if detail is not None and not detail.active else "&Deactivate")

    def _say(self, text: str, colour: str) -> None:
        self.status.say(text, colour)
