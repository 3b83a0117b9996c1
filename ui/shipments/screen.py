"""The Shipments screen (managers and owners): find any station's shipment by tracking or
order number, see what waits for a label at every station, reprint a label on THIS
station's label printer, and void a shipment.

* The search box takes a tracking number (of any package), an order number or a scanned
  label; Enter (a keyboard-wedge scan ends with it) or a scanner's scan searches at once,
  typing searches after a pause. From three characters, numbers containing the text match
  too; exact matches come first and the first row is selected, ready to act on.
* "Label pending (all stations)" lists every shipment waiting for its label, oldest first —
  EasyPost shipments whose label is not bought yet among them — and its tab shows how many.
* "Weight overrides" lists the packages whose weight a manager accepted out of range, with
  who and why (``weight_overrides_view``): today's when the dashboard opens it (filter
  ``weight-overrides``), or the last 7 or 30 days; the search box narrows it. Reprint and
  Void act on shipments, so they are off on that tab.
* "Tracking" lists the carriers' exceptions (``tracking_view``): returned to sender, no
  movement for 3 days, delivered late — what the dashboard's tracking exceptions open
  (filters ``returned``, ``no-movement``, ``delivered-late``).
* Reprint calls ``app.shipping.reprint`` (by the shipment's id) as the signed-in person, so
  the label prints on this station's printer (an EasyPost label is bought first when
  missing, never twice); the selected row's detail line says what Reprint will print and
  where, or why it cannot (``app.shipping.reprint_plan``; a voided shipment: its label must
  not be used); the outcome is said in words and the list reloads (the row turns Printed).
* The status line (``StatusLine``) is cleared on sign-in and sign-out and when another
  shipment is selected; the reload after an action keeps it.
* Void… asks why, then calls ``app.shipping.void``; it is enabled for those who may void
  (``Permission.VOID``) and shipments not on a manifest. The use case checks again.

Never blocks: every call runs through ``run_in_background``; a search answered after a
newer one was asked for is dropped. Rows are ``ShipmentSummary`` values, never ORM objects.
Threading: GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.domain.roles import Permission
from fulfilstation.domain.words import plural
from fulfilstation.ports import ScanValue
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.refused import Refused
from fulfilstation.services.shipping import PrintOutcome, ShipmentSummary, VoidOutcome
from ui.shipments.table_model import shipments_model, sorting_proxy, when
from ui.shipments.tracking_view import FILTERS as TRACKING_FILTERS
from ui.shipments.tracking_view import TrackingProblemsView
from ui.shipments.weight_overrides_view import WeightOverridesView
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, GREEN, RED
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background
from ui.workspace.screen import Screen

ALL, PENDING, OVERRIDES, TRACKING = 0, 1, 2, 3  # the tabs
LISTS = (OVERRIDES, TRACKING)  # the tabs of a list of their own (not shipments: Reprint and Void are off)
OVERRIDE_FILTERS = ("weight-overrides", "weight-override", "overrides")
LIMIT = 200  # rows of "All shipments"; a search narrows them
TYPING_PAUSE_MS = 400
ReasonAsker = Callable[[ShipmentSummary], "str | None"]  # the reason, or None when cancelled


@dataclass(frozen=True)
class _Loaded:
    generation: int
    text: str | None
    pending_tab: bool
    rows: tuple[ShipmentSummary, ...]
    waiting: int  # label-pending shipments at every station
    unit: str


class ShipmentsScreen(Screen):
    title = "Shipments"
    permission = Permission.VOID  # managers and owners
    watches = frozenset({"shipments", "packages", "manifests"})

    def __init__(self, app: AppServices, parent: QWidget | None = None, *,
                 ask_reason: ReasonAsker | None = None) -> None:
        super().__init__(parent)
        self.shipping, self.site = app.shipping, app.site
        self.ask_reason: ReasonAsker = ask_reason or self._ask_reason
        self.busy = False
        self.unit: str | None = None  # the site's weight unit, asked with the first load
        self.waiting = 0
        self._generation = 0
        self._selected_id: int | None = None
        self._reloading = False  # in _loaded: the selection is set by the reload, not by a person
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_search())
        self.tabs = QTabBar(self)
        self.tabs.addTab("All shipments")
        self.tabs.addTab("Label pending (all stations)")
        self.tabs.addTab("Weight overrides")
        self.tabs.addTab("Tracking")
        self.tabs.currentChanged.connect(lambda _index: self._tab_changed())
        layout.addWidget(self.tabs)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_table())
        self.overrides = WeightOverridesView(app, lambda: self.unit or "kg", self.pages)
        self.pages.addWidget(self.overrides)
        self.tracking = TrackingProblemsView(app, self.pages)
        self.pages.addWidget(self.tracking)
        layout.addWidget(self.pages, 1)
        self.detail = QLabel("", self)
        self.detail.setObjectName("hint")
        self.detail.setWordWrap(True)
        self.found = QLabel("", self)
        self.found.setObjectName("hint")
        self.status = StatusLine(self)
        self.status.setObjectName("shipmentsStatus")
        self._reload_after_action: int | None = None  # its generation: its selection keeps the message
        layout.addWidget(self.detail)
        layout.addLayout(self._build_buttons())
        layout.addWidget(self.status)
        self._update_actions()

    # -- building
    def _build_search(self) -> QHBoxLayout:
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText("Scan a label or type a tracking number or order number")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.returnPressed.connect(self.search_now)
        self.search_box.textEdited.connect(lambda _text: self._pause.start())
        self.search_button = QPushButton("Search", self)
        self.search_button.clicked.connect(self.search_now)
        row = QHBoxLayout()
        row.addWidget(self.search_box, 1)
        row.addWidget(self.search_button)
        return row

    def _build_table(self) -> QTableView:
        self.model = shipments_model(lambda: self.unit or "kg")
        self.model.setParent(self)
        self.proxy = sorting_proxy(self.model, self)
        self.table = table = QTableView(self)
        table.setModel(self.proxy)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order first
        table.setSortingEnabled(True)
        table.selectionModel().selectionChanged.connect(lambda *_args: self._selection_changed())
        return table

    def _build_buttons(self) -> QHBoxLayout:
        self.reprint_button = QPushButton("&Reprint on this station", self)
        self.reprint_button.setToolTip("Print the label again on this station's label printer")
        self.reprint_button.clicked.connect(self.reprint)
        self.void_button = QPushButton("&Void…", self)
        self.void_button.clicked.connect(self.void)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.clicked.connect(self.refresh)
        row = QHBoxLayout()
        for button in (self.reprint_button, self.void_button, self.refresh_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.found)
        return row

    # -- the Screen contract
    def set_actor(self, actor: Actor | None) -> None:
        self.actor = actor
        self._update_actions()

    def forget_messages(self) -> None:
        self.status.forget()

    def take_scan(self, value: ScanValue) -> None:
        """A scanner's scan (not a keyboard wedge's): search for it at once."""
        self.search_box.setText(value.text)
        self.search_now()

    def show_filter(self, name: str | None) -> None:
        """A dashboard exception's list: ``label-pending`` shows every station's shipments waiting
        for a label, ``weight-overrides`` today's accepted weights (the search emptied); the
        list loads when the screen is shown."""
        wanted = (name or "").strip().lower().replace("_", "-")
        if wanted in ("label-pending", "pending", "labels-pending"):
            tab = PENDING
        elif wanted in OVERRIDE_FILTERS:
            tab = OVERRIDES
            self.overrides.show_today()
        elif wanted in TRACKING_FILTERS:
            tab = TRACKING
            self.tracking.show_kind(TRACKING_FILTERS[wanted])
        else:
            return
        self.search_box.clear()
        self.tabs.blockSignals(True)  # one load, when shown
        self.tabs.setCurrentIndex(tab)
        self.tabs.blockSignals(False)
        self._show_page()

    def _tab_changed(self) -> None:
        self._show_page()
        self.refresh()

    def _show_page(self) -> None:
        """The tab's page: the shipments table (with its detail line) or the overrides list."""
        tab = self.tabs.currentIndex()
        self.pages.setCurrentWidget({OVERRIDES: self.overrides, TRACKING: self.tracking}.get(tab, self.table))
        self.detail.setVisible(tab not in LISTS)
        self._update_actions()

    def shown(self) -> None:
        self.search_box.setFocus()
        self.refresh()

    # -- loading
    def search_now(self) -> None:
        self._pause.stop()
        self._selected_id = None  # a new search selects its first match
        self.refresh()

    def refresh(self) -> None:
        self._pause.stop()
        self._generation += 1
        generation, text = self._generation, self.search_box.text().strip() or None
        if self.tabs.currentIndex() in LISTS:
            self.found.setText("")
            (self.overrides if self.tabs.currentIndex() == OVERRIDES else self.tracking).load(text)
            return
        pending_tab = self.tabs.currentIndex() == PENDING
        shipping, site, unit = self.shipping, self.site, self.unit

        def load() -> _Loaded:
            if pending_tab:
                rows = shipping.label_pending() if text is None else shipping.search(text, label_pending=True,
                                                                                     limit=None)
            else:
                rows = shipping.search(text, limit=LIMIT)
            waiting = len(rows) if pending_tab and text is None else len(shipping.label_pending())
            return _Loaded(generation, text, pending_tab, tuple(rows), waiting, unit or site.weight_unit())

        self.found.setText("Loading…")
        run_in_background(load, self._loaded, lambda exc: self._load_failed(generation, exc), owner=self)

    def _loaded(self, loaded: _Loaded) -> None:
        if loaded.generation != self._generation:
            return  # a newer search is on its way
        keep = self._selected_id
        self._reloading = True
        self.unit = loaded.unit
        self.model.set_rows(loaded.rows)
        self.waiting = loaded.waiting
        self.tabs.setTabText(PENDING, f"Label pending (all stations): {loaded.waiting}")
        self.found.setText(_found_words(loaded))
        ids = [summary.id for summary in loaded.rows]
        row = ids.index(keep) if keep in ids else None
        if row is None and loaded.text and loaded.rows:
            row = 0  # a search: its best match, ready to act on
        if row is not None:
            self._select(row)
        self._selection_changed()
        self._reloading = False

    def _load_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self.found.setText("")
        self._say(refusal_text(exc), RED)

    # -- acting
    def reprint(self) -> None:
        summary, actor, shipping = self.selected(), self.actor, self.shipping
        if summary is None or actor is None or self.busy or summary.status is ShipmentStatus.VOIDED:
            return
        self._set_busy(True)
        self._say(f"Printing the label of order {summary.order_number} on this station's printer…", AMBER)
        shipment_id = summary.id
        run_in_background(lambda: shipping.reprint(actor, shipment_id),
                          lambda outcome: self._reprinted(summary, outcome), self._failed, owner=self)

    def _reprinted(self, summary: ShipmentSummary, outcome: PrintOutcome | None) -> None:
        self._set_busy(False)
        if outcome is not None and outcome.printed:
            self._say(f"Printed {outcome.what} on {outcome.printer}.", GREEN)
        else:
            problem = outcome.problem if outcome is not None else "the shipment was not found."
            self._say(f"The label of order {summary.order_number} did not print: {problem}", RED)
        self._refresh_after_action()

    def void(self) -> None:
        summary, actor, shipping = self.selected(), self.actor, self.shipping
        if summary is None or actor is None or self.busy or not summary.voidable:
            return
        reason = self.ask_reason(summary)
        if reason is None:
            return
        self._set_busy(True)
        self._say(f"Voiding the shipment of order {summary.order_number}…", AMBER)
        reference = summary.reference
        run_in_background(lambda: shipping.void(actor, reference, reason), self._voided, self._failed, owner=self)

    def _voided(self, outcome: VoidOutcome) -> None:
        self._set_busy(False)
        self._say(outcome.message, GREEN)
        self._refresh_after_action()

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self._say(refusal_text(exc), AMBER if isinstance(exc, Refused) else RED)
        self._refresh_after_action()

    def _refresh_after_action(self) -> None:
        """Reload to show what the action changed, keeping what it said."""
        self.refresh()
        self._reload_after_action = self._generation

    def _ask_reason(self, summary: ShipmentSummary) -> str | None:
        numbers = ", ".join(summary.tracking_numbers) or "no tracking number yet"
        text, ok = QInputDialog.getText(
            self, "Void a shipment", f"Void the shipment of order {summary.order_number} ({numbers})?\n"
            "Its items go back on the shelf, reserved for the order again.\n\nWhy is it voided?")
        return text if ok else None

    # -- selection and state
    def selected(self) -> ShipmentSummary | None:
        """The shipment selected in the shipments table (None on the overrides and tracking tabs)."""
        if self.tabs.currentIndex() in LISTS:
            return None
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def _select(self, source_row: int) -> None:
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().select(index, flags)
        self.table.scrollTo(index)

    def _selection_changed(self) -> None:
        summary = self.selected()
        if summary is not None:
            self._selected_id = summary.id
        after_action = self._reloading and self._reload_after_action == self._generation
        self.status.selection_is(summary.id if summary is not None else None, keep_message=after_action)
        self.detail.setText(_detail_words(summary))
        self._update_actions()
        self._explain_reprint(summary)

    def _explain_reprint(self, summary: ShipmentSummary | None) -> None:
        """Add what Reprint would print, and where (or why it cannot), to the detail line."""
        actor, shipping = self.actor, self.shipping
        if summary is None or actor is None or not actor.may(Permission.PACK):
            return
        if summary.status is ShipmentStatus.VOIDED:
            self._add_plan(summary.id, "Not reprintable: this shipment is void, its label must not be used.")
            return
        shipment_id = summary.id
        run_in_background(lambda: shipping.reprint_plan(actor, shipment_id),
                          lambda text: self._add_plan(shipment_id, text),
                          lambda exc: self._add_plan(shipment_id, refusal_text(exc)), owner=self)

    def _add_plan(self, shipment_id: int, text: str) -> None:
        summary = self.selected()
        if summary is not None and summary.id == shipment_id:
            self.detail.setText(f"{_detail_words(summary)}\n{text}")

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_actions()

    def _update_actions(self) -> None:
        summary, actor = self.selected(), self.actor
        live = summary is not None and summary.status is not ShipmentStatus.VOIDED
        self.reprint_button.setEnabled(live and actor is not None and actor.may(Permission.PACK) and not self.busy)
        may_void = actor is not None and actor.may(Permission.VOID)
        self.void_button.setEnabled(summary is not None and summary.voidable and may_void and not self.busy)
        self.void_button.setToolTip(_void_hint(summary, may_void))

    def _say(self, text: str, colour: str) -> None:
        self.status.say(text, colour)


def _found_words(loaded: _Loaded) -> str:
    count = len(loaded.rows)
    if loaded.pending_tab and not count:
        return "No shipment is waiting for its label." if loaded.text is None else \
            f"No label-pending shipment matches {loaded.text!r} (see All shipments)."
    if not count:
        return "No shipment yet." if loaded.text is None else f"No shipment matches {loaded.text!r}."
    more = " (the newest; search to find older ones)" if not loaded.pending_tab and count == LIMIT else ""
    return f"{plural(count, 'shipment')}{more}"


def _detail_words(summary: ShipmentSummary | None) -> str:
    if summary is None:
        return "Select a shipment to reprint or void it."
    parts = [f"Order {summary.order_number}", summary.service_name,
             "tracking " + (", ".join(summary.tracking_numbers) or "not bought yet")]
    if summary.manifest:
        parts.append(f"on manifest {summary.manifest}")
    if summary.void_reason:
        parts.append(f"voided {when(summary.voided_at)}: {summary.void_reason}")
    return " · ".join(parts)


def _void_hint(summary: ShipmentSummary | None, may_void: bool) -> str:
    if not may_void:
        return "Only a manager or an owner can void a shipment."
    if summary is None:
        return "Select the shipment to void."
    if summary.status is ShipmentStatus.VOIDED:
        return "This shipment is void already."
    if summary.manifest:
        return f"On closed manifest {summary.manifest}: the driver has it; ask the carrier to return it instead."
    return "Void this shipment: its items go back on the shelf, reserved for the order again."
