"""Finding what a count names — a bin by its code, a product by its SKU — with the stock
area's rules (``stock.lookup``: exact, else case-insensitive), refused as ``CountsRefused``
(``unknown-bin``, ``unknown-sku``) with the stock area's words. Inside the caller's unit of work."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fulfilstation.db.models import Bin, Product
from fulfilstation.services.counts.refusal import CountsRefused
from fulfilstation.services.stock.lookup import find_bin, find_product
from fulfilstation.services.stock.refusal import StockRefused


def bin_named(session: Session, code: str) -> Bin:
    try:
        return find_bin(session, code)
    except StockRefused as refused:
        raise CountsRefused("unknown-bin", refused.message) from None


def product_named(session: Session, sku: str) -> Product:
    try:
        return find_product(session, sku)
    except StockRefused as refused:
        raise CountsRefused("unknown-sku", refused.message) from None
