"""What each device's address box offers: discovered devices first, then fixed choices
(simulators, templates such as ``tcp://HOST:9100``). Pure data, no Qt."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fulfilstation.ports import DiscoveredDevice

SCANNER, SCALE, LABEL_PRINTER, DOCUMENT_PRINTER = "scanner", "scale", "label_printer", "document_printer"
KINDS = (SCANNER, SCALE, LABEL_PRINTER, DOCUMENT_PRINTER)
SCALE_PROTOCOLS = {"mt-sics": "Mettler Toledo MT-SICS", "nci": "NCI / SCP-12", "toledo": "Toledo 8213"}


@dataclass(frozen=True, slots=True)
class Choice:
    """One address to offer; ``placeholder`` is the part of a template the user must
    replace (``HOST``), empty for a ready-to-use address."""

    uri: str
    description: str
    placeholder: str = ""


def fixed_choices(kind: str, documents_dir: Path | None = None) -> list[Choice]:
    """The choices that exist on every PC."""
    if kind == SCANNER:
        return [Choice("wedge:", "Keyboard-wedge scanner: it types like a keyboard (most USB scanners)"),
                Choice("sim:", "Simulated scanner (demo and training)")]
    if kind == SCALE:
        return [Choice("sim:", "Simulated scale (demo and training)")]
    if kind == LABEL_PRINTER:
        return [Choice("tcp://HOST:9100", "Network label printer: replace HOST with its IP address", "HOST"),
                _spooler_template("label"),
                Choice("sim:", "Simulated label printer (demo and training)")]
    folder = (documents_dir or Path.home() / "Documents") / "FulfilStation"
    return [Choice("", "None: nothing is printed; packing slips are saved as PDF files instead"),
            Choice("pdf:///" + folder.as_posix().lstrip("/"), f"Save each document as a PDF file in {folder}"),
            _spooler_template("document"),
            Choice("sim:", "Simulated document printer (demo and training)")]


def _spooler_template(what: str) -> Choice:
    if sys.platform == "win32":
        return Choice("win://PRINTER NAME", f"Windows {what} printer: replace PRINTER NAME with its name",
                      "PRINTER NAME")
    return Choice("cups://QUEUE", f"CUPS {what} printer: replace QUEUE with the queue name (lpstat -p)", "QUEUE")


def discovered_choices(kind: str, found: Iterable[DiscoveredDevice]) -> list[Choice]:
    """The discovered devices that fit ``kind``. A serial port does not tell what is on
    it: it is offered to the scanner as is, and to the scale once per protocol."""
    choices: list[Choice] = []
    for device in found:
        if device.kind == kind:
            choices.append(Choice(device.uri, device.description))
        elif device.kind == "serial-port" and kind == SCANNER:
            choices.append(Choice(device.uri, f"Serial scanner on {device.description}"))
        elif device.kind == "serial-port" and kind == SCALE:
            separator = "&" if "?" in device.uri else "?"
            choices += [Choice(f"{device.uri}{separator}protocol={name}", f"{label} scale on {device.description}")
                        for name, label in SCALE_PROTOCOLS.items()]
    return choices


def merged(discovered: Sequence[Choice], fixed: Sequence[Choice]) -> list[Choice]:
    """Discovered first, then fixed; each address once."""
    seen: set[str] = set()
    result = []
    for choice in (*discovered, *fixed):
        if choice.uri not in seen:
            seen.add(choice.uri)
            result.append(choice)
    return result
