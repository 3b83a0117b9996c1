"""Reading one cell of a product file: numbers as spreadsheets write them, yes/no words,
barcodes (with the damage Excel does to them named), whole amounts.

Every ``read_*`` returns the value or raises ``CellInvalid`` whose ``str()`` is a reason a
person can act on. Pure: no database, no Qt.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from fulfilstation.domain.product_barcodes import BarcodeInvalid, product_barcode_key
from fulfilstation.imports import CsvRow

_TRUE = {"true", "yes", "y", "1", "x", "on"}
_FALSE = {"false", "no", "n", "0", "off", ""}
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$|^\.\d+$")
_COMMA_DECIMAL = re.compile(r"^\d+,\d+$")
_DOT_THOUSANDS = re.compile(r"^\d{1,3}(?:[. \u00a0\u202f']\d{3})+(?:,\d+)?$")
_COMMA_THOUSANDS = re.compile(r"^\d{1,3}(?:[, \u00a0\u202f']\d{3})+(?:\.\d+)?$")


class CellInvalid(ValueError):
    """A cell's text is not a value of its column; ``str()`` says why."""


def read_decimal(text: str, what: str) -> Decimal:
    """``12.50``, ``12,50``, ``1,234.50``, ``1.234,50``, ``1 234,50`` → Decimal (never negative).
    A lone comma with 3 digits after it (``1,234``) is read as thousands, as Excel in the US
    writes it."""
    value = text.strip().lstrip("$€£¥").strip()
    if _PLAIN.match(value):
        number = value
    elif _COMMA_DECIMAL.match(value) and len(value.split(",")[1]) != 3:
        number = value.replace(",", ".")
    elif _COMMA_THOUSANDS.match(value):
        number = re.sub(r"[, \u00a0\u202f']", "", value)
    elif _DOT_THOUSANDS.match(value):
        number = re.sub(r"[. \u00a0\u202f']", "", value).replace(",", ".")
    else:
        raise CellInvalid(f"{what} {text.strip()!r} is not a number (write it like 12.50 or 12,50)")
    try:
        return Decimal(number)
    except InvalidOperation:
        raise CellInvalid(f"{what} {text.strip()!r} is not a number (write it like 12.50 or 12,50)") from None


def read_whole(text: str, what: str, *, maximum: int = 10**9) -> int:
    """A whole, non-negative amount; ``12.0`` (a spreadsheet's float) is 12, ``12.5`` is refused."""
    value = read_decimal(text, what)
    if value != value.to_integral_value():
        raise CellInvalid(f"{what} must be a whole number, not {text.strip()}")
    if value > maximum:
        raise CellInvalid(f"{what} of {text.strip()} is more than the {maximum} allowed")
    return int(value)


def read_flag(text: str, what: str) -> bool:
    """``true``/``false``, ``yes``/``no``, ``y``/``n``, ``1``/``0`` (any case; blank is false)."""
    word = text.strip().casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise CellInvalid(f"{what} {text.strip()!r} is not yes or no (write true or false)")


def read_barcode(text: str) -> str:
    """The stored key of a barcode cell; ``CellInvalid`` names Excel's damage when it is that:
    scientific notation (``6.14141E+11``: the digits are gone) or a UPC-A that lost its
    leading zero (11 digits)."""
    code = text.strip()
    if _SCIENTIFIC.match(code):
        raise CellInvalid(f"barcode {code} is in Excel's scientific notation, so its digits are lost: format the "
                          "barcode column as Text in the spreadsheet (or export it again from the shop) and "
                          "import again")
    if code.isascii() and code.isdigit() and len(code) == 11:
        lost = f"0{code}"
        try:
            product_barcode_key(lost)
        except BarcodeInvalid:
            raise CellInvalid(f"barcode {code} has 11 digits, which is no GTIN (a UPC-A has 12); correct it "
                              "and import again") from None
        raise CellInvalid(f"barcode {code} has 11 digits: it looks like the UPC-A {lost} with its leading zero "
                          "dropped by Excel; format the column as Text, write 0" + code + " and import again")
    try:
        return product_barcode_key(code)
    except BarcodeInvalid as invalid:
        raise CellInvalid(str(invalid)) from None


class Cell:
    """One logical column of a file, found once by any of its names (case-insensitively):
    ``cell(row)`` is its stripped text ("" when absent or blank). Resolving the header once
    keeps reading 20,000 rows cheap."""

    def __init__(self, headers: tuple[str, ...], *names: str) -> None:
        present: dict[str, str] = {}
        for header in headers:  # a column named twice: the first one counts, as in ``CsvRow``
            if header:
                present.setdefault(header.strip().casefold(), header)
        self.keys = tuple(present[name.casefold()] for name in names if name.casefold() in present)

    @property
    def present(self) -> bool:
        return bool(self.keys)

    def __call__(self, row: CsvRow) -> str:
        for key in self.keys:
            value = row.values.get(key, "")
            if value and not value.isspace():
                return value.strip()
        return ""
