"""Station → Void a shipment…: a manager voids a shipment that is not on a closed manifest.

The dialog asks for the tracking number (of any package) or the order number, a reason
(kept in the audit log) and the manager: a badge scan, or a name and a PIN
(``ManagerSignIn``). Enter anywhere is *Void*; what is missing is said and gets the focus,
so scanning the tracking number, typing the reason and scanning the badge is the whole job.
The sign-in and ``app.shipping.void`` run in one background call; the sentence the
service returns (or the refusal, in words) is shown, and ``voided`` tells the window.

Threading: GUI thread; the service call runs through ``run_in_background``.
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

from fulfilstation.domain.roles import Permission
from fulfilstation.ports import ScanValue
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.shipping import VoidOutcome
from ui.station.manager_sign_in import ManagerSignIn, SignInMissing, refusal_text
from ui.style import AMBER, GREEN, RED, show_status
from ui.worker import run_in_background


class VoidDialog(QDialog):
    voided = Signal(str)  # the service's sentence saying what was voided

    def __init__(self, app: AppServices, current: Actor | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Void a shipment")
        self.app = app
        self.busy = False
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText("Scan or type the tracking number or the order number")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Why, e.g. damaged while packing, customer cancelled")
        self.sign_in = ManagerSignIn(app, Permission.VOID, "void a shipment", current, self)
        self.message = QLabel("The shipment's items go back on the shelf, reserved for the order again.", self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.void_button = QPushButton("Void", self)
        self.void_button.setDefault(True)
        buttons.addButton(self.void_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.void)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Tracking or order number", self.reference)
        form.addRow("Reason", self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.sign_in)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, 360)
        self.reference.setFocus()

    def take_scan(self, value: ScanValue) -> None:
        """A scan from a scanner that is not a keyboard wedge: the reference while it is
        empty (or the reason, when that box has the focus), else a badge, which goes ahead."""
        focused, sign_in = self.focusWidget(), self.sign_in
        in_sign_in = focused in (sign_in.badge, sign_in.names, sign_in.pin)
        target = self.reason if focused is self.reason else \
            self.reference if not self.reference.text().strip() and not in_sign_in else sign_in.badge
        target.setText(value.text)
        if target is sign_in.badge:
            self.void()

    def void(self) -> None:
        if self.busy:
            return
        reference, reason = self.reference.text().strip(), self.reason.text().strip()
        if not reference or not reason:
            box = self.reference if not reference else self.reason
            box.setFocus()
            self.say("Scan or type the tracking number or the order number of the shipment to void." if not reference
                     else "Type why the shipment is voided (it is kept in the audit log).", RED)
            return
        try:
            verify = self.sign_in.verifier()
        except SignInMissing as exc:
            self.sign_in.badge.setFocus()
            self.say(str(exc), RED)
            return
        shipping = self.app.shipping

        def job() -> VoidOutcome:
            return shipping.void(verify(), reference, reason)

        self._set_busy(True)
        self.say(f"Voiding {reference}…", AMBER)
        run_in_background(job, self._voided, self._refused, owner=self)

    def _voided(self, outcome: VoidOutcome) -> None:
        sentence = outcome.message
        self._set_busy(False)
        self.reference.clear()
        self.reason.clear()
        self.reference.setFocus()
        self.say(sentence, GREEN)
        self.voided.emit(sentence)

    def _refused(self, exc: Exception) -> None:
        self._set_busy(False)
        self.say(refusal_text(exc), RED)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.void_button.setEnabled(not busy)

    def say(self, text: str, colour: str) -> None:
        show_status(self.message, text, colour)
