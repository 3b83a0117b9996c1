"""Orders for the Orders-area tests: packed through ``app.packing`` as a station does, and
their state read straight from the database (to show that a refusal changed nothing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Allocation, AuditEntry, Order, OrderLine, OutboxMessage, StockLevel
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import PackView, Weighing
from tests.support.warehouse import unit_barcode

MUG_AND_SOAP = [("MUG-CER-350", 2), ("SOAP-LAV-100", 1)]


def pack_all(app: AppServices, packer: Actor, number: str, lines: list[tuple[str, int]]) -> PackView:
    """Claim ``number`` at the packer's station and scan every unit; the view after the last scan."""
    view = app.packing.start(packer, number)
    database = app.orders.database
    for sku, quantity in lines:
        for _unit in range(quantity):
            outcome = app.packing.scan(packer, view.session_id, unit_barcode(database, sku))
            assert outcome.accepted, outcome.message
            view = outcome.view
    assert view.complete
    return view


def ship_packed(app: AppServices, packer: Actor, view: PackView) -> str:
    """Ship the packed ``view`` at its expected weight; the first tracking number."""
    assert view.expected_g is not None
    outcome = app.shipping.ship(packer, view.session_id, Weighing(view.expected_g))
    return outcome.tracking_numbers[0]


def reserved_levels(database: Database) -> dict[int, int]:
    """Every stock level's ``reserved`` figure, by id."""
    with database.unit_of_work() as session:
        return dict(session.execute(select(StockLevel.id, StockLevel.reserved)).all())


def on_hand_levels(database: Database) -> dict[int, int]:
    with database.unit_of_work() as session:
        return dict(session.execute(select(StockLevel.id, StockLevel.on_hand)).all())


def allocations_of(database: Database, number: str) -> dict[int, int]:
    """The order's reservations: stock level id → units."""
    with database.unit_of_work() as session:
        rows = session.execute(select(Allocation.stock_level_id, func.sum(Allocation.quantity))
                               .join(OrderLine, OrderLine.id == Allocation.order_line_id)
                               .join(Order, Order.id == OrderLine.order_id).where(Order.number == number)
                               .group_by(Allocation.stock_level_id)).all()
    return {level: int(units) for level, units in rows}


def audit_of(database: Database, number: str, action: str | None = None) -> list[AuditEntry]:
    """The audit entries about the order (``action``: only those), oldest first."""
    with database.unit_of_work() as session:
        order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
        query = select(AuditEntry).where(AuditEntry.entity_type == "order", AuditEntry.entity_id == order_id)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        entries = list(session.scalars(query.order_by(AuditEntry.id)))
        session.expunge_all()
    return entries


def outbox_of(database: Database, topic: str) -> list[dict[str, Any]]:
    with database.unit_of_work() as session:
        return [dict(payload) for payload in session.scalars(select(OutboxMessage.payload)
                                                              .where(OutboxMessage.topic == topic)
                                                              .order_by(OutboxMessage.id))]


def state_of(database: Database, number: str) -> tuple[Any, ...]:
    """Everything a manager's change could touch: the order row, its reservations, the
    stock levels' reserved figures, its audit entries and the outbox."""
    with database.unit_of_work() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        row = (order.status, order.hold, order.hold_reason, order.ship_to_name, order.ship_to_line1,
               order.ship_to_city, order.ship_to_region, order.ship_to_postal_code, order.ship_to_country)
        outbox = session.scalar(select(func.count()).select_from(OutboxMessage))
    return (row, allocations_of(database, number), reserved_levels(database),
            [entry.action for entry in audit_of(database, number)], outbox)
