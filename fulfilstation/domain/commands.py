"""Command barcodes: scanning one of these at a station does what a key or button would,
so a packer never needs the mouse. Printed on the command sheet (``documents``).

Values are plain Code 128 text that no product, order or box barcode can look like.
"""

from __future__ import annotations

import enum


class StationCommand(enum.StrEnum):
    NEXT_ORDER = "FS:NEXT"
    REPRINT = "FS:REPRINT"
    NEW_PACKAGE = "FS:NEWPKG"
    SHIP = "FS:SHIP"
    CANCEL = "FS:CANCEL"
    LOG_OUT = "FS:LOGOUT"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    StationCommand.NEXT_ORDER: "Next order",
    StationCommand.REPRINT: "Reprint last label",
    StationCommand.NEW_PACKAGE: "New package",
    StationCommand.SHIP: "Ship (weigh now)",
    StationCommand.CANCEL: "Cancel this pack",
    StationCommand.LOG_OUT: "Log out",
}


def parse_command(text: str) -> StationCommand | None:
    try:
        return StationCommand(text.strip().upper())
    except ValueError:
        return None
