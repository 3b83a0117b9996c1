"""Fake hidapi devices (:class:`drivers.hid.HidDevice`) for tests, demos and technicians.

* :class:`FakeHidScale` stands in for a USB HID scale: its ``device`` method replaces
  ``hid.device`` (``open_hid_scale(uri, device_factory=fake.device)``), one handle per
  open, and handles opened before an unplug stay dead.
* :class:`ReplayHidDevice` stands in for a HID POS scanner: it is its own handle and
  replays the reports pushed to it (``device_factory=lambda: replay``).

Both build on :class:`FakeHidBase`: input reports that ``push`` queues from any thread,
and a condition the reads wait on. Thread-safe.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Iterator
from typing import Any

from drivers.scanner.hid_pos import USAGE_PAGE, USAGE_SCANNER


class FakeHidBase:
    """A fake HID device's input reports and lock. ``writes`` records output reports."""

    def __init__(self, vid: int, pid: int) -> None:
        self.vid, self.pid = vid, pid
        self.writes: list[bytes] = []
        self._cond = threading.Condition()
        self._reports: deque[bytes] = deque()

    def push(self, *reports: bytes) -> None:
        """Queue input reports for the driver to read (any thread)."""
        with self._changing():
            self._reports.extend(reports)

    @contextlib.contextmanager
    def _changing(self) -> Iterator[None]:
        """Hold the lock for a change of state, then wake every waiting read."""
        with self._cond:
            yield
            self._cond.notify_all()


# --------------------------------------------------------------------------- scale


class FakeHidScale(FakeHidBase):
    """A USB HID scale for tests. ``push`` report bytes; ``device`` is the factory to
    hand to ``open_hid_scale``. With ``repeat`` it re-sends its last report every
    ``period`` seconds, as streaming scales do. ``unplug()`` makes reads and opens
    fail; ``read_errors = True`` makes reads fail (a dying device) until ``replug()``.
    ``writes`` records what the driver wrote. Thread-safe."""

    def __init__(
        self,
        vid: int = 0x0922,
        pid: int = 0x8003,
        *,
        repeat: bool = True,
        period: float = 0.02,
        zero_supported: bool = True,
    ) -> None:
        super().__init__(vid, pid)
        self.repeat, self.period, self.zero_supported = repeat, period, zero_supported
        self.plugged = True
        self.generation = 0  # bumped by unplug: handles opened before are dead
        self.read_errors = False
        self._last: bytes | None = None

    def unplug(self) -> None:
        with self._changing():
            self.plugged = False
            self.generation += 1

    def replug(self) -> None:
        with self._changing():
            self.plugged, self.read_errors = True, False

    def device(self) -> FakeHidDevice:
        return FakeHidDevice(self)

    def next_report(self, timeout: float, generation: int) -> bytes | None:
        """The next report for a handle of ``generation`` (driver side)."""
        with self._cond:
            if not self._alive(generation):
                raise OSError("read error")
            if not self._reports:
                wait = self.period if self.repeat and self._last else timeout
                self._cond.wait(wait)
                if not self._alive(generation):
                    raise OSError("read error")
            if self._reports:
                self._last = self._reports.popleft()
                return self._last
            return self._last if self.repeat else None

    def _alive(self, generation: int) -> bool:
        return self.plugged and not self.read_errors and generation == self.generation


class FakeHidDevice:
    """Same methods as ``hid.device`` (cython-hidapi), backed by a FakeHidScale."""

    def __init__(self, scale: FakeHidScale) -> None:
        self._scale = scale
        self._generation: int | None = None

    def open(
        self, vendor_id: int = 0, product_id: int = 0, serial_number: str | None = None
    ) -> None:
        scale = self._scale
        if not scale.plugged or (vendor_id, product_id) != (scale.vid, scale.pid):
            raise OSError("open failed")
        self._generation = scale.generation

    def open_path(self, path: bytes) -> None:
        self.open(self._scale.vid, self._scale.pid)

    def read(self, max_length: int, timeout_ms: int = 0) -> list[int]:
        if self._generation is None:
            raise ValueError("not open")
        report = self._scale.next_report(timeout_ms / 1000, self._generation)
        return list(report[:max_length]) if report else []

    def write(self, buff: bytes) -> int:
        if self._generation is None:
            raise ValueError("not open")
        self._scale.writes.append(bytes(buff))
        return len(buff) if self._scale.zero_supported else -1

    def close(self) -> None:
        self._generation = None

    def set_nonblocking(self, value: int) -> int:
        return 0

    def get_manufacturer_string(self) -> str:
        return "FulfilStation"

    def get_product_string(self) -> str:
        return "Simulated HID scale"

    def get_serial_number_string(self) -> str:
        return "SIM0001"


# --------------------------------------------------------------------------- scanner


class ReplayHidDevice(FakeHidBase):
    """A stand-in for ``hid.device`` that returns queued reports. Thread-safe.

    ``push`` queues reports; ``read`` waits up to ``timeout_ms`` for one (``[]`` when
    none). ``unplug`` makes the next ``read`` raise OSError, like a pulled cable.
    ``write`` records output reports in ``writes``.
    """

    def __init__(
        self, vid: int = 0x0C2E, pid: int = 0x0B61, serial: str = "SIM1"
    ) -> None:
        super().__init__(vid, pid)
        self.serial = serial
        self.path = f"sim-hid-{vid:04x}:{pid:04x}".encode()
        self.opens = 0
        self.closed = True
        self._unplugged = False

    def enumerate(
        self, vendor_id: int = 0, product_id: int = 0
    ) -> list[dict[str, Any]]:
        """Like ``hid.enumerate``: this device's scanner interface, when it matches."""
        if vendor_id not in (0, self.vid) or product_id not in (0, self.pid):
            return []
        entry = {
            "path": self.path,
            "vendor_id": self.vid,
            "product_id": self.pid,
            "serial_number": self.serial,
            "usage_page": USAGE_PAGE,
            "usage": USAGE_SCANNER,
            "interface_number": 0,
        }
        return [entry]

    def unplug(self) -> None:
        with self._changing():
            self._unplugged = True

    def open(
        self, vendor_id: int, product_id: int, serial_number: str | None = None
    ) -> None:
        self.open_path(self.path)

    def open_path(self, path: bytes) -> None:
        with self._cond:
            self.opens += 1
            self.closed = False

    def set_nonblocking(self, v: int) -> int:
        return 0

    def read(self, max_length: int, timeout_ms: int = 0) -> list[int]:
        with self._cond:
            self._cond.wait_for(
                lambda: self._reports or self._unplugged, timeout_ms / 1000
            )
            if self._unplugged:
                self._unplugged = False
                raise OSError("read error (simulated unplug)")
            return list(self._reports.popleft()[:max_length]) if self._reports else []

    def write(self, buff: bytes) -> int:
        with self._cond:
            self.writes.append(bytes(buff))
        return len(buff)

    def close(self) -> None:
        self.closed = True
