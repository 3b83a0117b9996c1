"""The log-in screen: scan your badge, or choose your name and type your PIN.

Keyboard only: ↑ and ↓ choose the name (a click works too), the digits go to the large
PIN box, Enter submits. Badge scans do not come through here: the wedge filter (or the
scanner adapter) hands them to the controller. ``pin_entered(username, pin)`` is emitted
on Enter; the PIN box is cleared at once. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

from fulfilstation.services.users import LoginChoice
from ui.widgets.fit_text import let_wrap

USERNAME_ROLE = Qt.ItemDataRole.UserRole


class PinField(QLineEdit):
    """The PIN box; ↑/↓ move the choice of name (``step(-1 | +1)``), Enter ``submitted``."""

    step = Signal(int)
    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step.emit(-1 if key == Qt.Key.Key_Up else 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class LoginScreen(QWidget):
    pin_entered = Signal(str, str)  # username, PIN
    problem = Signal(str)  # something to tell the packer (no name chosen, no PIN typed)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = let_wrap(QLabel("Scan your badge to log in", self))
        self.heading.setObjectName("loginHeading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = let_wrap(QLabel("…or choose your name with ↑ ↓, type your PIN and press Enter", self))
        self.hint.setObjectName("loginHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preferred: str | None = None
        self.users = QListWidget(self)
        self.users.setObjectName("users")
        self.users.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the PIN box keeps the keys
        self.pin = PinField(self)
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.pin.setPlaceholderText("PIN")
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.step.connect(self.move_choice)
        self.pin.submitted.connect(self.submit)
        self.users.itemClicked.connect(lambda _item: self.pin.setFocus())
        self.chosen = let_wrap(QLabel("No name chosen", self))
        self.chosen.setObjectName("chosen")
        self.chosen.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.users.currentItemChanged.connect(self._show_choice)
        grid = QGridLayout(self)
        grid.addWidget(self.heading, 0, 0, 1, 2)
        grid.addWidget(self.hint, 1, 0, 1, 2)
        grid.addWidget(self.users, 2, 0, 3, 1)
        grid.addWidget(self.chosen, 2, 1)
        grid.addWidget(self.pin, 3, 1)
        grid.setRowStretch(4, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def set_users(self, users: list[LoginChoice]) -> None:
        """Active users, as ``app.users.login_choices`` returns them."""
        current = self.preferred or self.username()
        self.preferred = None
        self.users.clear()
        for user in users:
            item = QListWidgetItem(f"{user.full_name} ({user.role})")
            item.setData(USERNAME_ROLE, user.username)
            self.users.addItem(item)
            if user.username == current:
                self.users.setCurrentItem(item)

    def prefer(self, username: str) -> None:
        """Choose ``username`` once the list of users (re)arrives."""
        self.preferred = username
        self.choose(username)

    def username(self) -> str | None:
        item = self.users.currentItem()
        return None if item is None else str(item.data(USERNAME_ROLE))

    def choose(self, username: str) -> bool:
        for row in range(self.users.count()):
            if self.users.item(row).data(USERNAME_ROLE) == username:
                self.users.setCurrentRow(row)
                return True
        return False

    def move_choice(self, step: int) -> None:
        count = self.users.count()
        if count:
            row = self.users.currentRow()
            self.users.setCurrentRow(0 if row < 0 else max(0, min(count - 1, row + step)))

    def submit(self) -> None:
        username, pin = self.username(), self.pin.text()
        self.pin.clear()
        if username is None:
            self.problem.emit("Choose your name first (↑ ↓), then type your PIN and press Enter.")
        elif not pin:
            self.problem.emit("Type your PIN, then press Enter.")
        else:
            self.pin_entered.emit(username, pin)

    def reset(self) -> None:
        self.pin.clear()
        self.users.setCurrentRow(-1)
        self.pin.setFocus()

    def _show_choice(self, item: QListWidgetItem | None) -> None:
        self.chosen.setText(item.text() if item is not None else "No name chosen")
