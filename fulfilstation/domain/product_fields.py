"""The rules for a product's own fields, one home for the editor, the CLI and every importer.

Each ``check_*`` returns the value as stored or raises ``FieldInvalid`` whose ``str()`` is a
reason a person can act on. Quantities are whole units, weights whole grams, lengths whole
millimetres, money minor units (``domain/money.py`` converts). Pure: no I/O.
"""

from __future__ import annotations

import re

SKU_MAX = 64
NAME_MAX = 300
_SKU = re.compile(r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$")  # printable ASCII, no spaces at the ends
_HS_CODE = re.compile(r"^\d{4}(?:\.?\d{2}){1,3}$")  # 6 to 10 digits: 0901.21, 090121, 6109.10.0012
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class FieldInvalid(ValueError):
    """A field's value is not acceptable; ``field`` names it, ``str()`` says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


def check_sku(value: str) -> str:
    sku = value.strip()
    if not sku:
        raise FieldInvalid("sku", "the SKU is blank")
    if len(sku) > SKU_MAX:
        raise FieldInvalid("sku", f"a SKU is at most {SKU_MAX} characters; {sku[:20]}… has {len(sku)}")
    if not _SKU.match(sku):
        raise FieldInvalid("sku", f"SKU {sku!r} may hold only letters, digits, spaces and ASCII punctuation")
    return sku


def check_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise FieldInvalid("name", "the name is blank")
    if len(name) > NAME_MAX:
        raise FieldInvalid("name", f"a name is at most {NAME_MAX} characters; this one has {len(name)}")
    return name


def check_whole(value: int, field: str, what: str, *, maximum: int = 10**9) -> int:
    """A non-negative whole amount (grams, millimetres, units, minor units)."""
    if value < 0:
        raise FieldInvalid(field, f"{what} cannot be negative ({value})")
    if value > maximum:
        raise FieldInvalid(field, f"{what} of {value} is more than the {maximum} allowed")
    return value


def check_hs_code(value: str | None) -> str | None:
    """A Harmonized System code: 6 to 10 digits, dots allowed where customs forms put them."""
    if value is None or not value.strip():
        return None
    code = value.strip()
    if not _HS_CODE.match(code):
        raise FieldInvalid("hs_code", f"HS code {code!r} must be 6 to 10 digits (e.g. 0901.21 or 6109100012)")
    return code


def check_country(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code (``CN``, ``DE``), upper-cased."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if not _COUNTRY.match(code):
        raise FieldInvalid("country_of_origin",
                           f"country of origin {value.strip()!r} must be a two-letter ISO code such as CN or DE")
    return code
