"""USB HID POS scales (usage page 0x8D) over hidapi.

HID scales send input reports by themselves, so the link only reads. The first report
after opening may be stale and is dropped. A read error or a closed device breaks the
link (the worker reopens it); silence alone does not, by default, because some scales
only report when the weight changes (pass ``silence_timeout`` to change that).

hidapi is imported only when a real device is opened (see :mod:`drivers.hid`), so this
module imports (and tests run) without it; tests inject a ``device_factory`` returning a
fake device.
"""

from __future__ import annotations

from typing import Unpack

from drivers.hid import HidDevice, HidDeviceFactory, open_hid
from drivers.scale import hid_pos
from drivers.scale.common import Reply
from drivers.scale.reader import ScaleLink, ScaleWorker, WorkerOptions
from drivers.uri import parse_device_uri, scale_capacity
from fulfilstation.ports import DeviceFault, DeviceNotFound, DeviceUriError

READ_SIZE = 64
READ_TIMEOUT_MS = 100


class HidLink:
    """One open HID scale. Not thread-safe: worker thread only."""

    def __init__(self, device: HidDevice) -> None:
        self._device = device
        self._fresh = True  # the first report after opening can be stale

    def poll(self, request: bool) -> list[Reply]:
        try:
            report = self._device.read(READ_SIZE, READ_TIMEOUT_MS)
        except (OSError, ValueError) as exc:  # hidapi: "read error", "not open"
            raise DeviceNotFound(f"HID scale read failed: {exc}") from exc
        if not report:
            return []
        if self._fresh:
            self._fresh = False
            return []
        reading = hid_pos.parse_report(report)
        return [reading] if reading is not None else []

    def send_zero(self) -> bool:
        try:
            written = self._device.write(hid_pos.ZERO_REPORT)
        except ValueError as exc:
            raise OSError(f"HID scale is closed: {exc}") from exc
        if written is None or written < 0:
            raise DeviceFault(
                "HID scale refused the zero report",
                user_message="This scale cannot be zeroed from the computer: "
                "use the zero button on the scale.",
            )
        return True

    def zero_outcome(self, reply: Reply) -> bool | None:
        return None

    def close(self) -> None:
        self._device.close()


def open_hid_scale(
    uri: str,
    *,
    device_factory: HidDeviceFactory | None = None,
    **options: Unpack[WorkerOptions],
) -> ScaleWorker:
    """A scale for ``hid://VID:PID[?serial=...]``; the device is opened by ``start``."""
    parsed = parse_device_uri(uri)
    if parsed.scheme != "hid" or parsed.vid is None or parsed.pid is None:
        raise DeviceUriError(f"not a HID URI: {uri!r} (expected hid://VID:PID)")
    vid, pid, serial = parsed.vid, parsed.pid, parsed.serial_number

    def opener() -> ScaleLink:
        try:
            device = open_hid(vid, pid, serial, factory=device_factory)
        except (OSError, ValueError) as exc:
            raise DeviceNotFound(
                f"cannot open HID scale {vid:04x}:{pid:04x}: {exc}",
                user_message="The USB scale is not connected, or this user may not "
                "open it (on Linux: install the udev rule for the scale).",
            ) from exc
        return HidLink(device)

    options.setdefault("silence_timeout", None)
    options.setdefault("capacity_grams", scale_capacity(parsed))
    return ScaleWorker(uri, opener, **options)
