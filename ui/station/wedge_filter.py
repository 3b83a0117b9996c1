"""Capturing a keyboard-wedge scanner whatever widget has the focus.

``WedgeKeyFilter`` is an event filter on the station window and on whichever of its widgets
has the keyboard focus (moved with ``QApplication.focusChanged``): the only objects Qt sends
key presses to. It is not an application-wide filter on purpose: that one is called, in
Python, for every event of every object (paint, timers, layout), and each call must take
the GIL from a use case running on a pool thread, up to 5 ms each (issue #15: the window's
event loop stalled). While a ``KeyboardWedge`` is
attached, every key press aimed at a widget of the station window is fed to it and
swallowed; the keys the wedge hands back as typing (a person typing, not a scan) are
delivered, as copies of the original events, to the widget they were aimed at, with at
most the wedge's gap (50 ms) of delay. Scans reach the scanner's ``start`` callback (the
``ScannerAdapter`` of the window's live devices) on the GUI thread.

* A single-shot timer fires at the wedge's ``deadline()`` and calls ``poll``.
* Time: ``event.timestamp()`` (ms) when the platform sets it, else ``time.monotonic()``
  (synthetic events, e.g. in tests, carry 0). ``poll`` is given the same clock.
* Keys for other windows (a dialog, such as the device settings' scan test box) pass
  untouched. The window detaches the wedge while its devices are paused.
* Bare modifiers and key releases pass untouched; shortcuts (F2, Ctrl+L…) never reach
  the filter because Qt handles them before the key press.

Threading: GUI thread only, like the ``KeyboardWedge`` it feeds.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from fulfilstation.ports import KeyboardWedge, Scanner, WedgeTyping

_MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr,
                  Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock, Qt.Key.Key_ScrollLock, Qt.Key.Key_Super_L,
                  Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R}
_COMMAND_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier


@dataclass(frozen=True)
class HeldEvent:
    """The token fed with a key: where it was going, and a copy of the event."""

    receiver: QObject
    event: QKeyEvent


def key_name(event: QKeyEvent) -> str:
    """What the wedge is fed for ``event``: one character of text, ``Enter``/``Tab``, a
    name for another key (``Backspace``, ``Ctrl+A``), or ``""`` for a bare modifier."""
    key = Qt.Key(event.key())
    if key in _MODIFIER_KEYS:
        return ""
    if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        return "Enter"
    if key == Qt.Key.Key_Tab and not event.modifiers() & _COMMAND_MODIFIERS:
        return "Tab"
    text = event.text()
    if len(text) == 1 and text.isprintable() and not event.modifiers() & _COMMAND_MODIFIERS:
        return text
    name = event.keyCombination().toCombined()
    return f"Key-{name:x}"


def copy_key_event(event: QKeyEvent) -> QKeyEvent:
    return QKeyEvent(event.type(), event.key(), event.modifiers(), event.nativeScanCode(),
                     event.nativeVirtualKey(), event.nativeModifiers(), event.text(), event.isAutoRepeat(),
                     event.count())


class WedgeKeyFilter(QObject):
    """Feeds the key presses of ``window`` to the attached wedge (see the module docstring)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.wedge: KeyboardWedge | None = None
        self._delivering = 0
        self._offset = 0.0  # event clock minus time.monotonic(), as of the last key
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._poll)
        self._installed = False
        self._watched: QWidget | None = None  # the focus widget filtered besides the window

    # ------------------------------------------------------------------ set-up

    def attach(self, scanner: Scanner | None) -> bool:
        """Feed ``scanner`` when it is a keyboard wedge (True), else let every key through."""
        self.detach()
        if isinstance(scanner, KeyboardWedge):
            self.wedge = scanner
            app = QApplication.instance()
            if isinstance(app, QApplication) and not self._installed:
                app.focusChanged.connect(self._focus_moved)
                self.window.installEventFilter(self)
                self._watch(QApplication.focusWidget())
                self._installed = True
        return self.wedge is not None

    def detach(self) -> None:
        """Deliver the held keys and stop capturing (devices paused, window closing)."""
        wedge, self.wedge = self.wedge, None
        self._timer.stop()
        if wedge is not None:
            self._deliver(wedge.flush())
        app = QApplication.instance()
        if isinstance(app, QApplication) and self._installed:
            app.focusChanged.disconnect(self._focus_moved)
            if shiboken6.isValid(self.window):
                self.window.removeEventFilter(self)
            self._watch(None)
            self._installed = False

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._watch(new)

    def _watch(self, widget: QWidget | None) -> None:
        """Filter ``widget`` (the new focus) instead of the one before; only this window's."""
        old, self._watched = self._watched, None
        if old is not None and old is not self.window and shiboken6.isValid(old):
            old.removeEventFilter(self)
        if widget is not None and shiboken6.isValid(self.window) and widget.window() is self.window:
            widget.installEventFilter(self)
            self._watched = widget

    # ------------------------------------------------------------------ events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self._delivering or self.wedge is None or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(watched, QWidget) or not isinstance(event, QKeyEvent) or not self._mine(watched):
            return False
        name = key_name(event)
        if not name:
            return False
        stamp = self._timestamp(event)
        typing = self.wedge.feed(name, stamp, HeldEvent(watched, copy_key_event(event)))
        event.accept()
        self._deliver(typing)
        self._arm()
        return True

    def _mine(self, widget: QWidget) -> bool:
        if not shiboken6.isValid(self.window) or widget.window() is not self.window:
            return False
        modal = QApplication.activeModalWidget()
        return modal is None or modal is self.window

    def _timestamp(self, event: QKeyEvent) -> float:
        now = time.monotonic()
        stamp = event.timestamp() / 1000 if event.timestamp() else now
        self._offset = stamp - now
        return stamp

    def _arm(self) -> None:
        deadline = self.wedge.deadline() if self.wedge is not None else None
        if deadline is None:
            self._timer.stop()
            return
        wait = deadline - (time.monotonic() + self._offset)
        self._timer.start(max(1, math.ceil(wait * 1000) + 1))

    def _poll(self) -> None:
        if self.wedge is None:
            return
        self._deliver(self.wedge.poll(time.monotonic() + self._offset))
        self._arm()

    def _deliver(self, typing: Sequence[WedgeTyping]) -> None:
        """Send each held key to the widget it was aimed at (or the focus, if that is gone)."""
        for burst in typing:
            for held in burst.keys:
                token = held.token
                if not isinstance(token, HeldEvent):
                    continue
                receiver = token.receiver if shiboken6.isValid(token.receiver) else QApplication.focusWidget()
                if receiver is None:
                    continue
                self._delivering += 1
                try:
                    QCoreApplication.sendEvent(receiver, token.event)
                finally:
                    self._delivering -= 1
