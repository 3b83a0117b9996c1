"""What a product file says about one product, whatever format it came in.

A parser (``shopify``, ``generic``) turns a ``CsvTable`` into a ``ParsedFile``: the rows it
could read as ``ProductRow`` and a ``RowProblem`` for each one it could not (or took with
a warning). ``ProductRow.fields`` holds only what the file gives (a column missing or a
cell left blank leaves that field of an existing product as it is), already checked and in
stored units (grams, millimetres, whole units). Pure values: no database, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from fulfilstation.imports import RowProblem


class ProductFileFormat(StrEnum):
    SHOPIFY = "shopify"  # Shopify's product export (one row per variant)
    GENERIC = "generic"  # FulfilStation's own columns (docs/import-formats.md); what export writes


#: The ``Product`` columns a file may set (``fields`` keys).
PRODUCT_FIELDS = ("name", "description", "weight_g", "length_mm", "width_mm", "height_mm", "currency",
                  "lot_tracked", "serial_tracked", "hazmat", "fragile", "reorder_point", "safety_stock",
                  "hs_code", "country_of_origin", "image_path", "active")


@dataclass(frozen=True)
class ProductRow:
    """One product as a file line gives it. ``price`` is in the currency's major units
    (``currency`` in ``fields``, else the product's, else the catalogue's); ``barcodes``
    None: the file says nothing about them; ``barcodes_complete``: the list is the
    product's whole set (generic files), else codes to add (Shopify's one barcode);
    ``components`` None: not a kit column, () : not a kit."""

    line: int
    sku: str
    fields: dict[str, Any]
    price: Decimal | None = None
    barcodes: tuple[tuple[str, int], ...] | None = None
    barcodes_complete: bool = False
    components: tuple[tuple[str, int], ...] | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedFile:
    format: ProductFileFormat
    rows: tuple[ProductRow, ...]
    problems: tuple[RowProblem, ...]  # rejected lines (and warnings of lines taken)
    notes: tuple[str, ...] = field(default=())
    lines: int = 0  # data lines read (image-only Shopify rows included)
