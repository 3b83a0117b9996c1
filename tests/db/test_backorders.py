"""Reservation on arrival (both engines): oldest first, a short order waits as a backorder
(shown as such by search and list) and is reserved when stock comes in by an adjustment or a
closed receipt; held orders are left alone."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.orders.arrival import reserve_arrivals, reserve_backorders
from tests.support.app import sign_in
from tests.support.kits import allocations_match_reserved, new_product, pending_order, put_stock, status_of

TODAY = dt.date(2026, 12, 5)


@pytest.fixture
def manager(app: AppServices) -> Actor:
    return sign_in(app, "manager")


def ids_of(database: Database, numbers: list[str], ordered_at: list[dt.datetime] | None = None) -> list[int]:
    with database.unit_of_work() as session:
        orders = {o.number: o for o in session.scalars(select(Order).where(Order.number.in_(numbers)))}
        for number, when in zip(numbers, ordered_at or [], strict=False):
            orders[number].ordered_at = when
        return [orders[number].id for number in numbers]


def backorder_of(database: Database, number: str) -> bool:
    with database.unit_of_work() as session:
        return bool(session.scalars(select(Order.backorder).where(Order.number == number)).one())


def test_oldest_order_gets_the_scarce_stock_and_the_other_waits_as_a_backorder(app: AppServices,
                                                                                manager: Actor) -> None:
    db = app.orders.database
    new_product(db, "BO-1")
    put_stock(db, "BO-1", "A-01-1", 3)
    newer, older, held = (pending_order(db, [("BO-1", 2)]), pending_order(db, [("BO-1", 2)]),
                          pending_order(db, [("BO-1", 1)], hold="Payment under review"))
    base = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    ids = ids_of(db, [newer, older, held], [base + dt.timedelta(hours=2), base, base - dt.timedelta(hours=1)])
    outcomes = reserve_arrivals(db, manager, ids, TODAY)
    assert [(o.order, o.result) for o in outcomes] == [(older, "ready"), (newer, "short")]
    assert (status_of(db, older), backorder_of(db, older)) == ("ready", False)
    assert (status_of(db, newer), backorder_of(db, newer)) == ("pending", True)
    assert (status_of(db, held), backorder_of(db, held)) == ("pending", False)
    assert [s.number for s in app.orders.search(status="backorder")] == [newer]
    summary = app.orders.search(newer)[0]
    assert summary.backorder and summary.status == "pending"
    assert [o.number for o in app.orders.list("backorder")] == [newer]
    assert app.orders.show(newer).backorder
    assert any(e.action == "order.backordered" and "BO-1 (1 of 2 there)" in e.what
               for e in app.orders.detail(newer).history)
    assert allocations_match_reserved(db)


def test_a_stock_adjustment_up_reserves_the_waiting_backorders_oldest_first(app: AppServices,
                                                                             manager: Actor) -> None:
    db = app.orders.database
    new_product(db, "BO-2")
    put_stock(db, "BO-2", "A-01-1", 1)
    first, second = pending_order(db, [("BO-2", 2)]), pending_order(db, [("BO-2", 2)])
    base = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    ids = ids_of(db, [first, second], [base, base + dt.timedelta(hours=1)])
    reserve_arrivals(db, manager, ids, TODAY)
    assert backorder_of(db, first) and backorder_of(db, second)
    app.stock.adjust(manager, "BO-2", "A-01-1", "found a carton", by=2)
    assert (status_of(db, first), backorder_of(db, first)) == ("ready", False)
    assert (status_of(db, second), backorder_of(db, second)) == ("pending", True)
    app.stock.adjust(manager, "BO-2", "A-01-1", "found another", by=1)
    assert (status_of(db, second), backorder_of(db, second)) == ("ready", False)
    assert allocations_match_reserved(db)


def test_a_closed_receipt_reserves_the_backorders_of_what_came_in(app: AppServices, manager: Actor) -> None:
    db = app.orders.database
    new_product(db, "BO-3", barcode="04006381333931")
    number = pending_order(db, [("BO-3", 1)])
    reserve_arrivals(db, manager, ids_of(db, [number]), TODAY)
    assert backorder_of(db, number)
    packer = sign_in(app, "packer")
    receipt = app.receiving.start(packer, supplier="Acme Supplies", bin="A-01-1").number
    scanned = app.receiving.scan(packer, receipt, "4006381333931")
    assert scanned.accepted, scanned.message
    app.receiving.close(packer, receipt)
    assert (status_of(db, number), backorder_of(db, number)) == ("ready", False)


def test_backorders_of_other_products_are_not_tried(app: AppServices, manager: Actor) -> None:
    db = app.orders.database
    new_product(db, "BO-4")
    new_product(db, "BO-5")
    waiting = pending_order(db, [("BO-4", 1)])
    reserve_arrivals(db, manager, ids_of(db, [waiting]), TODAY)
    put_stock(db, "BO-4", "A-01-1", 1)
    assert reserve_backorders(db, manager, today=TODAY, skus=["BO-5"]) == ()
    assert [o.result for o in reserve_backorders(db, manager, today=TODAY, skus=["BO-4"])] == ["ready"]


def test_a_cancelled_order_gives_its_stock_to_the_oldest_backorder(app: AppServices, manager: Actor) -> None:
    db = app.orders.database
    new_product(db, "BO-6")
    put_stock(db, "BO-6", "A-01-1", 1)
    first, waiting = pending_order(db, [("BO-6", 1)]), pending_order(db, [("BO-6", 1)])
    base = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    reserve_arrivals(db, manager, ids_of(db, [first, waiting], [base, base + dt.timedelta(hours=1)]), TODAY)
    assert (status_of(db, first), status_of(db, waiting), backorder_of(db, waiting)) == ("ready", "pending", True)
    app.orders.cancel(manager, first, "Customer cancelled")
    assert (status_of(db, waiting), backorder_of(db, waiting)) == ("ready", False)
    assert allocations_match_reserved(db)
