"""What the Orders screen asks before a change: a reason (hold, release, cancel) or a
ship-to address. The dialog stays open while the use case runs in the background
("Working…"); a refusal is shown in it, in words, so the manager can fix what it says and
try again; the screen closes it when the change is done.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.address import Address
from ui.style import AMBER, RED, show_status


class AskDialog(QDialog):
    """A form with an action button; ``submitted`` carries what was asked for."""

    submitted = Signal(object)

    def __init__(self, title: str, action: str, explanation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.busy = False
        self.explanation = QLabel(explanation, self)
        self.explanation.setWordWrap(True)
        self.form = QFormLayout()
        self.message = QLabel("", self)
        self.message.setObjectName("orderDialogStatus")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.action_button = QPushButton(action, self)
        self.action_button.setDefault(True)
        buttons.addButton(self.action_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def value(self) -> object:
        """What to submit, or None when something is missing (then say so)."""
        raise NotImplementedError

    def submit(self) -> None:
        if self.busy:
            return
        value = self.value()
        if value is not None:
            self.submitted.emit(value)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.action_button.setEnabled(not busy)
        if busy:
            self.say("Working…", AMBER)

    def say(self, text: str, colour: str = RED) -> None:
        show_status(self.message, text, colour)


class ReasonDialog(AskDialog):
    def __init__(self, title: str, action: str, explanation: str, *, required: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, action, explanation, parent)
        self.required = required
        self.reason = QLineEdit(self)
        self.reason.setObjectName("orderReason")
        self.reason.setMaxLength(300)
        self.reason.setPlaceholderText("Why (kept with the order)" if required else "Why (optional)")
        self.form.addRow("Reason", self.reason)
        self.resize(640, 260)
        self.reason.setFocus()

    def value(self) -> object:
        text = self.reason.text().strip()
        if self.required and not text:
            self.reason.setFocus()
            self.say("Type the reason first: it is kept with the order and shown to whoever looks at it next.")
            return None
        return text


ADDRESS_FIELDS = (("name", "Name"), ("company", "Company"), ("line1", "Street"), ("line2", "Line 2"),
                  ("city", "City"), ("region", "State / region"), ("postal_code", "Postal code"),
                  ("country", "Country (2 letters)"), ("phone", "Phone"))


class AddressDialog(AskDialog):
    def __init__(self, number: str, address: Address, parent: QWidget | None = None) -> None:
        super().__init__(f"Ship-to address of {number}", "Save address",
                         f"Where order {number} ships. The label is made when it ships, so a change counts until "
                         "then.", parent)
        self.original = address
        self.fields: dict[str, QLineEdit] = {}
        for key, label in ADDRESS_FIELDS:
            edit = QLineEdit(str(getattr(address, key) or ""), self)
            edit.setObjectName(f"address_{key}")
            self.fields[key] = edit
            self.form.addRow(label, edit)
        self.resize(700, 560)
        self.fields["name"].setFocus()

    def value(self) -> object:
        text = {key: edit.text().strip() for key, edit in self.fields.items()}
        return Address(text["name"], text["line1"], text["city"], text["postal_code"], text["country"],
                       text["line2"] or None, text["region"] or None, text["company"] or None,
                       text["phone"] or None, self.original.email)
