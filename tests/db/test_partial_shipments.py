"""Partial shipments (both engines): with the site setting on, a short arriving order ships
what is in stock and the rest waits as a backorder of its own (``<number>-2``), reserved as
stock comes in (and split again when only part of it came); with the setting off an order
waits whole, as before; kits split by whole kits only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Order, OrderLine, Product
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.orders.arrival import reserve_arrivals
from fulfilstation.services.orders.partial import ship_what_is_there
from fulfilstation.services.refused import NotAllowed
from tests.db.test_cli import cli, plain
from tests.support.app import sign_in
from tests.support.kits import (
    allocations_match_reserved,
    level_figures,
    lines_of,
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


def partial_on(app: AppServices, on: bool = True) -> None:
    app.site.set_partial_shipments(sign_in(app, "owner"), on)


def order_row(database: Database, number: str) -> Order:
    with database.unit_of_work() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        session.expunge(order)
        return order


def order_id(database: Database, number: str) -> int:
    return order_row(database, number).id


def shop_line_ids(database: Database, number: str) -> dict[str, str | None]:
    with database.unit_of_work() as session:
        return {sku: line for sku, line in session.execute(
            select(Product.sku, OrderLine.external_line_id).join(Product, Product.id == OrderLine.product_id)
            .join(Order, Order.id == OrderLine.order_id).where(Order.number == number))}


def give_shop_line_ids(database: Database, number: str) -> None:
    """As a shop's order has them: each line's LineItem id."""
    with database.unit_of_work() as session:
        for line in session.scalars(select(OrderLine).join(Order).where(Order.number == number)):
            line.external_line_id = f"gid://shopify/LineItem/{number}-{line.line_no}"


def test_a_short_order_ships_what_is_there_and_the_rest_waits_as_its_own_backorder(app: AppServices,
                                                                                   manager: Actor) -> None:
    db = app.orders.database
    for sku in ("PS-1", "PS-2", "PS-3"):
        new_product(db, sku)
    put_stock(db, "PS-1", "A-01-1", 2)
    put_stock(db, "PS-3", "A-01-1", 5)
    number = pending_order(db, [("PS-1", 3), ("PS-2", 1), ("PS-3", 2)])
    give_shop_line_ids(db, number)
    with db.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == number).values(
            total_minor=4000, financial_status="paid", ordered_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC)))
    partial_on(app)
    (outcome,) = reserve_arrivals(db, manager, [order_id(db, number)], TODAY)
    rest = f"{number}-2"
    assert outcome.result == "ready", outcome.message
    assert outcome.message == (f"Order {number} ships what is in stock: 4 units reserved; ready to pack. "
                               f"The rest (1 × PS-1, 1 × PS-2) waits as backorder {rest}.")
    assert [(no, sku, qty) for no, sku, qty, _kit in lines_of(db, number)] == [(1, "PS-1", 2), (3, "PS-3", 2)]
    assert [(no, sku, qty) for no, sku, qty, _kit in lines_of(db, rest)] == [(1, "PS-1", 1), (2, "PS-2", 1)]
    original, remainder = order_row(db, number), order_row(db, rest)
    assert (original.status, original.backorder, original.split_from_id) == ("ready", False, None)
    assert (remainder.status, remainder.backorder, remainder.hold) == ("pending", True, False)
    assert (remainder.split_from_id, remainder.channel, remainder.external_id) == (original.id, "test", f"{number}#2")
    assert (remainder.ship_to_name, remainder.ship_to_postal_code, remainder.ship_by, remainder.ordered_at,
            remainder.financial_status) == (original.ship_to_name, original.ship_to_postal_code, original.ship_by,
                                            original.ordered_at, "paid")
    assert (original.total_minor, remainder.total_minor) == (2000, 2000)  # 1000 a unit: 2 units went
    assert shop_line_ids(db, rest) == {"PS-1": f"gid://shopify/LineItem/{number}-1",
                                       "PS-2": f"gid://shopify/LineItem/{number}-2"}
    assert reserved_by_bin(db, number) == {("PS-1", "A-01-1", ""): 2, ("PS-3", "A-01-1", ""): 2}
    assert reserved_by_bin(db, rest) == {}
    assert level_figures(db, "PS-1") == {("A-01-1", ""): (2, 2)}
    assert allocations_match_reserved(db)
    words = [e.what for e in app.orders.detail(number).history if e.action == "order.split"]
    assert words == [f"Partial shipment: ships 2 × PS-1, 2 × PS-3 now; the rest (1 × PS-1, 1 × PS-2) waits as {rest}"]
    assert [e.what for e in app.orders.detail(rest).history if e.action == "order.split"] == [
        f"Split from {number}: this order holds the rest (1 × PS-1, 1 × PS-2) and waits for it"]
    assert (app.orders.detail(number).split, app.orders.detail(rest).split) == (f"rest in {rest}",
                                                                                f"part of {number}")
    assert (app.orders.show(number).split, app.orders.show(rest).split) == (f"rest in {rest}", f"part of {number}")
    shown = cli("orders", "show", rest, "--db", plain(db.engine.url))
    assert f"  Partial shipment: part of {number}\n" in shown.stdout, shown.stderr


def test_with_the_setting_off_a_short_order_waits_whole(app: AppServices, manager: Actor) -> None:
    db = app.orders.database
    new_product(db, "PS-4")
    put_stock(db, "PS-4", "A-01-1", 1)
    number = pending_order(db, [("PS-4", 3)])
    partial_on(app, False)
    (outcome,) = reserve_arrivals(db, manager, [order_id(db, number)], TODAY)
    assert outcome.result == "short"
    assert outcome.message.startswith(f"Order {number} waits as a backorder, nothing reserved")
    assert (status_of(db, number), order_row(db, number).backorder) == ("pending", True)
    assert [qty for _no, _sku, qty, _kit in lines_of(db, number)] == [3]
    with db.unit_of_work() as session:
        assert session.scalars(select(Order.number).where(Order.split_from_id.is_not(None))).all() == []
    assert reserved_by_bin(db, number) == {}


def test_nothing_in_stock_leaves_the_order_whole(app: AppServices, manager: Actor) -> None:
    db = app.orders.database
    new_product(db, "PS-5")
    number = pending_order(db, [("PS-5", 2)])
    partial_on(app)
    (outcome,) = reserve_arrivals(db, manager, [order_id(db, number)], TODAY)
    assert outcome.result == "short"
    assert (status_of(db, number), order_row(db, number).backorder) == ("pending", True)
    assert ship_what_is_there(db, manager, order_id(db, number), number, TODAY) is None
    with db.unit_of_work() as session:
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.action == "order.split")).all() == []


def test_the_rest_is_reserved_as_stock_arrives_and_split_again_when_only_part_came(app: AppServices,
                                                                                   manager: Actor) -> None:
    db = app.orders.database
    new_product(db, "PS-6")
    put_stock(db, "PS-6", "A-01-1", 1)
    number = pending_order(db, [("PS-6", 5)])
    partial_on(app)
    reserve_arrivals(db, manager, [order_id(db, number)], TODAY)
    assert lines_of(db, number) == [(1, "PS-6", 1, None)]
    assert lines_of(db, f"{number}-2") == [(1, "PS-6", 4, None)]
    app.stock.adjust(manager, "PS-6", "A-01-1", "a carton came", by=2)  # 2 of the 4 waiting: split again
    assert (status_of(db, f"{number}-2"), lines_of(db, f"{number}-2")) == ("ready", [(1, "PS-6", 2, None)])
    third = order_row(db, f"{number}-3")
    assert (third.status, third.backorder, third.split_from_id) == ("pending", True, order_id(db, number))
    assert third.external_id == f"{number}#3"
    assert lines_of(db, f"{number}-3") == [(1, "PS-6", 2, None)]
    app.stock.adjust(manager, "PS-6", "A-01-1", "the rest came", by=2)
    assert (status_of(db, f"{number}-3"), order_row(db, f"{number}-3").backorder) == ("ready", False)
    assert level_figures(db, "PS-6") == {("A-01-1", ""): (5, 5)}
    assert allocations_match_reserved(db)


def test_a_kit_line_splits_by_whole_kits(app: AppServices, manager: Actor) -> None:
    db = app.orders.database
    new_product(db, "PS-C1")
    new_product(db, "PS-C2")
    make_kit(db, "PS-KIT", [("PS-C1", 2), ("PS-C2", 1)])
    put_stock(db, "PS-C1", "A-01-1", 5)  # 2 kits' worth (and one unit over)
    put_stock(db, "PS-C2", "A-01-1", 3)
    number = pending_order(db, [("PS-KIT", 3)])
    partial_on(app)
    (outcome,) = reserve_arrivals(db, manager, [order_id(db, number)], TODAY)
    assert outcome.result == "ready", outcome.message
    assert lines_of(db, number) == [(1, "PS-KIT", 2, None), (2, "PS-C1", 4, 1), (3, "PS-C2", 2, 1)]
    # Tried once more after the split, the remainder's kit line got its components (kept, as ever).
    assert lines_of(db, f"{number}-2") == [(1, "PS-KIT", 1, None), (2, "PS-C1", 2, 1), (3, "PS-C2", 1, 1)]
    assert reserved_by_bin(db, number) == {("PS-C1", "A-01-1", ""): 4, ("PS-C2", "A-01-1", ""): 2}
    app.stock.adjust(manager, "PS-C1", "A-01-1", "found one", by=1)
    assert status_of(db, f"{number}-2") == "ready"
    assert lines_of(db, f"{number}-2") == [(1, "PS-KIT", 1, None), (2, "PS-C1", 2, 1), (3, "PS-C2", 1, 1)]
    assert allocations_match_reserved(db)


def test_a_kit_with_no_whole_kit_in_stock_moves_whole(app: AppServices, manager: Actor) -> None:
    db = app.orders.database
    new_product(db, "PS-D1")
    new_product(db, "PS-D2")
    new_product(db, "PS-D3")
    make_kit(db, "PS-KIT2", [("PS-D1", 2), ("PS-D2", 1)])
    put_stock(db, "PS-D1", "A-01-1", 1)  # half a kit
    put_stock(db, "PS-D2", "A-01-1", 1)
    put_stock(db, "PS-D3", "A-01-1", 1)
    number = pending_order(db, [("PS-KIT2", 1), ("PS-D3", 1)])
    partial_on(app)
    (outcome,) = reserve_arrivals(db, manager, [order_id(db, number)], TODAY)
    assert outcome.result == "ready", outcome.message
    assert lines_of(db, number) == [(2, "PS-D3", 1, None)]
    assert lines_of(db, f"{number}-2") == [(1, "PS-KIT2", 1, None), (3, "PS-D1", 2, 1), (4, "PS-D2", 1, 1)]
    assert level_figures(db, "PS-D1") == {("A-01-1", ""): (1, 0)}
    assert allocations_match_reserved(db)


def test_only_an_owner_turns_partial_shipments_on(app: AppServices, manager: Actor) -> None:
    assert app.site.partial_shipments() is False
    with pytest.raises(NotAllowed):
        app.site.set_partial_shipments(manager, True)
    assert app.site.partial_shipments() is False
    partial_on(app)
    assert app.site.partial_shipments() is True
    with app.orders.database.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "site.partial_shipments_changed")).one()
        assert entry.details["to"] is True and entry.details["from"] is None
