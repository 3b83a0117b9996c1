"""The generic product file: FulfilStation's own columns (what ``export products`` writes).

Columns (any order, any case; only ``sku`` and ``name`` are required; the full table with
examples is in docs/import-formats.md):

``sku, name, barcodes, weight_g, length_mm, width_mm, height_mm, price, currency,
lot_tracked, serial_tracked, hazmat, fragile, reorder_point, safety_stock, hs_code,
country_of_origin, image, active, components, description``

* ``barcodes``: the product's whole set, ``;``-separated, each a code with an optional
  ``x`` and pack quantity (``0614141000302;10614141000309x12``): codes not listed are
  removed from the product. An invalid code rejects the row (this file is ours to get right).
* ``components``: a kit's components, ``SKU:quantity`` pairs separated by ``;``
  (``MUG-CER-350:2;SOAP-LAV:1``); present and blank: not a kit.
* ``price`` in the currency's major units (``12.50`` or ``12,50``); ``currency`` ISO 4217.
* flags: true/false, yes/no, 1/0. A blank cell (or a missing column) leaves an existing
  product's field as it is; a new product gets the default (0, false, none).

Pure: no database, no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from fulfilstation.domain.product_fields import (
    FieldInvalid,
    check_country,
    check_hs_code,
    check_name,
    check_sku,
    check_whole,
)
from fulfilstation.imports import CsvRow, CsvTable, RowProblem
from fulfilstation.services.product_files.rows import ParsedFile, ProductFileFormat, ProductRow
from fulfilstation.services.product_files.values import CellInvalid, read_barcode, read_decimal, read_flag, read_whole

COLUMNS = ("sku", "name", "barcodes", "weight_g", "length_mm", "width_mm", "height_mm", "price", "currency",
           "lot_tracked", "serial_tracked", "hazmat", "fragile", "reorder_point", "safety_stock", "hs_code",
           "country_of_origin", "image", "active", "components", "description")
WHOLE = {"weight_g": "the weight in grams", "length_mm": "the length in mm", "width_mm": "the width in mm",
         "height_mm": "the height in mm", "reorder_point": "the reorder point", "safety_stock": "the safety stock"}
FLAGS = ("lot_tracked", "serial_tracked", "hazmat", "fragile", "active")
_PACK = re.compile(r"^(.+?)\s*[x×]\s*(\d+)$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class _Rejected(Exception):
    pass


def is_generic(table: CsvTable) -> bool:
    return table.has_column("sku") and table.has_column("name")


def parse(table: CsvTable) -> ParsedFile:
    rows: list[ProductRow] = []
    problems: list[RowProblem] = []
    unknown = [header for header in table.headers if header and header.casefold() not in COLUMNS]
    notes = (f"columns not read (not generic product columns): {', '.join(unknown)}",) if unknown else ()
    for row in table.rows:
        try:
            if row.width_problem:
                raise _Rejected(f"the line {row.width_problem}: a value holds the delimiter without quotes")
            rows.append(_row(row, table))
        except _Rejected as rejected:
            problems.append(RowProblem(row.line, str(rejected), row.get("sku")))
    return ParsedFile(ProductFileFormat.GENERIC, tuple(rows), tuple(problems), notes, lines=len(table.rows))


def _row(row: CsvRow, table: CsvTable) -> ProductRow:
    try:
        sku = check_sku(row.get("sku"))
        fields: dict[str, Any] = {"name": check_name(row.get("name"))}
        for column, what in WHOLE.items():
            if row.get(column):
                fields[column] = check_whole(read_whole(row.get(column), what), column, what)
        for column in FLAGS:
            if row.get(column):
                fields[column] = read_flag(row.get(column), column.replace("_", " "))
        _texts(row, fields)
        price = read_decimal(row.get("price"), "the price") if row.get("price") else None
        barcodes = read_barcodes(row.get("barcodes")) if table.has_column("barcodes") else None
        components = read_components(row.get("components")) if table.has_column("components") else None
    except (FieldInvalid, CellInvalid) as invalid:
        raise _Rejected(str(invalid)) from None
    if components and any(component == sku for component, _quantity in components):
        raise _Rejected(f"kit {sku} lists itself as a component")
    return ProductRow(row.line, sku, fields, price, barcodes, True, components)


def _texts(row: CsvRow, fields: dict[str, Any]) -> None:
    if row.get("hs_code"):
        fields["hs_code"] = check_hs_code(row.get("hs_code"))
    if row.get("country_of_origin"):
        fields["country_of_origin"] = check_country(row.get("country_of_origin"))
    if row.get("currency"):
        currency = row.get("currency").upper()
        if not _CURRENCY.match(currency):
            raise CellInvalid(f"currency {row.get('currency')!r} must be a three-letter ISO code such as USD or EUR")
        fields["currency"] = currency
    if row.get("image"):
        fields["image_path"] = row.get("image")[:500]
    if row.get("description"):
        fields["description"] = row.get("description")


def read_barcodes(text: str) -> tuple[tuple[str, int], ...]:
    """``0614141000302;10614141000309x12`` → ((key, 1), (key, 12)); CellInvalid names the bad one."""
    found: dict[str, int] = {}
    for part in (piece.strip() for piece in text.split(";")):
        if not part:
            continue
        code, pack = part, 1
        packed = _PACK.match(part)
        if packed:
            code, pack = packed.group(1), int(packed.group(2))
            if pack < 1:
                raise CellInvalid(f"barcode {part}: the pack quantity must be 1 or more")
        key = read_barcode(code)
        if key in found:
            raise CellInvalid(f"barcode {code} is listed twice")
        found[key] = pack
    return tuple(found.items())


def read_components(text: str) -> tuple[tuple[str, int], ...]:
    """``A:2;B:1`` → (("A", 2), ("B", 1)); CellInvalid names the bad pair."""
    found: dict[str, int] = {}
    for part in (piece.strip() for piece in text.split(";")):
        if not part:
            continue
        sku, colon, quantity = part.rpartition(":")
        if not colon or not sku.strip():
            raise CellInvalid(f"component {part!r} must be SKU:quantity, like MUG-CER-350:2")
        count = read_whole(quantity, f"the quantity of component {sku.strip()}")
        if count < 1:
            raise CellInvalid(f"component {sku.strip()} needs a quantity of 1 or more")
        found[check_sku(sku)] = found.get(check_sku(sku), 0) + count
    return tuple(found.items())


def format_barcodes(barcodes: Sequence[tuple[str, int]]) -> str:
    return ";".join(code if pack == 1 and not _PACK.match(code) else f"{code}x{pack}" for code, pack in barcodes)


def format_components(components: Sequence[tuple[str, int]]) -> str:
    return ";".join(f"{sku}:{quantity}" for sku, quantity in components)


def format_price(minor: int, digits: int) -> str:
    return str(Decimal(minor).scaleb(-digits).quantize(Decimal(1).scaleb(-digits))) if digits else str(minor)


def format_flag(value: bool) -> str:
    return "true" if value else "false"


