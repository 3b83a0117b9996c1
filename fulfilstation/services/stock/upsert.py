"""Adding units to a stock level that may not exist yet, in one statement on either engine.

``add_units`` is ``INSERT … ON CONFLICT (product_id, bin_id, lot_code) DO UPDATE SET
on_hand = on_hand + :q``: two stations putting units into the same new level both count
(the unique constraint settles who inserts). A lot keeps its expiry: the level's own
expiry wins, the given one fills it when it has none. ``take_free_units`` is the way out:
a conditional UPDATE that never takes reserved units. Both are used inside the caller's
transaction, which writes the stock move that explains the units.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fulfilstation.db.database import rows_changed
from fulfilstation.db.models import StockLevel


def add_units(session: Session, product_id: int, bin_id: int, lot: str, quantity: int,
              expiry: dt.date | None) -> None:
    dialect = session.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(StockLevel).values(product_id=product_id, bin_id=bin_id, lot_code=lot, expiry_date=expiry,
                                          on_hand=quantity, reserved=0)
    statement = statement.on_conflict_do_update(
        index_elements=[StockLevel.product_id, StockLevel.bin_id, StockLevel.lot_code],
        set_={"on_hand": StockLevel.on_hand + quantity,
              "expiry_date": func.coalesce(StockLevel.expiry_date, statement.excluded.expiry_date)})
    session.execute(statement)


def take_free_units(session: Session, product_id: int, bin_id: int, lot: str, quantity: int) -> bool:
    """Take ``quantity`` free units off the level by ``UPDATE … SET on_hand = on_hand - :q
    WHERE … AND on_hand - reserved >= :q`` (reserved units never leave); False when the level
    does not hold that many free units (nothing changed). The caller writes the stock move."""
    return bool(rows_changed(session, update(StockLevel).where(
        StockLevel.product_id == product_id, StockLevel.bin_id == bin_id, StockLevel.lot_code == lot,
        StockLevel.on_hand - StockLevel.reserved >= quantity).values(on_hand=StockLevel.on_hand - quantity)))
