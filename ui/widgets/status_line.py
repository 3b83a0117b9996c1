"""``StatusLine``: a workspace screen's line saying what its last action did.

A message belongs to its moment: to the person who acted and to the row they acted on.

Invariants: ``forget`` clears the message (the screens call it on every sign-in and
sign-out, through ``Screen.forget_messages``); ``selection_is(key)`` clears it when the
selection moves to another row than the one selected when the message was said (a
reload that selects the same row again, or a selection that only goes away, keeps it);
``keep_row`` lets the screen move the selection without losing the message (the reload
after its own action). Threading: GUI thread only.
"""

from __future__ import annotations

from collections.abc import Hashable

from PySide6.QtWidgets import QLabel, QWidget

from ui.style import show_status


class StatusLine(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWordWrap(True)
        self.row: Hashable | None = None  # the selected row's key, last time one was selected

    def say(self, text: str, colour: str) -> None:
        show_status(self, text, colour)

    def forget(self) -> None:
        self.clear()
        self.setStyleSheet("")

    def selection_is(self, key: Hashable | None, *, keep_message: bool = False) -> None:
        """The screen's selection is now ``key`` (None: nothing selected)."""
        if key is None:
            return
        if key != self.row and not keep_message:
            self.forget()
        self.row = key
