""""Working…" in the status bar while the station waits for the database, a printer or a
carrier's web API for longer than a moment.

Invariants: shown only after ``delay_ms`` of continuous busy time, so quick scans never
flicker it; hidden as soon as the work ends. GUI thread only: connect ``set_busy`` to a
``busy_changed(bool)`` signal (``ui.station.calls.SerialCalls``).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget


class BusyIndicator(QLabel):
    def __init__(self, parent: QWidget | None = None, delay_ms: int = 600) -> None:
        super().__init__("⏳ Working…", parent)
        self.setStyleSheet("font-weight: bold; padding: 0 8px;")
        self.setToolTip("Waiting for the database, a printer or a carrier. The window stays usable.")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.show)
        self.hide()

    def set_busy(self, busy: bool) -> None:
        if busy:
            if not self.isVisible() and not self._timer.isActive():
                self._timer.start()
        else:
            self._timer.stop()
            self.hide()
