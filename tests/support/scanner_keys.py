"""Typing a code as a keyboard-wedge scanner does (tests/ui).

A real scanner's keys reach Qt stamped by the operating system when they arrived: a
scanner sends one every few milliseconds, so the stamps are a few milliseconds apart
however busy the application is. ``qtbot.keyClicks`` sends unstamped events, which the
wedge filter stamps with the time it *handles* them; on a loaded machine a pause of more
than the wedge's gap (50 ms) can fall between two keys and split the scan. ``scan_keys``
sends the key presses stamped ``KEY_GAP_MS`` apart, as the platform would, so a test
sees what a packer's scanner produces on any machine.

All of a code's stamps are fixed from its first key on, before any is sent: when the
sender is held up between two keys (the GUI thread waiting for the GIL a use case's
thread holds), the stamps still say what the scanner did. They only ever go forward: a
code typed right after another starts after the last stamp given, never before it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

KEY_GAP_MS = 3  # a USB scanner sends a key every 2 to 5 ms
_last_stamp_ms = 0


def _next_stamp() -> int:
    global _last_stamp_ms
    _last_stamp_ms = max(int(time.monotonic() * 1000), _last_stamp_ms + KEY_GAP_MS)
    return _last_stamp_ms


def _key_event(kind: QEvent.Type, key: int, text: str, stamp: int) -> QKeyEvent:
    event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
    event.setTimestamp(stamp)
    return event


def _key_for(char: str) -> int:
    if char.isascii() and char.isalnum():
        return ord(char.upper())
    return ord(char) if char.isascii() and char.isprintable() else 0


def scan_keys(widget: QWidget, code: str, *, enter: bool = True) -> None:
    """Send ``code`` (and Enter) to ``widget`` as a scanner's stamped key presses and releases."""
    global _last_stamp_ms
    keys = [(_key_for(char), char) for char in code]
    if enter:
        keys.append((int(Qt.Key.Key_Return), "\r"))
    first = _next_stamp()
    stamps = [first + index * KEY_GAP_MS for index in range(len(keys))]  # fixed before the first is sent
    _last_stamp_ms = stamps[-1]
    for (key, text), stamp in zip(keys, stamps, strict=True):
        QCoreApplication.sendEvent(widget, _key_event(QEvent.Type.KeyPress, key, text, stamp))
        QCoreApplication.sendEvent(widget, _key_event(QEvent.Type.KeyRelease, key, text, stamp))
