"""A worker thread that owns one scanner device and reconnects by itself.

Subclasses implement three methods, all called **only on the worker thread**:

* ``_open()`` opens the device (raises OSError/DeviceError when it cannot),
* ``_poll()`` waits at most ``poll_interval`` for data and returns the scans it
  completed (raises OSError/DeviceError when the device is lost),
* ``_close()`` releases the device; must not raise; copes with a half-open device.

The loop: open, poll until stopped or an error, close, wait ``reconnect_delay`` (cut
short by ``stop()``), repeat. ``on_scan`` runs on the worker thread; an exception in it
is logged and does not stop the scanner. ``start`` while running raises RuntimeError;
``stop`` is idempotent, thread-safe and returns once the worker has ended (within
about ``poll_interval``).
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable

from fulfilstation.ports import DeviceError, ScanValue

log = logging.getLogger(__name__)


def _describe(exc: Exception) -> str:
    if isinstance(exc, DeviceError):
        return exc.user_message
    return str(exc) or type(exc).__name__


class ScannerWorker(ABC):
    """Base of thread-owning scanners (HID POS, serial)."""

    poll_interval = 0.2

    def __init__(self, uri: str, *, reconnect_delay: float = 1.0) -> None:
        self.uri = uri
        self.reconnect_delay = reconnect_delay
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._on_scan: Callable[[ScanValue], None] | None = None
        self._connected = False
        self._last_error = ""

    @property
    def connected(self) -> bool:
        """True while the device is open and being read. Thread-safe."""
        return self._connected

    @property
    def last_error(self) -> str:
        """Why the last connection attempt or read failed ('' if none). Thread-safe."""
        return self._last_error

    def start(self, on_scan: Callable[[ScanValue], None]) -> None:
        with self._lock:
            if self._thread is not None:
                raise RuntimeError(f"scanner {self.uri} is already started")
            self._on_scan = on_scan
            self._stopping.clear()
            self._thread = threading.Thread(
                target=self._run, name=f"scanner {self.uri}", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
            self._stopping.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._session()
            except Exception as exc:  # noqa: BLE001 - the worker must survive anything
                self._last_error = _describe(exc)
                log.info("scanner %s: %s", self.uri, self._last_error)
            finally:
                self._connected = False
                self._close()
            self._stopping.wait(self.reconnect_delay)

    def _session(self) -> None:
        self._open()
        self._connected = True
        self._last_error = ""
        while not self._stopping.is_set():
            for value in self._poll():
                self._deliver(value)

    def _deliver(self, value: ScanValue) -> None:
        callback = self._on_scan
        if callback is None:
            return
        try:
            callback(value)
        except Exception:
            log.exception("scanner %s: on_scan callback failed", self.uri)

    @abstractmethod
    def _open(self) -> None: ...

    @abstractmethod
    def _poll(self) -> list[ScanValue]: ...

    @abstractmethod
    def _close(self) -> None: ...
