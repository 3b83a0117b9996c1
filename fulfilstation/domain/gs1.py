"""GS1 check digits and identifiers (GTIN, SSCC), as in ``specs/devices.md``."""

from __future__ import annotations

import re

#: What GS1's AI (10) carries: 1 to 20 characters of GS1's character set 82 (no spaces).
LOT_MAX = 20
_CSET82 = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$")


def gs1_check_digit(data: str) -> int:
    """Mod-10 check digit over ``data`` (digits without the check digit): weights 3,1,3,1…
    from the rightmost digit; check = (10 − sum mod 10) mod 10."""
    if not (data.isascii() and data.isdigit()):  # '²' is a digit to isdigit(), not to int()
        raise ValueError(f"GS1 data must be digits, not {data!r}")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(data)))
    return (10 - total % 10) % 10


def with_check_digit(data: str) -> str:
    return data + str(gs1_check_digit(data))


def is_valid_gs1(number: str) -> bool:
    return (len(number) >= 2 and number.isascii() and number.isdigit()
            and gs1_check_digit(number[:-1]) == int(number[-1]))


def gtin14(gtin: str) -> str:
    """Normalise a GTIN-8/12/13/14 to 14 digits (how product barcodes are stored)."""
    if len(gtin) not in (8, 12, 13, 14) or not is_valid_gs1(gtin):
        raise ValueError(f"{gtin!r} is not a valid GTIN")
    return gtin.zfill(14)


def fits_gs1_lot(lot: str) -> bool:
    """True when ``lot`` can be carried in a GS1-128's AI (10), as a product label prints it."""
    return 1 <= len(lot) <= LOT_MAX and bool(_CSET82.match(lot))
