"""Several threads (PostgreSQL) reserve arriving orders with partial shipments on while a
manager adds stock: nothing is over-allocated, every unit ordered is on exactly one order
(the original or one of its remainders), each order is split at most once at a time (its
remainders numbered apart), and no stock is left free while a backorder waits for it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.engine import URL

from fulfilstation.db.database import Database
from fulfilstation.db.models import Allocation, Order, OrderLine, Product, StockLevel
from tests.support.app import app_for, sign_in
from tests.support.kits import allocations_match_reserved, new_product, pending_order, put_stock
from tests.support.reserve_race import race

ORDERS = 8
UNITS = 3  # each order wants 3
IMPORTERS = 3
TODAY = dt.date(2026, 12, 5)


def test_concurrent_reservers_split_without_over_allocating_or_losing_units(postgres_seeded_url: URL) -> None:
    db = Database.connect(postgres_seeded_url)
    new_product(db, "RACE-PART")
    put_stock(db, "RACE-PART", "A-01-1", 7)
    numbers = [pending_order(db, [("RACE-PART", UNITS)]) for _ in range(ORDERS)]
    with db.unit_of_work() as session:
        ids = list(session.scalars(select(Order.id).where(Order.number.in_(numbers))))
    app = app_for(db)
    app.site.set_partial_shipments(sign_in(app, "owner"), True)
    manager = sign_in(app, "manager")
    errors = race(db, manager, ids, TODAY, importers=IMPORTERS, receipts=5, timeout=180,
                  receive=lambda: app.stock.adjust(manager, "RACE-PART", "A-01-1", "carton found", by=2))
    assert errors == []
    with db.unit_of_work() as session:
        level = session.execute(select(StockLevel.on_hand, StockLevel.reserved).join(
            Product, Product.id == StockLevel.product_id).where(Product.sku == "RACE-PART")).one()
        rows = session.execute(
            select(Order.id, Order.number, Order.status, Order.backorder, Order.split_from_id,
                   func.sum(OrderLine.quantity))
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where((Order.id.in_(ids)) | (Order.split_from_id.in_(ids))).group_by(Order.id)).all()
        allocated = dict(session.execute(select(OrderLine.order_id, func.sum(Allocation.quantity))
                                         .join(Allocation, Allocation.order_line_id == OrderLine.id)
                                         .group_by(OrderLine.order_id)).all())
    assert tuple(level) == (17, 17), "all 17 units are reserved: none left free while a backorder waits"
    names = {order_id: number for order_id, number, *_rest in rows}
    per_root: dict[int, int] = defaultdict(int)
    for order_id, number, status, backorder, root, units in rows:
        per_root[root or order_id] += int(units)
        if status == "ready":
            assert allocated.get(order_id) == units, f"{number} is ready with every unit reserved"
        else:
            assert (status, backorder, allocated.get(order_id)) == ("pending", True, None), number
        if root is not None:
            assert number.startswith(names[root] + "-"), number
    assert per_root == {order_id: UNITS for order_id in ids}, "every unit ordered is on exactly one order"
    assert sum(int(row[5]) for row in rows if row[2] == "pending") == ORDERS * UNITS - 17
    assert len({row[1] for row in rows}) == len(rows)
    assert any(row[4] is not None for row in rows), "some orders were split"
    assert allocations_match_reserved(db)
    db.dispose()
