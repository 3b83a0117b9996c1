"""The owner's Users screen: every user with role, PIN, badge, job secrets and lock; add,
edit, deactivate or reactivate, set a PIN or a badge, unlock, issue and revoke job secrets.

Every action asks what it needs in a small form, then runs the use case
(``app.users.…``) in the background as the signed-in owner; the list reloads after each
change and whenever the users table changed elsewhere. Refusals (the last owner, a badge
that belongs to someone else …) are shown in words; that status line is cleared on sign-in
and sign-out and when another user is selected (``StatusLine``). GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtWidgets import QDialog, QGridLayout, QHeaderView, QPushButton, QTableView, QVBoxLayout, QWidget

from fulfilstation.domain.roles import Permission
from fulfilstation.domain.words import plural
from fulfilstation.services.app import AppServices
from fulfilstation.services.users import UserInfo
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, GREEN, GREY, RED
from ui.users.dialogs import BadgeForm, PinForm, SecretForm, UserForm
from ui.widgets.row_model import SORT_ROLE, Column, RowModel
from ui.widgets.status_line import StatusLine
from ui.worker import run_in_background
from ui.workspace.screen import Screen

BUTTONS_PER_ROW = 4

def _locked(user: UserInfo) -> str:
    return "locked" if user.locked(dt.datetime.now(dt.UTC)) else ""


COLUMNS: tuple[Column[UserInfo], ...] = (
    Column("Name", lambda u: u.full_name), Column("User", lambda u: u.username), Column("Role", lambda u: u.role),
    Column("Active", lambda u: "yes" if u.active else "no"), Column("PIN", lambda u: "set" if u.has_pin else "—"),
    Column("Badge", lambda u: "set" if u.has_badge else "—"),
    Column("Job secrets", lambda u: str(u.job_secrets or ""), lambda u: u.job_secrets), Column("Locked", _locked),
)


class UsersScreen(Screen):
    title = "Users"
    permission = Permission.MANAGE_USERS
    watches = frozenset({"users", "user_secrets"})

    def __init__(self, app: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.ask: Callable[[QDialog], bool] = lambda form: bool(form.exec())  # tests answer the forms
        self.model: RowModel[UserInfo] = RowModel(COLUMNS, lambda u: None if u.active else GREY)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setObjectName("users")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        self.status = StatusLine(self)
        self.buttons: dict[str, QPushButton] = {}
        row = QGridLayout()  # two rows of four: the buttons fit beside the navigation at 1280 px
        for index, (key, text, action) in enumerate( (("add", "Add…", self.add), ("edit", "Edit…", self.edit),
                                  ("active", "Deactivate", self.toggle_active), ("pin", "Set PIN…", self.set_pin),
                                  ("badge", "Badge…", self.set_badge), ("unlock", "Unlock", self.unlock),
                                  ("issue", "Issue job secret…", self.issue_secret),
                                  ("revoke", "Revoke job secrets", self.revoke_secrets))):
            button = QPushButton(text, self)
            button.clicked.connect(action)
            row.addWidget(button, index // BUTTONS_PER_ROW, index % BUTTONS_PER_ROW)
            self.buttons[key] = button
        row.setColumnStretch(BUTTONS_PER_ROW, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._enable())
        self._enable()

    # -- loading

    def refresh(self) -> None:
        run_in_background(self.app.users.list, self._loaded, self._failed, owner=self)

    def _loaded(self, users: list[UserInfo]) -> None:
        chosen = self.selected()
        self.model.set_rows(users)
        if chosen is not None:
            self.select(chosen.username)
        self._enable()

    def selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def select(self, username: str) -> None:
        for row in range(self.proxy.rowCount()):
            if self.model.row(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).username == username:
                self.table.selectRow(row)
                return

    def forget_messages(self) -> None:
        self.status.forget()

    def _enable(self) -> None:
        user = self.selected()
        self.status.selection_is(user.username if user is not None else None)
        for key, button in self.buttons.items():
            button.setEnabled(key == "add" or user is not None)
        self.buttons["active"].setText("Reactivate" if user is not None and not user.active else "Deactivate")

    # -- actions: ask, then run the use case as the signed-in owner

    def add(self) -> None:
        form = UserForm(self)
        if self.ask(form):
            new = form.new_user()
            self._run(f"Adding {new.full_name}…", lambda owner: self.app.users.add(owner, new))

    def edit(self) -> None:
        user = self.selected()
        if user is None:
            return
        form = UserForm(self, user)
        if self.ask(form):
            name, role = form.full_name.text(), form.role.currentText()
            self._run(f"Saving {user.full_name}…",
                      lambda owner: self.app.users.edit(owner, user.username, full_name=name, role=role))

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        use = self.app.users.reactivate if not user.active else self.app.users.deactivate
        self._run(f"{'Reactivating' if not user.active else 'Deactivating'} {user.full_name}…",
                  lambda owner: use(owner, user.username))

    def set_pin(self) -> None:
        user = self.selected()
        form = PinForm(self, user) if user is not None else None
        if user is not None and form is not None and self.ask(form):
            pin = form.pin.text()
            self._run(f"Saving {user.full_name}'s PIN…",
                      lambda owner: self.app.users.set_pin(owner, user.username, pin))

    def set_badge(self) -> None:
        user = self.selected()
        form = BadgeForm(self, user) if user is not None else None
        if user is not None and form is not None and self.ask(form):
            badge = form.badge.text().strip() or None
            self._run(f"Saving {user.full_name}'s badge…",
                      lambda owner: self.app.users.set_badge(owner, user.username, badge))

    def unlock(self) -> None:
        user = self.selected()
        if user is not None:
            self._run(f"Unlocking {user.full_name}…", lambda owner: self.app.users.unlock(owner, user.username))

    def issue_secret(self) -> None:
        user = self.selected()
        form = SecretForm(self, user) if user is not None else None
        if user is not None and form is not None and self.ask(form):
            label = form.label.text()
            self._run(f"Issuing a job secret for {user.full_name}…",
                      lambda owner: self.app.users.issue_secret(owner, user.username, label))

    def revoke_secrets(self) -> None:
        user = self.selected()
        if user is not None:
            self._run(f"Revoking {user.full_name}'s job secrets…",
                      lambda owner: self.app.users.revoke_secrets(owner, user.username))

    def _run(self, doing: str, job: Callable[[Any], object]) -> None:
        owner = self.actor
        if owner is None:
            self.status.say("Sign in as an owner first.", RED)
            return
        self.status.say(doing, AMBER)
        run_in_background(lambda: job(owner), self._done, self._failed, owner=self)

    def _done(self, result: object) -> None:
        if isinstance(result, UserInfo):
            text = f"Saved: {result.full_name} ({result.username}), {result.role}."
        elif isinstance(result, int):
            text = f"Revoked {plural(result, 'job secret')}."
        else:
            text = "Done: the job secret is in this computer's password store (never shown)."
        self.status.say(text, GREEN)
        self.refresh()

    def _failed(self, exc: Exception) -> None:
        self.status.say(refusal_text(exc), RED)
