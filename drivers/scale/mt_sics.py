"""Mettler Toledo MT-SICS: pure parser and encoder (no I/O).

Replies are ASCII lines ending CRLF (a lone LF is accepted). Fields are split on
whitespace, never on column widths. Recognised replies (anything else yields nothing):

* ``S S <value> <unit>`` stable weight, ``S D <value> <unit>`` dynamic (in motion);
* ``S I`` cannot execute now (reported as MOTION without a weight), ``S +`` overload,
  ``S -`` underload;
* ``Z A`` zero done, ``Z I`` / ``Z +`` / ``Z -`` zero refused;
* ``ES`` / ``ET`` / ``EL`` syntax, transmission, logical error.

A reply is matched at the *end* of its line, so noise in front of it on the same line
does not hide it. Units: g, kg, lb, oz (others are not weights we accept).
"""

from __future__ import annotations

import re

from drivers.scale.common import (
    CommandReply,
    DelimitedParser,
    Display,
    Reply,
    decimal_or_none,
    status_only,
    weighed,
)
from fulfilstation.domain.units import from_grams
from fulfilstation.ports import ScaleState

NAME = "mt-sics"
REQUEST = b"SI\r\n"  # send immediately: answers in motion too (S D)
ZERO_COMMAND = b"Z\r\n"
REQUEST_TERMINATOR = b"\n"
UNITS = ("g", "kg", "lb", "oz")
DECIMALS = {"g": 2, "kg": 3, "lb": 3, "oz": 2}

_NUMBER = rb"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_WEIGHT = re.compile(
    rb"S[ \t]+([SD])[ \t]+(" + _NUMBER + rb")[ \t]+([A-Za-z]{1,3})\s*$"
)
_STATUS = re.compile(rb"S[ \t]+([I+\-])\s*$")
_ZERO = re.compile(rb"Z[ \t]+([AI+\-])\s*$")
_ERROR = re.compile(rb"E([STL])\s*$")
_STATUS_STATES = {
    b"I": ScaleState.MOTION,
    b"+": ScaleState.OVER_CAPACITY,
    b"-": ScaleState.UNDER_ZERO,
}


def parse_frame(frame: bytes) -> Reply | None:
    """One line (terminator included or not) → its reply, or None if not a reply."""
    line = frame.rstrip(b"\r\n")
    if match := _WEIGHT.search(line):
        unit = match.group(3).decode().lower()
        value = decimal_or_none(match.group(2).decode())
        if unit not in UNITS or value is None:
            return None
        return weighed(value, unit, stable=match.group(1) == b"S", raw=frame)
    if match := _STATUS.search(line):
        return status_only(_STATUS_STATES[match.group(1)], frame)
    if match := _ZERO.search(line):
        return CommandReply("Z", ok=match.group(1) == b"A", raw=frame)
    if _ERROR.search(line):
        return CommandReply("E", ok=False, raw=frame)
    return None


class Parser(DelimitedParser):
    """Incremental MT-SICS reply parser; see :class:`DelimitedParser` for the rules."""

    def __init__(self) -> None:
        super().__init__(b"\n", parse_frame, max_frame=128)


def zero_outcome(reply: Reply) -> bool | None:
    """After ``Z``: True when done, False when refused, None when not the answer."""
    if isinstance(reply, CommandReply) and reply.command in ("Z", "E"):
        return reply.ok
    return None


# --------------------------------------------------------------------------- encoder


def encode_weight(grams: int, unit: str, *, stable: bool = True) -> bytes:
    """A weight reply as a balance sends it, e.g. ``b"S S     100.00 g\\r\\n"``."""
    value = from_grams(grams, unit, DECIMALS[unit])
    return f"S {'S' if stable else 'D'} {value:>10} {unit}\r\n".encode()


def encode_status(state: ScaleState) -> bytes:
    """``S +`` (over capacity), ``S -`` (under zero) or ``S I`` (anything else)."""
    code = {ScaleState.OVER_CAPACITY: "+", ScaleState.UNDER_ZERO: "-"}.get(state, "I")
    return f"S {code}\r\n".encode()


def encode_zero(done: bool) -> bytes:
    return b"Z A\r\n" if done else b"Z I\r\n"


ERROR_SYNTAX = b"ES\r\n"


def answer(command: bytes, display: Display) -> tuple[bytes, bool]:
    """A balance's reply to one request line, and whether it zeroes itself.

    ``SI`` answers at once (``S D`` in motion); ``S`` answers only a stable weight
    (``S I`` otherwise, where a real balance would wait).
    """
    request = command.strip().upper()
    if request in (b"S", b"SI"):
        weighs = display.state in (ScaleState.STABLE, ScaleState.ZERO)
        if weighs or (request == b"SI" and display.state == ScaleState.MOTION):
            reply = encode_weight(display.grams, display.unit, stable=display.stable)
            return reply, False
        return encode_status(display.state), False
    if request == b"Z":
        return encode_zero(display.can_zero), display.can_zero
    if request == b"@":
        return b'I4 A "SIM0000001"\r\n', False
    return ERROR_SYNTAX, False
