"""A product's fields as stored: each value checked by ``domain/product_fields`` (the one
home of the rules), turned into the column values of ``products``.

A bad value is ProductRefused ``field-invalid`` whose message names the field and says why.
Pure (no I/O).
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from fulfilstation.domain.product_fields import (
    FieldInvalid,
    check_country,
    check_hs_code,
    check_name,
    check_sku,
    check_whole,
)
from fulfilstation.services.products.refused import ProductRefused
from fulfilstation.services.products.views import ProductChanges, ProductFields

IMAGE_PATH_MAX = 500
_CURRENCY = re.compile(r"^[A-Z]{3}$")
WHOLE = {"weight_g": "the weight in grams", "length_mm": "the length in mm", "width_mm": "the width in mm",
         "height_mm": "the height in mm", "unit_price_minor": "the price", "reorder_point": "the reorder point",
         "safety_stock": "the safety stock", "lead_time_days": "the lead time in days", "cost_minor": "the cost"}
LEAD_TIME_MAX_DAYS = 365
SUPPLIER_MAX = 200
FLAGS = ("serial_tracked", "lot_tracked", "hazmat", "fragile")
OPTIONAL_TEXT = ("description", "image_path", "hs_code", "country_of_origin", "supplier")
LABELS = {"sku": "SKU", "name": "name", "description": "description", "currency": "currency",
          "image_path": "image path", "hs_code": "HS code", "country_of_origin": "country of origin",
          "supplier": "supplier",
          **{flag: flag.replace("_", " ") for flag in FLAGS}, **WHOLE}


def checked_fields(fields: ProductFields) -> dict[str, Any]:
    """Every column of a new product, checked."""
    return {name: checked(name, value) for name, value in asdict(fields).items()}


def checked_changes(changes: ProductChanges) -> dict[str, Any]:
    """Only the columns ``changes`` gives, checked (an empty optional text becomes None)."""
    values = changes.given()
    if not values:
        raise ProductRefused("nothing-to-change", "Say what to change: no field was given.")
    return {name: checked(name, value) for name, value in values.items()}


def checked(name: str, value: Any) -> Any:
    """The stored form of ``value`` for the column ``name``; ProductRefused when it is not acceptable."""
    try:
        return _check(name, value)
    except FieldInvalid as invalid:
        raise ProductRefused("field-invalid", f"{_capital(str(invalid))}: nothing was changed.") from None


def _check(name: str, value: Any) -> Any:
    if name == "sku":
        return check_sku(str(value))
    if name == "name":
        return check_name(str(value))
    if name in WHOLE:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldInvalid(name, f"{WHOLE[name]} must be a whole number, not {value!r}")
        return check_whole(value, name, WHOLE[name],
                           maximum=LEAD_TIME_MAX_DAYS if name == "lead_time_days" else 10**9)
    if name in FLAGS:
        return bool(value)
    if name == "currency":
        code = str(value).strip().upper()
        if not _CURRENCY.match(code):
            raise FieldInvalid(name, f"the currency {value!r} must be a three-letter ISO code such as USD or EUR")
        return code
    if name == "hs_code":
        return check_hs_code(value)
    if name == "country_of_origin":
        return check_country(value)
    if name == "image_path":
        return _image_path(value)
    if name == "supplier":
        return _supplier(value)
    if name == "description":
        text = (value or "").strip()
        return text or None
    raise FieldInvalid(name, f"a product has no field {name!r}")


def _image_path(value: str | None) -> str | None:
    path = (value or "").strip()
    if not path:
        return None
    if len(path) > IMAGE_PATH_MAX:
        raise FieldInvalid("image_path", f"an image path is at most {IMAGE_PATH_MAX} characters; this one has "
                           f"{len(path)}")
    return path


def _supplier(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    if len(text) > SUPPLIER_MAX:
        raise FieldInvalid("supplier", f"a supplier's name is at most {SUPPLIER_MAX} characters; this one has "
                           f"{len(text)}")
    return text or None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
