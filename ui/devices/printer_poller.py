"""``PrinterStatusPoller``: asks a label printer for its state every few seconds.

Threading: create, ``start`` and ``stop`` on the GUI thread. Each ``status()`` call runs
through ``run_in_background`` (it may wait seconds for a silent printer); ``status`` and
``failed`` are emitted on the GUI thread. Never two requests in flight: a tick that comes
while one is running is skipped. A printer that is not ready is asked again sooner, so
the device bar turns green soon after the packer fixes it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from fulfilstation.ports import DeviceError, LabelPrinter, PrinterStatus
from ui.worker import run_in_background

READY_INTERVAL_S = 10.0
NOT_READY_INTERVAL_S = 3.0


class PrinterStatusPoller(QObject):
    status = Signal(object)  # PrinterStatus
    failed = Signal(str)  # a plain-language message

    def __init__(self, printer: LabelPrinter, interval_s: float = READY_INTERVAL_S,
                 retry_s: float = NOT_READY_INTERVAL_S, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.printer = printer
        self.interval_ms = round(interval_s * 1000)
        self.retry_ms = round(retry_s * 1000)
        self.latest: PrinterStatus | None = None
        self.in_flight = False
        self.running = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll_now)

    def start(self) -> None:
        self.running = True
        self._timer.start(self.interval_ms)
        self.poll_now()

    def stop(self) -> None:
        self.running = False
        self._timer.stop()

    def poll_now(self) -> None:
        if self.in_flight or not self.running:
            return
        self.in_flight = True
        run_in_background(self.printer.status, self._answered, self._failed, owner=self)

    def _answered(self, status: PrinterStatus) -> None:
        self.in_flight = False
        if not self.running:
            return
        self.latest = status
        self._timer.setInterval(self.interval_ms if status.ready else self.retry_ms)
        self.status.emit(status)

    def _failed(self, exc: Exception) -> None:
        self.in_flight = False
        if not self.running:
            return
        self._timer.setInterval(self.retry_ms)
        message = exc.user_message if isinstance(exc, DeviceError) else f"The label printer failed: {exc}"
        self.failed.emit(message)
