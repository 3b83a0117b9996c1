"""``ScannerAdapter``: a ``Scanner`` port as a Qt signal of scans (see ``relay`` for the
threading rules).

A ``wedge:`` scanner reads no device: the UI's key event filter feeds it (a later
issue), and its callback runs on the GUI thread; the adapter queues it all the same.
Scanners that own a device (HID POS, serial) tell whether it is open through a
thread-safe ``connected`` attribute; the adapter looks at it every second and emits
``connection(bool)`` when it changes.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal

from fulfilstation.ports import Scanner, ScanValue
from ui.devices.relay import PortAdapter

CONNECTION_CHECK_MS = 1000


class ScannerAdapter(PortAdapter):
    """Emits ``scanned(ScanValue)`` on the GUI thread for each scan; ``last`` is the
    latest one."""

    scanned = Signal(object)
    connection = Signal(bool)

    def __init__(self, scanner: Scanner) -> None:
        super().__init__()
        self.scanner = scanner
        self.last: ScanValue | None = None
        self.connected: bool | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CONNECTION_CHECK_MS)
        self._timer.timeout.connect(self._check_connection)

    @property
    def reports_connection(self) -> bool:
        return isinstance(getattr(self.scanner, "connected", None), bool)

    def start(self) -> None:
        self._start_port(self.scanner.start)
        if self.reports_connection:
            self._timer.start()
            self._check_connection()

    def stop(self) -> None:
        self._timer.stop()
        self._stop_port(self.scanner.stop)

    def _check_connection(self) -> None:
        connected = bool(getattr(self.scanner, "connected", False))
        if connected != self.connected:
            self.connected = connected
            self.connection.emit(connected)

    def _arrived(self, value: object) -> None:
        assert isinstance(value, ScanValue)
        self.last = value
        self.scanned.emit(value)
