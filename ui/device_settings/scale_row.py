"""The scale's row: Test opens the scale and shows its live weight and state, large.

The scale is opened with ``toolkit.open_scale`` on a worker thread (a bad address fails
there, naming the bad parameter); readings arrive through a ``ScaleAdapter`` on the GUI
thread and keep updating — reconnection included — until the address changes or the
dialog closes (``stop_test``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from fulfilstation.domain.units import format_weight
from fulfilstation.ports import DeviceToolkit, Scale, WeightReading
from ui.device_settings.choices import SCALE
from ui.device_settings.row import DeviceRow
from ui.devices.describe import describe_scale_state
from ui.devices.scale_adapter import ScaleAdapter
from ui.style import GREEN, GREY, result_css


class ScaleRow(DeviceRow):
    def __init__(self, uri: str, toolkit: DeviceToolkit | None, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(SCALE, "Scale", uri, toolkit, parent)
        self.unit = unit
        self.adapter: ScaleAdapter | None = None
        self.weight = QLabel("", self)
        self.weight.setObjectName("bigWeight")
        self.weight.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state = QLabel("", self)
        self.state.setObjectName("testResult")
        self.state.setWordWrap(True)
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid.addWidget(self.weight, 3, 0, 1, 2)
        self.grid.addWidget(self.state, 4, 0, 1, 2)
        self._show_weight(False)

    def run_test(self, uri: str) -> None:
        toolkit = self.toolkit
        assert toolkit is not None
        self.report("Opening the scale…")
        self.background(lambda: toolkit.open_scale(uri), self._opened)

    def _opened(self, scale: Scale) -> None:
        self.adapter = ScaleAdapter(scale)
        self.adapter.reading.connect(self._reading)
        self.adapter.start()
        self.report("Put a parcel on the scale: the weight below follows it.", GREEN)
        self.weight.setText("…")
        self.state.setText("Waiting for the scale…")
        self.state.setStyleSheet(result_css(GREY))
        self._show_weight(True)

    def _reading(self, reading: WeightReading) -> None:
        described = describe_scale_state(reading.state)
        self.weight.setText(format_weight(reading.grams, self.unit))
        self.weight.setStyleSheet(result_css(described.colour))
        self.state.setText(f"{described.text} — {described.advice}" if described.advice else described.text)
        self.state.setStyleSheet(result_css(described.colour))

    def stop_test(self) -> None:
        if self.adapter is not None:
            self.adapter.stop()
            self.adapter = None
        self._show_weight(False)

    def _show_weight(self, visible: bool) -> None:
        self.weight.setVisible(visible)
        self.state.setVisible(visible)
