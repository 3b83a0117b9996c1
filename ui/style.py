"""Look and feel: large type readable from two metres, high-contrast status colours."""

from __future__ import annotations

GREEN = "#1b7f3b"
AMBER = "#b36b00"
RED = "#b3261e"
GREY = "#5f6368"

STYLESHEET = """
QMainWindow, QWidget { font-size: 16pt; }
QLabel#title { font-size: 28pt; font-weight: 600; }
QLabel#banner { font-size: 30pt; font-weight: 700; color: white; padding: 18px; border-radius: 8px; }
QLabel#deviceChip { font-size: 13pt; padding: 4px 10px; border-radius: 10px; color: white; }
QTableView { font-size: 15pt; }
QHeaderView::section { font-size: 13pt; font-weight: 600; padding: 6px; }
QGroupBox { font-size: 17pt; font-weight: 600; }
QLabel#hint { font-size: 13pt; color: #5f6368; }
QLabel#testResult { font-size: 15pt; font-weight: 600; }
QLabel#bigWeight { font-size: 44pt; font-weight: 700; }
QLabel#discovery { font-size: 14pt; }
"""


def banner_css(colour: str) -> str:
    return f"background-color: {colour};"


def result_css(colour: str) -> str:
    """Test results: coloured text (readable on the dialog's light background)."""
    return f"color: {colour};"
