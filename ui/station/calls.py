"""``SerialCalls``: service calls made one at a time, off the GUI thread, in order.

Threading: every method is called on the GUI thread and returns at once. ``_call`` runs
its job through ``run_in_background``; the handler then runs on the GUI thread. Exactly
one call is in flight at a time: actions ``_submit``-ted meanwhile wait in ``pending``
and run, in order, when it is done, each against the state the previous one left.
Failures become a red ``message`` in words the packer can act on; a refusal's code comes
just before it (``refused``), so the screen can play that refusal's own sound.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from fulfilstation.services.packing import Refusal
from fulfilstation.services.refused import Refused
from ui.worker import run_in_background


def refusal_of(refused: Refused) -> Refusal | None:
    """The packing refusal a refusal's code names (for its sound), or None."""
    try:
        return Refusal(refused.code)
    except ValueError:
        return None


class SerialCalls(QObject):
    message = Signal(str, str)  # text for the banner, tone: ok / warn / error / info
    busy_changed = Signal(bool)
    refused = Signal(object)  # Refusal | None, just before the red message it explains

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.busy = False
        self.pending: deque[Callable[[], None]] = deque()

    def _say(self, text: str, tone: str) -> None:
        self.message.emit(text, tone)

    def _refuse(self, code: Refusal | None, text: str) -> None:
        self.refused.emit(code)
        self._say(text, "error")

    def _submit(self, action: Callable[[], None]) -> None:
        self.pending.append(action)
        self._pump()

    def _pump(self) -> None:
        while not self.busy and self.pending:
            self.pending.popleft()()

    def _call(self, job: Callable[[], Any], done: Callable[[Any], None],
              failed: Callable[[Exception], None] | None = None) -> None:
        """Run ``job`` in the background; then ``done(result)`` or ``failed(exc)`` (default:
        say what went wrong), then the next pending action."""
        self._set_busy(True)

        def finish(handler: Callable[[Any], None], value: Any) -> None:
            self._set_busy(False)
            try:
                handler(value)
            finally:
                self._pump()

        run_in_background(job, lambda result: finish(done, result), lambda exc: finish(failed or self._failed, exc),
                          owner=self)

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, Refused):
            self._refuse(refusal_of(exc), exc.message)
        else:
            from fulfilstation.errors import describe_error

            self._say(describe_error(exc), "error")
