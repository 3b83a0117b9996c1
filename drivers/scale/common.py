"""Pieces shared by the scale protocol parsers: replies, readings, frame splitting.

Units and their factors are :mod:`fulfilstation.domain.units` (the one table); nothing here
converts by itself.

Everything here is pure (no I/O, no clock) and safe to use from any thread, except a
:class:`DelimitedParser` instance, which keeps a buffer and belongs to one thread.

Invariants kept by every parser built on this module:

* a reading that carries ``grams`` is stable, in motion or at zero, never under zero,
  over capacity or faulty (those carry ``grams=None``);
* bytes that are not a complete, well-formed frame never yield a reading;
* ``feed`` never raises, whatever bytes it is given.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Protocol

from drivers.serial_port import strip_parity
from fulfilstation.domain.units import to_grams
from fulfilstation.ports import ScaleState, WeightReading

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CommandReply:
    """A scale's answer that is not a weight: an acknowledgement or an error.

    ``command`` names what was answered (``"Z"`` zero, ``"E"`` MT-SICS error, ``"?"``
    NCI unknown command); ``ok`` tells whether the scale did it.
    """

    command: str
    ok: bool
    raw: bytes = b""


Reply = WeightReading | CommandReply


class FrameParser(Protocol):
    """An incremental parser: bytes in, the replies they complete out. Never raises."""

    def feed(self, data: bytes) -> list[Reply]: ...


@dataclass(frozen=True, slots=True)
class Display:
    """What a scale shows: the input of the encoders (simulators, tests).

    ``grams`` is the weight on the platter; ``unit`` the unit the scale displays.
    """

    grams: int = 0
    unit: str = "g"
    stable: bool = True
    over: bool = False
    under: bool = False
    fault: bool = False

    @property
    def state(self) -> ScaleState:
        if self.fault:
            return ScaleState.FAULT
        if self.over:
            return ScaleState.OVER_CAPACITY
        if self.under:
            return ScaleState.UNDER_ZERO
        if not self.stable:
            return ScaleState.MOTION
        return ScaleState.ZERO if self.grams == 0 else ScaleState.STABLE

    @property
    def can_zero(self) -> bool:
        """A scale zeroes only when still and within range."""
        return self.state in (ScaleState.STABLE, ScaleState.ZERO)


#: A protocol's scale side: one request (terminator stripped) and what the scale
#: shows → (reply bytes, whether the scale zeroes itself).
Answer = Callable[[bytes, Display], tuple[bytes, bool]]


def weighed(
    value: Decimal, unit: str, *, stable: bool, raw: bytes, at_zero: bool = False
) -> WeightReading:
    """A reading for a reported weight. Negative weights are UNDER_ZERO (no grams);
    a stable reading of 0 g (or one the scale flags at zero) is ZERO."""
    grams = to_grams(value, unit)
    if value < 0 and grams != 0:
        return WeightReading(None, ScaleState.UNDER_ZERO, raw)
    grams = abs(grams)
    if not stable:
        return WeightReading(grams, ScaleState.MOTION, raw)
    state = ScaleState.ZERO if at_zero or grams == 0 else ScaleState.STABLE
    return WeightReading(grams, state, raw)


def status_only(state: ScaleState, raw: bytes) -> WeightReading:
    """A reading without a weight (status replies, faults, over/under)."""
    return WeightReading(None, state, raw)


def decimal_or_none(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class DelimitedParser:
    """Incremental frame splitter: cuts the byte stream after each ``terminator`` and
    hands each frame (bit 7 cleared, terminator included) to ``parse_frame``.

    Keeps at most ``max_frame`` unterminated bytes (the newest), so a stream of noise
    cannot grow memory. A frame that ``parse_frame`` rejects (None) or that makes it
    raise is dropped and logged: ``feed`` never raises. One instance per stream,
    used by one thread.
    """

    def __init__(
        self,
        terminator: bytes,
        parse_frame: Callable[[bytes], Reply | None],
        max_frame: int = 128,
    ) -> None:
        self._terminator = terminator
        self._parse_frame = parse_frame
        self._max_frame = max_frame
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Reply]:
        """Add received bytes; return the replies completed by them, in order."""
        self._buffer += strip_parity(data)
        replies: list[Reply] = []
        while (end := self._buffer.find(self._terminator)) >= 0:
            cut = end + len(self._terminator)
            frame = bytes(self._buffer[:cut])
            del self._buffer[:cut]
            reply = self._safe_parse(frame[-self._max_frame :])
            if reply is not None:
                replies.append(reply)
        if len(self._buffer) > self._max_frame:
            del self._buffer[: -self._max_frame]
        return replies

    def _safe_parse(self, frame: bytes) -> Reply | None:
        try:
            return self._parse_frame(frame)
        except Exception:  # a parser bug must not kill the device worker
            log.exception("scale frame parser failed on %r", frame)
            return None
