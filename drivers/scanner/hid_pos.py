"""HID POS barcode scanners (usage page 0x8C, usage 0x02) through hidapi.

Report layout (Honeywell; Zebra and Datalogic in HID POS mode are alike), 64 bytes:
``[0]`` report id 0x02 · ``[1]`` data length (AIM id not counted) · ``[2..4]`` AIM id
(``]C1``) · data · zero padding · last byte: bit0 set = more reports follow.
Accepted variants: no length byte (``[1]`` is the ``]``: data runs to the zero padding),
a length byte with no AIM id (zeros at ``[2..4]``), and a stray leading 0x00.

:func:`parse_report` and :class:`HidPosAssembler` are pure (bytes in, values out;
never raise). :class:`HidPosScanner` is the transport: a worker thread that finds the
device by usage page, reads reports and reconnects; the hidapi calls go through an
injected device factory (:mod:`drivers.hid`) so tests can replay recorded reports.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from drivers.hid import Enumerate, HidDevice, HidDeviceFactory, hidapi_enumerate, open_hid
from drivers.scanner.scan_text import decode_data
from drivers.scanner.worker import ScannerWorker
from fulfilstation.domain.aim import split_aim_bytes
from fulfilstation.ports import DeviceNotFound, ScanValue

USAGE_PAGE = 0x8C
USAGE_SCANNER = 0x02
REPORT_ID = 0x02
REPORT_SIZE = 64
MAX_SCAN_BYTES = 16 * 1024


@dataclass(frozen=True, slots=True)
class HidPosReport:
    """One parsed input report: a piece of a scan."""

    data: bytes
    symbology: str | None
    more: bool


def parse_report(report: bytes) -> HidPosReport | None:
    """Parse one input report; None when it is not a scan report (or is garbled)."""
    if report[:2] == b"\x00\x02":
        report = report[1:]
    if len(report) < 3 or report[0] != REPORT_ID:
        return None
    more = bool(report[-1] & 1)
    body = report[1:-1]
    if body[1:2] == b"]":
        symbology, _ = split_aim_bytes(body[1:4])
        start, end = 4, 4 + body[0]
    elif body[:1] == b"]":
        symbology, _ = split_aim_bytes(body[:3])
        start, end = 3, len(body.rstrip(b"\x00"))
    else:
        symbology, start, end = None, 4, 4 + body[0]
    if end > len(body) or end <= start:
        return None
    if symbology is None and b"]" in body[:3]:
        return None
    return HidPosReport(data=body[start:end], symbology=symbology, more=more)


class HidPosAssembler:
    """Joins continuation reports into scans. Pure state; one instance per device."""

    def __init__(self) -> None:
        self._data = bytearray()
        self._raw = bytearray()
        self._symbology: str | None = None

    def feed(self, report: bytes) -> ScanValue | None:
        """Feed one report; returns the scan when its last report has arrived."""
        part = parse_report(report)
        if part is None:
            return None
        if not self._raw:
            self._symbology = part.symbology
        self._data += part.data
        self._raw += report
        if len(self._raw) > MAX_SCAN_BYTES:
            self.reset()
            return None
        if part.more:
            return None
        value = ScanValue(
            decode_data(bytes(self._data)), self._symbology, bytes(self._raw)
        )
        self.reset()
        return value

    def reset(self) -> None:
        """Forget a partly received scan (after a reconnect)."""
        self._data.clear()
        self._raw.clear()
        self._symbology = None


def choose_path(
    entries: list[dict[str, Any]], pid: int | None, serial: str | None
) -> bytes | None:
    """The path of the HID POS scanner interface among ``entries`` (one vendor's
    devices): usage page 0x8C usage 0x02, matching ``serial``, preferring ``pid``."""
    fits = [
        e
        for e in entries
        if e.get("usage_page") == USAGE_PAGE
        and e.get("usage") == USAGE_SCANNER
        and (serial is None or e.get("serial_number") == serial)
    ]
    fits.sort(key=lambda e: e.get("product_id") != pid)
    return bytes(fits[0]["path"]) if fits else None


class HidPosScanner(ScannerWorker):
    """A HID POS scanner named ``hid://VID:PID[?serial=...]``.

    The interface is chosen by usage page 0x8C/usage 0x02 among the vendor's devices
    (the product id changes with the scanner's mode, so it is only a preference). When
    the platform does not report usage pages, ``open(vid, pid, serial)`` is used. Read
    errors and a missing device lead to the reconnect loop of :class:`ScannerWorker`.
    """

    def __init__(
        self,
        uri: str,
        vid: int,
        pid: int,
        serial_number: str | None = None,
        *,
        device_factory: HidDeviceFactory | None = None,
        enumerate_fn: Enumerate | None = None,
        reconnect_delay: float = 1.0,
    ) -> None:
        super().__init__(uri, reconnect_delay=reconnect_delay)
        self.vid, self.pid, self.serial_number = vid, pid, serial_number
        self._factory = device_factory
        self._enumerate = enumerate_fn or hidapi_enumerate
        self._device: HidDevice | None = None
        self._assembler = HidPosAssembler()

    def _open(self) -> None:
        entries = self._enumerate(self.vid, 0)
        path = choose_path(entries, self.pid, self.serial_number)
        if path is None and any(e.get("usage_page") for e in entries):
            raise DeviceNotFound(
                f"{self.uri}: no HID POS interface (usage page 0x8C)",
                user_message="The barcode scanner is not in HID POS mode: scan the "
                "'USB HID POS' set-up barcode from its manual, or use wedge: instead.",
            )
        if path is None and not entries:
            raise DeviceNotFound(
                f"{self.uri}: no such USB device",
                user_message="The barcode scanner is not connected: check its cable.",
            )
        self._device = open_hid(
            self.vid, self.pid, self.serial_number, path=path, factory=self._factory
        )
        self._assembler.reset()

    def _poll(self) -> list[ScanValue]:
        if self._device is None:
            raise OSError("HID device is not open")
        data = self._device.read(REPORT_SIZE + 1, int(self.poll_interval * 1000))
        if not data:
            return []
        value = self._assembler.feed(bytes(data))
        return [value] if value is not None else []

    def _close(self) -> None:
        device, self._device = self._device, None
        if device is not None:
            with contextlib.suppress(Exception):  # a lost device may fail to close
                device.close()
