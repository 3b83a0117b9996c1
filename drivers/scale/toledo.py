"""Toledo 8213/8217 demand mode: pure parser and encoder (no I/O).

Requests are single letters without terminator: ``W`` weigh, ``Z`` zero, ``T`` tare,
``C`` clear tare. Replies start with STX (0x02) and end with CR; bit 7 of every byte is
cleared first (7E1 read on 8N1), and a frame is re-synchronised on the last STX:

* weight record ``b"\\x02001.25\\r"``: two decimals are pounds (``WWW.WW``), three are
  kilograms (``WW.WWW``); an ``N`` before the CR marks a net weight;
* status record ``b"\\x02?" + status + b"\\r"`` instead of a weight: status bit0 motion,
  bit1 over capacity, bit2 under zero, bit3 outside zero capture, bit4 centre of zero
  (``b"\\x02?a\\r"`` motion, ``b"\\x02?d\\r"`` under zero).

The protocol has no acknowledgement for ``Z``: the driver sends ``Z`` then ``W`` and
takes a stable answer to ``W`` as proof that the scale heard it and could zero.
"""

from __future__ import annotations

import re
from decimal import Decimal

from drivers.scale.common import (
    DelimitedParser,
    Display,
    Reply,
    status_only,
    weighed,
)
from fulfilstation.domain.units import from_grams
from fulfilstation.ports import ScaleState, WeightReading

NAME = "toledo"
REQUEST = b"W"
ZERO_COMMAND = b"ZW"  # Z has no answer: the W after it proves the scale is there
REQUEST_TERMINATOR = b""  # one letter per request
DECIMALS = {"lb": 2, "kg": 3}
_UNIT_BY_DECIMALS = {2: "lb", 3: "kg"}

_WEIGHT = re.compile(rb"\x02[ ]*(\d{1,4}\.\d{2,3})[ ]*(N?)[ ]*\r$")
_STATUS = re.compile(rb"\x02\?([\x20-\x7e])[\x20-\x7e]{0,2}\r$")


def parse_frame(frame: bytes, unit: str | None = None) -> Reply | None:
    """One CR-terminated frame → its reading, or None if not a record.

    ``unit`` forces the unit of weight records; by default it follows the format.
    """
    if match := _WEIGHT.search(frame):
        text = match.group(1).decode()
        decimals = len(text) - text.index(".") - 1
        unit = unit or _UNIT_BY_DECIMALS[decimals]
        return weighed(Decimal(text), unit, stable=True, raw=frame)
    if match := _STATUS.search(frame):
        return status_only(_status_state(match.group(1)[0]), frame)
    return None


def _status_state(bits: int) -> ScaleState:
    if bits & 0x02:
        return ScaleState.OVER_CAPACITY
    if bits & 0x04:
        return ScaleState.UNDER_ZERO
    if bits & 0x01:
        return ScaleState.MOTION
    return ScaleState.ZERO if bits & 0x10 else ScaleState.STABLE


class Parser(DelimitedParser):
    """Incremental Toledo record parser; see :class:`DelimitedParser` for the rules."""

    def __init__(self, unit: str | None = None) -> None:
        super().__init__(b"\r", lambda frame: parse_frame(frame, unit), max_frame=32)


def zero_outcome(reply: Reply) -> bool | None:
    """After ``ZW``, the record answering W: a stable weight means the scale heard
    the Z and could zero; motion, over or under capacity means it could not."""
    if not isinstance(reply, WeightReading):
        return None
    return reply.state in (ScaleState.STABLE, ScaleState.ZERO)


# --------------------------------------------------------------------------- encoder


def encode_weight(grams: int, unit: str = "lb", *, net: bool = False) -> bytes:
    """A weight record: ``WWW.WW`` for lb, ``WW.WWW`` for kg."""
    decimals = DECIMALS[unit]
    value = from_grams(grams, unit, decimals)
    return b"\x02" + f"{value:06.{decimals}f}".encode() + (b"N" if net else b"") + b"\r"


def encode_status(
    *, motion: bool = False, over: bool = False, under: bool = False
) -> bytes:
    """A status record, e.g. ``b"\\x02?a\\r"`` (motion)."""
    bits = 0x60 | motion | over << 1 | under << 2
    return b"\x02?" + bytes((bits,)) + b"\r"


def answer(command: bytes, display: Display) -> tuple[bytes, bool]:
    """A scale's reply to one request letter, and whether it zeroes itself."""
    request = command.strip().upper()
    if request == b"W":
        if display.state in (ScaleState.STABLE, ScaleState.ZERO):
            return encode_weight(display.grams, display.unit), False
        return encode_status(
            motion=not display.stable or display.fault,
            over=display.over,
            under=display.under,
        ), False
    return b"", request == b"Z" and display.can_zero
