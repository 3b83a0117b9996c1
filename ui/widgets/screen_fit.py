"""Windows and dialogs that fit the screen they open on (``QScreen.availableGeometry``):
a 1280×800 packing-station screen shows every button of every window without dragging.

``fitted(size, widget)`` is ``size`` shrunk to the available area of the widget's screen;
``within_screen(rect, widget)`` is ``rect`` shrunk and moved into it; ``place_on_screen``
does that to a shown window, its frame (title bar, borders) included. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def available(widget: QWidget) -> QRect:
    """The area of ``widget``'s screen (the primary one before it is shown) windows may use."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted(size: QSize, widget: QWidget) -> QSize:
    """``size``, no larger than the available area of ``widget``'s screen."""
    return size.boundedTo(available(widget).size())


def within_screen(rect: QRect, widget: QWidget) -> QRect:
    """``rect`` (a window's geometry), shrunk to the available area and moved inside it."""
    area = available(widget)
    result = QRect(rect.topLeft(), fitted(rect.size(), widget))
    if result.right() > area.right():
        result.moveRight(area.right())
    if result.bottom() > area.bottom():
        result.moveBottom(area.bottom())
    result.moveLeft(max(result.left(), area.left()))
    result.moveTop(max(result.top(), area.top()))
    return result


def place_on_screen(window: QWidget) -> None:
    """Shrink and move the shown ``window`` so that it, with its frame, is within the
    available area of its screen (a window manager may add the frame after the show: call
    again then; a window already within is left alone)."""
    frame, inner = window.frameGeometry(), window.geometry()
    placed = within_screen(frame, window)
    if placed == frame:
        return
    left, top = inner.left() - frame.left(), inner.top() - frame.top()
    right, bottom = frame.right() - inner.right(), frame.bottom() - inner.bottom()
    window.setGeometry(placed.adjusted(left, top, -right, -bottom))
