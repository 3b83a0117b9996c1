"""``big_prompt``: the large bold line a scanner screen says its next step in ("Go to bin
A-01-1", "Scan an item"), read from a metre away. Receiving, Picking and Returns use it.

Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget


def big_prompt(text: str, parent: QWidget, name: str, scale: float = 1.8) -> QLabel:
    """A word-wrapping bold label ``scale`` times the normal type, named ``name`` for the style
    sheet; at least 20 characters wide, so it wraps instead of widening the screen."""
    prompt = QLabel(text, parent)
    prompt.setObjectName(name)
    prompt.setWordWrap(True)
    font = QFont(prompt.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    prompt.setFont(font)
    prompt.setMinimumWidth(parent.fontMetrics().averageCharWidth() * 20)
    return prompt
