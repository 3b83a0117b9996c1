"""Scanner bytes to text, for the serial and HID POS scanners. Pure; safe from any thread.

AIM identifiers are split off first, by :mod:`fulfilstation.domain.aim`.
"""

from __future__ import annotations


def decode_data(data: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8, else Latin-1: never fails, never drops a byte.

    Control characters such as the GS1 group separator ``\\x1d`` are preserved.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
