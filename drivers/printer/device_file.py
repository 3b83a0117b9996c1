"""Label printers as a device file (``file:///dev/usb/lp0``): one-way, no status.

The file is opened for each job without creating it (a missing ``/dev/usb/lp0`` means
an unplugged printer, never a new regular file), non-blocking where the platform allows,
and written within ``timeout`` seconds: a printer that stops taking data is a
DeviceTimeout instead of a hung station. Works for regular files and FIFOs too (tests,
pipes to other programs). A lock serialises jobs; call from a worker thread.
"""

from __future__ import annotations

import errno
import os
import select
import threading
import time

from fulfilstation.ports import (
    DeviceBusy,
    DeviceError,
    DeviceNotFound,
    DeviceTimeout,
    PrinterStatus,
)

_FLAGS = (
    os.O_WRONLY
    | os.O_APPEND
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
)


def _open_error(path: str, exc: OSError) -> DeviceError:
    """An open failure in words a packer can act on."""
    if exc.errno in (errno.ENOENT, errno.ENXIO, errno.ENODEV):
        return DeviceNotFound(
            f"{path}: {exc}",
            user_message=f"The label printer is not connected ({path} is missing): "
            "check its USB cable and that it is switched on.",
        )
    if exc.errno == errno.EBUSY:
        return DeviceBusy(
            f"{path}: {exc}",
            user_message="The label printer is in use by another program: close it "
            "and print again.",
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return DeviceError(
            f"{path}: {exc}",
            user_message=f"FulfilStation may not write to {path}: ask for this user "
            "to be added to the 'lp' group.",
        )
    return DeviceError(f"{path}: {exc}", user_message=f"Cannot open {path}: {exc}.")


class DeviceFileLabelPrinter:
    """``file:///dev/usb/lp0`` (or any writable file path)."""

    def __init__(self, uri: str, path: str, *, timeout: float = 10.0) -> None:
        self.uri, self.path, self.timeout = uri, path, timeout
        self._lock = threading.Lock()

    def status(self) -> PrinterStatus:
        """A device file cannot be asked: readiness unknown."""
        return PrinterStatus(two_way=False)

    def send(self, data: bytes, job_name: str = "label") -> None:
        with self._lock:
            try:
                fd = os.open(self.path, _FLAGS)
            except OSError as exc:
                raise _open_error(self.path, exc) from exc
            try:
                self._write_all(fd, data, job_name)
            finally:
                os.close(fd)

    def _write_all(self, fd: int, data: bytes, job_name: str) -> None:
        deadline = time.monotonic() + self.timeout
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(fd, view) :]
                continue
            except BlockingIOError:
                pass
            except OSError as exc:
                raise DeviceError(
                    f"{self.path}: writing {job_name!r} failed: {exc}",
                    user_message="The label printer went away while printing: check "
                    "its USB cable and power, then print again.",
                ) from exc
            left = deadline - time.monotonic()
            if left <= 0:
                raise DeviceTimeout(
                    f"{self.path}: {job_name!r} not taken within {self.timeout} s",
                    user_message="The label printer stopped taking the label: check it "
                    "for a paper jam or an error light, then print again.",
                )
            select.select([], [fd], [], min(left, 0.5))
