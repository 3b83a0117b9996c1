"""``export_products``: the whole catalogue as a generic product file (docs/import-formats.md).

The file imports back unchanged: every field the generic format has is written (barcodes
as their stored keys with pack quantities, kits' components by SKU, prices in the
currency's major units), one row per product in SKU order. UTF-8 with a BOM (so Excel
shows accented names), comma-separated, CRLF line ends as the csv module writes them.

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Product, ProductBarcode, ProductComponent
from fulfilstation.domain.money import minor_digits
from fulfilstation.services.product_files.generic import (
    COLUMNS,
    format_barcodes,
    format_components,
    format_flag,
    format_price,
)


def export_products(database: Database) -> bytes:
    with database.unit_of_work() as session:
        products = session.execute(select(Product).order_by(Product.sku)).scalars().all()
        sku_of = {product.id: product.sku for product in products}
        barcodes: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for product_id, code, pack in session.execute(select(ProductBarcode.product_id, ProductBarcode.code,
                                                             ProductBarcode.pack_quantity).order_by(
                                                                 ProductBarcode.product_id, ProductBarcode.id)):
            barcodes[product_id].append((code, pack))
        components: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for kit_id, component_id, quantity in session.execute(select(
                ProductComponent.kit_id, ProductComponent.component_id, ProductComponent.quantity).order_by(
                    ProductComponent.kit_id, ProductComponent.id)):
            components[kit_id].append((sku_of[component_id], quantity))
        rows = [_row(product, barcodes[product.id], components[product.id]) for product in products]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([row.get(column, "") for column in COLUMNS] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _row(product: Product, barcodes: list[tuple[str, int]], components: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "sku": product.sku, "name": product.name, "barcodes": format_barcodes(barcodes),
        "weight_g": product.weight_g, "length_mm": product.length_mm, "width_mm": product.width_mm,
        "height_mm": product.height_mm, "price": format_price(product.unit_price_minor, minor_digits(product.currency)),
        "currency": product.currency, "lot_tracked": format_flag(product.lot_tracked),
        "serial_tracked": format_flag(product.serial_tracked), "hazmat": format_flag(product.hazmat),
        "fragile": format_flag(product.fragile), "reorder_point": product.reorder_point,
        "safety_stock": product.safety_stock, "hs_code": product.hs_code or "",
        "country_of_origin": product.country_of_origin or "", "image": product.image_path or "",
        "active": format_flag(product.active), "components": format_components(components),
        "description": product.description or "",
    }
