"""Station → Change shipping service… (Ctrl+Shift+S): a manager sends the open order by
another carrier service.

Two steps. First a manager signs in (``ManagerSignIn``: a badge scan, or a name and a
PIN); a manager or owner logged in at the station is already signed in. Then every
option of the order's quote is listed — service, price, arrival, whether it keeps the
delivery promise, the routing rule that excludes it — with the current choice selected.
Excluded services are shown but cannot be selected. *Change service* (Enter) calls
``app.orders.change_service`` in the background; on success ``changed`` carries
the new ``Quote`` and the dialog closes, and a refusal (``ServiceChoiceRefused``, a
packer's sign-in …) is shown in the dialog in words.

Threading: GUI thread; the quote, the sign-in check and the change run through
``run_in_background``; one sign-in check or change at a time (``busy``), while the
quote loads alongside.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.carriers.rating import short_date
from fulfilstation.domain.roles import Permission
from fulfilstation.ports import ScanValue
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.orders import Quote, QuoteOption
from ui.station.manager_sign_in import ManagerSignIn, SignInMissing, refusal_text
from ui.station.service_quote import headline, price_text
from ui.style import AMBER, GREY, RED, show_status
from ui.worker import run_in_background

COLUMNS = ("Service", "Price", "Arrives", "Keeps the promise", "Excluded by")
KEY_ROLE = Qt.ItemDataRole.UserRole


def option_cells(option: QuoteOption) -> tuple[str, ...]:
    return (option.name, price_text(option.price), short_date(option.arrives) if option.arrives else "unknown",
            "yes" if option.meets_promise else "no", option.excluded_by or "")


class ServiceDialog(QDialog):
    changed = Signal(object)  # the order's Quote after the change

    def __init__(self, app: AppServices, order_number: str, current: Actor | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Shipping service of {order_number}")
        self.app, self.order_number = app, order_number
        may = current is not None and current.may(Permission.CHANGE_SERVICE)
        self.manager: Actor | None = current if may else None
        self.quote: Quote | None = None
        self.busy = False
        self.current = QLabel(f"Order {order_number}: finding its service…", self)
        self.current.setWordWrap(True)
        self.sign_in = ManagerSignIn(app, Permission.CHANGE_SERVICE, "change the shipping service", current, self)
        self.table = self._table()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.ok_button = QPushButton("Sign in", self)
        self.ok_button.setDefault(True)
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.go_ahead)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.current, self.sign_in, self.table, self.message, buttons):
            layout.addWidget(widget)
        self.resize(920, 520)
        self._show_step()
        run_in_background(lambda: app.orders.quote(order_number), self._quoted, self._not_quoted, owner=self)

    def _table(self) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS), self)
        table.setHorizontalHeaderLabels(COLUMNS)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.doubleClicked.connect(lambda _index: self.go_ahead())
        return table

    def _show_step(self) -> None:
        """Step one (no manager yet): the sign-in. Step two: the options."""
        signed_in = self.manager is not None
        self.sign_in.setVisible(not signed_in)
        self.table.setVisible(signed_in)
        self.ok_button.setText("Change service" if signed_in else "Sign in")
        if signed_in:
            self.table.setFocus()
        else:
            self.sign_in.badge.setFocus()
            self.say("Only a manager or owner can change the shipping service: scan your badge, or choose your "
                     "name and type your PIN.", GREY)

    # ------------------------------------------------------------------ inputs

    def take_scan(self, value: ScanValue) -> None:
        """A scan from a scanner that is not a keyboard wedge: a manager's badge in step one."""
        if self.manager is None:
            self.sign_in.badge.setText(value.text)
            self.go_ahead()

    def go_ahead(self) -> None:
        """Enter or the button: sign in (step one), or change to the selected service."""
        if self.busy:
            return
        if self.manager is None:
            self._check_manager()
        else:
            self._change()

    def _check_manager(self) -> None:
        try:
            verify = self.sign_in.verifier()
        except SignInMissing as exc:
            self.sign_in.badge.setFocus()
            self.say(str(exc), RED)
            return
        self._run(verify, self._signed_in, "Checking…")

    def _signed_in(self, who: Actor) -> None:
        self.manager = who
        self._show_step()
        self.say(f"{who.full_name}: choose the service and press Enter." if self.quote else
                 f"{who.full_name}: the services are on their way…", GREY)

    def selected(self) -> str | None:
        """The ``carrier/service`` of the selected row; None when none is."""
        rows = self.table.selectionModel().selectedRows()
        item = self.table.item(rows[0].row(), 0) if rows else None
        return None if item is None else str(item.data(KEY_ROLE))

    def _change(self) -> None:
        key, quote, manager = self.selected(), self.quote, self.manager
        if quote is None or manager is None:
            self.say("The services are not listed yet: wait a moment, then try again.", AMBER)
            return
        if key is None:
            self.say("Choose the service to ship by.", RED)
            return
        if key == quote.service:
            self.say(f"{quote.service_name} is already this order's service: choose another one.", AMBER)
            return
        orders, number = self.app.orders, self.order_number
        self._run(lambda: orders.change_service(manager, number, key), self._changed, "Changing…")

    def _changed(self, quote: Quote) -> None:
        self._quoted(quote)
        self.changed.emit(quote)
        self.accept()

    # ------------------------------------------------------------------ showing

    def _quoted(self, quote: Quote) -> None:
        self.quote = quote
        self.current.setText(f"Order {quote.order_number} ships by {headline(quote)} — {quote.reason}.")
        self.table.setRowCount(len(quote.options))
        for row, option in enumerate(quote.options):
            for column, text in enumerate(option_cells(option)):
                item = QTableWidgetItem(text)
                item.setData(KEY_ROLE, option.service)
                if option.excluded_by is not None:  # visible, not selectable
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                    item.setToolTip(f"Routing rule '{option.excluded_by}' excludes this service for this order.")
                self.table.setItem(row, column, item)
            if option.service == quote.service:
                self.table.selectRow(row)
        if self.manager is not None:
            self.say("Choose the service and press Enter.", GREY)

    def _not_quoted(self, exc: Exception) -> None:
        show_status(self.current, f"Order {self.order_number}: its services cannot be listed: {refusal_text(exc)}",
                    RED)

    def _run(self, job: Callable[[], Any], done: Callable[[Any], None], doing: str) -> None:
        self._set_busy(True)
        self.say(doing, AMBER)

        def finish(value: Any) -> None:
            self._set_busy(False)
            done(value)

        run_in_background(job, finish, self._refused, owner=self)

    def _refused(self, exc: Exception) -> None:
        self._set_busy(False)
        self.say(refusal_text(exc), RED)
        if self.manager is None:
            self.sign_in.badge.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.ok_button.setEnabled(not busy)

    def say(self, text: str, colour: str) -> None:
        show_status(self.message, text, colour)
