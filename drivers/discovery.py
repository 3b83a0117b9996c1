"""Find attached devices and propose URIs for them (setup screens, technicians).

* :func:`list_serial_ports` — serial ports, with USB VID:PID when the port is USB;
* :func:`list_hid_devices` — HID devices as hidapi enumerates them (one entry per
  top-level collection, so one device may appear more than once);
* :func:`propose_device_uris` — ``(kind, uri, description)`` for what we recognise:
  HID scales (usage page 0x8D, or a VID:PID from the table in ``specs/devices.md``),
  HID POS scanners (usage page 0x8C), and known scanner brands in keyboard mode
  (``wedge:``) or USB serial mode (``serial:``). Serial *scales* cannot be told apart
  from other serial devices by their USB ids, so they are listed but not proposed.

Every function returns an empty list instead of raising when pyserial or hidapi is
missing, has no backend, or is refused by the OS. Pure apart from the enumeration
calls, which tests replace. Safe to call from any thread (blocks briefly).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import quote

from drivers.hid import hidapi_enumerate
from drivers.uri import format_serial_uri

log = logging.getLogger(__name__)

SCALE_USAGE_PAGE = 0x8D
SCANNER_USAGE_PAGE = 0x8C
GENERIC_DESKTOP_PAGE, KEYBOARD_USAGE = 0x01, 0x06

KNOWN_HID_SCALES: dict[tuple[int, int], str] = {
    (0x0922, 0x8003): "DYMO M10",
    (0x0922, 0x8004): "DYMO M25",
    (0x0922, 0x8009): "DYMO S100/S180",
    (0x0EB8, 0xF000): "Mettler Toledo PS60",
    (0x1446, 0x6A73): "Stamps.com",
    (0x2474, 0x0550): "Stamps.com",
    (0x2474, 0x3550): "Stamps.com",
    (0x7B7C, 0x0100): "USPS/Elane PS311",
    (0x0B67, 0x555E): "Fairbanks",
    (0x0D8F, 0x0200): "Pitney Bowes",
}
SCANNER_VENDORS: dict[int, str] = {
    0x0C2E: "Honeywell",
    0x05E0: "Zebra",
    0x05F9: "Datalogic",
}


@dataclass(frozen=True, slots=True)
class SerialPortInfo:
    port: str
    description: str = ""
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None
    manufacturer: str | None = None

    @property
    def vid_pid(self) -> str | None:
        """``"0922:8003"`` for a USB port, else None."""
        return vid_pid(self.vid, self.pid) if self.vid is not None else None


@dataclass(frozen=True, slots=True)
class HidDeviceInfo:
    vid: int
    pid: int
    usage_page: int = 0
    usage: int = 0
    path: bytes = b""
    serial_number: str = ""
    manufacturer: str = ""
    product: str = ""
    interface_number: int = -1

    @property
    def vid_pid(self) -> str:
        return vid_pid(self.vid, self.pid)


class ProposedDevice(NamedTuple):
    kind: str  # "scale" or "scanner"
    uri: str
    description: str


def vid_pid(vid: int | None, pid: int | None) -> str:
    return f"{vid or 0:04x}:{pid or 0:04x}"


def list_serial_ports(
    comports: Callable[[], Iterable[Any]] | None = None,
) -> list[SerialPortInfo]:
    """Serial ports, sorted by name. ``comports`` replaces pyserial's (tests)."""
    try:
        found = list((comports or _pyserial_comports)())
    except Exception as exc:  # noqa: BLE001 - discovery must never take the app down
        log.info("cannot list serial ports: %s", exc)
        return []
    ports = [
        SerialPortInfo(
            port=str(p.device),
            description=str(p.description or ""),
            vid=p.vid,
            pid=p.pid,
            serial_number=p.serial_number,
            manufacturer=p.manufacturer,
        )
        for p in found
    ]
    return sorted(ports, key=lambda p: p.port)


def list_hid_devices(
    enumerate_fn: Callable[[], Iterable[Mapping[str, Any]]] | None = None,
) -> list[HidDeviceInfo]:
    """HID devices (``hid.enumerate()``). ``enumerate_fn`` replaces hidapi (tests)."""
    try:
        return [_hid_info(entry) for entry in (enumerate_fn or hidapi_enumerate)()]
    except Exception as exc:  # noqa: BLE001 - no backend, no permission, no library
        log.info("cannot list HID devices: %s", exc)
        return []


def _pyserial_comports() -> Iterable[Any]:
    from serial.tools.list_ports import comports  # type: ignore[import-untyped]

    return comports()  # type: ignore[no-any-return]


def _hid_info(entry: Mapping[str, Any]) -> HidDeviceInfo:
    return HidDeviceInfo(
        vid=int(entry.get("vendor_id") or 0),
        pid=int(entry.get("product_id") or 0),
        usage_page=int(entry.get("usage_page") or 0),
        usage=int(entry.get("usage") or 0),
        path=bytes(entry.get("path") or b""),
        serial_number=str(entry.get("serial_number") or ""),
        manufacturer=str(entry.get("manufacturer_string") or ""),
        product=str(entry.get("product_string") or ""),
        interface_number=int(entry.get("interface_number", -1)),
    )


def propose_device_uris(
    serial_ports: list[SerialPortInfo] | None = None,
    hid_devices: list[HidDeviceInfo] | None = None,
) -> list[ProposedDevice]:
    """``(kind, uri, description)`` for each recognised device, without duplicates.

    Enumerates the machine for an argument left as None. A ``?serial=`` is added to a
    HID URI only when two attached devices share its VID:PID.
    """
    devices = list_hid_devices() if hid_devices is None else hid_devices
    ports = list_serial_ports() if serial_ports is None else serial_ports
    distinct = {(d.vid, d.pid, d.serial_number) for d in devices}
    twins = Counter((vid, pid) for vid, pid, _ in distinct)
    proposals: dict[tuple[str, str], ProposedDevice] = {}
    for device in devices:
        uri = f"hid://{device.vid_pid}"
        if twins[(device.vid, device.pid)] > 1 and device.serial_number:
            uri += f"?serial={quote(device.serial_number)}"
        proposal = _propose(device, uri)
        if proposal is not None:
            proposals.setdefault((proposal.kind, proposal.uri), proposal)
    for port in ports:
        brand = SCANNER_VENDORS.get(port.vid or -1)
        if brand:
            uri = format_serial_uri(port.port)
            label = f"{brand} scanner in USB serial mode on {port.port}"
            proposals.setdefault(
                ("scanner", uri), ProposedDevice("scanner", uri, label)
            )
    return list(proposals.values())


def _propose(device: HidDeviceInfo, uri: str) -> ProposedDevice | None:
    name = device.product or KNOWN_HID_SCALES.get((device.vid, device.pid), "")
    label = f"{name} ({device.vid_pid})".strip()
    known_scale = (device.vid, device.pid) in KNOWN_HID_SCALES
    scale_page = device.usage_page == SCALE_USAGE_PAGE
    if scale_page or (known_scale and device.usage_page == 0):  # 0: backend can't tell
        return ProposedDevice("scale", uri, f"USB scale {label}")
    if device.usage_page == SCANNER_USAGE_PAGE:
        return ProposedDevice("scanner", uri, f"HID POS barcode scanner {label}")
    brand = SCANNER_VENDORS.get(device.vid)
    keyboard = (device.usage_page, device.usage) == (
        GENERIC_DESKTOP_PAGE,
        KEYBOARD_USAGE,
    )
    if brand and keyboard:
        return ProposedDevice(
            "scanner", "wedge:", f"{brand} scanner in keyboard mode {label}"
        )
    return None
