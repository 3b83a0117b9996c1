"""Station → Site settings: the site-wide choices an owner makes in the window (the others —
ship-from address, units, tolerance, review rules — are set with ``fulfilstation site …``).

Three pages, each with its own Save and its own message line (a Save never stores what another
page shows):

* Shipping: partial shipments ("ship what is in stock, the rest later": a short checkbox,
  the explanation wrapped below it), saved through ``app.site.set_partial_shipments``.
* Reports (``ui.report_settings_page``): time zone, step targets, labour rate and currency,
  saved through ``app.reports.set_settings``.
* Customs (``ui.customs_settings_page``): contents type, incoterm, signer and the CN22 limit
  of international shipments, saved through ``app.site.set_customs``.

It opens ``WIDTH`` wide and is never wider than ``MAX_WIDTH``, so Save and Close are in sight
on a 1280×800 screen. Each page reads its current values in the background when the dialog
opens; the use cases check the owner's right again and audit the change; a refusal is shown
in words on its page, and the dialog stays open. The window offers the dialog to owners only
(``Permission.SITE_SETTINGS``).

Threading: GUI thread only; every database call runs through ``run_in_background``.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.refused import Refused
from ui.customs_settings_page import CustomsSettingsPage
from ui.report_settings_page import ReportSettingsPage
from ui.style import AMBER, GREEN, RED, show_status
from ui.widgets.fit_text import let_wrap
from ui.worker import run_in_background

PARTIAL_WORDS = "Ship what is in stock; the rest follows later"
PARTIAL_EXPLAINED = ("On: when an order cannot be fully reserved, what is in stock ships now and the rest "
                     "follows as a backorder of its own (order number -2, -3 …). Off: such an order waits whole "
                     "until every unit is in stock.")
WIDTH = 460  # px: the width it opens with, its words wrapped to it
MAX_WIDTH = 560  # px: never wider, on any screen (a 1280×800 station's too)


class SiteSettingsDialog(QDialog):
    def __init__(self, app: AppServices, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Site settings")
        self.app, self.actor = app, actor
        self.busy = True
        self.tabs = QTabWidget(self)
        shipping = QWidget(self.tabs)
        self.partial = QCheckBox(PARTIAL_WORDS, shipping)
        self.partial.setEnabled(False)
        self.explanation = let_wrap(QLabel(PARTIAL_EXPLAINED, shipping))
        self.message = let_wrap(QLabel("Reading the site settings…", shipping))
        self.save_button = QPushButton("Save", shipping)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        page = QVBoxLayout(shipping)
        page.addWidget(self.partial)
        page.addWidget(self.explanation)
        page.addWidget(self.message)
        page.addStretch(1)
        page.addLayout(save_row)
        self.tabs.addTab(shipping, "Shipping")
        self.reports = ReportSettingsPage(app, actor, self.tabs)
        self.tabs.addTab(self.reports, "Reports")
        self.customs = CustomsSettingsPage(app, actor, self.tabs)
        self.tabs.addTab(self.customs, "Customs")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.setMaximumWidth(MAX_WIDTH)
        self.resize(WIDTH, max(self.sizeHint().height(), layout.totalHeightForWidth(WIDTH)))
        run_in_background(app.site.partial_shipments, self._loaded, self._failed, owner=self)

    def _say(self, text: str, colour: str) -> None:
        """``text`` in the message line; the dialog grows in height (never in width) to show it whole."""
        show_status(self.message, text, colour)
        layout = self.layout()  # the dialog's: the page's message wraps inside it
        if layout is not None:
            self.resize(self.width(), max(self.height(), layout.totalHeightForWidth(self.width())))

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
        self._say("Saving…", AMBER)
        on = self.partial.isChecked()
        run_in_background(lambda: self.app.site.set_partial_shipments(self.actor, on), self._saved, self._failed,
                          owner=self)

    def _saved(self, on: bool) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        self._say("Saved: partial shipments are " + ("on." if on else "off."), GREEN)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        self.partial.setEnabled(True)
        words = str(exc) if isinstance(exc, Refused) else ("The site settings could not be read or saved (the "
                                                           "database did not answer). Try again in a moment.")
        self._say(words, RED)
