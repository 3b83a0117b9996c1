"""The ledger invariant: every stock level's on-hand figure is the sum of its stock moves.

A move adds its ``quantity`` to the level of its ``to_bin`` and takes it from the level of
its ``from_bin`` (same product and lot). That one rule covers every reason: ``receive``,
``void`` and ``return`` have a ``to_bin`` only; ``ship`` and ``scrap`` a ``from_bin`` only;
``move`` both; ``adjust`` and ``count`` one of them (up: ``to_bin``, down: ``from_bin``).

``rebuild_levels`` adds the ledger up (two grouped queries, whatever the size of the
ledger); ``check_ledger`` compares it with ``stock_levels`` and lists every level that
differs (a level with nothing on hand and no moves is equal) — and every level whose
``reserved`` is not the sum of the orders' allocations in it (the other invariant a
stock level keeps). Read-only.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Allocation, Bin, Product, StockLevel, StockMove
from fulfilstation.services.stock.views import LedgerCheck, LedgerDifference, ReservationDifference

LevelKey = tuple[int, int, str]  # (product id, bin id, lot code)


def rebuild_levels(session: Session) -> dict[LevelKey, int]:
    """On hand per (product id, bin id, lot code) as the stock moves add up (zeros left out)."""
    totals: dict[LevelKey, int] = defaultdict(int)
    for bin_column, sign in ((StockMove.to_bin_id, 1), (StockMove.from_bin_id, -1)):
        rows = session.execute(select(StockMove.product_id, bin_column, StockMove.lot_code,
                                      func.sum(StockMove.quantity))
                               .where(bin_column.is_not(None))
                               .group_by(StockMove.product_id, bin_column, StockMove.lot_code))
        for product_id, bin_id, lot, quantity in rows:
            totals[(int(product_id), int(bin_id or 0), str(lot))] += sign * int(quantity)
    return {key: value for key, value in totals.items() if value}


def check_ledger(database: Database) -> LedgerCheck:
    with database.unit_of_work() as session:
        rebuilt = rebuild_levels(session)
        levels = {(int(product_id), int(bin_id), str(lot)): int(on_hand) for product_id, bin_id, lot, on_hand in
                  session.execute(select(StockLevel.product_id, StockLevel.bin_id, StockLevel.lot_code,
                                         StockLevel.on_hand))}
        moves = int(session.scalar(select(func.count()).select_from(StockMove)) or 0)
        wrong = sorted(key for key in set(rebuilt) | set(levels) if rebuilt.get(key, 0) != levels.get(key, 0))
        names = _names(session, wrong)
        differences = tuple(sorted((LedgerDifference(*names[key], levels.get(key, 0), rebuilt.get(key, 0))
                                    for key in wrong), key=lambda d: (d.sku, d.bin, d.lot)))
        return LedgerCheck(len(levels), moves, differences, _reservations(session))


def _reservations(session: Session) -> tuple[ReservationDifference, ...]:
    allocated = select(Allocation.stock_level_id, func.sum(Allocation.quantity).label("units")).group_by(
        Allocation.stock_level_id).subquery()
    rows = session.execute(
        select(Product.sku, Bin.code, StockLevel.lot_code, StockLevel.reserved, func.coalesce(allocated.c.units, 0))
        .join(Product, Product.id == StockLevel.product_id).join(Bin, Bin.id == StockLevel.bin_id)
        .outerjoin(allocated, allocated.c.stock_level_id == StockLevel.id)
        .where(StockLevel.reserved != func.coalesce(allocated.c.units, 0))
        .order_by(Product.sku, Bin.code, StockLevel.lot_code))
    return tuple(ReservationDifference(str(sku), str(code), str(lot), int(reserved), int(units))
                 for sku, code, lot, reserved, units in rows)


def _names(session: Session, keys: list[LevelKey]) -> dict[LevelKey, tuple[str, str, str]]:
    """(SKU, bin code, lot) of each level key."""
    if not keys:
        return {}
    skus = {int(row[0]): str(row[1]) for row in session.execute(select(Product.id, Product.sku).where(
        Product.id.in_({key[0] for key in keys})))}
    bins = {int(row[0]): str(row[1]) for row in session.execute(select(Bin.id, Bin.code).where(
        Bin.id.in_({key[1] for key in keys})))}
    return {key: (skus[key[0]], bins[key[1]], key[2]) for key in keys}
