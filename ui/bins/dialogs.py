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

    def __init__(self, parent: QWidget | None, existing: BinInfo | None = None, *, typed: BinFields | None = None,
                 message: str = "") -> None:
        """``typed``: what was typed last time (the form opens again after a refusal, ``message``)."""
        super().__init__(parent)
        self.setWindowTitle(f"Edit bin {existing.code}" if existing else "Add a bin")
        self.setMinimumWidth(520)
        self.existing = existing
        start = typed or (BinFields(existing.code, existing.zone, existing.aisle, existing.bay, existing.level,
                                    existing.pick_sequence, existing.kind) if existing else BinFields(""))
        self.code = QLineEdit(start.code, self)
        self.code.setMaxLength(32)
        self.code.setPlaceholderText("as on its label, e.g. A-01-1")
        self.zone = QLineEdit(start.zone, self)
        self.aisle = QLineEdit(start.aisle or "", self)
        self.bay = QLineEdit(start.bay or "", self)
        self.level = QLineEdit(start.level or "", self)
        for field in (self.aisle, self.bay, self.level):
            field.setMaxLength(16)
        self.sequence = QSpinBox(self)
        self.sequence.setRange(0, SEQUENCE_MAX)
        self.sequence.setValue(start.pick_sequence)
        self.kind = QComboBox(self)
        self.kind.addItems(KINDS)
        self.kind.setCurrentText(start.kind or "pickable")
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
        if message:
            show_status(self.message, message, RED)
            self.code.setFocus()
            self.code.selectAll()

    def _check(self) -> None:
        if not self.code.text().strip():
            show_status(self.message, "Give the bin its code (what its label will carry).", RED)
            return
        self.accept()

    def fields(self) -> BinFields:
        return BinFields(self.code.text().strip(), self.zone.text().strip(), self.aisle.text().strip() or None,
                         self.bay.text().strip() or None, self.level.text().strip() or None, self.sequence.value(),
                         self.kind.currentText())
