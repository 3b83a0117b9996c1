"""Reserving stock for pending orders (``orders.reserve_stock``) on SQLite and PostgreSQL:
pickable bins before storage, then the picker's walk; lots first expiry first and never an
expired one; all or nothing per order (short: still pending, nothing reserved, the SKUs and
how many are missing); inactive, quarantine and receiving bins never feed an order."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import Allocation, Bin, Order, OrderLine, StockLevel
from fulfilstation.services.orders import OrderRefused
from fulfilstation.services.refused import NotAllowed
from tests.support.app import app_for, sign_in
from tests.support.kits import (
    allocations_match_reserved,
    level_figures,
    new_product,
    pending_order,
    put_stock,
    reserved_by_bin,
    status_of,
)
from tests.support.orders import audit_of, reserved_levels
from tests.support.warehouse import make_order

TODAY = dt.date.today()


def test_a_pending_order_is_reserved_pickable_bins_first_and_becomes_ready(seeded_database: Database) -> None:
    db = seeded_database
    new_product(db, "RSV-A")
    put_stock(db, "RSV-A", "A-01-2", 5)  # storage, first in the walk
    put_stock(db, "RSV-A", "B-02-1", 3)  # pickable, later in the walk
    put_stock(db, "RSV-A", "C-03-1", 4)  # pickable, last
    number = pending_order(db, [("RSV-A", 8)])
    app = app_for(db)
    manager = sign_in(app, "manager")

    (outcome,) = app.orders.reserve_stock(manager, [number])

    assert (outcome.order, outcome.result, outcome.status) == (number, "ready", "ready")
    assert outcome.message == f"Order {number}: 8 units reserved; ready to pack."
    assert reserved_by_bin(db, number) == {("RSV-A", "B-02-1", ""): 3, ("RSV-A", "C-03-1", ""): 4,
                                           ("RSV-A", "A-01-2", ""): 1}
    assert level_figures(db, "RSV-A") == {("A-01-2", ""): (5, 1), ("B-02-1", ""): (3, 3), ("C-03-1", ""): (4, 4)}
    assert status_of(db, number) == "ready"
    assert allocations_match_reserved(db)
    (entry,) = audit_of(db, number, "order.stock_reserved")
    assert entry.details["by"] == "manager"
    assert sorted((r["bin"], r["quantity"]) for r in entry.details["reserved"]) == [
        ("A-01-2", 1), ("B-02-1", 3), ("C-03-1", 4)]
    # the order now starts at a station
    packer = sign_in(app, "packer")
    assert app.packing.start(packer, number).order_number == number


def test_a_short_order_stays_pending_with_nothing_reserved_and_says_what_is_missing(
        seeded_database: Database) -> None:
    db = seeded_database
    new_product(db, "RSV-B")
    new_product(db, "RSV-C")
    put_stock(db, "RSV-B", "A-02-1", 3)
    put_stock(db, "RSV-B", "A-02-2", 2)
    put_stock(db, "RSV-C", "A-03-1", 10)
    number = pending_order(db, [("RSV-C", 4), ("RSV-B", 7), ("MUG-CER-350", 1)])
    before = reserved_levels(db)
    app = app_for(db)

    (outcome,) = app.orders.reserve_stock(sign_in(app, "manager"), [number])

    assert (outcome.result, outcome.status, outcome.reserved) == ("short", "pending", ())
    assert [(s.sku, s.short, s.needed, s.available) for s in outcome.short] == [("RSV-B", 2, 7, 5)]
    assert outcome.message == (f"Order {number} stays pending, nothing reserved: RSV-B short by 2 "
                               "(needs 7, 5 available).")
    assert status_of(db, number) == "pending"
    assert reserved_levels(db) == before
    assert reserved_by_bin(db, number) == {}
    assert audit_of(db, number, "order.stock_reserved") == []
    # stock arrives: the same call now reserves it
    put_stock(db, "RSV-B", "A-04-1", 2)
    (outcome,) = app.orders.reserve_stock(sign_in(app, "manager"), [number])
    assert outcome.result == "ready"
    assert status_of(db, number) == "ready"


def test_lots_go_first_expiry_first_and_an_expired_lot_is_never_reserved(seeded_database: Database) -> None:
    db = seeded_database
    new_product(db, "RSV-LOT", lot_tracked=True)
    put_stock(db, "RSV-LOT", "A-05-1", 10, lot="OLD", expiry=TODAY - dt.timedelta(days=1))
    put_stock(db, "RSV-LOT", "A-05-2", 2, lot="SOON", expiry=TODAY + dt.timedelta(days=10))
    put_stock(db, "RSV-LOT", "A-06-1", 2, lot="TODAY", expiry=TODAY)
    put_stock(db, "RSV-LOT", "A-01-1", 10, lot="LATE", expiry=TODAY + dt.timedelta(days=200))
    app = app_for(db)
    manager = sign_in(app, "manager")
    first = pending_order(db, [("RSV-LOT", 5)])
    too_many = pending_order(db, [("RSV-LOT", 10)])

    outcomes = app.orders.reserve_stock(manager, [first, too_many])

    assert [o.result for o in outcomes] == ["ready", "short"]
    assert reserved_by_bin(db, first) == {("RSV-LOT", "A-06-1", "TODAY"): 2, ("RSV-LOT", "A-05-2", "SOON"): 2,
                                          ("RSV-LOT", "A-01-1", "LATE"): 1}
    assert [(s.sku, s.short, s.available) for s in outcomes[1].short] == [("RSV-LOT", 1, 9)]
    assert level_figures(db, "RSV-LOT")[("A-05-1", "OLD")] == (10, 0)


def test_only_active_pickable_and_storage_bins_feed_orders(seeded_database: Database) -> None:
    db = seeded_database
    new_product(db, "RSV-Q")
    for code in ("QUAR-01", "DMG-01", "RECV-01", "RET-01", "D-09-1"):
        put_stock(db, "RSV-Q", code, 5)
    with db.unit_of_work() as session:
        session.execute(update(Bin).where(Bin.code == "D-09-1").values(active=False))
    number = pending_order(db, [("RSV-Q", 1)])
    app = app_for(db)
    (outcome,) = app.orders.reserve_stock(sign_in(app, "manager"), [number])
    assert [(s.sku, s.short, s.available) for s in outcome.short] == [("RSV-Q", 1, 0)]
    put_stock(db, "RSV-Q", "D-10-2", 1)
    (outcome,) = app.orders.reserve_stock(sign_in(app, "manager"), [number])
    assert outcome.result == "ready"
    assert reserved_by_bin(db, number) == {("RSV-Q", "D-10-2", ""): 1}


def test_all_pending_orders_oldest_ship_by_first_and_other_orders_are_left_alone(
        seeded_database: Database) -> None:
    db = seeded_database
    new_product(db, "RSV-D")
    put_stock(db, "RSV-D", "B-05-1", 3)
    later = pending_order(db, [("RSV-D", 2)], ship_by=TODAY + dt.timedelta(days=3))
    sooner = pending_order(db, [("RSV-D", 2)], ship_by=TODAY - dt.timedelta(days=1))
    ready = make_order(db, [("MUG-CER-350", 1)])
    app = app_for(db)
    manager = sign_in(app, "manager")

    outcomes = {o.order: o for o in app.orders.reserve_stock(manager)}

    assert ready not in outcomes
    assert [o.order for o in outcomes.values()][:2] == [sooner, later]
    assert (outcomes[sooner].result, outcomes[later].result) == ("ready", "short")
    assert status_of(db, later) == "pending"
    (again,) = app.orders.reserve_stock(manager, [sooner])
    assert (again.result, again.status) == ("skipped", "ready")
    assert again.message == f"Order {sooner} is ready, not pending: nothing to reserve."
    assert len(audit_of(db, sooner, "order.stock_reserved")) == 1
    assert allocations_match_reserved(db)


def test_an_unknown_order_is_refused_before_anything_is_reserved(seeded_database: Database) -> None:
    db = seeded_database
    new_product(db, "RSV-E")
    put_stock(db, "RSV-E", "B-06-1", 3)
    number = pending_order(db, [("RSV-E", 1)])
    app = app_for(db)
    with pytest.raises(OrderRefused, match="There is no order 'NO-SUCH': nothing was reserved"):
        app.orders.reserve_stock(sign_in(app, "manager"), [number, "NO-SUCH"])
    assert status_of(db, number) == "pending"
    with pytest.raises(NotAllowed):
        app.orders.reserve_stock(sign_in(app, "packer"), [number])
    assert status_of(db, number) == "pending"


def test_units_already_reserved_count_and_a_held_order_is_reserved_but_stays_held(
        seeded_database: Database) -> None:
    db = seeded_database
    new_product(db, "RSV-F")
    first = put_stock(db, "RSV-F", "B-07-1", 2)
    put_stock(db, "RSV-F", "B-08-1", 5)
    number = pending_order(db, [("RSV-F", 4)], hold="Payment under review")
    with db.unit_of_work() as session:  # one unit held from before (another system's reservation)
        line_id = session.scalars(select(OrderLine.id).join(Order).where(Order.number == number)).one()
        session.execute(update(StockLevel).where(StockLevel.id == first).values(reserved=1))
        session.add(Allocation(order_line_id=line_id, stock_level_id=first, quantity=1))
    app = app_for(db)
    (outcome,) = app.orders.reserve_stock(sign_in(app, "manager"), [number])
    assert outcome.result == "ready"
    assert sum(r.quantity for r in outcome.reserved) == 3
    assert reserved_by_bin(db, number) == {("RSV-F", "B-07-1", ""): 2, ("RSV-F", "B-08-1", ""): 2}
    assert allocations_match_reserved(db)
    summary = app.orders.detail(number).summary
    assert (summary.status, summary.hold) == ("ready", True)
