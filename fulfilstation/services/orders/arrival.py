"""Reserving orders as they arrive (issue #12): a valid order reserves its stock when it
comes in, oldest first, through the one reservation rule (``reserve``).

Contract used by intake (CSV files, shop syncs, webhooks): ``reserve_arrivals`` is called
AFTER the intake's transaction committed, with the ids of the orders it created or changed;
held orders are left alone. Each order is its own transaction (conditional UPDATEs, as
every reserver), so imports and stations reserve side by side without over-allocating.

Threading: blocking (database); call from worker threads or the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Order
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.reserve import ReserveOutcome, _reserve_one


def reserve_arrivals(database: Database, actor: Actor, order_ids: Sequence[int],
                     today: dt.date) -> tuple[ReserveOutcome, ...]:
    """Reserve the pending, not held orders among ``order_ids``, oldest first."""
    if not order_ids:
        return ()
    with database.unit_of_work() as session:
        rows = session.execute(select(Order.id, Order.number).where(
            Order.id.in_(list(order_ids)), Order.status == OrderStatus.PENDING.value, Order.hold.is_(False))
            .order_by(Order.ordered_at.is_(None), Order.ordered_at, Order.id)).all()
    return tuple(_reserve_one(database, actor, int(order_id), str(number), today) for order_id, number in rows)
