"""Stock levels as people look at them: per product × bin × lot, filtered, and per product.

``StockFilter`` narrows the levels: ``text`` is what a person typed or scanned — a product
barcode (a case GTIN too) or a bin label filters to that product or bin exactly, anything
else matches SKU, name, bin code or lot containing it —; ``sku``, ``bin``, ``lot`` and
``zone`` match exactly (case-insensitively). Levels with nothing on hand are left out
unless ``include_empty``. Rows come in SKU, pick sequence, bin, lot order; ``available``
is ``on_hand - reserved`` (never negative: a CHECK constraint). Each query is one
read-only transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Product, ProductBarcode, StockLevel
from fulfilstation.domain.scan_codes import interpret
from fulfilstation.services.stock.history import recent_moves
from fulfilstation.services.stock.lookup import find_product
from fulfilstation.services.stock.views import ProductStock, ProductTotal, StockRow

RECENT_MOVES = 10


@dataclass(frozen=True)
class StockFilter:
    text: str | None = None
    sku: str | None = None
    bin: str | None = None
    lot: str | None = None
    zone: str | None = None
    include_empty: bool = False
    limit: int | None = None


def _level_columns() -> Select[*tuple[Any, ...]]:
    return (select(Product.sku, Product.name, Bin.code, Bin.zone, Bin.kind, StockLevel.lot_code,
                   StockLevel.expiry_date, StockLevel.on_hand, StockLevel.reserved)
            .join(Product, Product.id == StockLevel.product_id).join(Bin, Bin.id == StockLevel.bin_id))


def list_levels(database: Database, wanted: StockFilter) -> list[StockRow]:
    with database.unit_of_work() as session:
        query = _filtered(session, _level_columns(), wanted)
        query = query.order_by(Product.sku, Bin.pick_sequence, Bin.code, StockLevel.lot_code)
        if wanted.limit is not None:
            query = query.limit(wanted.limit)
        return [StockRow(*row) for row in session.execute(query)]


def product_totals(database: Database, wanted: StockFilter) -> list[ProductTotal]:
    """One row per product holding stock (per ``wanted``): on hand, reserved, bins."""
    with database.unit_of_work() as session:
        query = select(Product.sku, Product.name, func.sum(StockLevel.on_hand), func.sum(StockLevel.reserved),
                       func.count(func.distinct(StockLevel.bin_id))).select_from(StockLevel).join(
            Product, Product.id == StockLevel.product_id).join(Bin, Bin.id == StockLevel.bin_id)
        query = _filtered(session, query, wanted).group_by(Product.sku, Product.name).order_by(Product.sku)
        return [ProductTotal(str(row[0]), str(row[1]), int(row[2] or 0), int(row[3] or 0), int(row[4]))
                for row in session.execute(query)]


def product_stock(database: Database, sku: str, recent: int = RECENT_MOVES) -> ProductStock:
    """The product's levels holding stock, its totals and its latest ``recent`` moves;
    StockRefused ``unknown-sku`` when there is no such product."""
    with database.unit_of_work() as session:
        product = find_product(session, sku)
        rows = session.execute(_level_columns().where(StockLevel.product_id == product.id, StockLevel.on_hand > 0)
                               .order_by(Bin.pick_sequence, Bin.code, StockLevel.lot_code))
        levels = tuple(StockRow(*row) for row in rows)
        moves = recent_moves(session, product_id=product.id, limit=recent)
        return ProductStock(product.sku, product.name, product.lot_tracked, product.active, levels, tuple(moves))


def _filtered(session: Session, query: Select[*tuple[Any, ...]], wanted: StockFilter) -> Select[*tuple[Any, ...]]:
    if not wanted.include_empty:
        query = query.where(StockLevel.on_hand > 0)
    if wanted.sku:
        query = query.where(func.upper(Product.sku) == wanted.sku.strip().upper())
    if wanted.bin:
        query = query.where(func.upper(Bin.code) == wanted.bin.strip().upper())
    if wanted.lot:
        query = query.where(func.upper(StockLevel.lot_code) == wanted.lot.strip().upper())
    if wanted.zone:
        query = query.where(func.upper(Bin.zone) == wanted.zone.strip().upper())
    text = (wanted.text or "").strip()
    if text:
        query = query.where(_matching(session, text))
    return query


def _matching(session: Session, text: str) -> Any:
    """A scanned product barcode or bin label: exactly that; else a part of SKU, name, bin or lot."""
    scanned = interpret(text)
    key = scanned.gtin14 or scanned.text.strip()
    found = session.execute(select(ProductBarcode.product_id, Product.lot_tracked).join(
        Product, Product.id == ProductBarcode.product_id).where(ProductBarcode.code == key)).first()
    if found is not None:
        condition = StockLevel.product_id == found[0]
        return condition & (StockLevel.lot_code == scanned.lot) if scanned.lot and found[1] else condition
    bin_id = session.scalar(select(Bin.id).where(func.upper(Bin.code) == key.upper()))
    if bin_id is not None:
        return StockLevel.bin_id == bin_id
    pattern = f"%{_escape(text.lower())}%"
    return or_(func.lower(Product.sku).like(pattern, escape="\\"), func.lower(Product.name).like(pattern, escape="\\"),
               func.lower(Bin.code).like(pattern, escape="\\"),
               func.lower(StockLevel.lot_code).like(pattern, escape="\\"))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
