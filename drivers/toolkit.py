"""``DriverToolkit``: the drivers behind the ``fulfilstation.ports.DeviceToolkit`` port.

Built by ``main.py`` and handed to the CLI and the UI, which never import drivers.
Stateless and thread-safe; every method may block.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from drivers.discovery import list_serial_ports, propose_device_uris
from drivers.printer import open_document_printer, open_label_printer
from drivers.scale import open_scale
from drivers.scanner import open_scanner
from drivers.uri import format_serial_uri
from fulfilstation.domain.units import parse_weight
from fulfilstation.ports import DiscoveredDevice, DocumentPrinter, LabelPrinter, Scale, Scanner


class DriverToolkit:
    def discover(self) -> list[DiscoveredDevice]:
        """Recognised scales and scanners first, then every serial port (a serial scale's
        USB adapter does not tell its protocol: the user picks it)."""
        ports = list_serial_ports()
        found = [DiscoveredDevice(p.kind, p.uri, p.description) for p in propose_device_uris(ports)]
        for port in ports:
            ids = f" (USB {port.vid_pid})" if port.vid is not None else ""
            found.append(DiscoveredDevice("serial-port", format_serial_uri(port.port),
                                          f"{port.port}: {port.description or 'serial port'}{ids}"))
        return found

    def open_scale(self, uri: str) -> Scale:
        return open_scale(uri)

    def open_scanner(self, uri: str) -> Scanner:
        return open_scanner(uri)

    def open_label_printer(self, uri: str) -> LabelPrinter:
        return open_label_printer(uri)

    def open_document_printer(self, uri: str) -> DocumentPrinter:
        return open_document_printer(uri)

    def parse_weight(self, text: str) -> int:
        return parse_weight(text)

    def run_scale_simulator(self, protocol: str, weight_grams: int, out: Callable[[str], None]) -> None:
        from drivers.sim.scale import run_scale_simulator

        run_scale_simulator(protocol, weight_grams, out=out)

    def run_printer_simulator(self, listen: str, out_dir: str, state: str, out: Callable[[str], None]) -> None:
        from drivers.sim.printer import run_printer_simulator

        run_printer_simulator(listen, Path(out_dir), state, out)
