"""The modules of an EAN-13 symbol (a UPC-A is the EAN-13 with a leading 0), for renderers
that draw bars themselves (the on-screen preview). Pure.

Invariants: 95 modules, ``1`` a bar and ``0`` a space: start guard ``101``, six left digits
in the L/G sets chosen by the first digit's parity pattern, centre guard ``01010``, six right
digits in the R set, end guard ``101`` — as GS1 General Specifications 5.2.2 and as ZPL
``^BE`` and reportlab draw it.
"""

from __future__ import annotations

_L = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011")
_R = tuple("".join("1" if bit == "0" else "0" for bit in code) for code in _L)
_G = tuple(code[::-1] for code in _R)
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")


def ean13_modules(digits: str) -> str:
    """The 95 modules of the EAN-13 of ``digits`` (13 digits, check digit included)."""
    if len(digits) != 13 or not digits.isdigit():
        raise ValueError(f"{digits!r} is not 13 digits")
    first, left, right = int(digits[0]), digits[1:7], digits[7:]
    sides = "".join((_L if parity == "L" else _G)[int(d)] for parity, d in zip(_PARITY[first], left, strict=True))
    return "101" + sides + "01010" + "".join(_R[int(d)] for d in right) + "101"
