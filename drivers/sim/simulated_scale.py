"""The in-process scale for ``sim:`` URIs (demo mode): a real
:class:`~drivers.scale.reader.ScaleWorker` and :class:`~drivers.scale.serial_scale.SerialLink`
whose "port" (:class:`LoopbackPort`) hands each request to a
:class:`~drivers.sim.scale_model.ScaleEndpoint`, so the bytes still go through the real
encoders and parsers, with no pty. Works on every platform.

Threading: the ``set_*`` controls, ``disconnect`` and ``reconnect`` may be called from
any thread; the worker thread does all the I/O.
"""

from __future__ import annotations

import time
from typing import Unpack

from drivers.scale.reader import ScaleWorker, WorkerOptions
from drivers.scale.serial_scale import PROTOCOLS, SerialLink
from drivers.sim.scale_model import Mode, ScaleControls, ScaleEndpoint, ScaleModel
from drivers.uri import parse_device_uri
from fulfilstation.domain.units import parse_weight_and_unit
from fulfilstation.ports import DeviceUriError

SIM_PARAMS = ("protocol", "weight", "unit")


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
    """``weight=567`` is grams (the display keeps the protocol's default unit); with a
    unit (``1.25lb``) the scale shows that unit."""
    if text.strip().isdigit() and text.isascii():
        return int(text), None
    return parse_weight_and_unit(text)
