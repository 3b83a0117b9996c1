"""Station → Site settings: the site-wide choices an owner makes in the window (the others —
ship-from address, units, tolerance, review rules — are set with ``fulfilstation site …``).

Today it holds one choice: partial shipments ("ship what is in stock, the rest later"). The
dialog reads the current value in the background when it opens, and saves through
``app.site.set_partial_shipments`` (which checks the owner's right again and audits the
change); a refusal is shown in words in the dialog, which stays open.

Threading: GUI thread only; every database call runs through ``run_in_background``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.refused import Refused
from ui.style import AMBER, GREEN, RED, show_status
from ui.worker import run_in_background

PARTIAL_WORDS = ("When an order cannot be fully reserved, ship what is in stock now; the rest follows as a "
                 "backorder of its own (order number -2, -3 …)")


class SiteSettingsDialog(QDialog):
    def __init__(self, app: AppServices, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Site settings")
        self.app, self.actor = app, actor
        self.busy = True
        self.partial = QCheckBox(PARTIAL_WORDS, self)
        self.partial.setEnabled(False)
        explanation = QLabel("Off, such an order waits whole until every unit is in stock.", self)
        explanation.setWordWrap(True)
        self.message = QLabel("Reading the site settings…", self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.save_button = QPushButton("Save", self)
        self.save_button.setEnabled(False)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.partial)
        layout.addWidget(explanation)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        run_in_background(app.site.partial_shipments, self._loaded, self._failed, owner=self)

    def _loaded(self, on: bool) -> None:
        self.busy = False
        self.partial.setChecked(bool(on))
        self.partial.setEnabled(True)
        self.save_button.setEnabled(True)
        self.message.setText("")

    def save(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.save_button.setEnabled(False)
        show_status(self.message, "Saving…", AMBER)
        on = self.partial.isChecked()
        run_in_background(lambda: self.app.site.set_partial_shipments(self.actor, on), self._saved, self._failed,
                          owner=self)

    def _saved(self, on: bool) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        show_status(self.message, "Saved: partial shipments are " + ("on." if on else "off."), GREEN)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        self.partial.setEnabled(True)
        words = str(exc) if isinstance(exc, Refused) else ("The site settings could not be read or saved (the "
                                                           "database did not answer). Try again in a moment.")
        show_status(self.message, words, RED)
