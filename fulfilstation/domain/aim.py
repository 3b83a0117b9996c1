"""AIM symbology identifiers (ISO/IEC 15424): the ``]Cm`` prefix a scanner may send before
its data. The one splitter, for text (keyboard wedge, typed codes) and for bytes (serial and
HID scanners). Pure; safe from any thread.

An identifier is exactly three ASCII characters: the flag ``]``, a code character (a letter
naming the symbology family: ``C`` Code 128, ``E`` EAN/UPC, ``d`` Data Matrix, ``Q`` QR …)
and one modifier character (a digit or letter for the symbology's options, e.g. ``]C1`` is
Code 128 with FNC1 first: GS1-128).

Invariants: the splitters never raise; they split off a prefix only when all three of its
characters are well formed (``]C`` or ``]C-`` stay data); the text and bytes forms agree on
every ASCII input; what follows the identifier comes back unchanged (not stripped, not
decoded).
"""

from __future__ import annotations

import re

AIM_LENGTH = 3

_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")
_AIM_BYTES = re.compile(rb"\][A-Za-z][0-9A-Za-z]")

#: Identifier prefixes of symbologies that carry GS1 data (GS1-128, GS1 DataMatrix, GS1 QR, DataBar, EAN/UPC).
GS1_PREFIXES = ("]C1", "]d2", "]Q3", "]e0", "]E")

#: The identifiers FulfilStation meets most, with names for people.
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


def is_aim_id(text: str) -> bool:
    """True when ``text`` is exactly one well-formed AIM identifier."""
    return len(text) == AIM_LENGTH and _AIM.fullmatch(text) is not None


def split_aim(text: str) -> tuple[str | None, str]:
    """A leading AIM identifier split off ``text``: ``("]C1", rest)``, or ``(None, text)``."""
    if _AIM.match(text):
        return text[:AIM_LENGTH], text[AIM_LENGTH:]
    return None, text


def split_aim_bytes(data: bytes) -> tuple[str | None, bytes]:
    """:func:`split_aim` for bytes: ``(b"]C1…")`` → ``("]C1", b"…")``, or ``(None, data)``."""
    if _AIM_BYTES.match(data):
        return data[:AIM_LENGTH].decode("ascii"), data[AIM_LENGTH:]
    return None, data


def symbology_name(aim: str | None) -> str:
    """A name for people (``"GS1-128"``), else the identifier itself, or ``""`` for None."""
    if aim is None:
        return ""
    return KNOWN_SYMBOLOGIES.get(aim, aim)
