"""The device bar: scanner, scale and printers with their configured URI and state.

Always visible at the bottom of the station window. A device is shown as ``simulated``
for ``sim:`` URIs so nobody mistakes the demo for real hardware.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ui.style import AMBER, GREEN, GREY, RED

STATE_COLOURS = {"connected": GREEN, "simulated": AMBER, "not set": GREY, "fault": RED, "disconnected": RED}


class DeviceChip(QLabel):
    def __init__(self, kind: str, uri: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviceChip")
        self.kind = kind
        self.uri = uri or ""
        self.set_state(initial_state(uri))

    def set_state(self, state: str, detail: str = "") -> None:
        self.state = state
        self.setText(f"{self.kind}: {state}")
        self.setToolTip(f"{self.uri or 'no device configured'}{' — ' + detail if detail else ''}")
        self.setStyleSheet(f"background-color: {STATE_COLOURS.get(state, GREY)};")


def initial_state(uri: str | None) -> str:
    if not uri:
        return "not set"
    if uri.startswith("sim:"):
        return "simulated"
    return "connected" if uri.startswith("wedge:") else "disconnected"


class DeviceBar(QWidget):
    def __init__(self, devices: dict[str, str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.chips = {kind: DeviceChip(kind, uri, self) for kind, uri in devices.items()}
        for chip in self.chips.values():
            layout.addWidget(chip)
        layout.addStretch(1)
