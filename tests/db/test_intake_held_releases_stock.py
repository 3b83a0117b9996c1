"""A re-import that holds a reserved order gives its stock back (both engines): the order goes
back to pending, held with the intake's reason and nothing reserved; the units it held go to
the oldest backorder waiting for them; when the shop later says paid (or lifts its hold) the
hold lifts and the order is reserved again — or waits as a backorder when its stock went to
another order meanwhile. A manager's hold is never touched by intake and keeps its stock."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy import select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Order
from fulfilstation.integrations.ports import IncomingLine, IncomingOrder
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.orders.intake.write import write_incoming
from tests.support.app import app_for, sign_in
from tests.support.kits import allocations_match_reserved, level_figures, new_product, put_stock, reserved_by_bin

TODAY = dt.date(2026, 12, 5)
BASE = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


def incoming(external: str, sku: str, quantity: int = 1, *, hours: int = 0, **changes: Any) -> IncomingOrder:
    order = IncomingOrder(channel="web", external_id=external, number=f"#{external}", ship_to_name="Sam Park",
                          ship_to_line1="1 Main St", ship_to_city="Springfield", ship_to_postal_code="62704",
                          ship_to_country="US", ship_to_region="IL", financial_status="paid",
                          lines=(IncomingLine(sku, quantity, 1000),), ordered_at=BASE + dt.timedelta(hours=hours),
                          source_lines=(2,))
    return replace(order, **changes)


def write(app: AppServices, actor: Actor, *orders: IncomingOrder) -> Any:
    return write_incoming(app.orders.database, actor, orders, today=TODAY, source="test")


def state(database: Database, number: str) -> tuple[str, bool, bool, str | None]:
    """(status, hold, backorder, hold reason)."""
    with database.unit_of_work() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        return order.status, order.hold, order.backorder, order.hold_reason


def test_an_unpaid_reimport_releases_the_reserved_stock_and_paid_reserves_it_again(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    new_product(seeded_database, "HR-1")
    put_stock(seeded_database, "HR-1", "A-01-1", 5)
    write(app, manager, incoming("H-1", "HR-1", 2))
    assert state(seeded_database, "#H-1")[:3] == ("ready", False, False)
    assert level_figures(seeded_database, "HR-1") == {("A-01-1", ""): (5, 2)}

    report = write(app, manager, incoming("H-1", "HR-1", 2, financial_status="pending"))
    assert report.updated == 1
    status, hold, backorder, reason = state(seeded_database, "#H-1")
    assert (status, hold, backorder) == ("pending", True, False)
    assert reason is not None and "pending, not paid" in reason
    assert reserved_by_bin(seeded_database, "#H-1") == {}
    assert level_figures(seeded_database, "HR-1") == {("A-01-1", ""): (5, 0)}
    with seeded_database.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "order.intake_updated")
                                .order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        assert entry.details["held"] == reason
        assert entry.details["released"] == [{"sku": "HR-1", "bin": "A-01-1", "lot": None, "quantity": 2}]
    history = [e.what for e in app.orders.detail("#H-1").history if e.action == "order.intake_updated"]
    assert history[-1] == ("Updated from the shop (financial_status); held: The shop says the order is pending, not "
                           "paid: wait for the payment, or release it if it was paid another way; 2 reserved units "
                           "released")

    paid = write(app, manager, incoming("H-1", "HR-1", 2))
    assert paid.updated == 1
    assert state(seeded_database, "#H-1") == ("ready", False, False, None)
    assert reserved_by_bin(seeded_database, "#H-1") == {("HR-1", "A-01-1", ""): 2}
    assert allocations_match_reserved(seeded_database)


def test_the_freed_stock_goes_to_the_backorder_and_the_paid_order_then_waits(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    new_product(seeded_database, "HR-2")
    put_stock(seeded_database, "HR-2", "A-01-1", 1)
    write(app, manager, incoming("H-2", "HR-2", hours=0), incoming("H-3", "HR-2", hours=1))
    assert state(seeded_database, "#H-2")[:3] == ("ready", False, False)
    assert state(seeded_database, "#H-3")[:3] == ("pending", False, True)  # waits for the one unit

    write(app, manager, incoming("H-2", "HR-2", hours=0, financial_status="authorized"))
    assert state(seeded_database, "#H-2")[:3] == ("pending", True, False)
    assert state(seeded_database, "#H-3")[:3] == ("ready", False, False)  # the freed unit went to the backorder
    assert reserved_by_bin(seeded_database, "#H-3") == {("HR-2", "A-01-1", ""): 1}

    write(app, manager, incoming("H-2", "HR-2", hours=0))  # paid now: the hold lifts, the unit is taken
    assert state(seeded_database, "#H-2") == ("pending", False, True, None)
    assert state(seeded_database, "#H-3")[:3] == ("ready", False, False)
    assert level_figures(seeded_database, "HR-2") == {("A-01-1", ""): (1, 1)}
    assert allocations_match_reserved(seeded_database)


def test_the_shops_hold_and_cancel_free_stock_for_a_backorder_too(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    new_product(seeded_database, "HR-3")
    put_stock(seeded_database, "HR-3", "A-01-1", 1)
    write(app, manager, incoming("H-4", "HR-3", hours=0), incoming("H-5", "HR-3", hours=1),
          incoming("H-6", "HR-3", hours=2))
    assert [state(seeded_database, n)[:3] for n in ("#H-4", "#H-5", "#H-6")] == [
        ("ready", False, False), ("pending", False, True), ("pending", False, True)]
    write(app, manager, incoming("H-4", "HR-3", hours=0, shop_status="on-hold"))
    assert state(seeded_database, "#H-4") == ("pending", True, False, "On hold in the shop")
    assert state(seeded_database, "#H-5")[:3] == ("ready", False, False)  # oldest backorder first
    assert state(seeded_database, "#H-6")[:3] == ("pending", False, True)
    write(app, manager, incoming("H-5", "HR-3", hours=1, shop_status="cancelled"))
    assert state(seeded_database, "#H-5")[0] == "cancelled"
    assert state(seeded_database, "#H-6")[:3] == ("ready", False, False)
    assert allocations_match_reserved(seeded_database)


def test_a_managers_hold_keeps_its_stock_through_a_reimport(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    new_product(seeded_database, "HR-4")
    put_stock(seeded_database, "HR-4", "A-01-1", 3)
    write(app, manager, incoming("H-7", "HR-4", 3))
    with seeded_database.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == "#H-7").values(hold=True, hold_reason="Call customer"))
    write(app, manager, incoming("H-7", "HR-4", 3, financial_status="pending"))
    assert state(seeded_database, "#H-7") == ("ready", True, False, "Call customer")
    assert level_figures(seeded_database, "HR-4") == {("A-01-1", ""): (3, 3)}
