"""The device bar: scanner, scale and printers with their live state.

Always visible at the bottom of the station window. ``watch(live)`` connects the chips to
the running adapters (``ui.devices.LiveDevices``); every update arrives on the GUI thread.

* Scale: weight and state, ``Scale: 1.25 lb stable`` (green), ``motion`` (amber),
  ``disconnected`` / ``fault`` (red).
* Label printer: the printer's state in words (green when ready, red otherwise), with
  what to do in the tooltip.
* Scanner: connected (or disconnected, for scanners that can tell), and the last scan
  for a few seconds.

Each chip's ``state`` is one of the ``STATE_COLOURS`` keys. A ``sim:`` device says
``simulated`` and stays amber while it works, so nobody mistakes the demo for hardware.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QWidget

from fulfilstation.ports import PrinterCondition, PrinterStatus, ScaleState, ScanValue, WeightReading
from ui.devices import LiveDevices
from ui.devices.describe import describe_reading, describe_scan, describe_status, preferred_weight_unit
from ui.style import AMBER, GREEN, GREY, RED
from ui.widgets.fit_text import ElidedLabel

STATE_COLOURS = {"connected": GREEN, "simulated": AMBER, "not set": GREY, "fault": RED, "disconnected": RED,
                 "not in use": RED, "checking": GREY, "paused": GREY, "configured": GREY}
LAST_SCAN_MS = 5000
SCAN_PREVIEW = 24  # characters of the last scan shown on the chip


class DeviceChip(ElidedLabel):  # cut with "…" when the bar is narrow: never widens the window
    def __init__(self, kind: str, uri: str | None, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setObjectName("deviceChip")
        self.kind = kind
        self.uri = uri or ""
        self.simulated = self.uri.startswith("sim:")
        self._brief_timer = QTimer(self)
        self._brief_timer.setSingleShot(True)
        self._brief_timer.timeout.connect(lambda: self.set_state(self.state))
        self.set_state(initial_state(uri))

    def set_state(self, state: str, detail: str = "") -> None:
        """Show ``Kind: state`` in the state's colour; ``detail`` goes to the tooltip."""
        self.show_text(state, STATE_COLOURS.get(state, GREY), state=state, advice=detail)

    def show_text(self, text: str, colour: str, *, state: str, advice: str = "") -> None:
        self.state = state
        sim_mark = self.simulated and state == "simulated" and "simulated" not in text
        self.setText(f"{self.kind}: {text}" + (" (sim)" if sim_mark else ""))
        self.setToolTip(f"{self.uri or 'no device configured'}{' — ' + advice if advice else ''}")
        if self.simulated and colour == GREEN:
            colour = AMBER
        self.setStyleSheet(f"background-color: {colour};")

    def show_briefly(self, text: str, advice: str, milliseconds: int) -> None:
        """Show ``Kind: state · text`` for a while, then the plain state again."""
        self.show_text(f"{self.state} · {text}", STATE_COLOURS.get(self.state, GREY), state=self.state, advice=advice)
        self._brief_timer.start(milliseconds)

    def working_state(self) -> str:
        return "simulated" if self.simulated else "connected"


def initial_state(uri: str | None) -> str:
    if not uri:
        return "not set"
    if uri.startswith("sim:"):
        return "simulated"
    return "connected" if uri.startswith("wedge:") else "checking"


class DeviceBar(QWidget):
    def __init__(self, devices: dict[str, str | None], parent: QWidget | None = None,
                 unit: str | None = None) -> None:
        super().__init__(parent)
        self.unit = unit or preferred_weight_unit()
        self.last_reading: WeightReading | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.chips = {kind: DeviceChip(kind, uri, self) for kind, uri in devices.items()}
        for chip in self.chips.values():
            layout.addWidget(chip)
            chip.setVisible(bool(chip.uri))  # a device the station does not use takes no room
        layout.addStretch(1)

    def watch(self, live: LiveDevices) -> None:
        """Follow ``live``'s adapters. Configured devices without an adapter could not be
        opened (their address is wrong): they show ``not in use``."""
        opened = live.devices
        pairs = (("Scale", opened.scale), ("Scanner", opened.scanner), ("Label printer", opened.label_printer),
                 ("Document printer", opened.document_printer))
        for kind, device in pairs:
            chip = self.chips.get(kind)
            if chip is None or not chip.uri:
                continue
            if device is None:
                chip.set_state("not in use", "its address could not be used: fix it in Station → Device settings")
            elif kind == "Document printer" and not chip.simulated:
                chip.set_state("configured", "a document printer does not report its state: "
                                             "use Test in Station → Device settings")
        if live.scale is not None:
            live.scale.reading.connect(self.show_reading)
        if live.scanner is not None:
            live.scanner.scanned.connect(self.show_scan)
            live.scanner.connection.connect(self.show_scanner_connection)
        if live.label_printer is not None:
            live.label_printer.status.connect(self.show_printer_status)
            live.label_printer.failed.connect(self.show_printer_failure)

    def set_unit(self, unit: str) -> None:
        """Show the scale's weight in ``unit`` (the site's), starting with the last reading."""
        self.unit = unit
        if self.last_reading is not None:
            self.show_reading(self.last_reading)

    def pause(self, why: str) -> None:
        for chip in self.chips.values():
            if chip.uri and chip.state != "not in use":
                chip.set_state("paused", why)

    def show_reading(self, reading: WeightReading) -> None:
        self.last_reading = reading
        chip = self.chips["Scale"]
        described = describe_reading(reading, self.unit)
        state = {ScaleState.DISCONNECTED: "disconnected", ScaleState.FAULT: "fault"}.get(
            reading.state, chip.working_state())
        chip.show_text(described.text, described.colour, state=state, advice=described.advice)

    def show_printer_status(self, status: PrinterStatus) -> None:
        chip = self.chips["Label printer"]
        described = describe_status(status)
        if status.ready:
            state = chip.working_state()
        else:
            state = "disconnected" if PrinterCondition.NO_ANSWER in status.conditions else "fault"
        chip.show_text(described.text, described.colour, state=state, advice=described.advice)

    def show_printer_failure(self, message: str) -> None:
        self.chips["Label printer"].show_text("fault", RED, state="fault", advice=message)

    def show_scanner_connection(self, connected: bool) -> None:
        chip = self.chips["Scanner"]
        if connected:
            chip.set_state(chip.working_state())
        else:
            chip.set_state("disconnected", "check the scanner's cable; it reconnects by itself")

    def show_scan(self, value: ScanValue) -> None:
        chip = self.chips["Scanner"]
        if chip.state not in ("connected", "simulated"):
            chip.set_state(chip.working_state())
        text = value.text.replace("\x1d", " ")
        preview = text if len(text) <= SCAN_PREVIEW else text[: SCAN_PREVIEW - 1] + "…"
        chip.show_briefly(preview, f"last scan: {describe_scan(value)}", LAST_SCAN_MS)
