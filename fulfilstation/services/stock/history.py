"""The stock ledger as people read it: stock moves, newest first.

A move belongs to a bin when it left it or reached it; to a lot when it names it. Each
entry names its user (full name), station, order and receipt. Read-only helpers used in
the caller's unit of work (``recent_moves``) or as one transaction (``list_moves``).
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Order, Product, Receipt, Station, StockMove, User
from fulfilstation.services.stock.lookup import find_bin, find_product
from fulfilstation.services.stock.views import LedgerEntry

DEFAULT_LIMIT = 100


def list_moves(database: Database, sku: str | None = None, bin_code: str | None = None, lot: str | None = None,
               limit: int = DEFAULT_LIMIT) -> list[LedgerEntry]:
    """The moves of a product and/or bin (and lot), newest first; StockRefused when the SKU
    or bin is unknown."""
    with database.unit_of_work() as session:
        product_id = find_product(session, sku).id if sku else None
        bin_id = find_bin(session, bin_code).id if bin_code else None
        return recent_moves(session, product_id=product_id, bin_id=bin_id, lot=lot, limit=limit)


def recent_moves(session: Session, *, product_id: int | None = None, bin_id: int | None = None,
                 lot: str | None = None, limit: int = DEFAULT_LIMIT) -> list[LedgerEntry]:
    source, target = aliased(Bin), aliased(Bin)
    query = (select(StockMove.id, StockMove.created_at, StockMove.reason, Product.sku, StockMove.quantity,
                    source.code, target.code, StockMove.lot_code, User.full_name, Station.name, StockMove.note,
                    Order.number, Receipt.number)
             .join(Product, Product.id == StockMove.product_id)
             .outerjoin(source, source.id == StockMove.from_bin_id).outerjoin(target, target.id == StockMove.to_bin_id)
             .outerjoin(User, User.id == StockMove.user_id).outerjoin(Station, Station.id == StockMove.station_id)
             .outerjoin(Order, Order.id == StockMove.order_id).outerjoin(Receipt, Receipt.id == StockMove.receipt_id))
    if product_id is not None:
        query = query.where(StockMove.product_id == product_id)
    if bin_id is not None:
        query = query.where(or_(StockMove.from_bin_id == bin_id, StockMove.to_bin_id == bin_id))
    if lot is not None:
        query = query.where(func.upper(StockMove.lot_code) == lot.strip().upper())
    query = query.order_by(StockMove.created_at.desc(), StockMove.id.desc()).limit(max(1, limit))
    return [LedgerEntry(*tuple(row)) for row in session.execute(query)]
