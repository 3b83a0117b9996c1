"""``DeviceRow``: one device in the settings dialog — an editable address box listing the
choices, a Test button, and the result of the test in plain words.

Threading: GUI thread only. Subclasses implement ``run_test(uri)``, doing every toolkit
and device call through ``self.background`` (``run_in_background``; the Test button is
disabled while a call is in flight, so there are never two), and ``stop_test()``, which
must stop whatever the test opened. The dialog calls ``stop_test`` when it closes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from fulfilstation.devices import address_problem
from fulfilstation.ports import DeviceError, DeviceToolkit, DeviceUriError, DiscoveredDevice
from ui.device_settings.choices import Choice, discovered_choices, fixed_choices, merged
from ui.style import GREY, RED, result_css
from ui.worker import run_in_background


def error_text(exc: Exception) -> str:
    """A device failure in plain words, with what to do."""
    if isinstance(exc, DeviceUriError) or (isinstance(exc, ValueError) and not isinstance(exc, DeviceError)):
        return f"{address_problem(exc)} Fix the address and test again."
    if isinstance(exc, DeviceError):
        return exc.user_message
    return f"Unexpected error: {exc}"


class DeviceRow(QGroupBox):
    def __init__(self, kind: str, title: str, uri: str, toolkit: DeviceToolkit | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.kind = kind
        self.toolkit = toolkit
        self.choices: list[Choice] = []
        self.busy = False
        self.closed = False
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMinimumContentsLength(28)
        self.combo.setEditText(uri)
        self.combo.editTextChanged.connect(self._address_edited)
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.test_button = QPushButton("Test", self)
        self.test_button.setAutoDefault(False)  # Enter in a text box must not press it
        self.test_button.setEnabled(toolkit is not None)
        self.test_button.clicked.connect(self._test_clicked)
        self.result = QLabel(self)
        self.result.setObjectName("testResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.grid = QGridLayout(self)
        self.grid.addWidget(self.combo, 0, 0)
        self.grid.addWidget(self.test_button, 0, 1)
        self.grid.addWidget(self.hint, 1, 0, 1, 2)
        self.grid.addWidget(self.result, 2, 0, 1, 2)
        self.grid.setColumnStretch(0, 1)
        self.grid.setRowStretch(9, 1)  # keep the content at the top of the box
        self._update_hint()

    # ------------------------------------------------------------------ address

    def uri(self) -> str:
        return self.combo.currentText().strip()

    def set_choices(self, choices: Sequence[Choice]) -> None:
        """Offer ``choices`` in the list, keeping what the box shows."""
        text = self.combo.currentText()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.choices = list(choices)
        for index, choice in enumerate(self.choices):
            self.combo.addItem(choice.uri)
            self.combo.setItemData(index, choice.description, Qt.ItemDataRole.ToolTipRole)
        self.combo.setEditText(text)
        self.combo.blockSignals(False)
        self._update_hint()

    def _address_edited(self) -> None:
        self.stop_test()
        self.report("")
        self._update_hint()

    def _update_hint(self) -> None:
        uri = self.uri()
        known = next((c.description for c in self.choices if c.uri == uri), None)
        self.hint.setText(known if known is not None else "An address typed by hand: press Test to check it.")

    # ------------------------------------------------------------------ testing

    def _test_clicked(self) -> None:
        uri = self.uri()
        template = next((c for c in self.choices if c.placeholder and c.placeholder in uri), None)
        if template is not None:
            self.report(f"Replace {template.placeholder} in the address first: {template.description}.", RED)
            return
        self.stop_test()
        self.run_test(uri)

    def run_test(self, uri: str) -> None:
        raise NotImplementedError

    def stop_test(self) -> None:
        """Stop what the test opened (idempotent). Overridden by rows that keep a device open."""

    def close_row(self) -> None:
        self.closed = True
        self.stop_test()

    def background(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Run ``work`` off the GUI thread; ``done(result)`` or an error report follow on
        the GUI thread, unless the dialog has closed meanwhile."""
        self.busy = True
        self.test_button.setEnabled(False)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            self.busy = False
            self.test_button.setEnabled(True)
            if not self.closed:
                callback(value)

        run_in_background(work, lambda result: finish(done, result),
                          lambda exc: finish(self.report_error, exc), owner=self)

    def report(self, text: str, colour: str = GREY) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(result_css(colour) if text else "")

    def report_error(self, exc: Exception) -> None:
        self.report(error_text(exc), RED)


def offer_choices(rows: Sequence[DeviceRow], found: Sequence[DiscoveredDevice]) -> None:
    """Give each row its choices: the devices ``found`` of its kind, then the fixed ones
    (simulators, a PDF folder in the user's Documents, typed addresses)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    for row in rows:
        row.set_choices(merged(discovered_choices(row.kind, found),
                               fixed_choices(row.kind, Path(documents) if documents else None)))
