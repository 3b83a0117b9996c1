"""The packing queue: open orders a station can start, oldest ship-by first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier, CarrierService, Order, OrderLine
from fulfilstation.domain.enums import OrderStatus


@dataclass(frozen=True)
class QueuedOrder:
    number: str
    customer: str
    ship_by: dt.date | None
    service: str | None
    lines: int
    units: int
    on_hold: bool
    hold_reason: str | None


@dataclass(frozen=True)
class QueueSnapshot:
    orders: tuple[QueuedOrder, ...]
    counts: dict[str, int]


def packing_queue(database: Database, limit: int = 200) -> QueueSnapshot:
    """Ready orders (held ones included, flagged) and order counts by status."""
    with database.unit_of_work() as session:
        lines = (select(OrderLine.order_id, func.count().label("lines"), func.sum(OrderLine.quantity).label("units"))
                 .group_by(OrderLine.order_id).subquery())
        rows = session.execute(
            select(Order.number, Order.ship_to_name, Order.ship_by, Carrier.name, CarrierService.name,
                   lines.c.lines, lines.c.units, Order.hold, Order.hold_reason)
            .join(lines, lines.c.order_id == Order.id)
            .outerjoin(CarrierService, CarrierService.id == Order.requested_service_id)
            .outerjoin(Carrier, Carrier.id == CarrierService.carrier_id)
            .where(Order.status == OrderStatus.READY.value)
            .order_by(Order.hold, Order.ship_by.is_(None), Order.ship_by, Order.id)
            .limit(limit)
        ).all()
        counts = dict(session.execute(select(Order.status, func.count()).group_by(Order.status)).all())
    orders = tuple(
        QueuedOrder(number, customer, ship_by, f"{carrier} · {service}" if service else None,
                    int(n_lines), int(units or 0), bool(hold), reason)
        for number, customer, ship_by, carrier, service, n_lines, units, hold, reason in rows
    )
    return QueueSnapshot(orders, {status: int(n) for status, n in counts.items()})
