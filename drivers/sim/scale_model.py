"""The simulated scale itself, shared by every scale simulator: what it shows
(:class:`ScaleModel`), its end of the wire (:class:`ScaleEndpoint`: request bytes in,
the protocol's real reply bytes out) and the ``set_*`` controls (:class:`ScaleControls`).

Pure Python, no I/O: the pty :class:`~drivers.sim.scale.ScaleSimulator` and the
in-process :class:`~drivers.sim.simulated_scale.SimulatedScale` put the endpoint behind
their own transport.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from dataclasses import replace
from typing import Any, Literal

from drivers.scale import mt_sics, nci, toledo
from drivers.scale.common import Answer, Display

Mode = Literal["unplug", "silent"]
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
