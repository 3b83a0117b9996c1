"""Scale simulators: the real byte formats, without a real scale.

* :class:`ScaleSimulator` serves MT-SICS, NCI or Toledo on a real pseudo-terminal
  (POSIX only). Its :attr:`~ScaleSimulator.path` is a symlink that stays the same
  across ``disconnect()`` / ``reconnect()``, so a driver opens the same path before
  and after a "replug".
* :class:`SimulatedScale` is the in-process scale for ``sim:`` URIs (demo mode): a real
  :class:`~drivers.scale.reader.ScaleWorker` and :class:`SerialLink` whose "port" hands
  each request to the simulated scale, so the bytes still go through the real encoders
  and parsers, with no pty.
* :class:`FakeHidScale` stands in for a USB HID scale: its ``device`` method replaces
  ``hid.device`` (``open_hid_scale(uri, device_factory=fake.device)``).
* :func:`run_scale_simulator` serves a pty until interrupted (the CLI's entry point).

Threading: the ``set_*`` controls, ``disconnect`` and ``reconnect`` may be called from
any thread; each simulator's own thread (or the driver's worker) does all the I/O.
Importing this module works on Windows; only :class:`ScaleSimulator` needs POSIX.
"""

from __future__ import annotations

import os
import queue
import random
import select
import shutil
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Literal, Self, Unpack

from drivers.scale import mt_sics, nci, toledo
from drivers.scale.common import Answer, Display, parse_weight
from drivers.scale.reader import ScaleWorker, WorkerOptions
from drivers.scale.serial_scale import PROTOCOLS, SerialLink
from drivers.uri import format_serial_uri, parse_device_uri
from fulfilstation.ports import DeviceError, DeviceUriError

Mode = Literal["unplug", "silent"]
SIM_PARAMS = ("protocol", "weight", "unit")
#: The units each protocol can display; the first is the default.
UNITS = {
    "mt-sics": ("g", "kg", "lb", "oz"),
    "nci": ("lb", "kg", "oz", "g"),
    "toledo": ("lb", "kg"),
}
_ANSWERS: dict[str, tuple[Answer, bytes]] = {
    "mt-sics": (mt_sics.answer, mt_sics.REQUEST_TERMINATOR),
    "nci": (nci.answer, nci.REQUEST_TERMINATOR),
    "toledo": (toledo.answer, toledo.REQUEST_TERMINATOR),
}
_EVEN_PARITY = bytes(b | ((b.bit_count() & 1) << 7) for b in range(128)) * 2


class ScaleModel:
    """What a simulated scale shows, and how its wire behaves. Thread-safe.

    The simulators' ``set_*`` controls change the display; a zero command sets it to
    0 g when the scale is still and within range.
    """

    def __init__(self, protocol: str, weight_grams: int = 0, unit: str | None = None):
        if protocol not in UNITS:
            raise ValueError(
                f"unknown scale protocol {protocol!r}: one of {', '.join(UNITS)}"
            )
        unit = unit or UNITS[protocol][0]
        if unit not in UNITS[protocol]:
            raise ValueError(
                f"a {protocol} scale shows {', '.join(UNITS[protocol])}, not {unit}"
            )
        self.protocol = protocol
        self._lock = threading.Lock()
        self._display = Display(grams=max(weight_grams, 0), unit=unit)
        self.noise = False  # garbage bytes before each reply
        self.silent = False  # receives requests, answers nothing
        self.parity_bits = False  # 7E1 as an 8N1 port sees it: even parity in bit 7
        self.connected = True  # in-process "cable" (sim: scales)

    def display(self) -> Display:
        with self._lock:
            return self._display

    def update(self, **changes: Any) -> None:
        """Change what the scale shows (fields of :class:`Display`), atomically."""
        with self._lock:
            self._display = replace(self._display, **changes)


class ScaleEndpoint:
    """The scale's end of the wire: request bytes in, reply bytes out. One thread."""

    def __init__(self, model: ScaleModel, seed: int = 1) -> None:
        self.model = model
        self._answer, self._terminator = _ANSWERS[model.protocol]
        self._buffer = bytearray()
        self._random = random.Random(seed)
        self.requests: deque[bytes] = deque(maxlen=1000)

    def receive(self, data: bytes) -> bytes:
        out = bytearray()
        for request in self._split(data):
            self.requests.append(request)
            if self.model.silent:
                continue
            reply, zeroes = self._answer(request, self.model.display())
            if zeroes:
                self.model.update(grams=0)
            if reply and self.model.noise:
                out += self._random.randbytes(self._random.randint(1, 8))
            out += reply
        return bytes(out.translate(_EVEN_PARITY) if self.model.parity_bits else out)

    def _split(self, data: bytes) -> list[bytes]:
        self._buffer += data.translate(None, b"\r\n") if not self._terminator else data
        if not self._terminator:  # one letter per request
            requests = [bytes((b,)) for b in self._buffer]
            self._buffer.clear()
            return requests
        *done, rest = self._buffer.split(self._terminator)
        self._buffer = bytearray(rest[-64:])
        return [line.strip(b"\r\n") for line in map(bytes, done) if line.strip(b"\r\n")]


class ScaleControls:
    """The controls shared by the simulators (they forward to ``self.model``)."""

    model: ScaleModel

    def set_weight(self, grams: int, stable: bool = True) -> None:
        """Show ``grams`` (stable, or in motion); clears overload, under-zero, fault.
        A negative weight shows as under zero."""
        self.model.update(
            grams=max(grams, 0), stable=stable, over=False, under=grams < 0, fault=False
        )

    def set_motion(self, on: bool = True) -> None:
        self.model.update(stable=not on)

    def set_overload(self, on: bool = True) -> None:
        self.model.update(over=on)

    def set_under_zero(self, on: bool = True) -> None:
        self.model.update(under=on)

    def set_fault(self, on: bool = True) -> None:
        self.model.update(fault=on)

    def set_noise(self, on: bool = True) -> None:
        """Send 1-8 random garbage bytes before every reply."""
        self.model.noise = on


# --------------------------------------------------------------------------- pty


class ScaleSimulator(ScaleControls):
    """A serial scale on a pseudo-terminal. Use as a context manager, or start/stop.

    ``disconnect("unplug")`` closes the pty and removes the symlink (the port vanishes);
    ``disconnect("silent")`` keeps the port but stops answering; ``reconnect()`` undoes
    either (after an unplug, with a fresh pty behind the same symlink).
    """

    def __init__(
        self,
        protocol: str = "mt-sics",
        *,
        weight_grams: int = 0,
        unit: str | None = None,
        noise: bool = False,
        parity_bits: bool = False,
        seed: int = 1,
    ) -> None:
        self.protocol = protocol
        self.model = ScaleModel(protocol, weight_grams, unit)
        self.model.noise, self.model.parity_bits = noise, parity_bits
        self._endpoint = ScaleEndpoint(self.model, seed)
        self._dir: str | None = None
        self._fds: tuple[int, int] | None = None
        self._pty_name: str | None = None
        self._calls: queue.Queue[tuple[Callable[[], None], threading.Event]] = (
            queue.Queue()
        )
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def path(self) -> str:
        """The stable device path (a symlink to the current pty)."""
        if self._dir is None:
            raise DeviceError("the scale simulator is not started")
        return os.path.join(self._dir, "ttySCALE")

    @property
    def pty_name(self) -> str | None:
        """The current ``/dev/pts/N``, None while unplugged."""
        return self._pty_name

    @property
    def uri(self) -> str:
        return format_serial_uri(self.path, protocol=self.protocol)

    @property
    def requests(self) -> list[bytes]:
        """The requests received so far (terminators stripped), oldest first."""
        return list(self._endpoint.requests)

    def start(self) -> Self:
        if not hasattr(os, "openpty") or os.name == "nt":
            raise DeviceError("the pty scale simulator needs Linux or macOS; use sim:")
        self._dir = tempfile.mkdtemp(prefix="fulfilstation-scale-")
        self._plug()
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._run, name="scale simulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        self._unplug()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def disconnect(self, mode: Mode = "unplug") -> None:
        if mode == "silent":
            self.model.silent = True
        else:
            self._call(self._unplug)

    def reconnect(self) -> None:
        self.model.silent = False
        self._call(lambda: None if self._fds else self._plug())

    # ------------------------------------------------------------------ own thread

    def _call(self, action: Callable[[], None]) -> None:
        thread = self._thread
        if thread is None or not thread.is_alive():
            action()
            return
        done = threading.Event()
        self._calls.put((action, done))
        if not done.wait(5.0):
            raise DeviceError("the scale simulator thread does not respond")

    def _run(self) -> None:
        while not self._stopping.is_set():
            while not self._calls.empty():
                action, done = self._calls.get_nowait()
                action()
                done.set()
            fds = self._fds
            if fds is None:
                self._stopping.wait(0.02)
                continue
            ready, _, _ = select.select([fds[0]], [], [], 0.02)
            if ready:
                self._serve(fds[0])

    def _serve(self, master: int) -> None:
        try:
            reply = self._endpoint.receive(os.read(master, 4096))
            if reply:
                os.write(master, reply)
        except OSError:  # nobody reads the other end: a real port drops bytes too
            pass

    def _plug(self) -> None:
        import tty  # POSIX only

        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        self._pty_name = os.ttyname(slave)
        staging = self.path + ".new"
        if os.path.lexists(staging):
            os.remove(staging)
        os.symlink(self._pty_name, staging)
        os.replace(staging, self.path)
        self._fds = (master, slave)

    def _unplug(self) -> None:
        if self._dir is not None and os.path.lexists(self.path):
            os.remove(self.path)
        if self._fds is not None:
            for fd in self._fds:
                os.close(fd)
        self._fds, self._pty_name = None, None


# --------------------------------------------------------------------------- sim:


class LoopbackPort:
    """A ``SerialPort`` whose far end is a :class:`ScaleEndpoint` in this process."""

    def __init__(self, model: ScaleModel, timeout: float = 0.02) -> None:
        if not model.connected:
            raise OSError("the simulated scale is unplugged")
        self._model = model
        self._endpoint = ScaleEndpoint(model)
        self._inbox = bytearray()
        self._timeout = timeout

    @property
    def in_waiting(self) -> int:
        return len(self._inbox)

    def write(self, data: bytes) -> int:
        self._check()
        self._inbox += self._endpoint.receive(data)
        return len(data)

    def read(self, size: int = 1) -> bytes:
        self._check()
        if not self._inbox:
            time.sleep(self._timeout)
        data = bytes(self._inbox[:size])
        del self._inbox[:size]
        return data

    def reset_input_buffer(self) -> None:
        self._inbox.clear()

    def close(self) -> None:
        self._inbox.clear()

    def _check(self) -> None:
        if not self._model.connected:
            raise OSError("the simulated scale was unplugged")


class SimulatedScale(ScaleControls, ScaleWorker):
    """An in-process scale (``sim:`` URIs): a real worker over a loopback link."""

    def __init__(
        self,
        protocol: str = "mt-sics",
        *,
        weight_grams: int = 0,
        unit: str | None = None,
        uri: str = "sim:",
        interval: float = 0.1,
        **options: Unpack[WorkerOptions],
    ) -> None:
        self.model = ScaleModel(protocol, weight_grams, unit)

        def opener() -> SerialLink:
            return SerialLink(LoopbackPort(self.model), PROTOCOLS[protocol], interval)

        ScaleWorker.__init__(self, uri, opener, **options)

    @classmethod
    def from_uri(cls, uri: str) -> SimulatedScale:
        """``sim:?protocol=nci&weight=1.25lb&unit=lb`` (every parameter optional)."""
        params = parse_device_uri(uri).params
        unknown = sorted(set(params) - set(SIM_PARAMS))
        if unknown:
            raise DeviceUriError(
                f"scale URI {uri!r}: unknown parameter {', '.join(unknown)}; "
                f"allowed: {', '.join(SIM_PARAMS)}"
            )
        protocol = params.get("protocol", "mt-sics")
        try:
            grams, unit = _weight_param(params.get("weight", "0"))
            unit = params.get("unit", unit)
            return cls(protocol, weight_grams=grams, unit=unit, uri=uri)
        except ValueError as exc:
            raise DeviceUriError(f"scale URI {uri!r}: {exc}") from exc

    def disconnect(self, mode: Mode = "unplug") -> None:
        if mode == "silent":
            self.model.silent = True
        else:
            self.model.connected = False

    def reconnect(self) -> None:
        self.model.silent, self.model.connected = False, True


def _weight_param(text: str) -> tuple[int, str | None]:
    if text.strip().isdigit():
        return int(text), None
    return parse_weight(text)


# --------------------------------------------------------------------------- HID


class FakeHidScale:
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
        self.vid, self.pid = vid, pid
        self.repeat, self.period, self.zero_supported = repeat, period, zero_supported
        self.writes: list[bytes] = []
        self.plugged = True
        self.generation = 0  # bumped by unplug: handles opened before are dead
        self.read_errors = False
        self._cond = threading.Condition()
        self._reports: deque[bytes] = deque()
        self._last: bytes | None = None

    def push(self, *reports: bytes) -> None:
        with self._cond:
            self._reports.extend(reports)
            self._cond.notify_all()

    def unplug(self) -> None:
        with self._cond:
            self.plugged = False
            self.generation += 1
            self._cond.notify_all()

    def replug(self) -> None:
        with self._cond:
            self.plugged, self.read_errors = True, False
            self._cond.notify_all()

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


# --------------------------------------------------------------------------- CLI


def run_scale_simulator(
    protocol: str,
    weight_grams: int = 0,
    *,
    unit: str | None = None,
    out: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Serve a simulated scale on a pseudo-terminal until Ctrl+C (or ``stop`` is set).

    Prints the device path and the URI to put in the station settings.
    """
    with ScaleSimulator(protocol, weight_grams=weight_grams, unit=unit) as sim:
        out(
            f"Simulated {protocol} scale on {sim.path} (pseudo-terminal {sim.pty_name})"
        )
        out(f"Scale URI: {sim.uri}")
        out("Press Ctrl+C to stop.")
        waiter = stop or threading.Event()
        try:
            while not waiter.wait(0.25):
                pass
        except KeyboardInterrupt:
            pass
    out("Scale simulator stopped.")
