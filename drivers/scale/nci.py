"""NCI / Avery Weigh-Tronix / Brecknell "SCP-12": pure parser and encoder (no I/O).

Replies end with ETX (0x03); bit 7 of every byte is cleared first (7E1 on 8N1):

* weight + status: ``b"\\n" + weight + unit + b"\\r\\n" + status + b"\\r\\x03"``;
* status only:     ``b"\\n" + status + b"\\r\\x03"`` (answer to ``S``, ``Z``, and to
  ``W`` while in motion, under zero or over capacity);
* unknown command: ``b"\\n?\\r\\x03"``.

The weight field may be ``001.25lb``, ``0.570kg``, ``1lb 4.0oz``..., or dashes, carets
or underscores when there is no weight (then the status, or failing that the
character, tells why: ``^`` over, ``_`` under, ``-`` motion).

Status bytes (bits 4-5 always set): byte 1 bit0 motion, bit1 at zero, bit2 RAM error,
bit3 EEPROM error; byte 2 bit0 under capacity, bit1 over capacity, bit2 ROM error,
bit3 calibration fault, bit6 another byte follows; optional byte 3 bit3 initial zero
error. Any error bit makes the reading a FAULT. A reply is matched at the end of the
frame, so noise in front of it is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from drivers.scale.common import (
    CommandReply,
    DelimitedParser,
    Display,
    Reply,
    status_only,
    weighed,
)
from fulfilstation.domain.units import OUNCES_PER_POUND, from_grams
from fulfilstation.ports import ScaleState

NAME = "nci"
REQUEST = b"W\r"
STATUS_REQUEST = b"S\r"
ZERO_COMMAND = b"Z\r"
UNKNOWN_COMMAND = b"\n?\r\x03"
REQUEST_TERMINATOR = b"\r"
DECIMALS = {"lb": 2, "kg": 3, "oz": 1, "g": 0}

_FRAME = re.compile(rb"(?:\n([^\r\n]{1,24})\r)?\n([\x30-\x3f\x70-\x7f]{2,3})\r\x03$")
_UNKNOWN = re.compile(rb"\n\?\r\x03$")
_WEIGHT = re.compile(
    r"\s*([-+]?)\s*(\d+(?:\.\d*)?|\.\d+)\s*(lb|kg|g|oz)\s*", re.IGNORECASE
)
_LB_OZ = re.compile(r"\s*(\d+)\s*lb\s*(\d+(?:\.\d*)?)\s*oz\s*", re.IGNORECASE)
_NO_WEIGHT = re.compile(r"[ ]*[-^_][-^_ ]*")
_NO_WEIGHT_STATES = {
    "^": ScaleState.OVER_CAPACITY,
    "_": ScaleState.UNDER_ZERO,
    "-": ScaleState.MOTION,
}


@dataclass(frozen=True, slots=True)
class Status:
    """The decoded status bytes of one reply."""

    motion: bool = False
    at_zero: bool = False
    under: bool = False
    over: bool = False
    fault: bool = False

    @classmethod
    def decode(cls, status: bytes) -> Status:
        first, second = status[0], status[1]
        third = status[2] if len(status) > 2 else 0x30
        return cls(
            motion=bool(first & 0x01),
            at_zero=bool(first & 0x02),
            under=bool(second & 0x01),
            over=bool(second & 0x02),
            fault=bool(first & 0x0C or second & 0x0C or third & 0x08),
        )

    def encode(self) -> bytes:
        first = 0x30 | self.motion | self.at_zero << 1 | self.fault << 2
        second = 0x30 | self.under | self.over << 1
        return bytes((first, second))


def parse_frame(frame: bytes) -> Reply | None:
    """One ETX-terminated frame → its reply, or None if it is not a valid reply."""
    if _UNKNOWN.search(frame):
        return CommandReply("?", ok=False, raw=frame)
    match = _FRAME.search(frame)
    if not match:
        return None
    status = Status.decode(match.group(2))
    text = match.group(1).decode("ascii") if match.group(1) is not None else None
    weight = _weight(text) if text is not None else None
    if text is not None and weight is None and not _NO_WEIGHT.fullmatch(text):
        return None  # a weight field we do not understand: not a reading
    if status.fault or status.over or status.under or weight is None:
        return status_only(_state_without_weight(status, text), frame)
    value, unit = weight
    return weighed(
        value, unit, stable=not status.motion, raw=frame, at_zero=status.at_zero
    )


def _weight(text: str) -> tuple[Decimal, str] | None:
    if match := _WEIGHT.fullmatch(text):
        return Decimal(match.group(1) + match.group(2)), match.group(3).lower()
    if match := _LB_OZ.fullmatch(text):
        return Decimal(match.group(1)) * OUNCES_PER_POUND + Decimal(match.group(2)), "oz"
    return None


def _state_without_weight(status: Status, text: str | None) -> ScaleState:
    if status.fault:
        return ScaleState.FAULT
    if status.over:
        return ScaleState.OVER_CAPACITY
    if status.under:
        return ScaleState.UNDER_ZERO
    if text is not None:  # dashes, carets or underscores
        mark = text.strip()[0]
        return _NO_WEIGHT_STATES[mark] if not status.motion else ScaleState.MOTION
    if status.motion:
        return ScaleState.MOTION
    return ScaleState.ZERO if status.at_zero else ScaleState.STABLE


class Parser(DelimitedParser):
    """Incremental NCI reply parser; see :class:`DelimitedParser` for the rules."""

    def __init__(self) -> None:
        super().__init__(b"\x03", parse_frame, max_frame=64)


def zero_outcome(reply: Reply) -> bool | None:
    """After ``Z`` the scale answers with its status, or ``?``. A status showing
    motion, a fault or an out-of-range weight means the scale could not zero."""
    if isinstance(reply, CommandReply):
        return reply.ok
    return reply.state in (ScaleState.STABLE, ScaleState.ZERO)


# --------------------------------------------------------------------------- encoder


def encode_weight(grams: int, unit: str, status: Status) -> bytes:
    """A weight reply, e.g. ``b"\\n001.25lb\\r\\n00\\r\\x03"`` (6 characters + unit)."""
    decimals = DECIMALS[unit]
    value = from_grams(grams, unit, decimals)
    return (
        b"\n"
        + f"{value:0{6}.{decimals}f}{unit}".encode()
        + b"\r"
        + encode_status(status)
    )


def encode_no_weight(mark: str, status: Status) -> bytes:
    """A reply whose weight field is 8 marks (``-``, ``^`` or ``_``)."""
    return b"\n" + mark.encode() * 8 + b"\r" + encode_status(status)


def encode_status(status: Status) -> bytes:
    """A status-only reply, e.g. ``b"\\n00\\r\\x03"``."""
    return b"\n" + status.encode() + b"\r\x03"


def answer(command: bytes, display: Display) -> tuple[bytes, bool]:
    """A scale's reply to one request (CR stripped), and whether it zeroes itself.

    In motion it sends the weight with the motion bit; over capacity carets, under
    zero the status only; a fault the status only.
    """
    request = command.strip().upper()
    status = Status(
        motion=not display.stable,
        at_zero=display.grams == 0 and display.stable,
        under=display.under,
        over=display.over,
        fault=display.fault,
    )
    if request == b"W":
        if display.over:
            return encode_no_weight("^", status), False
        if display.under or display.fault:
            return encode_status(status), False
        return encode_weight(display.grams, display.unit, status), False
    if request == b"S":
        return encode_status(status), False
    if request == b"Z":
        zeroed = Status(at_zero=True) if display.can_zero else status
        return encode_status(zeroed), display.can_zero
    return UNKNOWN_COMMAND, False
