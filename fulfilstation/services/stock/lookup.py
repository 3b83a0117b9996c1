"""Finding what a stock command names: a product by SKU, a bin by code, a scanned code.

A bin is found by its exact code, else case-insensitively (a label typed by hand); a
product by its exact SKU, else case-insensitively; a scanned code is a product barcode
(stored as GTIN-14 for GTINs, ``domain.scan_codes``) or a bin label. Read-only helpers
used inside the caller's unit of work; each raises ``StockRefused`` saying what to check.
"""

from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Bin, Product, ProductBarcode, ProductComponent
from fulfilstation.domain.scan_codes import interpret
from fulfilstation.services.stock.refusal import StockRefused
from fulfilstation.services.stock.views import ScanTarget


def find_product(session: Session, sku: str) -> Product:
    text = sku.strip()
    if not text:
        raise StockRefused("unknown-sku", "Give the product's SKU.")
    product = session.scalars(select(Product).where(Product.sku == text)).first() or session.scalars(
        select(Product).where(func.upper(Product.sku) == text.upper()).order_by(Product.id)).first()
    if product is None:
        raise StockRefused("unknown-sku", f"There is no product with SKU {text!r}: check the SKU (see the Products "
                           "screen or 'fulfilstation stock show').")
    return product


def find_bin(session: Session, code: str) -> Bin:
    text = code.strip()
    if not text:
        raise StockRefused("unknown-bin", "Give the bin's code.")
    found = session.scalars(select(Bin).where(Bin.code == text)).first() or session.scalars(
        select(Bin).where(func.upper(Bin.code) == text.upper()).order_by(Bin.id)).first()
    if found is None:
        raise StockRefused("unknown-bin", f"There is no bin {text!r}: check the code on the bin's label.")
    return found


def is_kit(session: Session, product_id: int) -> bool:
    return bool(session.scalar(select(exists().where(ProductComponent.kit_id == product_id))))


def identify(session: Session, code: str) -> ScanTarget:
    """What ``code`` (a scan, with or without an AIM prefix) is: a product barcode, a bin
    label, or a product's SKU (one unit: the label of an item without a barcode carries it),
    in that order (bin codes and SKUs in any case, an exact match first); StockRefused
    ``unknown-code`` when it is none of them."""
    scanned = interpret(code)
    text = scanned.text.strip()
    if not text:
        raise StockRefused("unknown-code", "The scan was empty: scan a bin label or an item's barcode.")
    key = scanned.gtin14 or text
    row = session.execute(select(Product.sku, Product.name, Product.lot_tracked, ProductBarcode.pack_quantity)
                          .join(Product, Product.id == ProductBarcode.product_id)
                          .where(ProductBarcode.code == key)).first()
    if row is not None:
        return ScanTarget("product", row.sku, row.name, int(row.pack_quantity), scanned.lot or None,
                          bool(row.lot_tracked))
    if scanned.gtin14 is None:
        found = session.execute(select(Bin.code, Bin.active).where(Bin.code == text)).first() or session.execute(
            select(Bin.code, Bin.active).where(func.upper(Bin.code) == text.upper())).first()
        if found is not None:
            return ScanTarget("bin", found.code, "", bin_active=bool(found.active))
    product = session.execute(select(Product.sku, Product.name, Product.lot_tracked)
                              .where(Product.sku == text)).first() or session.execute(
        select(Product.sku, Product.name, Product.lot_tracked).where(func.upper(Product.sku) == text.upper())).first()
    if product is not None:  # the label printed for an item without a barcode carries its SKU (maybe all digits)
        return ScanTarget("product", product.sku, product.name, 1, None, bool(product.lot_tracked))
    raise StockRefused("unknown-code", f"{text} is neither a bin label nor a product barcode known here: scan "
                       "the bin's label or the item's own barcode (add the barcode to the product first if it is "
                       "new).")
