"""The demo simulator panel: only when the station's devices are simulators (``sim:``).

* A ``SimulatedScaleControls`` scale gets a weight box (grams), a *stable* switch and
  *put the expected weight on the scale when all items are scanned* (on by default),
  which also empties the scale after a ship, as a packer lifting the parcel off would.
  A weight the user typed sticks: the expected weight is put on only while nobody has
  typed one since the last order ended (``typed``).
* A ``RecordingPrinter`` label printer gets a preview of the last label it was sent. A
  shipping label is drawn from its description (``LastLabel``, asked after each ship or
  reprint that printed: the same drawing as the station's own preview); anything else it
  was sent (a printer test) is drawn roughly from the ZPL (``zpl_preview``) and says so.

The dock's entry in the Station menu (``menu_action``, *Simulator panel*) brings it back
once closed; it is there only while the devices are simulators.

Threading: GUI thread only. The scale controls are thread-safe by the port; reading the
recorded jobs is an in-memory copy.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QFormLayout,
    QLabel,
    QMainWindow,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fulfilstation.devices import Devices
from fulfilstation.ports import RecordingPrinter, SimulatedScaleControls, WeightReading
from fulfilstation.services.packing import PackView
from fulfilstation.services.shipping import PrintOutcome
from ui.devices import LiveDevices
from ui.station.controller import StationController
from ui.station.last_label import CARRIERS_NOTE, LabelPages, LastLabel
from ui.station.zpl_preview import parse_label, render_label

MAX_GRAMS = 50_000
PANEL_WIDTH = 270
PREVIEW_SCALE = 0.3  # 4 x 6 in at 203 dpi: 244 x 365 pixels


def simulated(devices: Devices) -> bool:
    """Whether ``devices`` hold anything this panel can work with."""
    return isinstance(devices.scale, SimulatedScaleControls) or isinstance(devices.label_printer, RecordingPrinter)


class SimPanel(QWidget):
    def __init__(self, devices: Devices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("simPanel")
        self.setMaximumWidth(PANEL_WIDTH)
        self.scale: SimulatedScaleControls | None = None
        self.printer: RecordingPrinter | None = None
        self.typed = False  # the user typed a weight since the last order ended: it sticks
        self.grams = QSpinBox(self)
        self.grams.setRange(0, MAX_GRAMS)
        self.grams.setSuffix(" g")
        self.grams.setSingleStep(10)
        self.stable = QCheckBox("Stable", self)
        self.stable.setChecked(True)
        self.auto_weight = QCheckBox("Put the expected\nweight on the scale\nwhen all is scanned", self)
        self.auto_weight.setChecked(True)
        self.preview = QLabel(self)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_text = QLabel(self)
        self.preview_text.setObjectName("hint")
        self.preview_text.setWordWrap(True)
        for widget in (self.grams, self.stable, self.auto_weight):
            widget.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the keys stay the packer's
        self.grams.valueChanged.connect(self._typed)  # put() and follow_reading() block this signal
        self.stable.toggled.connect(self._apply)
        self.scale_box = QWidget(self)
        form = QFormLayout(self.scale_box)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Weight", self.grams)
        form.addRow("", self.stable)
        form.addRow(self.auto_weight)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scale_box)
        layout.addWidget(QLabel("Last label printed", self))
        layout.addWidget(self.preview)
        layout.addWidget(self.preview_text)
        layout.addStretch(1)
        self.set_devices(devices)

    def set_devices(self, devices: Devices) -> None:
        scale, printer = devices.scale, devices.label_printer
        self.scale = scale if isinstance(scale, SimulatedScaleControls) else None
        self.printer = printer if isinstance(printer, RecordingPrinter) else None
        self.scale_box.setVisible(self.scale is not None)
        self.show_last_label()

    def put(self, grams: int, stable: bool = True) -> None:
        """Put ``grams`` on the simulated scale (the boxes follow)."""
        self.grams.blockSignals(True)
        self.stable.blockSignals(True)
        self.grams.setValue(max(0, min(MAX_GRAMS, grams)))
        self.stable.setChecked(stable)
        self.grams.blockSignals(False)
        self.stable.blockSignals(False)
        self._apply()

    def _typed(self) -> None:
        self.typed = True
        self._apply()

    def _apply(self) -> None:
        if self.scale is not None:
            self.scale.set_weight(self.grams.value(), stable=self.stable.isChecked())

    def follow_reading(self, reading: WeightReading) -> None:
        """Keep the box showing what the scale shows (a test or the CLI may set it)."""
        if reading.grams is not None and not self.grams.hasFocus():
            self.grams.blockSignals(True)
            self.grams.setValue(max(0, min(MAX_GRAMS, reading.grams)))
            self.grams.blockSignals(False)

    def follow_view(self, view: PackView | None) -> None:
        """Put the expected weight on once all is scanned, unless the user typed one since
        the last order ended; empty the scale when the order ends (shipped or cancelled)."""
        if view is None:
            self.typed = False  # the next order starts with the automatic weight again
        if not self.auto_weight.isChecked() or self.scale is None:
            return
        if view is None:
            self.put(0)
        elif view.complete and view.expected_g is not None and not self.typed:
            self.put(view.expected_g)

    def show_last_label(self) -> None:
        jobs = self.printer.jobs if self.printer is not None else []
        if not jobs:
            self.preview.clear()
            self.preview_text.setText("No label yet." if self.printer is not None else
                                      "The label printer is not simulated: no preview.")
            return
        self.preview.setPixmap(QPixmap.fromImage(render_label(jobs[-1], scale=PREVIEW_SCALE)))
        self.preview_text.setText(f"Label {len(jobs)} (rough drawing of the ZPL sent): "
                                  + " · ".join(parse_label(jobs[-1]).texts[-1:]))

    def clear_label(self) -> None:
        """A log-out: the last customer's label leaves the screen (until the next print)."""
        self.preview.clear()
        self.preview_text.setText("No label yet." if self.printer is not None else
                                  "The label printer is not simulated: no preview.")

    def show_pages(self, pages: LabelPages | None) -> None:
        """The last package's label of the shipment just printed, drawn from its description."""
        if self.printer is None or pages is None or not pages.images:
            self.show_last_label()
            return
        image: QImage = pages.images[-1]
        width = round(image.width() * PREVIEW_SCALE)
        self.preview.setPixmap(QPixmap.fromImage(image).scaledToWidth(
            width, Qt.TransformationMode.SmoothTransformation))
        note = f" {CARRIERS_NOTE}" if pages.carriers else ""
        self.preview_text.setText(f"Label {len(self.printer.jobs)}: {pages.caption(len(pages.images) - 1)}.{note}")


class SimDock(QDockWidget):
    """The panel in a dock on the right of the station window, shown only for simulators."""

    def __init__(self, controller: StationController, window: QMainWindow) -> None:
        super().__init__("Simulator", window)
        self.setObjectName("simDock")
        self.panel = SimPanel(Devices(), self)
        self.setWidget(self.panel)
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable)  # docked: the keys stay the window's
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        controller.view_changed.connect(self.panel.follow_view)
        controller.printed.connect(self._printed)
        controller.user_changed.connect(self._user_changed)
        self.labels = LastLabel(controller.last_labels, self)
        self.labels.loaded.connect(self.panel.show_pages)
        self.menu_action = self.toggleViewAction()  # Station → Simulator panel: back once closed
        self.menu_action.setText("Simulator panel")
        self.menu_action.setVisible(False)
        self.setVisible(False)

    def use(self, live: LiveDevices) -> None:
        """Follow ``live``'s devices (the window's, after each (re)start)."""
        self.panel.set_devices(live.devices)
        self.setVisible(simulated(live.devices))
        self.menu_action.setVisible(simulated(live.devices))
        if live.scale is not None:
            live.scale.reading.connect(self.panel.follow_reading)

    def _user_changed(self, who: object) -> None:
        if who is None:
            self.panel.clear_label()

    def _printed(self, outcome: PrintOutcome) -> None:
        if outcome.printed and self.panel.printer is not None:
            self.labels.load()
