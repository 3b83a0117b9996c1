"""Qt adapters for the device ports (Electrum-style: the driver is Qt-free, the adapter
is thin). Drivers call back on their own worker threads; the adapters re-emit on the GUI
thread. See ``relay`` for the threading rules."""

from ui.devices.live import LiveDevices
from ui.devices.printer_poller import PrinterStatusPoller
from ui.devices.scale_adapter import ScaleAdapter
from ui.devices.scanner_adapter import ScannerAdapter

__all__ = ["LiveDevices", "PrinterStatusPoller", "ScaleAdapter", "ScannerAdapter"]
