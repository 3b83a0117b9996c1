"""``CappedText``: words that wrap, as high as they need up to ``max_lines`` lines, then
they scroll — so a sync round's errors or a failed push's error (a page of text, at worst)
never take the tables' room on a 1280×800 screen. The whole text is also the tooltip.

GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QWidget

from ui.style import show_status
from ui.widgets.fit_text import let_wrap


class CappedText(QScrollArea):
    def __init__(self, text: str, max_lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_lines = max_lines
        self.label = let_wrap(QLabel(text, self))
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fit()

    def text(self) -> str:
        return self.label.text()

    def set_text(self, text: str, colour: str | None = None) -> None:
        """Show ``text`` (in bold ``colour`` when given, as a status line)."""
        if colour is None:
            self.label.setText(text)
            self.label.setStyleSheet("")
        else:
            show_status(self.label, text, colour)
        self.label.setToolTip(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def _fit(self) -> None:
        """As high as the text at this width, at least one line, at most ``max_lines``."""
        line = self.label.fontMetrics().lineSpacing()
        width = self.width() - self.verticalScrollBar().sizeHint().width()
        needed = self.label.heightForWidth(max(width, 1))
        self.setFixedHeight(max(line, min(needed, line * self.max_lines)) + 4)
