"""``LiveDevices``: the running adapters of the station window's devices.

Threading: GUI thread only. ``start`` hands each driver its callback and starts the
printer poller; ``stop`` detaches everything at once and stops the drivers in the
background (see ``relay``). Devices that are None (not set, or an address that could
not be used) have no adapter.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from fulfilstation.devices import Devices
from ui.devices.printer_poller import PrinterStatusPoller
from ui.devices.scale_adapter import ScaleAdapter
from ui.devices.scanner_adapter import ScannerAdapter


class LiveDevices(QObject):
    def __init__(self, devices: Devices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.devices = devices
        self.scale = ScaleAdapter(devices.scale) if devices.scale is not None else None
        self.scanner = ScannerAdapter(devices.scanner) if devices.scanner is not None else None
        self.label_printer = (PrinterStatusPoller(devices.label_printer, parent=self)
                              if devices.label_printer is not None else None)
        self.running = False

    def start(self) -> None:
        self.running = True
        for adapter in (self.scale, self.scanner, self.label_printer):
            if adapter is not None:
                adapter.start()

    def stop(self) -> None:
        self.running = False
        for adapter in (self.scale, self.scanner, self.label_printer):
            if adapter is not None:
                adapter.stop()
