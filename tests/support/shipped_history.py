"""A synthetic shipped history for the forecast and slotting tests.

``ship_history`` writes, for each day, one ``ship`` stock move of that day's units out of
the product's first sellable level and one ``receive`` move of the same units back in at
the same moment: the history the forecast reads is there, and every stock level still
equals the sum of its moves (the ledger invariant holds; the level's figures do not change).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import insert, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Product, StockLevel, StockMove


def pattern(days: int, *, base: float = 10.0, slope: float = 0.05, weekday: float = 4.0,
            weekend: float = -6.0, end: dt.date) -> list[int]:
    """Units per day for ``days`` days up to ``end`` (exclusive): a trend plus a weekly
    pattern (Monday–Friday ``weekday`` above, Saturday and Sunday ``weekend`` below)."""
    first = end - dt.timedelta(days=days)
    units = []
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        bump = weekend if day.weekday() >= 5 else weekday
        units.append(max(0, round(base + slope * offset + bump)))
    return units


def ship_history(database: Database, sku: str, units_per_day: Sequence[int], end: dt.date) -> None:
    """``units_per_day[i]`` shipped on day ``end - len + i`` (at noon UTC)."""
    first = end - dt.timedelta(days=len(units_per_day))
    with database.unit_of_work() as session:
        product_id, bin_id, lot = session.execute(
            select(Product.id, StockLevel.bin_id, StockLevel.lot_code).join(StockLevel).join(Bin)
            .where(Product.sku == sku, Bin.kind.in_(("pickable", "storage"))).order_by(StockLevel.id).limit(1)).one()
        rows = []
        for offset, units in enumerate(units_per_day):
            if units <= 0:
                continue
            at = dt.datetime.combine(first + dt.timedelta(days=offset), dt.time(12), tzinfo=dt.UTC)
            rows.append({"product_id": product_id, "from_bin_id": bin_id, "to_bin_id": None, "lot_code": lot,
                         "quantity": units, "reason": "ship", "created_at": at})
            rows.append({"product_id": product_id, "from_bin_id": None, "to_bin_id": bin_id, "lot_code": lot,
                         "quantity": units, "reason": "receive", "created_at": at})
        if rows:
            session.execute(insert(StockMove), rows)
