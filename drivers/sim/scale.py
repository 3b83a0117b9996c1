"""The pty scale simulator, and the scale simulators' public names.

* :class:`ScaleSimulator` serves MT-SICS, NCI or Toledo on a real pseudo-terminal
  (POSIX only). Its :attr:`~ScaleSimulator.path` is a symlink that stays the same
  across ``disconnect()`` / ``reconnect()``, so a driver opens the same path before
  and after a "replug".
* :func:`run_scale_simulator` serves a pty until interrupted (the CLI's entry point).

Also importable from here, as before the split: :class:`SimulatedScale` (the in-process
``sim:`` scale, :mod:`drivers.sim.simulated_scale`), :class:`FakeHidScale` (a USB HID
scale for ``open_hid_scale(uri, device_factory=fake.device)``,
:mod:`drivers.sim.hid_devices`) and the shared model (:mod:`drivers.sim.scale_model`).

Threading: the ``set_*`` controls, ``disconnect`` and ``reconnect`` may be called from
any thread; the simulator's own thread does all the I/O. Importing this module works
on Windows; only :class:`ScaleSimulator` needs POSIX.
"""

from __future__ import annotations

import os
import queue
import select
import shutil
import tempfile
import threading
from collections.abc import Callable
from typing import Self

from drivers.sim.hid_devices import FakeHidDevice, FakeHidScale
from drivers.sim.scale_model import (
    UNITS,
    Mode,
    ScaleControls,
    ScaleEndpoint,
    ScaleModel,
)
from drivers.sim.simulated_scale import SIM_PARAMS, LoopbackPort, SimulatedScale
from drivers.uri import format_serial_uri
from fulfilstation.ports import DeviceError

__all__ = [
    "SIM_PARAMS",
    "UNITS",
    "FakeHidDevice",
    "FakeHidScale",
    "LoopbackPort",
    "Mode",
    "ScaleControls",
    "ScaleEndpoint",
    "ScaleModel",
    "ScaleSimulator",
    "SimulatedScale",
    "run_scale_simulator",
]


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
