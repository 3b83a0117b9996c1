"""The devices of this station, opened through the ``DeviceToolkit`` port.

Opening never touches hardware (drivers open on ``start``), so it is quick and cannot hang;
an address that cannot be understood leaves that device out with a notice saying where to
fix it. ``Devices.stop_all`` is idempotent and safe from any thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from fulfilstation.ports import DeviceError, DeviceToolkit, DocumentPrinter, LabelPrinter, Scale, Scanner
from fulfilstation.settings import DeviceSettings

T = TypeVar("T")


@dataclass(frozen=True)
class Devices:
    scanner: Scanner | None = None
    scale: Scale | None = None
    label_printer: LabelPrinter | None = None
    document_printer: DocumentPrinter | None = None

    def stop_all(self) -> None:
        for device in (self.scanner, self.scale):
            if device is not None:
                device.stop()


def open_devices(toolkit: DeviceToolkit, settings: DeviceSettings) -> tuple[Devices, list[str]]:
    notices: list[str] = []

    def attempt(kind: str, uri: str, opener: Callable[[str], T]) -> T | None:
        if not uri:
            return None
        try:
            return opener(uri)
        except (DeviceError, ValueError) as exc:
            message = getattr(exc, "user_message", str(exc))
            notices.append(f"The {kind} is not in use: {message} Fix its address in Station settings.")
            return None

    devices = Devices(
        scanner=attempt("scanner", settings.scanner, toolkit.open_scanner),
        scale=attempt("scale", settings.scale, toolkit.open_scale),
        label_printer=attempt("label printer", settings.label_printer, toolkit.open_label_printer),
        document_printer=attempt("document printer", settings.document_printer, toolkit.open_document_printer),
    )
    return devices, notices
