"""The Bins screen's form: a bin's fields (add, or edit an existing one). It only collects
what was typed; the use case checks and decides. GUI thread only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.services.bins import KINDS, BinFields, BinInfo
from ui.style import RED, show_status

SEQUENCE_MAX = 1_000_000_000


class BinForm(QDialog):
    """A new bin, or an existing one's fields (its code included: a new code needs new labels)."""

    def __init__(self, parent: QWidget | None, existing: BinInfo | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit bin {existing.code}" if existing else "Add a bin")
        self.setMinimumWidth(420)
        self.existing = existing
        self.code = QLineEdit(existing.code if existing else "", self)
        self.code.setMaxLength(32)
        self.code.setPlaceholderText("as on its label, e.g. A-01-1")
        self.zone = QLineEdit(existing.zone if existing else "", self)
        self.aisle = QLineEdit((existing.aisle or "") if existing else "", self)
        self.bay = QLineEdit((existing.bay or "") if existing else "", self)
        self.level = QLineEdit((existing.level or "") if existing else "", self)
        for field in (self.aisle, self.bay, self.level):
            field.setMaxLength(16)
        self.sequence = QSpinBox(self)
        self.sequence.setRange(0, SEQUENCE_MAX)
        self.sequence.setValue(existing.pick_sequence if existing else 0)
        self.kind = QComboBox(self)
        self.kind.addItems(KINDS)
        self.kind.setCurrentText(existing.kind if existing else "pickable")
        form = QFormLayout()
        for label, widget in (("Code", self.code), ("Zone", self.zone), ("Aisle", self.aisle), ("Bay", self.bay),
                              ("Level", self.level), ("Pick sequence", self.sequence), ("Kind", self.kind)):
            form.addRow(label, widget)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if not self.code.text().strip():
            show_status(self.message, "Give the bin its code (what its label will carry).", RED)
            return
        self.accept()

    def fields(self) -> BinFields:
        return BinFields(self.code.text().strip(), self.zone.text().strip(), self.aisle.text().strip() or None,
                         self.bay.text().strip() or None, self.level.text().strip() or None, self.sequence.value(),
                         self.kind.currentText())
