"""The Receiving screen (packers, managers, owners): receive goods with a scanner alone.

Left, the open receipts and purchase orders; open one (Open, a double-click, or scan its
number), or start an ad hoc receipt from a supplier. Right, the open receipt: a big prompt
line says what to scan next ("Scan the bin", "Scan an item", "Scan or type the lot of …",
"Scan the serial of …"); the scan box takes a keyboard wedge's keystrokes (Enter ends a
scan) and a serial/HID scanner's scans come through ``take_scan``. Every scan goes to
``app.receiving.scan`` with this station's ``ReceivingCursor`` (its bin and what it is
waiting for); scans that arrive while one is being decided wait their turn, in order. The
lines table shows expected, received and the difference (red over or not on the PO, amber
still to come, green complete); the last scans are listed newest first. Undo takes back
the last scan made here (or drops what the station is waiting for); Close shows the over
and under lines to confirm, then posts the stock; Cancel drops the scans. Accepted scans
beep, prompts chime, refusals sound loudly (the station's sounds).

Managers also see "New PO…" (``PurchaseOrderDialog``: supplier, number, lines typed as
``SKU quantity [bin]``; a refusal is said in the dialog, which stays open) and "Import POs…"
(a CSV file: ``app.receiving.import_purchase_orders``; the report's last line and first
problems are said on the status line).

"Print label" (``print_labels_for_selected``) prints product labels for the selected line
through ``app.labels.print_product_labels`` on this station's label printer (a 4x4 label
when the line has a lot: its GS1-128 carries the lot and expiry), in the background.

Never blocks: every call runs through ``run_in_background``. Threading: GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.roles import Permission
from fulfilstation.imports import CsvUnreadable, ImportReport, read_csv
from fulfilstation.ports import ScanValue
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.receiving import (
    CancelledReceipt,
    ClosedReceipt,
    LineProgress,
    NewPurchaseOrder,
    ReceiptSummary,
    ReceiptView,
    ReceiveOutcome,
    ReceivingCursor,
    ReceivingRefused,
    Undone,
)
from fulfilstation.services.refused import Refused
from ui.receiving.models import lines_model, receipts_model
from ui.receiving.po_dialog import PurchaseOrderDialog
from ui.station.manager_sign_in import refusal_text
from ui.station.sounds import SoundPlayer
from ui.style import AMBER, GREEN, RED
from ui.widgets.big_prompt import big_prompt
from ui.widgets.file_dialogs import open_file_name
from ui.widgets.file_places import start_folder
from ui.widgets.fit_text import ElidedLabel
from ui.widgets.row_model import SORT_ROLE
from ui.widgets.row_table import row_table
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background
from ui.workspace.screen import Screen

LAST_SCANS = 8
NO_RECEIPT = "Open a receipt or purchase order (scan its number), or start one ad hoc"
Confirm = Callable[[str, str], bool]  # (title, text) -> go ahead?


@dataclass(frozen=True)
class LabelRequest:
    """Product labels for one line: ``copies`` of ``sku`` (with the lot and expiry last received)."""

    sku: str
    copies: int
    lot: str | None
    expiry: dt.date | None


class ReceivingScreen(Screen):
    title = "Receiving"
    permission = Permission.RECEIVE
    watches = frozenset({"receipts", "receipt_lines", "receipt_items"})

    def __init__(self, app: AppServices, parent: QWidget | None = None, *, confirm: Confirm | None = None,
                 sounds: SoundPlayer | None = None,
                 label_printer: Callable[[LabelRequest], str] | None = None,
                 choose_file: Callable[[], str | None] | None = None) -> None:
        super().__init__(parent)
        self.receiving = app.receiving
        self.confirm: Confirm = confirm or self._confirm
        self.sounds = sounds or SoundPlayer(False, self)
        labels = app.labels
        self.label_printer = label_printer or (lambda request: labels.print_product_labels(
            self._actor_or_none(), request.sku, request.copies, request.lot, request.expiry,
            size="4x4" if request.lot else "2x1").message)
        self.choose_file: Callable[[], str | None] = choose_file or self._choose_file
        self.dialog: PurchaseOrderDialog | None = None
        self.place: ReceivingCursor | None = None  # the open receipt and where this station is on it
        self.view: ReceiptView | None = None
        self.busy = False
        self._queue: list[ScanValue] = []
        layout = QHBoxLayout(self)
        self.list_pane = self._build_list()
        layout.addWidget(self.list_pane, 3)
        layout.addWidget(self._build_receipt(), 5)
        self._receipt_shown(False)
        for widget in (self.receipt_table, self.line_table, self.last_scans, self.open_button, self.start_button,
                       self.new_po_button, self.import_button, self.undo_button, self.close_button,
                       self.cancel_button, self.label_button, self.back_button):
            widget.installEventFilter(self)  # a scan typed while one of these has the focus reaches the scan box
        self._update_actions()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Typing (a wedge scan) while a table, the last scans or a button has the focus —
        after a click on a line or on Undo — goes to the scan box with its Enter, so a scan is
        never lost and never presses the button."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and self.scan_box.isEnabled():
            text = event.text()
            plain = not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
            pressing = text == " " and isinstance(watched, QPushButton)  # the keyboard's way to press a button
            if text and text.isprintable() and plain and not pressing:
                self.scan_box.setFocus()
                QApplication.sendEvent(self.scan_box, event)
                return True
        return super().eventFilter(watched, event)

    def focus_scan_box(self) -> None:
        """The scanner's keystrokes go to the scan box again (after a button or a line was clicked)."""
        if self.isVisible() and not self.scan_box.hasFocus():
            self.scan_box.setFocus()

    # -- building
    def _build_list(self) -> QWidget:
        pane = QWidget(self)
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Open receipts and purchase orders", pane)
        heading.setWordWrap(True)
        self.receipts = receipts_model()
        self.receipts.setParent(self)
        self.receipts_proxy = QSortFilterProxyModel(self)
        self.receipts_proxy.setSourceModel(self.receipts)
        self.receipts_proxy.setSortRole(SORT_ROLE)
        self.receipt_table = row_table(self.receipts_proxy, pane, flexible={1})
        self.receipt_table.doubleClicked.connect(lambda _index: self.open_selected())
        self.open_button = QPushButton("&Open", pane)
        self.open_button.clicked.connect(self.open_selected)
        self.supplier_box = QLineEdit(pane)
        self.supplier_box.setPlaceholderText("Supplier (ad hoc receipt)")
        self.supplier_box.returnPressed.connect(self.start_ad_hoc)
        self.start_button = QPushButton("Start &ad hoc", pane)
        self.start_button.clicked.connect(self.start_ad_hoc)
        column.addWidget(heading)
        column.addWidget(self.receipt_table, 1)
        column.addWidget(self.open_button)
        column.addWidget(self.supplier_box)
        column.addWidget(self.start_button)
        self.new_po_button = QPushButton("&New PO…", pane)
        self.new_po_button.setToolTip("A new purchase order (managers)")
        self.new_po_button.clicked.connect(self.new_purchase_order)
        self.import_button = QPushButton("&Import POs…", pane)
        self.import_button.setToolTip("Purchase orders from a CSV file (managers)")
        self.import_button.clicked.connect(self.import_purchase_orders)
        column.addWidget(self.new_po_button)
        column.addWidget(self.import_button)
        return pane

    def _build_receipt(self) -> QWidget:
        pane = QWidget(self)
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        self.heading = ElidedLabel("", pane)
        self.prompt = big_prompt(NO_RECEIPT, pane, "receivingPrompt")
        self.scan_box = QLineEdit(pane)
        self.scan_box.setPlaceholderText("Scan here (or type and press Enter)")
        self.scan_box.returnPressed.connect(self._typed)
        self.lines = lines_model()
        self.lines.setParent(self)
        self.lines_proxy = QSortFilterProxyModel(self)
        self.lines_proxy.setSourceModel(self.lines)
        self.lines_proxy.setSortRole(SORT_ROLE)
        self.line_table = row_table(self.lines_proxy, pane, flexible={1})
        self.line_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order
        self.line_table.setSortingEnabled(True)
        self.line_table.selectionModel().selectionChanged.connect(lambda *_args: self._update_actions())
        self.last_scans = QListWidget(pane)
        self.last_scans.setMaximumHeight(self.fontMetrics().height() * 6)
        self.last_scans.setWordWrap(True)
        self.undo_button = QPushButton("&Undo", pane)
        self.undo_button.setToolTip("Take back the last scan made here")
        self.undo_button.clicked.connect(self.undo)
        self.close_button = QPushButton("&Close…", pane)
        self.close_button.setToolTip("Put the scanned goods into stock (shows what is over and under first)")
        self.close_button.clicked.connect(self.close_receipt)
        self.cancel_button = QPushButton("Cancel…", pane)
        self.cancel_button.clicked.connect(self.cancel_receipt)
        self.label_button = QPushButton("&Print label", pane)
        self.label_button.setToolTip("Print product labels for the selected line (items that came without one)")
        self.label_button.clicked.connect(self.print_labels_for_selected)
        self.back_button = QPushButton("Back", pane)
        self.back_button.setToolTip("Back to the list (the receipt stays open)")
        self.back_button.clicked.connect(self.leave_receipt)
        buttons = QHBoxLayout()
        for button in (self.undo_button, self.close_button, self.cancel_button, self.label_button, self.back_button):
            buttons.addWidget(button)
        self.status = StatusLine(pane)
        self.status.setObjectName("receivingStatus")
        self.status.setWordWrap(True)
        column.addWidget(self.heading)
        column.addWidget(self.prompt)
        column.addWidget(self.scan_box)
        column.addWidget(self.line_table, 1)
        self.last_scans_title = QLabel("Last scans", pane)
        column.addWidget(self.last_scans_title)
        column.addWidget(self.last_scans)
        column.addLayout(buttons)
        column.addWidget(self.status)
        column.addStretch(0)  # takes the height only while the lines table is hidden (no receipt open)
        return pane

    # -- the Screen contract
    def set_actor(self, actor: Actor | None) -> None:
        self.actor = actor
        self._update_actions()

    def forget_messages(self) -> None:
        self.status.forget()

    def take_scan(self, value: ScanValue) -> None:
        """A scanner's scan (not a keyboard wedge's): decided in turn like a typed one — but
        not while a dialog is open over the screen (New PO…, the close confirmation): it was
        meant for the dialog, and would be received behind it."""
        if self.dialog is not None or QApplication.activeModalWidget() is not None:
            self._refused(f"{value.text.strip()!r} was not received: finish the open dialog first, then scan again.")
            return
        self._enqueue(value)

    def shown(self) -> None:
        self.scan_box.setFocus()
        self.refresh()

    def refresh(self) -> None:
        receiving, number = self.receiving, self.place.number if self.place else None

        def load() -> tuple[list[ReceiptSummary], ReceiptView | None]:
            return receiving.list(open_only=True), receiving.show(number) if number else None

        run_in_background(load, self._loaded, self._failed, owner=self)

    def _loaded(self, loaded: tuple[list[ReceiptSummary], ReceiptView | None]) -> None:
        receipts, view = loaded
        self.receipts.set_rows(receipts)
        if view is not None and self.place is not None and view.number == self.place.number:
            if view.summary.status != "open":  # closed or cancelled at another station
                self.leave_receipt()
                self._say(f"{view.number} was {view.summary.status} at another station: open another receipt.",
                          AMBER)
                return
            self._show_view(view)

    # -- opening
    def open_selected(self) -> None:
        rows = self.receipt_table.selectionModel().selectedRows()
        if rows:
            summary = self.receipts.row(self.receipts_proxy.mapToSource(rows[0]).row())
            self.open_receipt(summary.number)

    def open_receipt(self, number: str) -> None:
        actor, receiving = self.actor, self.receiving
        if actor is None:
            return
        self._set_busy(True)
        run_in_background(lambda: receiving.start(actor, po=number) if self._is_po(number)
                          else receiving.show(number), self._opened, self._failed, owner=self)

    def start_ad_hoc(self) -> None:
        actor, receiving, supplier = self.actor, self.receiving, self.supplier_box.text()
        if actor is None or self.busy:
            return
        self._set_busy(True)
        run_in_background(lambda: receiving.start(actor, supplier=supplier), self._opened, self._failed, owner=self)

    def _opened(self, view: ReceiptView) -> None:
        self._set_busy(False)
        if view.summary.status != "open":
            self._say(f"{view.number} is {view.summary.status}: open another receipt.", AMBER)
            return
        self.supplier_box.clear()
        self.place = ReceivingCursor(view.number)
        self._receipt_shown(True)
        self.last_scans.clear()
        self._show_view(view)
        self.prompt.setText(self._prompt_text())
        self._say(f"Receiving {view.number} from {view.summary.supplier}.", GREEN)
        self.scan_box.setFocus()
        self.refresh()
        self._next_scan()

    def _receipt_shown(self, shown: bool) -> None:
        """An open receipt: its lines and last scans take the width (the list is hidden until
        Back); none: the list, and no empty lines table squeezed beside it."""
        self.list_pane.setVisible(not shown)
        for widget in (self.line_table, self.last_scans_title, self.last_scans):
            widget.setVisible(shown)

    def leave_receipt(self) -> None:
        self.place, self.view = None, None
        self._receipt_shown(False)
        self.lines.set_rows([])
        self.last_scans.clear()
        self.heading.setText("")
        self.prompt.setText(NO_RECEIPT)
        self._update_actions()
        self.refresh()

    def _is_po(self, number: str) -> bool:
        return any(row.number == number and row.purchase_order for row in self.receipts.rows())

    # -- scanning
    def _typed(self) -> None:
        text = self.scan_box.text()
        self.scan_box.clear()
        if text.strip():
            self._enqueue(ScanValue(text))

    def _enqueue(self, value: ScanValue) -> None:
        self._queue.append(value)
        if not self.busy:
            self._next_scan()

    def _next_scan(self) -> None:
        if self.busy or not self._queue:
            return
        value = self._queue.pop(0)
        actor, receiving, cursor = self.actor, self.receiving, self.place
        if actor is None:
            self._queue.clear()
            return
        if cursor is None:  # no receipt open: a scan names one
            number = value.text.strip()
            if any(row.number == number for row in self.receipts.rows()):
                self.open_receipt(number)
            else:
                self._refused(f"{number!r} is not an open receipt: open one first (scan its number).")
            return
        self._set_busy(True)
        run_in_background(lambda: receiving.scan(actor, cursor.number, value.text, cursor, value.symbology),
                          self._scanned, self._scan_failed, owner=self)

    def _scanned(self, outcome: ReceiveOutcome) -> None:
        self._set_busy(False)
        self.place = outcome.cursor
        self.prompt.setText(outcome.prompt)
        if outcome.accepted:
            self.sounds.play("accept")
            self._say(outcome.message, AMBER if outcome.unexpected else GREEN)
            if outcome.quantity:
                self.last_scans.insertItem(0, outcome.message)
                while self.last_scans.count() > LAST_SCANS:
                    self.last_scans.takeItem(self.last_scans.count() - 1)
                self.refresh()
        elif outcome.code is None:
            self.sounds.play("prompt")
            self._say(outcome.message, AMBER)
        else:
            self._refused(outcome.message)
        self._next_scan()

    def _scan_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self._queue.clear()
        self._refused(refusal_text(exc))
        if isinstance(exc, Refused) and exc.code in ("receipt-closed", "receipt-cancelled", "unknown-receipt"):
            self.leave_receipt()

    def _refused(self, message: str) -> None:
        self.sounds.play("refuse")
        self._say(message, RED)

    # -- acting
    def undo(self) -> None:
        actor, receiving, cursor = self.actor, self.receiving, self.place
        if actor is None or cursor is None or self.busy:
            return
        if cursor.pending is not None:
            self.place = cursor.without_pending()
            self.prompt.setText(self._prompt_text())
            self._say(f"{cursor.pending.name} was not recorded: scan the next item.", AMBER)
            self.focus_scan_box()
            return
        self._set_busy(True)
        run_in_background(lambda: receiving.undo(actor, cursor.number), self._undone, self._failed, owner=self)

    def _undone(self, undone: Undone) -> None:
        self._set_busy(False)
        self._say(f"Undone: {undone.quantity} × {undone.sku} (bin {undone.bin}).", GREEN)
        if self.last_scans.count():
            self.last_scans.takeItem(0)
        self.refresh()

    def close_receipt(self) -> None:
        actor, receiving, view = self.actor, self.receiving, self.view
        if actor is None or view is None or self.busy:
            return
        if not self.confirm("Close the receipt", close_summary(view)):
            return
        number = view.number
        self._set_busy(True)
        run_in_background(lambda: receiving.close(actor, number), self._closed, self._failed, owner=self)

    def _closed(self, closed: ClosedReceipt) -> None:
        self._set_busy(False)
        self.leave_receipt()
        self.sounds.play("accept")
        self._say(closed_words(closed), AMBER if closed.over or closed.under else GREEN)

    def cancel_receipt(self) -> None:
        actor, receiving, view = self.actor, self.receiving, self.view
        if actor is None or view is None or self.busy:
            return
        what = ("Drop every scan of purchase order {0}? The PO stays open." if view.summary.purchase_order
                else "Cancel receipt {0}? Its scans are dropped.").format(view.number)
        if not self.confirm("Cancel", what):
            return
        number = view.number
        self._set_busy(True)
        run_in_background(lambda: receiving.cancel(actor, number), self._cancelled, self._failed, owner=self)

    def _cancelled(self, cancelled: CancelledReceipt) -> None:
        self._set_busy(False)
        self.leave_receipt()
        self._say(f"{cancelled.number}: {cancelled.dropped} scans dropped"
                  + ("; the receipt is cancelled." if cancelled.cancelled else "; the purchase order stays open."),
                  AMBER)

    def new_purchase_order(self) -> None:
        """Ask for a purchase order (``PurchaseOrderDialog``) and create it as the signed-in manager."""
        if self.dialog is not None or self.actor is None:
            return
        self.dialog = dialog = PurchaseOrderDialog(self)
        dialog.submitted.connect(lambda value: self._create_po(dialog, value))
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        dialog.open()

    def _create_po(self, dialog: PurchaseOrderDialog, new: NewPurchaseOrder) -> None:
        actor, receiving = self.actor, self.receiving
        if actor is None:
            return
        dialog.set_busy(True)

        def created(number: str) -> None:
            dialog.set_busy(False)
            dialog.accept()
            self._say(f"Purchase order {number} created: open it to receive its goods.", GREEN)
            self.refresh()

        def refused(exc: Exception) -> None:
            dialog.set_busy(False)
            dialog.say(refusal_text(exc), AMBER if isinstance(exc, Refused) else RED)

        run_in_background(lambda: receiving.create_po(actor, new), created, refused, owner=self)

    def import_purchase_orders(self) -> None:
        """Import purchase orders from a CSV file the manager chooses; the report is said in words."""
        actor, receiving = self.actor, self.receiving
        if actor is None or self.busy:
            return
        path = self.choose_file()
        if not path:
            return
        self._set_busy(True)
        self._say("Importing purchase orders…", AMBER)

        def run() -> ImportReport:
            return receiving.import_purchase_orders(actor, read_csv(path))

        run_in_background(run, self._imported, self._import_failed, owner=self)

    def _imported(self, report: ImportReport) -> None:
        self._set_busy(False)
        problems = [problem.describe() for problem in report.problems[:3]]
        more = len(report.problems) - len(problems)
        text = "; ".join([report.summary(), *problems] + ([f"and {more} more"] if more > 0 else []))
        self._say(text, AMBER if report.problems else GREEN)
        self.refresh()

    def _import_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        unreadable = isinstance(exc, CsvUnreadable)
        self._say(f"{exc}. Nothing was imported." if unreadable else refusal_text(exc),
                  AMBER if unreadable or isinstance(exc, Refused) else RED)

    def _choose_file(self) -> str | None:
        path = open_file_name(self, "Import purchase orders", str(start_folder()), "CSV files (*.csv *.txt)")
        return path or None

    def print_labels_for_selected(self) -> LabelRequest | None:
        """Product labels for the selected line, with the lot and expiry last received for it."""
        line = self.selected_line()
        if line is None or self.view is None:
            return None
        item = next((item for item in self.view.items if item.sku == line.sku), None)
        request = LabelRequest(line.sku, 1, (item.lot or None) if item else None, item.expiry if item else None)
        printer = self.label_printer
        self._say(f"Printing a label of {request.sku}…", AMBER)
        self.focus_scan_box()
        run_in_background(lambda: printer(request), lambda message: self._say(message, GREEN),
                          lambda exc: self._say(refusal_text(exc), AMBER if isinstance(exc, Refused) else RED),
                          owner=self)
        return request

    def _actor_or_none(self) -> Actor:
        if self.actor is None:
            raise ReceivingRefused("signed-out", "Sign in to print labels.")
        return self.actor

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self._say(refusal_text(exc), AMBER if isinstance(exc, Refused) else RED)
        if isinstance(exc, Refused):
            self.sounds.play("refuse")

    # -- state
    def selected_line(self) -> LineProgress | None:
        rows = self.line_table.selectionModel().selectedRows()
        return self.lines.row(self.lines_proxy.mapToSource(rows[0]).row()) if rows else None

    def _show_view(self, view: ReceiptView) -> None:
        self.view = view
        summary = view.summary
        kind = "Purchase order" if summary.purchase_order else "Ad hoc receipt"
        self.heading.setText(f"{kind} {summary.number} · {summary.supplier}"
                             + (f" · ref {summary.reference}" if summary.reference else "")
                             + (f" · default bin {summary.bin}" if summary.bin else ""))
        self.lines.set_rows(view.lines)
        self._update_actions()

    def _prompt_text(self) -> str:
        if self.place is None:
            return NO_RECEIPT
        known = self.view is not None and (self.view.summary.bin is not None or any(line.bin for line in
                                                                                    self.view.lines))
        return self.receiving.prompt(self.place) if (known or self.place.bin or self.place.pending) \
            else "Scan the bin"

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_actions()
        if not busy and self.dialog is None:
            self.focus_scan_box()  # the next scan goes where it belongs, whatever was clicked

    def _update_actions(self) -> None:
        receipt_open = self.place is not None and self.actor is not None
        self.undo_button.setEnabled(receipt_open and not self.busy)
        self.close_button.setEnabled(receipt_open and not self.busy and self.view is not None)
        self.cancel_button.setEnabled(receipt_open and not self.busy)
        self.label_button.setEnabled(receipt_open and self.selected_line() is not None)
        self.back_button.setEnabled(self.place is not None)
        self.open_button.setEnabled(self.actor is not None and not self.busy)
        manager = self.actor is not None and self.actor.may(Permission.PURCHASE_ORDERS)
        self.new_po_button.setVisible(manager)
        self.import_button.setVisible(manager)
        self.import_button.setEnabled(not self.busy)
        self.start_button.setEnabled(self.actor is not None and not self.busy)

    def _say(self, text: str, colour: str) -> None:
        self.status.say(text, colour)

    def _confirm(self, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        # No is the default: a stray scan's Enter does not close or cancel the receipt
        answer = QMessageBox.question(self, title, text, buttons, QMessageBox.StandardButton.No)
        self.focus_scan_box()
        return answer == QMessageBox.StandardButton.Yes


def close_summary(view: ReceiptView) -> str:
    """What closing will post, and every line that is over or under, to confirm."""
    units = sum(line.received for line in view.lines)
    lines = [f"Close {view.number} and put {units} units into stock?"]
    if view.summary.purchase_order:
        for line in view.lines:
            if line.difference > 0:
                lines.append(f"Over: {line.sku} +{line.difference} ({line.received} of {line.expected})"
                             + (" — not on the PO" if line.unexpected else ""))
            elif line.difference < 0:
                lines.append(f"Under: {line.sku} {line.difference} ({line.received} of {line.expected})")
        if len(lines) == 1:
            lines.append("Every line is complete.")
    return "\n".join(lines)


def closed_words(closed: ClosedReceipt) -> str:
    text = f"Receipt {closed.number} closed: {closed.units} units into stock."
    over = ", ".join(f"{line.sku} +{line.difference}" for line in closed.over)
    under = ", ".join(f"{line.sku} {line.difference}" for line in closed.under)
    return text + (f" Over: {over}." if over else "") + (f" Under: {under}." if under else "")
