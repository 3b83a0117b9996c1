"""Helpers for picking tests: ready orders reserved through the real use case (so the ledger
and the allocations add up), and the stock invariants a short pick must keep."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Allocation, Order, OrderLine, Product, StockLevel
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices

_numbers = itertools.count(1)


def ready_order(app: AppServices, manager: Actor, lines: list[tuple[str, int]], *,
                ship_by: dt.date | None = None, service_id: int | None = None) -> str:
    """A pending order for ``(sku, quantity)`` lines, reserved by ``orders.reserve_stock``."""
    number = f"PK-{next(_numbers):05d}"
    with app.orders.database.unit_of_work() as session:
        order = Order(channel="test", external_id=number, number=number, status="pending", ship_to_name="Pat Picker",
                      ship_to_line1="1 Test St", ship_to_city="Springfield", ship_to_region="IL",
                      ship_to_postal_code="62704", ship_to_country="US", ship_by=ship_by or dt.date.today(),
                      requested_service_id=service_id, ordered_at=dt.datetime.now(dt.UTC))
        session.add(order)
        session.flush()
        for line_no, (sku, quantity) in enumerate(lines, start=1):
            product_id = session.scalars(select(Product.id).where(Product.sku == sku)).one()
            session.add(OrderLine(order_id=order.id, line_no=line_no, product_id=product_id, quantity=quantity))
    (outcome,) = app.orders.reserve_stock(manager, [number])
    assert outcome.result == "ready", outcome.message
    return number


def broken_levels(database: Database) -> list[tuple[int, int, int, int]]:
    """(level id, on hand, reserved, allocated) of every level breaking ``reserved <= on_hand``
    or ``reserved == sum(allocations)``: empty when the invariants hold."""
    allocated = (select(Allocation.stock_level_id, func.sum(Allocation.quantity).label("units"))
                 .group_by(Allocation.stock_level_id).subquery())
    with database.unit_of_work() as session:
        rows = session.execute(select(StockLevel.id, StockLevel.on_hand, StockLevel.reserved,
                                      func.coalesce(allocated.c.units, 0))
                               .outerjoin(allocated, allocated.c.stock_level_id == StockLevel.id)).all()
    return [(int(a), int(b), int(c), int(d)) for a, b, c, d in rows if c > b or c != d]


def order_state(database: Database, number: str) -> tuple[str, bool]:
    with database.unit_of_work() as session:
        status, backorder = session.execute(select(Order.status, Order.backorder).where(Order.number == number)).one()
    return str(status), bool(backorder)


def held_units(database: Database, number: str) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.coalesce(func.sum(Allocation.quantity), 0))
                                  .join(OrderLine, OrderLine.id == Allocation.order_line_id)
                                  .join(Order, Order.id == OrderLine.order_id).where(Order.number == number)) or 0)
