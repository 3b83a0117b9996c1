"""Scanner simulators: wedge keystrokes, HID POS reports, and the ``sim:`` scanner.

* :func:`wedge_keystrokes` / :func:`typing_keystrokes` build ``(key, timestamp)`` lists
  as a wedge scanner (a few ms apart) or a person (a fifth of a second apart) would type
  them, for the burst detector or a Qt key event injector. Deterministic for a seed.
* :func:`hid_pos_reports` encodes a scan as HID POS input reports (Honeywell layout,
  with or without the length byte, split over continuation reports).
* :class:`ReplayHidDevice` behaves like ``hid.device`` fed with such reports (it lives
  in :mod:`drivers.sim.hid_devices` with the other fake HID devices).
* :class:`SimScanner` is the Scanner port for ``sim:``: ``inject`` delivers a scan.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
from collections.abc import Callable

from drivers.scanner.hid_pos import REPORT_ID, REPORT_SIZE
from drivers.scanner.wedge import ENTER, GS
from drivers.sim.hid_devices import ReplayHidDevice
from fulfilstation.ports import ScanValue

__all__ = [
    "Keystroke",
    "ReplayHidDevice",
    "SimScanner",
    "hid_pos_reports",
    "typing_keystrokes",
    "wedge_keystrokes",
]

log = logging.getLogger(__name__)

Keystroke = tuple[str, float]


def _timed(
    keys: list[str], start: float, gap: float, jitter: float, seed: int
) -> list[Keystroke]:
    rng = random.Random(seed)
    strokes: list[Keystroke] = []
    t = start
    for key in keys:
        strokes.append((key, t))
        t += max(0.0005, gap + rng.uniform(-jitter, jitter))
    return strokes


def wedge_keystrokes(
    text: str,
    *,
    symbology: str | None = None,
    start: float = 0.0,
    gap: float = 0.004,
    jitter: float = 0.002,
    terminator: str = ENTER,
    prefix: str = "",
    suffix: str = "",
    gs_substitute: str | None = None,
    seed: int = 0,
) -> list[Keystroke]:
    """The keys a wedge scanner types for ``text``: prefix, AIM id, data (each
    ``\\x1d`` typed as ``gs_substitute`` when given), suffix, then ``terminator`` as
    one key (``"\\r"``, ``"Enter"``, ``"Tab"``...); ``gap`` +- ``jitter`` s apart."""
    data = text.replace(GS, gs_substitute) if gs_substitute else text
    keys = [*(prefix + (symbology or "") + data + suffix)]
    return _timed(keys + ([terminator] if terminator else []), start, gap, jitter, seed)


def typing_keystrokes(
    text: str,
    *,
    start: float = 0.0,
    gap: float = 0.18,
    jitter: float = 0.06,
    terminator: str = "",
    seed: int = 0,
) -> list[Keystroke]:
    """The keys of a person typing ``text`` (then ``terminator``, if any)."""
    keys = [*text] + ([terminator] if terminator else [])
    return _timed(keys, start, gap, jitter, seed)


def hid_pos_reports(
    data: bytes | str,
    symbology: str | None = "]C0",
    *,
    with_length: bool = True,
    report_size: int = REPORT_SIZE,
) -> list[bytes]:
    """Encode one scan as HID POS input reports of ``report_size`` bytes each.

    Every report repeats the AIM id (zeros when ``symbology`` is None, which needs
    ``with_length``); the last byte is 1 on every report but the last.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    aim = symbology.encode("ascii") if symbology else b"\x00\x00\x00"
    if not with_length and symbology is None:
        raise ValueError("a report without a length byte needs an AIM id")
    header = 5 if with_length else 4
    room = report_size - header - 1
    chunks = [payload[i : i + room] for i in range(0, len(payload), room)] or [b""]
    reports = []
    for index, chunk in enumerate(chunks):
        length = bytes([len(chunk)]) if with_length else b""
        body = bytes([REPORT_ID]) + length + aim + chunk
        more = b"\x01" if index < len(chunks) - 1 else b"\x00"
        reports.append(body.ljust(report_size - 1, b"\x00") + more)
    return reports


class SimScanner:
    """The ``sim:`` scanner: scans given to :meth:`inject` (from any thread) reach
    ``on_scan`` on the simulator's worker thread, in order. Scans injected before
    ``start`` wait for it. ``stop`` is idempotent and first delivers what was injected
    before it."""

    def __init__(self, uri: str = "sim:") -> None:
        self.uri = uri
        self._queue: queue.Queue[ScanValue | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def inject(self, text: str, symbology: str | None = None) -> None:
        raw = ((symbology or "") + text).encode("utf-8", "surrogatepass")
        self._queue.put(ScanValue(text=text, symbology=symbology, raw=raw))

    def start(self, on_scan: Callable[[ScanValue], None]) -> None:
        with self._lock:
            if self._thread is not None:
                raise RuntimeError(f"scanner {self.uri} is already started")
            self._thread = threading.Thread(
                target=self._run, args=(on_scan,), name="sim scanner", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is not None:
                self._queue.put(None)
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self, on_scan: Callable[[ScanValue], None]) -> None:
        while (value := self._queue.get()) is not None:
            try:
                on_scan(value)
            except Exception:  # a bad callback must not end the scanner
                log.exception("%s: on_scan callback failed", self.uri)
