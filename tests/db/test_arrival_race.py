"""Several threads (PostgreSQL) reserve arriving orders for the same scarce stock while a
manager adds stock: nothing is over-allocated, every order is reserved whole or not at all,
and no backorder is forgotten — when all is done, the orders reserved are exactly as many as
the stock allows (no wake-up lost between "short" and "marked backorder")."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.engine import URL

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, Product, StockLevel
from tests.support.app import app_for, sign_in
from tests.support.kits import allocations_match_reserved, new_product, pending_order, put_stock
from tests.support.reserve_race import race

ORDERS = 12
IMPORTERS = 3
TODAY = dt.date(2026, 12, 5)


def test_importers_and_a_stock_increase_never_over_allocate_nor_forget_a_backorder(postgres_seeded_url: URL) -> None:
    db = Database.connect(postgres_seeded_url)
    new_product(db, "RACE-ARR")
    put_stock(db, "RACE-ARR", "A-01-1", 3)
    numbers = [pending_order(db, [("RACE-ARR", 1)]) for _ in range(ORDERS)]
    with db.unit_of_work() as session:
        ids = list(session.scalars(select(Order.id).where(Order.number.in_(numbers))))
    app = app_for(db)
    manager = sign_in(app, "manager")
    errors = race(db, manager, ids, TODAY, importers=IMPORTERS, receipts=4, timeout=120,
                  receive=lambda: app.stock.adjust(manager, "RACE-ARR", "A-01-1", "carton found", by=1))
    assert errors == []
    with db.unit_of_work() as session:
        statuses = dict(session.execute(select(Order.status, func.count()).where(Order.id.in_(ids))
                                        .group_by(Order.status)).all())
        waiting = session.scalar(select(func.count()).where(Order.id.in_(ids), Order.status == "pending",
                                                            Order.backorder.is_(False)))
        level = session.execute(select(StockLevel.on_hand, StockLevel.reserved).join(
            Product, Product.id == StockLevel.product_id).where(Product.sku == "RACE-ARR")).one()
        assert tuple(level) == (7, 7)
    assert statuses == {"ready": 7, "pending": ORDERS - 7}
    assert waiting == 0, "every order left pending waits as a backorder"
    assert allocations_match_reserved(db)
    db.dispose()
