"""Page 2: the station's name (this PC's host name unless the settings already have one)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget, QWizardPage

from fulfilstation.services.setup.values import MAX_NAME


class StationPage(QWizardPage):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("What is this station called?")
        self.name = QLineEdit(name, self)
        self.name.setMaxLength(MAX_NAME)
        hint = QLabel("People see it on labels, in the audit log and in reports: e.g. PACK1, RECEIVING.", self)
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.name.textChanged.connect(lambda _text: self.completeChanged.emit())

    def station(self) -> str:
        return self.name.text().strip()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return bool(self.station())
