"""The scanner's row: Test says "Scan any barcode now" and shows the next scans with
their AIM symbology.

* ``wedge:`` scanners type like a keyboard: a text box takes the focus and collects what
  the scanner types, up to Enter. (The station window's wedge key filter is a separate
  piece; the settings dialog needs none.)
* Other scanners are opened with ``toolkit.open_scanner`` on a worker thread and read
  through a ``ScannerAdapter`` until the address changes or the dialog closes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from fulfilstation.domain.aim import split_aim
from fulfilstation.ports import DeviceToolkit, Scanner, ScanValue
from ui.device_settings.choices import SCANNER
from ui.device_settings.row import DeviceRow
from ui.devices.describe import describe_scan
from ui.devices.scanner_adapter import ScannerAdapter
from ui.style import GREEN, GREY, RED

PROMPT = "Scan any barcode now."


class ScannerRow(DeviceRow):
    def __init__(self, uri: str, toolkit: DeviceToolkit | None, parent: QWidget | None = None) -> None:
        super().__init__(SCANNER, "Barcode scanner", uri, toolkit, parent)
        self.adapter: ScannerAdapter | None = None
        self.scan_field = QLineEdit(self)
        self.scan_field.setPlaceholderText("The scanner types here")
        self.scan_field.returnPressed.connect(self._typed)
        self.scan_field.setVisible(False)
        self.grid.addWidget(self.scan_field, 3, 0, 1, 2)
        self.last_scan: ScanValue | None = None

    def run_test(self, uri: str) -> None:
        if uri.split("?", 1)[0] == "wedge:":
            self.scan_field.clear()
            self.scan_field.setVisible(True)
            self.scan_field.setFocus()
            self.report(f"{PROMPT} It types into the box below.", GREEN)
            return
        toolkit = self.toolkit
        assert toolkit is not None
        self.report("Opening the scanner…")
        self.background(lambda: toolkit.open_scanner(uri), self._opened)

    def _opened(self, scanner: Scanner) -> None:
        self.adapter = ScannerAdapter(scanner)
        self.adapter.scanned.connect(self._scanned)
        self.adapter.connection.connect(self._connection)
        self.adapter.start()
        self.report(PROMPT, GREEN)

    def _connection(self, connected: bool) -> None:
        if connected:
            self.report(PROMPT, GREEN)
        else:
            self.report("The scanner is not connected: check its cable. Waiting for it…", RED)

    def _typed(self) -> None:
        text = self.scan_field.text()
        self.scan_field.clear()
        if not text.strip():
            self.report(f"Nothing was typed. {PROMPT}", GREY)
            return
        symbology, data = split_aim(text)
        self._scanned(ScanValue(data, symbology, text.encode("utf-8", "surrogatepass")))

    def _scanned(self, value: ScanValue) -> None:
        self.last_scan = value
        self.report(f"Scanned: {describe_scan(value)}", GREEN)

    def stop_test(self) -> None:
        self.scan_field.setVisible(False)
        if self.adapter is not None:
            self.adapter.stop()
            self.adapter = None
