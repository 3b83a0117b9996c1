"""Asking for a password on the GUI thread on behalf of a worker thread.

The database connects on worker threads; when the keyring has no password the worker
calls ``GuiPasswordPrompt.__call__``, which emits a queued signal to this object (on the
GUI thread), shows a dialog there, and blocks the *worker* until the user answers.
Never call it from the GUI thread itself (it would wait for itself): that raises.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget


class GuiPasswordPrompt(QObject):
    _ask = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parent = parent
        self._answered = threading.Event()
        self._answer: str | None = None
        self._ask.connect(self._show)

    def __call__(self, name: str, explanation: str) -> str | None:
        if QThread.currentThread() is self.thread():
            raise RuntimeError("GuiPasswordPrompt must be called from a worker thread")
        self._answered.clear()
        self._ask.emit(name, explanation)
        self._answered.wait()
        return self._answer

    @Slot(str, str)
    def _show(self, name: str, explanation: str) -> None:
        text = f"Password for {name.removeprefix('db:')}"
        if explanation:
            text = f"{explanation}\n\n{text}"
        answer, ok = QInputDialog.getText(self._parent, "Database password", text, QLineEdit.EchoMode.Password)
        self._answer = answer if ok else None
        self._answered.set()
