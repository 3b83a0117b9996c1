"""Finding products: ``list_products`` returns one page of ``ProductRow`` in a handful of
queries however many products there are (50,000 and more).

The search text matches, case-insensitively, part of the SKU or the name, or a barcode:
a scan (UPC-A, EAN-13, GTIN-14, a GS1-128 element string with AI 01, with or without an
AIM prefix) finds its product by the stored GTIN-14 key, an internal code as typed, and
digits typed (not a whole GTIN) match part of a barcode. When the text is exactly one product's barcode or
SKU, the page names it (``exact_sku``) so a scan can select it. Sorted by SKU (or name);
``offset``/``limit`` page through the matches, ``total`` says how many match.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from typing import Any

from sqlalchemy import exists, false, func, or_, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Product, ProductBarcode, ProductComponent
from fulfilstation.domain.product_barcodes import BarcodeInvalid, product_barcode_key
from fulfilstation.domain.scan_codes import interpret
from fulfilstation.services.products.availability import (
    available_of,
    available_units,
    kit_parts,
    on_hand_of,
    sellable_on_hand,
    units_allowed,
)
from fulfilstation.services.products.refused import ProductRefused
from fulfilstation.services.products.views import SORTS, STATUS_FILTERS, ProductPage, ProductRow

_BARCODES_BY_FILTER = 2000  # above this many rows, read the barcodes by the filter, not by id


def list_products(database: Database, search: str | None = None, status: str = "active", kits: bool | None = None,
                  sort: str = "sku", offset: int = 0, limit: int | None = None) -> ProductPage:
    conditions = _conditions(search, status, kits)
    check_sort(sort)
    order = (Product.sku,) if sort == "sku" else (func.lower(Product.name), Product.sku)
    with database.unit_of_work() as session:
        total = int(session.scalar(select(func.count()).select_from(Product).where(*conditions)) or 0)
        query = _rows_query().where(*conditions).order_by(*order).offset(max(0, offset))
        found = session.execute(query.limit(limit) if limit is not None else query).all()
        barcodes = _barcodes(session, [row[0] for row in found], conditions)
        kit_figures = _kit_figures(session, [row[0] for row in found if row[9]])
        rows = tuple(_row(row, barcodes, kit_figures) for row in found)
        exact = _exact(session, search)
    return ProductPage(rows, total, max(0, offset), exact)


def search_keys(text: str) -> tuple[str, set[str]]:
    """(the text a scan carries, the barcode keys it may be stored under)."""
    scanned = interpret(text)
    data = scanned.text or text.strip()
    keys = {scanned.gtin14} if scanned.gtin14 else set()
    with contextlib.suppress(BarcodeInvalid):
        keys.add(product_barcode_key(data))
    return data, keys


def _conditions(search: str | None, status: str, kits: bool | None) -> list[Any]:
    if status not in STATUS_FILTERS:
        raise ProductRefused("unknown-filter", f"Show products that are one of {', '.join(STATUS_FILTERS)}, "
                             f"not {status!r}.")
    conditions: list[Any] = []
    if status != "all":
        conditions.append(Product.active.is_(status == "active"))
    if kits is not None:
        is_kit = Product.id.in_(select(ProductComponent.kit_id))
        conditions.append(is_kit if kits else ~is_kit)
    if search is not None and search.strip():
        conditions.append(_matches(search))
    return conditions


def _matches(text: str) -> Any:
    data, keys = search_keys(text)
    by_code: Any = ProductBarcode.code.in_(keys) if keys else false()
    if data.isdigit() and not keys:  # digits typed, not a whole GTIN: part of a barcode
        by_code = or_(by_code, ProductBarcode.code.contains(data, autoescape=True))
    return or_(Product.sku.icontains(data, autoescape=True), Product.name.icontains(data, autoescape=True),
               Product.id.in_(select(ProductBarcode.product_id).where(by_code)))


def _rows_query() -> Any:
    is_kit = exists().where(ProductComponent.kit_id == Product.id)
    return select(Product.id, Product.sku, Product.name, Product.weight_g, Product.unit_price_minor,
                  Product.currency, Product.active, on_hand_of(Product.id), available_of(Product.id), is_kit)


def _barcodes(session: Session, ids: list[int], conditions: list[Any]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return found
    query = select(ProductBarcode.product_id, ProductBarcode.code).order_by(ProductBarcode.product_id,
                                                                             ProductBarcode.id)
    if len(ids) > _BARCODES_BY_FILTER:
        query = query.where(ProductBarcode.product_id.in_(select(Product.id).where(*conditions)))
    else:
        query = query.where(ProductBarcode.product_id.in_(ids))
    for product_id, code in session.execute(query):
        found[product_id].append(code)
    return found


def _kit_figures(session: Session, kit_ids: list[int]) -> dict[int, tuple[int, int]]:
    """``{kit id: (on hand, available)}``: what the components' units make (see availability)."""
    if not kit_ids:
        return {}
    parts = kit_parts(session, kit_ids)
    on_hand = sellable_on_hand(session, {component for rows in parts.values() for component, _ in rows})
    available = available_units(session, kit_ids)
    return {kit: (units_allowed(parts.get(kit, []), on_hand), available[kit]) for kit in kit_ids}


def _row(row: Any, barcodes: dict[int, list[str]], kit_figures: dict[int, tuple[int, int]]) -> ProductRow:
    product_id, sku, name, weight, price, currency, active, on_hand, available, kit = row
    if kit:
        on_hand, available = kit_figures.get(product_id, (0, 0))
    return ProductRow(product_id, sku, name, tuple(barcodes.get(product_id, ())), int(weight), int(price), currency,
                      int(on_hand), max(0, int(available)), bool(active), bool(kit))


def _exact(session: Session, search: str | None) -> str | None:
    if search is None or not search.strip():
        return None
    data, keys = search_keys(search)
    if keys:
        sku = session.scalar(select(Product.sku).join(ProductBarcode).where(ProductBarcode.code.in_(keys)).limit(1))
        if sku is not None:
            return sku
    return session.scalar(select(Product.sku).where(Product.sku == data))


def check_sort(sort: str) -> str:
    if sort not in SORTS:
        raise ProductRefused("unknown-sort", f"Sort products by {' or '.join(SORTS)}, not {sort!r}.")
    return sort
