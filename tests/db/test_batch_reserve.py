"""Reserving arrivals in batches (both engines): the batch gives what one-by-one reserving
gives, stock moved by another writer between the batch's read and its writes sends the batch
one order at a time without over-reserving, a backorder is tried again only when its stock
may have come, and arrivals an interrupted import left unreserved take their turn at the
next import."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Order
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.orders import arrival, batch_reserve
from tests.support.app import sign_in
from tests.support.kits import (
    allocations_match_reserved,
    level_figures,
    make_kit,
    new_product,
    pending_order,
    put_stock,
    reserved_by_bin,
    status_of,
)

TODAY = dt.date(2026, 12, 5)


@pytest.fixture
def manager(app: AppServices) -> Actor:
    return sign_in(app, "manager")


def order_ids(database: Database, numbers: list[str]) -> list[int]:
    base = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    with database.unit_of_work() as session:
        found = {o.number: o for o in session.scalars(select(Order).where(Order.number.in_(numbers)))}
        for minutes, number in enumerate(numbers):  # oldest first in the order listed
            found[number].ordered_at = base + dt.timedelta(minutes=minutes)
        return [found[number].id for number in numbers]


def backorder(database: Database, number: str) -> bool:
    with database.unit_of_work() as session:
        return bool(session.scalar(select(Order.backorder).where(Order.number == number)))


def test_a_batch_reserves_oldest_first_first_expiry_first_and_backorders_the_rest(app: AppServices,
                                                                                 manager: Actor) -> None:
    db = app.orders.database
    new_product(db, "BR-LOT", lot_tracked=True)
    new_product(db, "BR-2")
    put_stock(db, "BR-LOT", "A-01-1", 4, lot="LATE", expiry=dt.date(2027, 6, 1))
    put_stock(db, "BR-LOT", "A-01-2", 2, lot="SOON", expiry=dt.date(2027, 1, 1))
    put_stock(db, "BR-LOT", "C-03-1", 5, lot="GONE", expiry=dt.date(2026, 11, 1))  # expired: never taken
    put_stock(db, "BR-2", "A-01-1", 1)
    make_kit(db, "BR-KIT", [("BR-2", 1), ("BR-LOT", 1)])
    first = pending_order(db, [("BR-LOT", 3)])
    kit = pending_order(db, [("BR-KIT", 1)])
    short = pending_order(db, [("BR-LOT", 2), ("BR-2", 1)])
    last = pending_order(db, [("BR-LOT", 1)])
    outcomes = arrival.reserve_arrivals(db, manager, order_ids(db, [first, kit, short, last]), TODAY)
    assert [(o.order, o.result) for o in outcomes] == [(first, "ready"), (kit, "ready"), (short, "short"),
                                                       (last, "ready")]
    assert reserved_by_bin(db, first) == {("BR-LOT", "A-01-2", "SOON"): 2, ("BR-LOT", "A-01-1", "LATE"): 1}
    assert reserved_by_bin(db, kit) == {("BR-2", "A-01-1", ""): 1, ("BR-LOT", "A-01-1", "LATE"): 1}
    assert outcomes[1].kits and outcomes[1].kits[0].sku == "BR-KIT"
    assert (status_of(db, short), backorder(db, short)) == ("pending", True)
    assert "BR-2 short by 1" in outcomes[2].message and "backorder" in outcomes[2].message
    assert level_figures(db, "BR-LOT")[("C-03-1", "GONE")] == (5, 0)
    assert allocations_match_reserved(db)
    with db.unit_of_work() as session:
        audited = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "order.stock_reserved", AuditEntry.details["by"].as_string() == "manager"))
    assert audited == 3


def test_stock_taken_between_the_read_and_the_writes_sends_the_batch_one_by_one(
        app: AppServices, manager: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    db = app.orders.database
    new_product(db, "BR-RACE")
    put_stock(db, "BR-RACE", "A-01-1", 3)
    numbers = [pending_order(db, [("BR-RACE", 1)]) for _ in range(3)]
    rival = pending_order(db, [("BR-RACE", 2)])
    ids = order_ids(db, [rival, *numbers])
    real_free_levels = batch_reserve._free_levels
    raced: list[bool] = []

    def read_then_lose_the_race(session, product_ids, today):  # type: ignore[no-untyped-def]
        levels = real_free_levels(session, product_ids, today)
        if not raced:  # another station reserves the rival order right after the batch's read
            raced.append(True)
            arrival.reserve_many(db, manager, [(ids[0], rival)], today)
        return levels

    monkeypatch.setattr(batch_reserve, "_free_levels", read_then_lose_the_race)
    outcomes = arrival.reserve_arrivals(db, manager, ids[1:], TODAY)
    assert raced
    assert [o.result for o in outcomes] == ["ready", "short", "short"]
    assert status_of(db, rival) == "ready"
    assert level_figures(db, "BR-RACE")[("A-01-1", "")] == (3, 3)
    assert allocations_match_reserved(db)


def test_a_backorder_is_tried_again_only_when_its_stock_may_have_come(
        app: AppServices, manager: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    db = app.orders.database
    new_product(db, "BR-WAKE")
    put_stock(db, "BR-WAKE", "A-01-1", 1)
    waiting, never = pending_order(db, [("BR-WAKE", 2)]), pending_order(db, [("BR-WAKE", 9)])
    ids = order_ids(db, [waiting, never])
    real_free_levels = batch_reserve._free_levels
    arrived: list[bool] = []

    def stock_arrives_after_the_read(session, product_ids, today):  # type: ignore[no-untyped-def]
        levels = real_free_levels(session, product_ids, today)
        if not arrived:  # committed by another writer, whose wake-up finds no backorder yet
            arrived.append(True)
            put_stock(db, "BR-WAKE", "A-01-2", 1)
        return levels

    monkeypatch.setattr(batch_reserve, "_free_levels", stock_arrives_after_the_read)
    tried: list[list[int]] = []
    real_batch = arrival._reserve_batch

    def counting(database, actor, batch, today, *, mark_short):  # type: ignore[no-untyped-def]
        tried.append([order_id for order_id, _n in batch])
        return real_batch(database, actor, batch, today, mark_short=mark_short)

    monkeypatch.setattr(arrival, "_reserve_batch", counting)
    outcomes = arrival.reserve_arrivals(db, manager, ids, TODAY)
    assert [o.result for o in outcomes] == ["ready", "short"]
    assert tried == [ids, [ids[0]]]  # the order short of 9 units is not tried again: 2 could never fit it
    assert backorder(db, never) and not backorder(db, waiting)


def test_arrivals_an_interrupted_import_left_unreserved_are_reserved_by_the_next_import(
        app: AppServices, manager: Actor) -> None:
    db = app.orders.database
    new_product(db, "BR-LEFT")
    put_stock(db, "BR-LEFT", "A-01-1", 5)
    stranded = pending_order(db, [("BR-LEFT", 2)])  # written, never reserved: the import was killed
    held = pending_order(db, [("BR-LEFT", 1)], hold="Address to check")
    order_ids(db, [stranded, held])
    report = app.order_files.import_orders(manager, (
        b"order_id,order_number,ship_to_name,ship_to_line1,ship_to_city,ship_to_region,ship_to_postal_code,"
        b"ship_to_country,financial_status,sku,quantity,unit_price\n"
        b"W-1,W-1001,Ana Lima,5 Rua Azul,Springfield,IL,62704,US,paid,BR-LEFT,1,12.90\n"))
    assert report.imported == 1
    assert "Reserved on arrival: 2 orders ready to pack, 0 waiting for stock as backorders (1 order an earlier " \
        "import left unreserved took their turn too)." in report.notes
    assert status_of(db, stranded) == "ready"
    assert status_of(db, held) == "pending"
    assert level_figures(db, "BR-LEFT")[("A-01-1", "")] == (5, 3)
