"""AIM symbology identifiers (ISO/IEC 15424): the ``]Cm`` prefix a scanner may send.

An AIM id is exactly three characters: ``]``, a code character (a letter naming the
symbology family) and a modifier character (a digit or letter). Scanners configured to
transmit it put it before the data (after any configured prefix). Pure functions, no
state, safe from any thread.
"""

from __future__ import annotations

import re

AIM_LENGTH = 3

_AIM_RE = re.compile(r"\][A-Za-z][0-9A-Za-z]")
_AIM_BYTES_RE = re.compile(rb"\][A-Za-z][0-9A-Za-z]")

#: The identifiers FulfilStation cares about most, with names for diagnostics.
KNOWN_SYMBOLOGIES: dict[str, str] = {
    "]C0": "Code 128",
    "]C1": "GS1-128",
    "]E0": "EAN-13 / UPC-A",
    "]E4": "EAN-8",
    "]I0": "Interleaved 2 of 5",
    "]I1": "ITF-14",
    "]A0": "Code 39",
    "]d1": "DataMatrix",
    "]d2": "GS1 DataMatrix",
    "]Q1": "QR Code",
    "]Q3": "GS1 QR Code",
    "]e0": "GS1 DataBar",
}

#: Identifiers whose data is a GS1 element string (application identifiers, FNC1 = GS).
GS1_SYMBOLOGIES = frozenset({"]C1", "]d2", "]Q3", "]e0", "]E0", "]E4", "]I1"})


def is_aim_id(text: str) -> bool:
    """True when ``text`` is exactly one well-formed AIM identifier."""
    return len(text) == AIM_LENGTH and _AIM_RE.fullmatch(text) is not None


def split_aim(text: str) -> tuple[str | None, str]:
    """Split a leading AIM id off ``text``: ``("]C1", rest)`` or ``(None, text)``."""
    if _AIM_RE.match(text):
        return text[:AIM_LENGTH], text[AIM_LENGTH:]
    return None, text


def split_aim_bytes(data: bytes) -> tuple[str | None, bytes]:
    """Bytes version of :func:`split_aim` (for serial and HID data)."""
    if _AIM_BYTES_RE.match(data):
        return data[:AIM_LENGTH].decode("ascii"), data[AIM_LENGTH:]
    return None, data


def symbology_name(aim: str | None) -> str:
    """A human name for an AIM id (``"GS1-128"``), else the id itself, or ``""``."""
    if aim is None:
        return ""
    return KNOWN_SYMBOLOGIES.get(aim, aim)


def decode_data(data: bytes) -> str:
    """Scanner bytes to text: UTF-8 when valid, else Latin-1 (never fails).

    Control characters such as the GS1 group separator ``\\x1d`` are preserved.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
