"""Page 4: the demo warehouse (one PC only: a site's database is the site's), what Finish
will do, and — once it ran — what it did, line by line."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget, QWizardPage

from fulfilstation.services.setup import SetupReport
from fulfilstation.services.setup.values import Outcome
from ui.style import AMBER, GREEN, GREY, RED, result_css

DEMO_NOTE = ("45 products, 100 bins and 50 orders to pack; sign in with PIN 1111 (packer), 2222 (manager) or "
             "3333 (owner).")


class FinishPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Ready to set up this station")
        self.demo = QCheckBox("Add a demo warehouse to try things out", self)
        self.demo_note = QLabel(self)  # a check box's text does not wrap: the details go here
        self.demo_note.setObjectName("hint")
        self.demo_note.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.result = QLabel(self)
        self.result.setObjectName("testResult")
        self.result.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.demo)
        layout.addWidget(self.demo_note)
        layout.addWidget(self.summary)
        layout.addWidget(self.result)
        layout.addStretch(1)

    def prepare(self, summary: str, one_pc: bool) -> None:
        self.demo.setEnabled(one_pc)
        if not one_pc:
            self.demo.setChecked(False)
        self.demo_note.setText(DEMO_NOTE if one_pc else "Only on this PC's own database: a site's database is the "
                               "site's.")
        self.summary.setText(summary)
        self.say("")

    def show_report(self, report: SetupReport) -> None:
        warned = bool(report.warnings)
        text = "\n".join(("⚠ " if line.outcome is Outcome.WARNING else "✓ ") + line.text for line in report.lines)
        self.say(text, AMBER if warned else GREEN)

    def say(self, text: str, colour: str = GREY) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(result_css(colour) if text else "")

    def refused(self, text: str) -> None:
        self.say(text, RED)
