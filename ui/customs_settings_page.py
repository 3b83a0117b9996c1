"""Site settings → Customs: the customs terms of international shipments, as an owner sets
them in the window (the same setting as ``fulfilstation site set-customs``).

* Contents: what the parcels hold (merchandise, gift, documents, sample, return_merchandise,
  other), the category ticked on the CN22/CN23 and the invoice's reason for export.
* Incoterm: who pays duties (DDU, DAP, DDP …).
* Signer: the name printed as the sender's signature (empty: a line to sign by hand).
* CN22 limit and its currency: a declared value up to the limit goes on a CN22, above it on
  a CN23 (about 300 SDR), read with ``domain.money.parse_money_minor``.

The page reads the terms in the background when it is made and saves through
``app.site.set_customs``, which checks everything again (an unknown code, someone who is not
an owner): a refusal is shown in its own words on the page and nothing is stored. Only a
limit that is not an amount is caught here, before asking.

Threading: GUI thread only; every database call runs through ``run_in_background``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from fulfilstation.domain.money import CURRENCIES, format_money, parse_money_minor
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.refused import Refused
from fulfilstation.services.site import CONTENTS_TYPES, INCOTERMS, CustomsTerms
from ui.report_settings_page import major_text, searchable_combo
from ui.style import AMBER, GREEN, RED, show_status
from ui.widgets.fit_text import let_wrap
from ui.worker import run_in_background


class CustomsSettingsPage(QWidget):
    def __init__(self, app: AppServices, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.actor = app, actor
        self.busy, self.loaded = True, False
        self.contents = QComboBox(self)
        self.contents.addItems(CONTENTS_TYPES)
        self.incoterm = QComboBox(self)
        self.incoterm.addItems(INCOTERMS)
        self.signer = QLineEdit(self)
        self.signer.setPlaceholderText("name printed as the signature")
        self.limit = QLineEdit(self)
        self.limit.setPlaceholderText("e.g. 400.00")
        self.currency = searchable_combo(sorted(CURRENCIES), self)
        self.currency.setMinimumContentsLength(4)
        limit_row = QHBoxLayout()
        limit_row.addWidget(self.limit, 1)
        limit_row.addWidget(self.currency)
        form = QFormLayout()
        form.addRow("Contents", self.contents)
        form.addRow("Incoterm", self.incoterm)
        form.addRow("Signer", self.signer)
        form.addRow("CN22 up to", limit_row)
        self.hint = let_wrap(QLabel("A parcel leaving the ship-from country gets a CN22 when its declared value is "
                                    "at most this amount (about 300 SDR), else a CN23, and a commercial invoice; "
                                    "they print on the station's document printer with the label.", self))
        self.hint.setObjectName("hint")
        self.message = let_wrap(QLabel("Reading the customs terms…", self))
        self.save_button = QPushButton("Save", self)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._set_enabled(False)
        run_in_background(app.site.customs, self._loaded, self._failed, owner=self)

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.contents, self.incoterm, self.signer, self.limit, self.currency, self.save_button):
            widget.setEnabled(on)

    def _show(self, terms: CustomsTerms) -> None:
        self.contents.setCurrentText(terms.contents_type)
        self.incoterm.setCurrentText(terms.incoterm)
        self.signer.setText(terms.signer or "")
        self.currency.setCurrentText(terms.cn22_currency)
        self.limit.setText(major_text(terms.cn22_limit_minor, terms.cn22_currency))

    def _loaded(self, terms: CustomsTerms) -> None:
        self.busy, self.loaded = False, True
        self._show(terms)
        self._set_enabled(True)
        self.message.setText("")

    def wanted(self) -> CustomsTerms | None:
        """The terms as filled in; None (said on the page) when the limit is not an amount."""
        currency = self.currency.currentText().strip().upper()
        limit = parse_money_minor(self.limit.text().strip() or "0", currency)
        if limit is None:
            show_status(self.message, f"{self.limit.text().strip()!r} is not an amount: write it like 400.00.", RED)
            return None
        return CustomsTerms(self.contents.currentText(), self.incoterm.currentText(),
                            self.signer.text().strip() or None, limit, currency)

    def save(self) -> None:
        if self.busy:
            return
        wanted = self.wanted()
        if wanted is None:
            return
        self.busy = True
        self._set_enabled(False)
        show_status(self.message, "Saving…", AMBER)
        app, actor = self.app, self.actor
        run_in_background(lambda: app.site.set_customs(actor, wanted), self._saved, self._failed, owner=self)

    def _saved(self, stored: CustomsTerms) -> None:
        self.busy = False
        self._show(stored)
        self._set_enabled(True)
        show_status(self.message, f"Saved: {stored.contents_type}, {stored.incoterm}; CN22 up to "
                    f"{format_money(stored.cn22_limit_minor, stored.cn22_currency)}.", GREEN)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self._set_enabled(self.loaded)
        words = str(exc) if isinstance(exc, Refused) else ("The customs terms could not be read or saved (the "
                                                           "database did not answer). Try again in a moment.")
        show_status(self.message, words, RED)
