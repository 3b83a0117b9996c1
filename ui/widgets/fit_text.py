"""Labels of variable text that never widen the window (1280×800 and up).

A QLabel asks its layout for the width of its text (unwrapped) or of its longest word
(wrapped); a long prompt, a repeated refusal or a 300-character barcode echoed in a
message then makes the whole window wider than the screen, and it never shrinks back.
Here, such a label takes the width its layout gives it instead:

* ``let_wrap(label)``: the text wraps at word boundaries and the label grows in height; a
  word too long for a line gets places to break (``breakable``) when shown with
  ``show_wrapped``.
* ``ElidedLabel``: one line, cut with "…" at the label's width, the whole text in its
  tooltip (and still in ``text()``).

GUI thread only.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QWidget

ZERO_WIDTH_SPACE = "\u200b"
BREAK_EVERY = 16  # characters of a long word between two places it may break
LONG_WORD = 24  # a word longer than this gets places to break
ELIDE_WORD = 60  # a longer word (not a path) is shown cut to ``ELIDED_TO`` characters: an echoed barcode
ELIDED_TO = 40
_WORD = re.compile(r"\S+")


def _break_word(word: str) -> str:
    if len(word) <= LONG_WORD:
        return word
    if len(word) > ELIDE_WORD and "/" not in word and "\\" not in word:
        half = (ELIDED_TO - 1) // 2
        word = word[:half] + "…" + word[-(ELIDED_TO - 1 - half):]
    word = re.sub(r"([/\\])", "\\1" + ZERO_WIDTH_SPACE, word)
    pieces = word.split(ZERO_WIDTH_SPACE)
    return ZERO_WIDTH_SPACE.join(
        ZERO_WIDTH_SPACE.join(piece[i:i + BREAK_EVERY] for i in range(0, len(piece), BREAK_EVERY)) or piece
        for piece in pieces)


def breakable(text: str) -> str:
    """``text`` as shown in a wrapping label: each word longer than ``LONG_WORD`` gets
    zero-width spaces (after a slash, and every ``BREAK_EVERY`` characters) so it can
    wrap; one longer than ``ELIDE_WORD`` that is not a path (an unknown barcode echoed
    back) is cut in its middle to ``ELIDED_TO`` characters. Short words are unchanged."""
    return _WORD.sub(lambda match: _break_word(match.group(0)), text)


def let_wrap(label: QLabel) -> QLabel:
    """``label`` wraps its text and takes the width it is given (no minimum of its own)."""
    label.setWordWrap(True)
    label.setMinimumWidth(0)
    policy = label.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
    policy.setHeightForWidth(True)
    label.setSizePolicy(policy)
    return label


def show_wrapped(label: QLabel, text: str) -> None:
    """Show ``text`` in a ``let_wrap`` label: long words may break; the tooltip has the text
    as it was when a word had to be cut."""
    shown = breakable(text)
    label.setText(shown)
    label.setToolTip(text if shown.replace(ZERO_WIDTH_SPACE, "") != text else "")


class ElidedLabel(QLabel):
    """One line of text cut with "…" where the label ends; ``text()`` is the whole text,
    shown (above its own tooltip) when the pointer rests on it while it is cut. Its minimum
    width is a few characters."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(0)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().horizontalAdvance("M…") * 3), hint.height())

    def elided(self) -> str:
        """The text as drawn at the label's current width."""
        width = self.contentsRect().width() - 2 * self.margin()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, max(width, 0))

    def is_cut(self) -> bool:
        return self.elided() != self.text()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent) and self.is_cut():
            QToolTip.showText(event.globalPos(), "\n".join(filter(None, (self.text(), self.toolTip()))), self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        shown = self.elided()
        painter = QPainter(self)
        rect = self.contentsRect().adjusted(self.margin(), self.margin(), -self.margin(), -self.margin())
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(), self.isEnabled(), shown,
                                  self.foregroundRole())


def wrapped_minimum(widget: QWidget, hint: QSize) -> QSize:
    """``hint`` (a widget's minimum size), as high as the wrapped lines of ``widget``'s
    layout need at its width once shown: a parent layout then gives way elsewhere instead
    of drawing its labels over each other. The widget calls ``updateGeometry`` when its
    width or texts change."""
    layout = widget.layout()
    if layout is None or not widget.isVisible():  # hidden, its width is not the one it will have
        return hint
    return QSize(hint.width(), max(hint.height(), layout.totalHeightForWidth(widget.width())))
