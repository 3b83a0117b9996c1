"""The first-run screen: a new database has no owner, so the first person makes themselves
the owner here (user name, full name, PIN typed twice) — the one change that needs no
sign-in (``app.users.create_owner``, refused once an owner exists, even one made at the same
moment elsewhere). ``created`` carries the new owner; then the station shows its log-in.

GUI thread only; the creation runs in the background.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from fulfilstation.services.app import AppServices
from fulfilstation.services.users import UserInfo
from ui.station.manager_sign_in import refusal_text
from ui.style import AMBER, RED, show_status
from ui.widgets.fit_text import let_wrap
from ui.worker import run_in_background


class FirstRunScreen(QWidget):
    created = Signal(object)  # UserInfo of the new owner

    def __init__(self, app: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        heading = let_wrap(QLabel("Welcome to FulfilStation", self))
        heading.setObjectName("loginHeading")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel("This database has no owner yet. Make yourself its owner: you will add the other users "
                      "from the Users screen.", self)
        hint.setObjectName("loginHint")
        hint.setWordWrap(True)
        self.username = QLineEdit(self)
        self.username.setPlaceholderText("e.g. olga")
        self.full_name = QLineEdit(self)
        self.full_name.setPlaceholderText("e.g. Olga Owner")
        self.pin = QLineEdit(self)
        self.again = QLineEdit(self)
        for field in (self.pin, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMaxLength(12)
        self.pin.setPlaceholderText("4 to 12 digits")
        self.create_button = QPushButton("Create the owner", self)
        self.create_button.clicked.connect(self.create_owner)
        self.again.returnPressed.connect(self.create_owner)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("User name", self.username)
        form.addRow("Full name", self.full_name)
        form.addRow("PIN", self.pin)
        form.addRow("PIN again", self.again)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.create_button)
        layout.addWidget(self.message)
        layout.addStretch(2)

    def create_owner(self) -> None:
        username, full_name, pin = self.username.text().strip(), self.full_name.text().strip(), self.pin.text()
        if not username or not full_name or not pin:
            show_status(self.message, "Fill in the user name, the full name and the PIN.", RED)
            return
        if pin != self.again.text():
            self.pin.clear()
            self.again.clear()
            show_status(self.message, "The two PINs differ: type them again.", RED)
            return
        self.create_button.setEnabled(False)
        show_status(self.message, "Creating the owner…", AMBER)
        run_in_background(lambda: self.app.users.create_owner(username, full_name, pin), self._created,
                          self._failed, owner=self)

    def _created(self, owner: UserInfo) -> None:
        self.create_button.setEnabled(True)
        self.pin.clear()
        self.again.clear()
        self.created.emit(owner)

    def _failed(self, exc: Exception) -> None:
        self.create_button.setEnabled(True)
        show_status(self.message, refusal_text(exc), RED)
