"""The packing queue: open orders a station can start, oldest ship-by first.

Each order shows the carrier and service it will actually ship with: the choice routing
and rating make (``rate_batch.rate_orders``, the same rules as the ship transaction), for the
whole queue in one batch per load — not one rating per row. Before packing the parcel is
an estimate, so the price may still change; the service is what the rules pick now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from fulfilstation.carriers.rate_batch import rate_orders
from fulfilstation.carriers.rate_shop import Rated
from fulfilstation.db.database import Database
from fulfilstation.db.kit_lines import packable_line
from fulfilstation.db.models import Order, OrderLine
from fulfilstation.domain.enums import OrderStatus


@dataclass(frozen=True)
class QueuedOrder:
    number: str
    customer: str
    ship_by: dt.date | None
    service: str | None  # "Carrier · Service" it ships with; None when no service can take it
    lines: int
    units: int
    on_hold: bool
    hold_reason: str | None
    requested: bool = False  # a manager (or the shop) asked for this service
    no_service: str | None = None  # why no service can take it (words), when ``service`` is None


@dataclass(frozen=True)
class QueueSnapshot:
    """``orders``: the first ``limit`` of the queue; ``ready`` and ``held``: how many orders the
    whole queue holds, not held and held (not limited: a header says these, not the rows);
    ``counts``: every order by status."""

    orders: tuple[QueuedOrder, ...]
    counts: dict[str, int]
    ready: int
    held: int


def packing_queue(database: Database, limit: int = 200, today: dt.date | None = None) -> QueueSnapshot:
    """The first ``limit`` ready orders (held ones included, flagged, last), how many the
    whole queue holds (not held, held) and order counts by status."""
    with database.unit_of_work() as session:
        lines = (select(OrderLine.order_id, func.count().label("lines"), func.sum(OrderLine.quantity).label("units"))
                 .where(packable_line()).group_by(OrderLine.order_id).subquery())
        rows = session.execute(
            select(Order, lines.c.lines, lines.c.units)
            .join(lines, lines.c.order_id == Order.id)
            .where(Order.status == OrderStatus.READY.value)
            .order_by(Order.hold, Order.ship_by.is_(None), Order.ship_by, Order.id)
            .limit(limit)
        ).all()
        rated = rate_orders(session, [order for order, _lines, _units in rows], today)
        orders = tuple(_queued(order, int(n_lines), int(units or 0), rated[order.id])
                       for order, n_lines, units in rows)
        counts = dict(session.execute(select(Order.status, func.count()).group_by(Order.status)).all())
        queued = dict(session.execute(
            select(Order.hold, func.count()).join(lines, lines.c.order_id == Order.id)
            .where(Order.status == OrderStatus.READY.value).group_by(Order.hold)).all())
    return QueueSnapshot(orders, {status: int(n) for status, n in counts.items()},
                         ready=int(queued.get(False, 0)), held=int(queued.get(True, 0)))


def _queued(order: Order, n_lines: int, units: int, rated: Rated | str) -> QueuedOrder:
    service = problem = None
    if isinstance(rated, str):
        problem = rated
    else:
        service = f"{rated.chosen.carrier.name} · {rated.chosen.service.name}"
    return QueuedOrder(order.number, order.ship_to_name, order.ship_by, service, n_lines, units, bool(order.hold),
                       order.hold_reason, order.requested_service_id is not None, problem)
