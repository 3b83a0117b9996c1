"""Reading the bins: the list (filtered, in walking order) and one bin with its stock.

One short read-only transaction each; results are plain data (``views``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Product, StockLevel
from fulfilstation.services.bins.views import BinDetail, BinInfo, BinsRefused, BinStock


def _listing() -> Select[Bin, Any]:
    held = (select(StockLevel.bin_id, func.sum(StockLevel.on_hand).label("units"))
            .group_by(StockLevel.bin_id).subquery())
    return (select(Bin, func.coalesce(held.c.units, 0)).outerjoin(held, held.c.bin_id == Bin.id)
            .order_by(Bin.pick_sequence, Bin.code))


def info(row: Bin, units: int = 0) -> BinInfo:
    return BinInfo(row.code, row.zone, row.aisle, row.bay, row.level, row.pick_sequence, row.kind, row.active,
                   int(units or 0))


def list_bins(database: Database, *, zone: str | None = None, kind: str | None = None, active: bool | None = None,
              codes: Sequence[str] | None = None) -> list[BinInfo]:
    """Bins in walking order (pick sequence, then code), each with the units it holds;
    ``zone`` (case-insensitive), ``kind``, ``active`` and ``codes`` narrow the list."""
    statement = _listing()
    if zone:
        statement = statement.where(func.lower(Bin.zone) == zone.strip().lower())
    if kind:
        statement = statement.where(Bin.kind == kind.strip().lower())
    if active is not None:
        statement = statement.where(Bin.active == active)
    if codes is not None:
        statement = statement.where(Bin.code.in_(list(codes)))
    with database.unit_of_work() as session:
        return [info(row, units) for row, units in session.execute(statement).all()]


def find_bin(session: Session, code: str) -> Bin:
    """The bin of ``code`` (exactly as stored, else the one whose code matches ignoring case);
    BinsRefused ``no-bin`` when there is none."""
    text = code.strip()
    found = session.scalar(select(Bin).where(Bin.code == text))
    if found is None:
        matches = session.scalars(select(Bin).where(func.lower(Bin.code) == text.lower())).all()
        found = matches[0] if len(matches) == 1 else None
    if found is None:
        raise BinsRefused("no-bin", f"There is no bin {text!r}: check the code, or add the bin first.")
    return found


def show_bin(database: Database, code: str) -> BinDetail:
    """One bin with every product and lot it holds (largest first)."""
    with database.unit_of_work() as session:
        row = find_bin(session, code)
        stock = session.execute(
            select(Product.sku, Product.name, StockLevel.lot_code, StockLevel.expiry_date, StockLevel.on_hand,
                   StockLevel.reserved)
            .join(Product, Product.id == StockLevel.product_id)
            .where(StockLevel.bin_id == row.id, StockLevel.on_hand > 0)
            .order_by(StockLevel.on_hand.desc(), Product.sku, StockLevel.lot_code)).all()
        lines = tuple(BinStock(*line) for line in stock)
        return BinDetail(info(row, sum(line.on_hand for line in lines)), lines)


def stock_words(session: Session, bin_id: int, limit: int = 3) -> tuple[int, str]:
    """(units held, ``5 × MUG-CER-350, 2 × SOAP-LAV-100 and 1 more``) of the bin."""
    rows = session.execute(select(Product.sku, func.sum(StockLevel.on_hand))
                           .join(Product, Product.id == StockLevel.product_id)
                           .where(StockLevel.bin_id == bin_id, StockLevel.on_hand > 0)
                           .group_by(Product.sku).order_by(func.sum(StockLevel.on_hand).desc(), Product.sku)).all()
    total = sum(int(quantity) for _sku, quantity in rows)
    shown = ", ".join(f"{int(quantity)} × {sku}" for sku, quantity in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return total, shown + more
