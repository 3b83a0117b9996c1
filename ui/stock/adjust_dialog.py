"""The Adjust dialog (managers and owners): correct the selected level's on hand — set it to
the counted figure or change it by ±N — with a reason, which is required and kept with the
stock move; "Write off" records a decrease as scrap (damaged goods). The dialog stays open
while ``app.stock.adjust`` runs and shows a refusal in words (e.g. below what orders
reserved: it names them); the screen closes it when the figure is changed.

Threading: GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox, QWidget

from fulfilstation.services.stock import StockRow
from ui.orders.dialogs import AskDialog

SET, CHANGE = 0, 1
MAX_UNITS = 1_000_000


@dataclass(frozen=True)
class Adjustment:
    set_to: int | None
    by: int | None
    reason: str
    write_off: bool


class AdjustDialog(AskDialog):
    def __init__(self, row: StockRow, parent: QWidget | None = None) -> None:
        lot = f", lot {row.lot}" if row.lot else ""
        super().__init__(f"Adjust {row.sku} in {row.bin}", "Adjust",
                         f"{row.sku} {row.name} in bin {row.bin}{lot}: {row.on_hand} on hand, {row.reserved} "
                         "reserved for orders. Set the counted figure, or change it by what was found or is "
                         "missing. It cannot go below what is reserved.", parent)
        self.row = row
        self.kind = QComboBox(self)
        self.kind.addItem("Set on hand to (counted)")
        self.kind.addItem("Change by (+ found / − missing)")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.figure = QSpinBox(self)
        self.figure.setObjectName("stockAdjustFigure")
        self.figure.setRange(0, MAX_UNITS)
        self.figure.setValue(row.on_hand)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("stockAdjustReason")
        self.reason.setMaxLength(300)
        self.reason.setPlaceholderText("Why (kept with the stock move): counted, found damaged, …")
        self.write_off = QCheckBox("Write off (damaged goods: recorded as scrap)", self)
        self.form.addRow("How", self.kind)
        self.form.addRow("Figure", self.figure)
        self.form.addRow("Reason", self.reason)
        self.form.addRow("", self.write_off)
        self.resize(640, 340)
        self.reason.setFocus()

    def _kind_changed(self, index: int) -> None:
        if index == SET:
            self.figure.setRange(0, MAX_UNITS)
            self.figure.setValue(self.row.on_hand)
        else:
            self.figure.setRange(-MAX_UNITS, MAX_UNITS)
            self.figure.setValue(0)

    def value(self) -> object:
        reason = self.reason.text().strip()
        if not reason:
            self.reason.setFocus()
            self.say("Type the reason first: it is kept with the stock move and shown in the ledger.")
            return None
        figure = self.figure.value()
        if self.kind.currentIndex() == SET:
            return Adjustment(figure, None, reason, self.write_off.isChecked())
        if figure == 0:
            self.figure.setFocus()
            self.say("Give the change: +N units found, or −N missing.")
            return None
        return Adjustment(None, figure, reason, self.write_off.isChecked())
