"""Creating a pick list: the orders claimed (``choosing``), a tote per order, and one line
per allocation — the bin, lot and units the order holds — so the list sends the picker
exactly to the reserved stock.

Invariants: one transaction; the list row is written first (its number is ``PL-`` and its
id, so two stations never number alike, and on SQLite the write lock is held from then on),
then the orders are claimed, then the totes and lines are written with one bulk INSERT
each (no per-order round trip: 500 orders are a handful of statements). Totes are
``T-<list id>-<n>``, unique because the list's id is. Audited ``picklist.created``.

Threading: blocking (database); called by the use case from worker threads.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.in_lists import in_batches
from fulfilstation.db.models import Allocation, Bin, OrderLine, PickList, PickListLine, PickListOrder, StockLevel
from fulfilstation.domain.enums import PickListStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.picking import choosing
from fulfilstation.services.picking.reading import read_view
from fulfilstation.services.picking.views import Created, Selection


def list_number(list_id: int) -> str:
    return f"PL-{list_id:05d}"


def tote_code(list_id: int, index: int) -> str:
    return f"T-{list_id:05d}-{index}"


def create_list(database: Database, actor: Actor, selection: Selection, today: dt.date, *,
                by_zone: bool = False) -> Created:
    choosing.check(selection)
    with database.unit_of_work() as session:
        value = choosing.wave_value(session, selection, today)
        pick_list = PickList(number=f"new-{uuid.uuid4().hex[:20]}", status=PickListStatus.OPEN.value,
                             created_by_id=actor.user_id, description=choosing.describe(selection, value)[:200],
                             by_zone=by_zone)
        session.add(pick_list)
        session.flush()
        list_id, number = pick_list.id, list_number(pick_list.id)
        session.execute(update(PickList).where(PickList.id == list_id).values(number=number))
        order_ids = choosing.claim(session, selection, value)
        totes = {order_id: tote_code(list_id, index) for index, order_id in enumerate(order_ids, start=1)}
        session.execute(insert(PickListOrder), [{"pick_list_id": list_id, "order_id": order_id, "tote_code": tote}
                                                for order_id, tote in totes.items()])
        lines = write_lines(session, list_id, order_ids)
        audit.record(session, actor, "picklist.created", "pick_list", list_id,
                     {"number": number, "description": pick_list.description, "orders": len(order_ids),
                      "lines": lines, "by_zone": by_zone})
        session.flush()
        view = read_view(session, number)
    return Created(number, view)


def write_lines(session: Session, list_id: int, order_ids: list[int]) -> int:
    """One pick list line per allocation of the orders (bulk), less the units of it already
    picked into a tote on an earlier list (an order listed again after a short pick); the
    number written."""
    picked = (select(PickListLine.allocation_id, func.sum(PickListLine.picked_quantity).label("units"))
              .join(PickList, PickList.id == PickListLine.pick_list_id)
              .where(PickList.status != PickListStatus.CANCELLED.value, PickListLine.pick_list_id != list_id)
              .group_by(PickListLine.allocation_id).subquery())
    found: list[Any] = []
    for batch in in_batches(order_ids):
        found += session.execute(
            select(Allocation.id, OrderLine.id, StockLevel.product_id, StockLevel.bin_id, StockLevel.lot_code,
                   Bin.pick_sequence, Allocation.quantity - func.coalesce(picked.c.units, 0))
            .join(OrderLine, OrderLine.id == Allocation.order_line_id)
            .join(StockLevel, StockLevel.id == Allocation.stock_level_id).join(Bin, Bin.id == StockLevel.bin_id)
            .outerjoin(picked, picked.c.allocation_id == Allocation.id)
            .where(OrderLine.order_id.in_(batch))).all()
    rows = [row for row in found if int(row[6]) > 0]
    if rows:
        session.execute(insert(PickListLine), [
            {"pick_list_id": list_id, "allocation_id": allocation_id, "order_line_id": line_id,
             "product_id": product_id, "bin_id": bin_id, "lot_code": lot, "sequence": sequence, "quantity": units,
             "picked_quantity": 0, "short_quantity": 0}
            for allocation_id, line_id, product_id, bin_id, lot, sequence, units in rows])
    return len(rows)
