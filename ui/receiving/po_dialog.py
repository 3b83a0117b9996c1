"""A manager's new purchase order: supplier, optional number, reference and default bin, and
its expected lines typed one per line as ``SKU quantity [bin]`` (a scanner can type the SKU).
The dialog stays open while ``app.receiving.create_po`` runs; a refusal is said in it.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from fulfilstation.services.receiving import ExpectedLine, NewPurchaseOrder
from ui.orders.dialogs import AskDialog


class PurchaseOrderDialog(AskDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New purchase order", "Create", "What the supplier will send: one line per product, "
                         "SKU then quantity (then a bin, if that line goes somewhere of its own).", parent)
        self.supplier = QLineEdit(self)
        self.number = QLineEdit(self)
        self.number.setPlaceholderText("the next PO-n when blank")
        self.reference = QLineEdit(self)
        self.bin = QLineEdit(self)
        self.bin.setPlaceholderText("where the goods go unless a bin is scanned")
        self.lines = QPlainTextEdit(self)
        self.lines.setPlaceholderText("MUG-CER-350 24\nTEA-EARL-100 40 RECV-01")
        for label, widget in (("Supplier", self.supplier), ("Number", self.number), ("Reference", self.reference),
                              ("Default bin", self.bin), ("Lines", self.lines)):
            self.form.addRow(label, widget)
        self.resize(640, 520)
        self.supplier.setFocus()

    def value(self) -> object:
        if not self.supplier.text().strip():
            self.supplier.setFocus()
            self.say("Name the supplier first.")
            return None
        lines = []
        for number, text in enumerate(self.lines.toPlainText().splitlines(), start=1):
            parts = text.replace(";", " ").replace(",", " ").split()
            if not parts:
                continue
            if len(parts) not in (2, 3) or not parts[1].isdigit():
                self.lines.setFocus()
                self.say(f"Line {number} ({text.strip()!r}): write the SKU, then the quantity (then a bin).")
                return None
            lines.append(ExpectedLine(parts[0], int(parts[1]), parts[2] if len(parts) == 3 else None))
        if not lines:
            self.lines.setFocus()
            self.say("Add at least one line: the SKU, then the quantity.")
            return None
        return NewPurchaseOrder(self.supplier.text(), tuple(lines), number=self.number.text().strip() or None,
                                reference=self.reference.text().strip() or None, bin=self.bin.text().strip() or None)
