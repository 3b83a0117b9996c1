"""What a product label needs from the database: the product's SKU, name, lot tracking and
the barcode it already has — its first unit barcode (pack quantity 1), else its first
barcode, else none. One short read; plain data out.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Product, ProductBarcode
from fulfilstation.domain.product_barcodes import BarcodeInvalid, product_barcode_key
from fulfilstation.services.refused import Refused


class LabelsRefused(Refused):
    """A label that cannot be printed or written as asked (``code``: ``no-product``,
    ``no-bin``, ``bad-label``, ``no-printer``, ``printer``, ``cannot-save``); the message says
    what to do."""


@dataclass(frozen=True)
class LabelProduct:
    sku: str
    name: str
    barcode: str | None  # as stored: a GTIN-14 or an internal code
    lot_tracked: bool


def label_product(database: Database, reference: str) -> LabelProduct:
    """The product of a SKU (exact, else ignoring case) or of one of its barcodes."""
    with database.unit_of_work() as session:
        product = _find(session, reference.strip())
        if product is None:
            raise LabelsRefused("no-product", f"There is no product {reference.strip()!r}: give its SKU or scan its "
                                "barcode.")
        barcode = session.scalar(select(ProductBarcode.code).where(ProductBarcode.product_id == product.id)
                                 .order_by((ProductBarcode.pack_quantity != 1), ProductBarcode.id).limit(1))
        return LabelProduct(product.sku, product.name, barcode, product.lot_tracked)


def _find(session: Session, text: str) -> Product | None:
    if not text:
        return None
    found = session.scalar(select(Product).where(Product.sku == text))
    if found is None:
        matches = session.scalars(select(Product).where(func.lower(Product.sku) == text.lower())).all()
        found = matches[0] if len(matches) == 1 else None
    if found is None:
        try:
            key = product_barcode_key(text)
        except BarcodeInvalid:
            return None
        found = session.scalar(select(Product).join(ProductBarcode, ProductBarcode.product_id == Product.id)
                               .where(ProductBarcode.code == key))
    return found
