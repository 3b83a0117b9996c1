"""Checking a station's devices while it is set up: each address is understood, and each
device that can answer is asked once — a scale gives a reading, a label printer its state,
a scanner that is not a keyboard wedge connects.

Invariants: ``check_addresses`` opens without starting (no hardware is touched) and raises
``SetupRefused`` for an address that cannot be understood, naming the device and the bad
part, so nothing is written; ``check_devices`` never raises for a device that is away or
silent — it says so in a ``WARNING`` line — and stops whatever it started before returning.
Nothing is printed: a label printer is only asked for its status. Blocking (a few seconds at
most per device): call it off the GUI thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from fulfilstation.devices import address_problem, first_bad_address
from fulfilstation.domain.units import format_weight
from fulfilstation.ports import DeviceError, DeviceToolkit, DocumentPrinter, LabelPrinter, Scale, ScaleState, Scanner
from fulfilstation.services.setup.values import Outcome, SetupLine, SetupRefused
from fulfilstation.settings import DeviceSettings

FIRST_READING_S = 2.5
"""How long a scale has to give its first reading (drivers report DISCONNECTED until then)."""
SCANNER_CONNECT_S = 2.0


def check_addresses(toolkit: DeviceToolkit, devices: DeviceSettings) -> None:
    """Refuse (``SetupRefused``) the first address that cannot be understood."""
    if not devices.scanner:
        raise SetupRefused("no-scanner", "A station needs a scanner: --scanner wedge: for one that types like a "
                                         "keyboard (most USB scanners). Nothing was written.")
    bad = first_bad_address(toolkit, devices)
    if bad is not None:
        name, exc = bad
        raise SetupRefused("bad-device", f"The {name} address is wrong: {address_problem(exc)} "
                                         "Fix it (see 'fulfilstation devices list') and run the set-up again. "
                                         "Nothing was written.") from exc


def check_devices(toolkit: DeviceToolkit, devices: DeviceSettings) -> list[SetupLine]:
    """One line per device, in the order scanner, scale, label printer, document printer."""
    return [_scanner(toolkit, devices.scanner), _scale(toolkit, devices.scale),
            _label_printer(toolkit, devices.label_printer), _document_printer(toolkit, devices.document_printer)]


def _scanner(toolkit: DeviceToolkit, uri: str) -> SetupLine:
    if uri.split("?", 1)[0] == "wedge:":
        return SetupLine(Outcome.DONE, "Scanner: wedge: (types like a keyboard: nothing to open; scan into the "
                                       "window to try it).")
    scanner: Scanner = toolkit.open_scanner(uri)
    if not isinstance(getattr(scanner, "connected", None), bool):
        return SetupLine(Outcome.DONE, f"Scanner: {uri} (address understood).")
    try:
        scanner.start(lambda _scan: None)
        connected = _wait(lambda: bool(getattr(scanner, "connected", False)), SCANNER_CONNECT_S)
        problem = str(getattr(scanner, "last_error", "") or "")
    except DeviceError as exc:
        connected, problem = False, address_problem(exc)
    finally:
        scanner.stop()
    if connected:
        return SetupLine(Outcome.DONE, f"Scanner: {uri} connected.")
    return SetupLine(Outcome.WARNING, f"Scanner: {uri} did not connect{': ' + problem if problem else ''}. "
                                      "Check its cable and address; the address was kept.")


def _scale(toolkit: DeviceToolkit, uri: str) -> SetupLine:
    if not uri:
        return SetupLine(Outcome.DONE, "Scale: none (weights are typed at the station).")
    scale: Scale = toolkit.open_scale(uri)
    changed = threading.Event()
    try:
        scale.start(lambda _reading: changed.set())
        _wait(lambda: scale.latest().state is not ScaleState.DISCONNECTED, FIRST_READING_S, changed)
        reading = scale.latest()
    except DeviceError as exc:
        return SetupLine(Outcome.WARNING, f"Scale: {uri} could not be opened: {address_problem(exc)}")
    finally:
        scale.stop()
    if reading.state is ScaleState.DISCONNECTED:
        return SetupLine(Outcome.WARNING, f"Scale: {uri} does not answer: check its cable, power and the address's "
                                          "protocol and baud rate. The address was kept.")
    weight = format_weight(reading.grams, "g") if reading.grams is not None else "no weight"
    return SetupLine(Outcome.DONE, f"Scale: {uri} reads {weight} ({reading.state.value}).")


def _label_printer(toolkit: DeviceToolkit, uri: str) -> SetupLine:
    if not uri:
        return SetupLine(Outcome.WARNING, "Label printer: none: shipping labels cannot be printed at this station.")
    printer: LabelPrinter = toolkit.open_label_printer(uri)
    try:
        status = printer.status()
    except DeviceError as exc:
        return SetupLine(Outcome.WARNING, f"Label printer: {uri} did not answer: {address_problem(exc)}")
    if not status.ready:
        return SetupLine(Outcome.WARNING, f"Label printer: {uri} reports {status.words}. {status.advice}")
    if not status.two_way:
        return SetupLine(Outcome.DONE, f"Label printer: {uri} (it cannot report its state; print a test label with "
                                       f"'fulfilstation devices print-test {uri}').")
    return SetupLine(Outcome.DONE, f"Label printer: {uri} is ready.")


def _document_printer(toolkit: DeviceToolkit, uri: str) -> SetupLine:
    if not uri:
        return SetupLine(Outcome.DONE, "Document printer: none (packing slips are saved as PDF files).")
    _printer: DocumentPrinter = toolkit.open_document_printer(uri)
    return SetupLine(Outcome.DONE, f"Document printer: {uri} (address understood; nothing printed).")


def _wait(condition: Callable[[], bool], seconds: float, wake: threading.Event | None = None) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        if wake is not None:
            wake.wait(min(0.05, remaining))
            wake.clear()
        else:
            time.sleep(min(0.05, remaining))
    return True
