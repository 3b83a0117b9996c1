"""Page 3: the devices — found on this PC or typed — each with a live test: the scanner
shows what it read, the scale its weight as it changes, the label printer prints a test
label, the document printer a test page (the rows of ``ui.device_settings``).

Discovery and every test run off the GUI thread (``run_in_background``, the rows'
``background``); whatever a test opened is stopped by ``stop_tests`` (the assistant calls it
when it closes).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget, QWizardPage

from fulfilstation.domain.words import plural
from fulfilstation.ports import DeviceToolkit, DiscoveredDevice
from fulfilstation.settings import DeviceSettings
from ui.device_settings.printer_rows import DocumentPrinterRow, LabelPrinterRow
from ui.device_settings.row import DeviceRow, error_text, offer_choices
from ui.device_settings.scale_row import ScaleRow
from ui.device_settings.scanner_row import ScannerRow
from ui.devices.describe import preferred_weight_unit
from ui.worker import run_in_background


class DevicesPage(QWizardPage):
    def __init__(self, toolkit: DeviceToolkit | None, devices: DeviceSettings, station: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toolkit = toolkit
        self.searched = False
        self.setTitle("Which devices does this station use?")
        self.scanner_row = ScannerRow(devices.scanner, toolkit, self)
        self.scale_row = ScaleRow(devices.scale, toolkit, preferred_weight_unit(), self)
        self.label_row = LabelPrinterRow(devices.label_printer, toolkit, station, self)
        self.document_row = DocumentPrinterRow(devices.document_printer, toolkit, station, self)
        self.discovery = QLabel(self)
        self.discovery.setObjectName("hint")
        self.discovery.setWordWrap(True)
        rows = QWidget(self)
        grid = QGridLayout(rows)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, row in enumerate(self.rows):
            grid.addWidget(row, index // 2, index % 2)
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(rows)
        layout = QVBoxLayout(self)
        layout.addWidget(self.discovery)
        layout.addWidget(area, 1)
        self._offer([])

    @property
    def rows(self) -> tuple[DeviceRow, ...]:
        return self.scanner_row, self.scale_row, self.label_row, self.document_row

    def set_station(self, station: str) -> None:
        """The name the test label and test page carry."""
        self.label_row.station = station
        self.document_row.station = station

    def chosen(self) -> DeviceSettings:
        return DeviceSettings(scanner=self.scanner_row.uri(), scale=self.scale_row.uri(),
                              label_printer=self.label_row.uri(), document_printer=self.document_row.uri())

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return bool(self.scanner_row.uri())

    def discover(self) -> None:
        """Look for devices once (the first time the page is shown)."""
        if self.searched:
            return
        self.searched = True
        for row in self.rows:
            row.combo.editTextChanged.connect(lambda _text: self.completeChanged.emit())
        if self.toolkit is None:
            self.discovery.setText("Device drivers are not available: type the addresses (they cannot be tested).")
            return
        self.discovery.setText("Looking for devices…")
        run_in_background(self.toolkit.discover, self._discovered, self._failed, owner=self)

    def _discovered(self, found: list[DiscoveredDevice]) -> None:
        self._offer(found)
        self.discovery.setText(
            f"Found {plural(len(found), 'device')} on this PC: pick from the lists or type an address, then "
            "press Test." if found else
            "No scale or scanner found on this PC: plug it in and start again, or type an address. Most USB "
            "scanners type like a keyboard (wedge:).")

    def _failed(self, exc: Exception) -> None:
        self.discovery.setText(f"Could not look for devices: {error_text(exc)} You can still type an address.")

    def _offer(self, found: list[DiscoveredDevice]) -> None:
        offer_choices(self.rows, found)

    def stop_tests(self) -> None:
        for row in self.rows:
            row.close_row()
