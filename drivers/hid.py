"""hidapi for every HID driver (scales, scanners, discovery): typed, guarded, injectable.

* :class:`HidDevice` is the part of ``hid.device`` (cython-hidapi) the drivers use;
  tests and simulators hand the drivers a :data:`HidDeviceFactory` returning a fake
  (see :mod:`drivers.sim.hid_devices`).
* :func:`open_hid` makes a device with such a factory (hidapi by default) and opens it
  by path, or by VID:PID and optional serial number.
* ``hid`` is imported only when a real device is made or listed, so the drivers import
  (and tests run) without it; a missing hidapi is a :class:`DeviceError`.

Thread-safety is hidapi's: one device object belongs to one thread at a time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, Protocol

from fulfilstation.ports import DeviceError


class HidDevice(Protocol):
    """The part of ``hid.device`` (cython-hidapi) the drivers use."""

    def open(
        self, vendor_id: int, product_id: int, serial_number: str | None = None
    ) -> None: ...

    def open_path(self, path: bytes) -> None: ...

    def read(self, max_length: int, timeout_ms: int = 0) -> list[int]: ...

    def write(self, buff: bytes) -> int: ...

    def close(self) -> None: ...


HidDeviceFactory = Callable[[], HidDevice]
#: ``hid.enumerate(vendor_id, product_id)``: one dict per interface (0 matches any).
Enumerate = Callable[[int, int], list[dict[str, Any]]]


def _hid_module() -> Any:
    try:
        import hid  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError as exc:
        raise DeviceError(
            f"hidapi is not available: {exc}",
            user_message="USB scales and scanners need the hidapi library, which is "
            "not installed.",
        ) from exc
    return hid


def hidapi_device() -> HidDevice:
    """A new, unopened ``hid.device``. DeviceError when hidapi is unavailable."""
    device: HidDevice = _hid_module().device()
    return device


def hidapi_enumerate(vendor_id: int = 0, product_id: int = 0) -> list[dict[str, Any]]:
    """``hid.enumerate``. DeviceError when hidapi is unavailable."""
    found: list[dict[str, Any]] = _hid_module().enumerate(vendor_id, product_id)
    return found


def open_hid(
    vid: int,
    pid: int,
    serial_number: str | None = None,
    *,
    path: bytes | None = None,
    factory: HidDeviceFactory | None = None,
) -> HidDevice:
    """A device from ``factory`` (hidapi by default), opened by ``path`` when given,
    else by ``vid``/``pid``/``serial_number``. hidapi's errors (OSError, ValueError)
    pass through; a device that fails to open is closed again."""
    device = (factory or hidapi_device)()
    try:
        if path is not None:
            device.open_path(path)
        else:
            device.open(vid, pid, serial_number)
    except BaseException:
        with contextlib.suppress(Exception):
            device.close()
        raise
    return device
