"""Site settings → Reports: what the reports need, as an owner sets it in the window (the
same setting as ``fulfilstation site set-reports``).

* Time zone: the site's day is its local day. A searchable list of every IANA zone this
  PC knows (``zoneinfo.available_timezones()``): typing narrows it to the zones containing
  the text. Never set, it shows this PC's zone and says so (in amber) until saved.
* A target in whole minutes for each service-level step (``STEPS``).
* The packing labour rate per hour in major units of the currency ("18.50"), read with
  ``domain.money.parse_money_minor`` into minor units; 0 counts no labour in the costs report.
* The currency: its ISO 4217 code, chosen from ``domain.money.CURRENCIES`` or typed.

The page reads the settings in the background when it is made and saves through
``app.reports.set_settings``, which checks everything again (an unknown currency, a rate above
the ceiling, a zone that does not exist, someone who is not an owner): a refusal is shown
in its own words on the page, and nothing is stored. Only an amount that is not a number is
caught here, before asking.

Threading: GUI thread only; every database call runs through ``run_in_background``.
"""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.domain.money import CURRENCIES, format_money, minor_digits, parse_money_minor
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.refused import Refused
from fulfilstation.services.reports import (
    MAX_LABOUR_RATE_MAJOR,
    SMALL_UNIT_MAX_LABOUR_RATE_MAJOR,
    STEP_NAMES,
    STEPS,
    ReportSettings,
)
from ui.style import AMBER, GREEN, RED, show_status
from ui.widgets.fit_text import let_wrap
from ui.worker import run_in_background

MAX_TARGET_MIN = 60 * 24 * 30  # the use case's bound too
COMBO_CHARACTERS = 22  # a combo asks for this many characters, whatever its longest zone


def searchable_combo(items: list[str], parent: QWidget) -> QComboBox:
    """An editable combo of ``items`` whose completer offers those containing the typed text."""
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(items)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(COMBO_CHARACTERS)
    completer = QCompleter(items, combo)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    return combo


def major_text(minor: int, currency: str) -> str:
    """``1850, "USD"`` → ``"18.50"``: an amount as typed, without symbol or thousands commas."""
    digits = minor_digits(currency)
    return f"{Decimal(minor).scaleb(-digits):.{digits}f}"


class ReportSettingsPage(QWidget):
    def __init__(self, app: AppServices, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.actor = app, actor
        self.busy = True
        self.loaded = False  # until the stored settings are shown, there is nothing to save
        self.zone = searchable_combo(sorted(available_timezones()), self)
        self.targets: dict[str, QSpinBox] = {}
        form = QFormLayout()
        form.addRow("Time zone", self.zone)
        for step in STEPS:
            spin = QSpinBox(self)
            spin.setRange(1, MAX_TARGET_MIN)
            spin.setSuffix(" min")
            self.targets[step] = spin
            form.addRow(f"Target {STEP_NAMES[step]}", spin)
        self.rate = QLineEdit(self)
        self.rate.setPlaceholderText("e.g. 18.50")
        self.rate_unit = QLabel("", self)
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate, 1)
        rate_row.addWidget(self.rate_unit)
        form.addRow("Labour per hour", rate_row)
        self.currency = searchable_combo(sorted(CURRENCIES), self)
        self.currency.setMinimumContentsLength(4)
        self.currency.currentTextChanged.connect(self._currency_changed)
        form.addRow("Currency", self.currency)
        usual, small_unit = MAX_LABOUR_RATE_MAJOR, SMALL_UNIT_MAX_LABOUR_RATE_MAJOR
        self.hint = let_wrap(QLabel(f"The labour rate is per hour of packing, in the currency's whole units, "
                                    f"up to {usual:,} ({small_unit:,} in currencies whose unit is worth about a "
                                    "cent, such as JPY or KRW); 0 leaves labour out of the costs report.", self))
        self.hint.setObjectName("hint")
        self.message = let_wrap(QLabel("Reading the reports' settings…", self))
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
        run_in_background(app.reports.settings, self._loaded, self._failed, owner=self)

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.zone, self.rate, self.currency, self.save_button, *self.targets.values()):
            widget.setEnabled(on)

    def _currency_changed(self, text: str) -> None:
        self.rate_unit.setText(f"{text.strip().upper()} an hour")

    def _show(self, settings: ReportSettings) -> None:
        self.zone.setCurrentText(settings.time_zone)
        for step, spin in self.targets.items():
            spin.setValue(settings.targets[step])
        self.currency.setCurrentText(settings.currency)
        self.rate.setText(major_text(settings.labour_rate_minor, settings.currency))

    def _loaded(self, settings: ReportSettings) -> None:
        self.busy, self.loaded = False, True
        self._show(settings)
        self._set_enabled(True)
        if settings.zone_from_pc:
            show_status(self.message, f"The time zone is not set: the reports count {settings.time_zone} days, this "
                        "PC's. Choose the site's zone and Save.", AMBER)
        else:
            self.message.setText("")

    def wanted(self) -> ReportSettings | None:
        """The settings as filled in; None (said on the page) when the rate is not an amount."""
        currency = self.currency.currentText().strip().upper()
        rate = parse_money_minor(self.rate.text().strip() or "0", currency)
        if rate is None:
            show_status(self.message, f"{self.rate.text().strip()!r} is not an amount per hour: write it like "
                        f"{major_text(1850 * 10 ** minor_digits(currency) // 100, currency)}.", RED)
            return None
        return ReportSettings(time_zone=self.zone.currentText().strip(),
                              targets={step: spin.value() for step, spin in self.targets.items()},
                              labour_rate_minor=rate, currency=currency)

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
        run_in_background(lambda: app.reports.set_settings(actor, wanted), self._saved, self._failed, owner=self)

    def _saved(self, stored: ReportSettings) -> None:
        self.busy = False
        self._show(stored)
        self._set_enabled(True)
        labour = (f"packing labour {format_money(stored.labour_rate_minor, stored.currency)} an hour"
                  if stored.labour_rate_minor else "labour not counted")
        show_status(self.message, f"Saved: the site's days are {stored.time_zone} days; {labour}.", GREEN)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self._set_enabled(self.loaded)
        words = str(exc) if isinstance(exc, Refused) else ("The reports' settings could not be read or saved (the "
                                                           "database did not answer). Try again in a moment.")
        show_status(self.message, words, RED)
