"""The owner's Carriers screen: every carrier account — how its labels are made (here from a
number range, EasyPost, or a gateway such as karrio and its carrier), whether its secrets are
on this computer — with "Add carrier account…" (``AddAccountDialog``) and "Test connection"
for the selected gateway account (the carrier's own answer on the status line).

Loads ``app.carriers.list`` in the background, again when carriers or accounts change here
or elsewhere. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtWidgets import QDialog, QHBoxLayout, QHeaderView, QPushButton, QTableView, QVBoxLayout, QWidget

from fulfilstation.domain.roles import Permission
from fulfilstation.services.app import AppServices
from fulfilstation.services.carriers import AccountInfo, CarrierInfo, ConnectionTest
from ui.carriers.account_dialog import AddAccountDialog, connection_words
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, GREEN, GREY, RED
from ui.widgets.row_model import SORT_ROLE, Column, RowModel
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background
from ui.workspace.screen import Screen

_SECRETS = {"stored": "on this computer", "missing": "missing here", "unknown": "no password store",
            "not-needed": "—"}


@dataclass(frozen=True)
class AccountRow:
    carrier: str
    carrier_name: str
    account: AccountInfo

    @property
    def key(self) -> str:
        return f"{self.carrier}/{self.account.account_number}"

    @property
    def made(self) -> str:
        account = self.account
        if account.gateway_carrier:
            return f"{account.gateway} ({account.gateway_carrier})"
        return {"local": "here (number range)", "easypost": "EasyPost"}.get(account.gateway, account.gateway)


def account_rows(carriers: list[CarrierInfo]) -> list[AccountRow]:
    return [AccountRow(c.code, c.name, a) for c in carriers for a in c.accounts]


COLUMNS: tuple[Column[AccountRow], ...] = (
    Column("Carrier", lambda r: r.carrier), Column("Account", lambda r: r.account.account_number),
    Column("Name", lambda r: r.account.name), Column("Labels from", lambda r: r.made),
    Column("Secrets", lambda r: _SECRETS.get(r.account.api_key, r.account.api_key)),
    Column("Default", lambda r: "yes" if r.account.default else ""),
)


class CarriersScreen(Screen):
    title = "Carriers"
    permission = Permission.CARRIERS
    watches = frozenset({"carriers", "carrier_accounts", "carrier_services", "number_ranges"})

    def __init__(self, app: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.open_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()  # tests show it instead
        self.model: RowModel[AccountRow] = RowModel(COLUMNS, lambda r: None if r.account.active else GREY)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setObjectName("accounts")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton("Add carrier account…", self)
        self.edit_button = QPushButton("Edit account…", self)
        self.test_button = QPushButton("Test connection", self)
        self.add_button.clicked.connect(self.add_account)
        self.edit_button.clicked.connect(self.edit_account)
        self.test_button.clicked.connect(self.test_connection)
        self.status = StatusLine(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._enable())
        self.dialog: AddAccountDialog | None = None
        self._enable()

    def refresh(self) -> None:
        run_in_background(self.app.carriers.list, self._loaded, self._failed, owner=self)

    def _loaded(self, carriers: list[CarrierInfo]) -> None:
        chosen = self.selected()
        self.model.set_rows(account_rows(carriers))
        if chosen is not None:
            self.select(chosen.key)
        self._enable()

    def selected(self) -> AccountRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def select(self, key: str) -> None:
        for row in range(self.proxy.rowCount()):
            if self.model.row(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).key == key:
                self.table.selectRow(row)
                return

    def forget_messages(self) -> None:
        self.status.forget()

    def _enable(self) -> None:
        row = self.selected()
        self.status.selection_is(row.key if row is not None else None)
        self.test_button.setEnabled(row is not None and row.account.gateway_carrier is not None)
        self.edit_button.setEnabled(row is not None and row.account.gateway_carrier is not None)

    def add_account(self) -> None:
        if self.actor is None:
            self.status.say("Sign in as an owner first.", RED)
            return
        self.dialog = AddAccountDialog(self.app, self.actor, self)
        self.dialog.saved.connect(lambda _account: self.refresh())
        self.open_dialog(self.dialog)

    def edit_account(self) -> None:
        """The selected gateway account in the dialog: settings, name, new secrets."""
        row = self.selected()
        if row is None or self.actor is None:
            return
        self.dialog = AddAccountDialog(self.app, self.actor, self, account=row.account)
        self.dialog.saved.connect(lambda _account: self.refresh())
        self.open_dialog(self.dialog)

    def test_connection(self) -> None:
        row, actor = self.selected(), self.actor
        if row is None or actor is None:
            return
        self.status.say(f"Asking {row.carrier_name} for a rate with {row.key}…", AMBER)
        self.test_button.setEnabled(False)
        key = row.key
        run_in_background(lambda: self.app.carriers.test_connection(actor, key), self._tested, self._failed,
                          owner=self)

    def _tested(self, result: ConnectionTest) -> None:
        self._enable()
        self.status.say(connection_words(result), GREEN if result.ok else RED)

    def _failed(self, exc: Exception) -> None:
        self._enable()
        self.status.say(refusal_text(exc), RED)
