"""A manager's new RMA: the order number, the lines coming back typed one per line as
``SKU quantity reason`` (a scanner can type the SKU; the reason is a code or its words, from
the fixed list shown), whether to make a return label, and a note. The dialog stays open
while ``app.returns.create`` runs; a refusal is said in it.

Threading: GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from fulfilstation.domain.return_reasons import REASONS, reason_code
from fulfilstation.services.returns import NewRmaLine
from ui.orders.dialogs import AskDialog


@dataclass(frozen=True)
class NewRma:
    order: str
    lines: tuple[NewRmaLine, ...]
    label: bool
    note: str | None


class CreateRmaDialog(AskDialog):
    def __init__(self, parent: QWidget | None = None, order: str = "") -> None:
        super().__init__("New return (RMA)", "Authorise", "What comes back from a shipped order: one line per "
                         "product, SKU then quantity then the reason — "
                         f"{', '.join(REASONS)}.", parent)
        self.order = QLineEdit(order, self)
        self.order.setPlaceholderText("the order number (scan the packing slip)")
        self.lines = QPlainTextEdit(self)
        self.lines.setPlaceholderText("MUG-CER-350 1 damaged-in-transit\nNB-A5-DOT 2 no-longer-needed")
        self.label = QCheckBox("Make a return label from the order's carrier (printed here)", self)
        self.label.setChecked(True)
        self.note = QLineEdit(self)
        for text, widget in (("Order", self.order), ("Lines", self.lines), ("", self.label), ("Note", self.note)):
            self.form.addRow(text, widget)
        self.resize(640, 460)
        self.order.setFocus()

    def value(self) -> object:
        if not self.order.text().strip():
            self.order.setFocus()
            self.say("Give the order number first.")
            return None
        lines = []
        for number, text in enumerate(self.lines.toPlainText().splitlines(), start=1):
            parts = text.replace(";", " ").replace(",", " ").split()
            if not parts:
                continue
            reason = reason_code(" ".join(parts[2:])) if len(parts) >= 3 else None
            if len(parts) < 3 or not parts[1].isdigit() or reason is None:
                self.lines.setFocus()
                self.say(f"Line {number} ({text.strip()!r}): write the SKU, the quantity, then a reason "
                         f"({', '.join(REASONS)}).")
                return None
            lines.append(NewRmaLine(parts[0], int(parts[1]), reason))
        if not lines:
            self.lines.setFocus()
            self.say("Add at least one line: the SKU, the quantity and the reason.")
            return None
        return NewRma(self.order.text().strip(), tuple(lines), self.label.isChecked(),
                      self.note.text().strip() or None)
