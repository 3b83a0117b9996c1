"""Windows and dialogs that fit the screen they open on (``QScreen.availableGeometry``):
a 1280×800 packing-station screen shows every button of every window without dragging.

``fitted(size, widget)`` is ``size`` shrunk to the available area of the widget's screen;
``client_fitted`` leaves room in it for the frame a window manager adds (on X11 only known
once the window is mapped); ``show_fitted`` shows a main window maximized on a small screen;
``within_screen(rect, widget)`` is ``rect`` shrunk and moved into it; ``place_on_screen``
does that to a shown window, its frame (title bar, borders) included. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def available(widget: QWidget) -> QRect:
    """The area of ``widget``'s screen (the primary one before it is shown) windows may use."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted(size: QSize, widget: QWidget) -> QSize:
    """``size``, no larger than the available area of ``widget``'s screen."""
    return size.boundedTo(available(widget).size())


FRAME_ALLOWANCE = QMargins(8, 40, 8, 8)  # a title bar and borders, before the window manager says
SMALL_SCREEN = QSize(1366, 800)  # a main window opens maximized on an available area this small


def client_fitted(size: QSize, widget: QWidget) -> QSize:
    """``size`` for a window's client area (its ``geometry``), small enough that the window
    with a title bar and borders (``FRAME_ALLOWANCE``) is within the available area."""
    return size.boundedTo(available(widget).marginsRemoved(FRAME_ALLOWANCE).size())


def is_small_screen(widget: QWidget) -> bool:
    """Whether the available area of ``widget``'s screen is no wider or no higher than ``SMALL_SCREEN``."""
    area = available(widget).size()
    return area.width() <= SMALL_SCREEN.width() or area.height() <= SMALL_SCREEN.height()


def show_fitted(window: QWidget) -> None:
    """Show ``window``: maximized on a small screen (a packing station's: the window manager
    fits the frame, whatever its size), else at its size, placed within the screen."""
    if is_small_screen(window):
        window.showMaximized()
    else:
        window.show()


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
