"""Look and feel: large type readable from two metres, high-contrast status colours."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

GREEN = "#1b7f3b"
AMBER = "#b36b00"
RED = "#b3261e"
GREY = "#5f6368"

STYLESHEET = """
QMainWindow, QWidget { font-size: 16pt; }
QLabel#title { font-size: 28pt; font-weight: 600; }
QLabel#banner { font-size: 26pt; font-weight: 700; color: white; padding: 12px; border-radius: 8px; }
QLabel#deviceChip { font-size: 13pt; padding: 4px 10px; border-radius: 10px; color: white; }
QTableView { font-size: 15pt; }
QHeaderView { font-size: 13pt; font-weight: 600; }  /* sized as drawn: the sections measure with it */
QHeaderView::section { font-size: 13pt; font-weight: 600; padding: 6px; }
QGroupBox { font-size: 17pt; font-weight: 600; }
QLabel#hint { font-size: 13pt; color: #5f6368; }
QLabel#testResult { font-size: 15pt; font-weight: 600; }
QLabel#bigWeight { font-size: 44pt; font-weight: 700; }
QLabel#orderNumber { font-size: 44pt; font-weight: 800; }
QLabel#customer { font-size: 24pt; font-weight: 600; }
QLabel#shipBy, QLabel#service { font-size: 20pt; font-weight: 600; }
QLabel#detail { font-size: 18pt; }
QTableView#lines { font-size: 18pt; }
QFrame#weightPanel { border: 2px solid #c4c7c5; border-radius: 8px; }
QLabel#panelTitle { font-size: 14pt; color: #5f6368; }
QLabel#scaleState { font-size: 16pt; font-weight: 600; }
QLabel#expected { font-size: 18pt; font-weight: 600; }
QLabel#box { font-size: 20pt; font-weight: 700; }
QLabel#stationLine { font-size: 15pt; font-weight: 600; color: #5f6368; }
QLabel#progress, QLabel#prompt { font-size: 20pt; font-weight: 600; }
QLabel#loginHeading { font-size: 36pt; font-weight: 700; }
QLabel#loginHint { font-size: 18pt; color: #5f6368; }
QListWidget#users { font-size: 24pt; }
QLabel#chosen { font-size: 24pt; font-weight: 600; }
QLineEdit#pin { font-size: 40pt; padding: 6px; }
QLineEdit#codeEntry { font-size: 14pt; }
QLabel#discovery { font-size: 14pt; }
"""


def banner_css(colour: str) -> str:
    return f"background-color: {colour};"


def result_css(colour: str) -> str:
    """Test results: coloured text (readable on the dialog's light background)."""
    return f"color: {colour};"


def show_status(label: QLabel, text: str, colour: str) -> None:
    """A dialog's status line: ``text`` in bold, in one of the status colours above."""
    label.setText(text)
    label.setStyleSheet(f"color: {colour}; font-weight: 600;")
