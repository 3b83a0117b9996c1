"""Serial scales (MT-SICS, NCI/SCP-12, Toledo 8213) over pyserial.

:class:`SerialLink` sends the protocol's request every ``interval`` seconds and reads
whatever arrives, so scales that stream without being asked work too. It belongs to
the worker thread of its :class:`~drivers.scale.reader.ScaleWorker`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Unpack

from drivers.scale import mt_sics, nci, toledo
from drivers.scale.common import FrameParser, Reply
from drivers.scale.reader import ScaleLink, ScaleWorker, WorkerOptions
from drivers.serial_port import SerialPort, open_serial
from drivers.uri import SCALE_PROTOCOLS, SerialSettings, scale_capacity, serial_settings
from fulfilstation.ports import DeviceUriError


@dataclass(frozen=True, slots=True)
class SerialProtocol:
    """The request bytes and parser of one serial scale protocol (pure data)."""

    name: str
    request: bytes
    zero_command: bytes
    new_parser: Callable[[], FrameParser]
    zero_outcome: Callable[[Reply], bool | None]


PROTOCOLS: dict[str, SerialProtocol] = {
    module.NAME: SerialProtocol(
        module.NAME,
        module.REQUEST,
        module.ZERO_COMMAND,
        module.Parser,
        module.zero_outcome,
    )
    for module in (mt_sics, nci, toledo)
}


class SerialLink:
    """One open port speaking one protocol. Not thread-safe: worker thread only."""

    def __init__(
        self, port: SerialPort, protocol: SerialProtocol, interval: float
    ) -> None:
        self._port = port
        self._protocol = protocol
        self._parser = protocol.new_parser()
        self._interval = interval
        self._next_request = 0.0

    def poll(self, request: bool) -> list[Reply]:
        now = time.monotonic()
        if request and now >= self._next_request:
            self._port.write(self._protocol.request)
            self._next_request = now + self._interval
        data = self._port.read(max(1, self._port.in_waiting))
        return self._parser.feed(data) if data else []

    def send_zero(self) -> bool:
        self._port.write(self._protocol.zero_command)
        return False

    def zero_outcome(self, reply: Reply) -> bool | None:
        return self._protocol.zero_outcome(reply)

    def close(self) -> None:
        self._port.close()


def open_serial_scale(
    uri: str,
    *,
    interval: float = 0.2,
    port_opener: Callable[[SerialSettings], SerialPort] | None = None,
    **options: Unpack[WorkerOptions],
) -> ScaleWorker:
    """A scale for ``serial:///PORT?protocol=...``; the port is opened by ``start``.

    ``interval`` is the polling period (s); ``port_opener`` replaces pyserial (tests);
    ``options`` tune the worker's timeouts.
    """
    settings = serial_settings(uri)
    if settings.protocol is None:
        raise DeviceUriError(
            f"serial scale URI {uri!r}: parameter 'protocol' is required, one of "
            + ", ".join(SCALE_PROTOCOLS),
            user_message="Choose the scale's protocol in the station settings.",
        )
    protocol = PROTOCOLS[settings.protocol]
    options.setdefault("capacity_grams", scale_capacity(uri))
    open_port = port_opener or open_serial

    def opener() -> ScaleLink:
        return SerialLink(open_port(settings), protocol, interval)

    return ScaleWorker(uri, opener, **options)
