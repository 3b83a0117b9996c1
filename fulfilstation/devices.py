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


def address_problem(exc: Exception) -> str:
    """What is wrong with a device (its address, or what it answered), as one sentence
    naming the bad part (the technical message names the parameter when the plain one does not)."""
    if not isinstance(exc, DeviceError):
        return _sentence(str(exc))
    detail = str(exc)
    extra = f" ({detail})" if detail and detail not in exc.user_message else ""
    return _sentence(f"{exc.user_message}{extra}")


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", ".)")) else f"{text}."  # "(got x)" ends no sentence


def first_bad_address(toolkit: DeviceToolkit, devices: DeviceSettings) -> tuple[str, DeviceError | ValueError] | None:
    """The first device (its name in words) whose address cannot be opened, and why; None
    when every address given opens. Opening touches no hardware (nothing is started), so a
    bad address is found before it is saved; call it off the GUI thread all the same."""
    openers: tuple[tuple[str, str, Callable[[str], object]], ...] = (
        ("scanner", devices.scanner, toolkit.open_scanner), ("scale", devices.scale, toolkit.open_scale),
        ("label printer", devices.label_printer, toolkit.open_label_printer),
        ("document printer", devices.document_printer, toolkit.open_document_printer))
    for name, uri, opener in openers:
        if not uri:
            continue
        try:
            opener(uri)
        except (DeviceError, ValueError) as exc:
            return name, exc
    return None
