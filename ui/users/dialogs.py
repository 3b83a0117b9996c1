"""The Users screen's small forms: a user (add / edit), a new PIN (typed twice), a badge
(scanned), a job secret's label. Each only collects and checks what was typed; the use
case decides. GUI thread only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.services.users import NewUser, UserInfo
from ui.style import RED, show_status

ROLES = ("packer", "manager", "owner")


class _Form(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _check(self) -> None:
        problem = self.problem()
        if problem:
            show_status(self.message, problem, RED)
        else:
            self.accept()

    def problem(self) -> str | None:
        return None


def _secret_field(parent: QWidget, placeholder: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class UserForm(_Form):
    """A new user (with PIN and badge), or an existing one's name and role."""

    def __init__(self, parent: QWidget | None, existing: UserInfo | None = None) -> None:
        super().__init__("Edit user" if existing else "Add a user", parent)
        self.existing = existing
        self.username = QLineEdit(existing.username if existing else "", self)
        self.username.setReadOnly(existing is not None)
        self.full_name = QLineEdit(existing.full_name if existing else "", self)
        self.role = QComboBox(self)
        self.role.addItems(ROLES)
        self.role.setCurrentText(existing.role if existing else "packer")
        self.form.addRow("User name", self.username)
        self.form.addRow("Full name", self.full_name)
        self.form.addRow("Role", self.role)
        self.pin = _secret_field(self, "4 to 12 digits (optional)")
        self.again = _secret_field(self, "the same PIN again")
        self.badge = _secret_field(self, "scan the badge (optional)")
        if existing is None:
            self.form.addRow("PIN", self.pin)
            self.form.addRow("PIN again", self.again)
            self.form.addRow("Badge", self.badge)

    def problem(self) -> str | None:
        if not self.username.text().strip() or not self.full_name.text().strip():
            return "Give the user name and the full name."
        if self.pin.text() != self.again.text():
            return "The two PINs differ: type them again."
        return None

    def new_user(self) -> NewUser:
        return NewUser(self.username.text().strip(), self.full_name.text().strip(), self.role.currentText(),
                       self.pin.text() or None, self.badge.text().strip() or None)


class PinForm(_Form):
    def __init__(self, parent: QWidget | None, who: UserInfo) -> None:
        super().__init__(f"New PIN for {who.full_name}", parent)
        self.pin = _secret_field(self, "4 to 12 digits")
        self.again = _secret_field(self, "the same PIN again")
        self.form.addRow("New PIN", self.pin)
        self.form.addRow("Again", self.again)

    def problem(self) -> str | None:
        if not self.pin.text():
            return "Type the new PIN."
        return "The two PINs differ: type them again." if self.pin.text() != self.again.text() else None


class BadgeForm(_Form):
    """Scan a badge into the box; an empty box takes the user's badge away."""

    def __init__(self, parent: QWidget | None, who: UserInfo) -> None:
        super().__init__(f"Badge of {who.full_name}", parent)
        self.badge = _secret_field(self, "scan the badge; leave empty to take it away")
        self.form.addRow("Badge", self.badge)
        self.badge.setFocus()


class SecretForm(_Form):
    def __init__(self, parent: QWidget | None, who: UserInfo) -> None:
        super().__init__(f"Job secret for {who.full_name}", parent)
        self.label = QLineEdit("job", self)
        self.form.addRow("What it is for", self.label)
        note = QLabel("The secret is kept in THIS computer's password store only and never shown: issue it on the "
                      "computer that runs the job.", self)
        note.setWordWrap(True)
        self.form.addRow(note)
