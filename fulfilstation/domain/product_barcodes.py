"""What may be a product's barcode, and the key it is stored under (one home for the rule).

* 8, 12, 13 or 14 digits is a GTIN (EAN-8, UPC-A, EAN-13, GTIN-14): its check digit must be
  right (checked with biip, as the scanner path reads it) and it is stored as GTIN-14, so a
  UPC-A, its EAN-13 form and a GTIN-14 of the same item are one code.
* Anything else is an internal code (a Code 128 SKU label): printable ASCII, no spaces at
  the ends, at most 100 characters, not purely digits of a GTIN length. It is stored as
  typed, which is what ``scan_codes.interpret`` gives back for it.

Pure: no I/O.
"""

from __future__ import annotations

from biip import ParseError
from biip.gtin import Gtin

from fulfilstation.domain.scan_codes import interpret

GTIN_LENGTHS = (8, 12, 13, 14)
MAX_LENGTH = 100


class BarcodeInvalid(ValueError):
    """``str()`` is the reason, for a person: ``"4006381333932 is not a valid GTIN: its
    check digit should be 1"``."""


def product_barcode_key(code: str) -> str:
    """The stored form of ``code`` as a product barcode; ``BarcodeInvalid`` says why not."""
    text = code.strip()
    if not text:
        raise BarcodeInvalid("the barcode is blank")
    if text.isascii() and text.isdigit() and len(text) in GTIN_LENGTHS:  # not ² or ١: int() refuses those
        try:
            return Gtin.parse(text).as_gtin_14()
        except ParseError:
            raise BarcodeInvalid(_check_digit_reason(text)) from None
    if len(text) > MAX_LENGTH:
        raise BarcodeInvalid(f"a barcode is at most {MAX_LENGTH} characters; this one has {len(text)}")
    if not text.isascii() or not text.isprintable():
        raise BarcodeInvalid(f"{text!r} holds characters a barcode cannot carry (use letters, digits and - . / only)")
    scanned = interpret(text)
    if scanned.gtin14 is not None:  # a GS1 element string: the GTIN in it is the product's code
        return scanned.gtin14
    return text


def _check_digit_reason(text: str) -> str:
    digits = [int(d) for d in text[:-1]]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    expected = (10 - total % 10) % 10
    return f"{text} is not a valid GTIN: its check digit should be {expected}, not {text[-1]}"
