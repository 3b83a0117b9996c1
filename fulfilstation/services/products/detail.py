"""Everything about one product (``ProductDetail``): its fields, barcodes, components, the
kits it is part of, and its stock (summary and per bin and lot), read in one transaction.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Product, ProductBarcode, ProductComponent, StockLevel
from fulfilstation.services.products.availability import (
    SELLABLE_KINDS,
    available_units,
    sellable_on_hand,
    units_allowed,
)
from fulfilstation.services.products.refused import find_product
from fulfilstation.services.products.views import (
    BarcodeInfo,
    BinStock,
    ComponentInfo,
    KitUse,
    ProductDetail,
    ProductFields,
    StockSummary,
)


def show_product(database: Database, sku: str) -> ProductDetail:
    """The product ``sku``; ProductRefused ``unknown-product`` when there is none."""
    with database.unit_of_work() as session:
        return detail_of(session, find_product(session, sku))


def detail_of(session: Session, product: Product) -> ProductDetail:
    """The detail of ``product``, read in the caller's transaction."""
    barcodes = tuple(BarcodeInfo(code, quantity) for code, quantity in session.execute(
        select(ProductBarcode.code, ProductBarcode.pack_quantity)
        .where(ProductBarcode.product_id == product.id).order_by(ProductBarcode.pack_quantity, ProductBarcode.id)))
    parts = session.execute(select(Product.id, Product.sku, Product.name, Product.active, ProductComponent.quantity)
                            .join(ProductComponent, ProductComponent.component_id == Product.id)
                            .where(ProductComponent.kit_id == product.id).order_by(Product.sku)).all()
    available = available_units(session, [product.id, *(part[0] for part in parts)])
    components = tuple(ComponentInfo(sku, name, quantity, bool(active), available[component_id])
                       for component_id, sku, name, active, quantity in parts)
    part_of = tuple(KitUse(sku, name, quantity) for sku, name, quantity in session.execute(
        select(Product.sku, Product.name, ProductComponent.quantity)
        .join(ProductComponent, ProductComponent.kit_id == Product.id)
        .where(ProductComponent.component_id == product.id).order_by(Product.sku)))
    bins = _bins(session, product.id)
    if parts:
        stock = _kit_stock(session, [(part[0], part[4]) for part in parts], available[product.id])
    else:
        on_hand = sum(b.on_hand for b in bins)
        elsewhere = sum(b.on_hand for b in bins if b.kind not in SELLABLE_KINDS)
        stock = StockSummary(on_hand, sum(b.reserved for b in bins), available[product.id], elsewhere)
    return ProductDetail(fields_of(product), product.active, barcodes, components, part_of, stock, bins)


def fields_of(product: Product) -> ProductFields:
    return ProductFields(
        sku=product.sku, name=product.name, description=product.description, weight_g=product.weight_g,
        length_mm=product.length_mm, width_mm=product.width_mm, height_mm=product.height_mm,
        serial_tracked=product.serial_tracked, lot_tracked=product.lot_tracked, hazmat=product.hazmat,
        fragile=product.fragile, unit_price_minor=product.unit_price_minor, currency=product.currency,
        image_path=product.image_path, reorder_point=product.reorder_point, safety_stock=product.safety_stock,
        hs_code=product.hs_code, country_of_origin=product.country_of_origin, supplier=product.supplier,
        lead_time_days=product.lead_time_days, cost_minor=product.cost_minor)


def _bins(session: Session, product_id: int) -> tuple[BinStock, ...]:
    rows = session.execute(select(Bin.code, Bin.kind, StockLevel.lot_code, StockLevel.expiry_date,
                                  StockLevel.on_hand, StockLevel.reserved)
                           .join(Bin, Bin.id == StockLevel.bin_id)
                           .where(StockLevel.product_id == product_id, StockLevel.on_hand > 0)
                           .order_by(Bin.pick_sequence, Bin.code, StockLevel.lot_code))
    return tuple(BinStock(code, kind, lot, expiry.isoformat() if expiry else None, on_hand, reserved)
                 for code, kind, lot, expiry, on_hand, reserved in rows)


def _kit_stock(session: Session, parts: list[tuple[int, int]], available: int) -> StockSummary:
    made = units_allowed(parts, sellable_on_hand(session, [component for component, _ in parts]))
    return StockSummary(made, max(0, made - available), available, 0)
