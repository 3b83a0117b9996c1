"""The manager's deliberate acceptance of a weight outside the expected range.

After a weight refusal the next badge scanned at the station signs its holder in; a
manager then gets this dialog: the reading, the expected range and the difference (in the
site's unit, followed while the dialog is open: ``set_unit``), a reason chosen from
``weight_check.OVERRIDE_REASONS`` plus free text ("Other" needs the text), and *Accept and
ship*. Nothing ships until they confirm; Cancel (or Esc) leaves the pack as it was. The
ship use case checks the manager's role and refuses an empty reason again: this dialog
only asks.

Threading: GUI thread only; it calls nothing blocking (``accepted_weight`` carries the
reason to the controller, which ships in the background).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.units import format_weight
from fulfilstation.domain.weight_check import OVERRIDE_REASONS, WeightVerdict
from fulfilstation.ports import ScanValue
from ui.station.pack_steps import WeightQuestion
from ui.style import RED, show_status

OTHER = OVERRIDE_REASONS[-1]


class WeightOverrideDialog(QDialog):
    accepted_weight = Signal(object, str)  # WeightQuestion, the reason

    def __init__(self, question: WeightQuestion, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setWindowTitle(f"Accept the weight of {question.order_number}?")
        self.reading = QLabel(self)
        self.range = QLabel(self)
        self.difference = QLabel(self)
        self.set_unit(unit)
        self.reasons = QComboBox(self)
        self.reasons.addItem("(choose a reason)", "")
        for reason in OVERRIDE_REASONS:
            self.reasons.addItem(reason, reason)
        self.details = QLineEdit(self)
        self.details.setPlaceholderText("More about it (needed for Other)")
        goes = "this package is closed" if question.closes_package else "this parcel ships"
        self.message = QLabel(f"{question.manager.full_name}: {goes} at this weight on your authority, with "
                              "your reason in its history.", self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.accept_button = QPushButton("Accept and close the package" if question.closes_package
                                         else "Accept and ship", self)
        buttons.addButton(self.accept_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Reading", self.reading)
        form.addRow("Expected", self.range)
        form.addRow("Difference", self.difference)
        form.addRow("Reason", self.reasons)
        form.addRow("Details", self.details)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reasons.setFocus()

    def set_unit(self, unit: str) -> None:
        """Show the reading, the range and the difference in ``unit`` (the site's)."""
        expected, grams = self.question.expected, self.question.weighing.grams
        side = "heavy" if expected.verdict(grams) is WeightVerdict.OVER else "light"
        self.reading.setText(format_weight(grams, unit))
        self.range.setText(f"{expected.range_text(unit)} (expected {format_weight(expected.expected_g, unit)})")
        self.difference.setText(f"{expected.difference(grams, unit)} {side}")

    def reason(self) -> str:
        """The chosen reason with the typed details ("" when there is not enough)."""
        chosen, details = str(self.reasons.currentData() or ""), self.details.text().strip()
        if chosen == OTHER or not chosen:
            return details
        return f"{chosen}: {details}" if details else chosen

    def take_scan(self, value: ScanValue) -> None:
        """A scan while the dialog is open is not packing: it goes into the details box."""
        self.details.setText(value.text)

    def confirm(self) -> None:
        reason = self.reason()
        if not reason:
            (self.details if self.reasons.currentData() == OTHER else self.reasons).setFocus()
            show_status(self.message, "Choose why this weight is right (or choose Other and type why), "
                        "then press Accept and ship.", RED)
            return
        self.accepted_weight.emit(self.question, reason)
        self.accept()
