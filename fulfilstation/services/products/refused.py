"""``ProductRefused``: the one refusal of the products area, and finding a product by SKU.

Every message says what is wrong and what to do; a refusal changes nothing.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Product
from fulfilstation.services.refused import Refused


class ProductRefused(Refused):
    """A product (its fields, barcodes or components) that cannot be found or changed."""


def find_product(session: Session, sku: str) -> Product:
    """The product whose SKU is ``sku`` (exactly; else the one whose SKU equals it ignoring
    case), or ProductRefused ``unknown-product``."""
    text = sku.strip()
    product = session.scalar(select(Product).where(Product.sku == text))
    if product is None:
        matches = session.scalars(select(Product).where(func.lower(Product.sku) == text.lower()).limit(2)).all()
        if len(matches) == 1:
            product = matches[0]
    if product is None:
        raise ProductRefused("unknown-product", f"There is no product with SKU {text!r}: look it up with "
                             "'fulfilstation products list --search …' or on the Products screen.")
    return product


def describe(sku: str, name: str) -> str:
    """How a refusal names a product: ``TEA-01 Green tea 100 g``."""
    return f"{sku} {name}"
