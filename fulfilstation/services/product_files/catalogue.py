"""The catalogue as an import sees it: every product's fields, barcodes and components,
loaded in three queries (never one query per row), keyed for the planner.

Threading: call inside the import's unit of work (one session, one thread).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Product, ProductBarcode, ProductComponent
from fulfilstation.services.product_files.rows import PRODUCT_FIELDS

#: Every column an import compares and writes (the file's fields and the price).
COMPARED = (*PRODUCT_FIELDS, "unit_price_minor")
DEFAULT_CURRENCY = "USD"


@dataclass
class Known:
    """One product already in the catalogue."""

    id: int
    sku: str
    values: dict[str, Any]
    barcodes: dict[str, int] = field(default_factory=dict)  # code -> pack quantity
    components: dict[str, int] = field(default_factory=dict)  # component SKU -> quantity


@dataclass
class Catalogue:
    by_sku: dict[str, Known]
    barcode_owner: dict[str, str]  # code -> SKU of the product it is on
    barcode_ids: dict[str, int]  # code -> product_barcodes.id
    names: dict[str, str]  # SKU -> name (for refusals that name the other product)
    currency: str  # the catalogue's usual currency: what a new product is priced in by default

    def describe(self, sku: str) -> str:
        return f"{sku} ({self.names[sku]})" if sku in self.names else sku


def load(session: Session) -> Catalogue:
    columns = [getattr(Product, name) for name in COMPARED]
    by_sku: dict[str, Known] = {}
    by_id: dict[int, Known] = {}
    for row in session.execute(select(Product.id, Product.sku, *columns)):
        known = Known(row[0], row[1], dict(zip(COMPARED, row[2:], strict=True)))
        by_sku[known.sku] = by_id[known.id] = known
    owner: dict[str, str] = {}
    ids: dict[str, int] = {}
    for barcode_id, product_id, code, pack in session.execute(
            select(ProductBarcode.id, ProductBarcode.product_id, ProductBarcode.code, ProductBarcode.pack_quantity)):
        by_id[product_id].barcodes[code] = pack
        owner[code] = by_id[product_id].sku
        ids[code] = barcode_id
    for kit_id, component_id, quantity in session.execute(
            select(ProductComponent.kit_id, ProductComponent.component_id, ProductComponent.quantity)):
        by_id[kit_id].components[by_id[component_id].sku] = quantity
    currencies = Counter(known.values["currency"] for known in by_sku.values())
    usual = currencies.most_common(1)[0][0] if currencies else DEFAULT_CURRENCY
    return Catalogue(by_sku, owner, ids, {sku: known.values["name"] for sku, known in by_sku.items()}, usual)
