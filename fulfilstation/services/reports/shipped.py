"""Which orders shipped in a period, and when each step of theirs happened — the narrow
queries the service levels and the dashboard's on-time rate read.

Invariant: an order ships at its *first* non-voided shipment (``created_at``); it counts on
the site-local day of that instant (``Period`` bounds are the site's midnights in UTC). The
query is index-friendly: shipments made in the period (``shipments.created_at``) that have
no earlier non-voided shipment of the same order (``shipments.order_id``).

Threading: functions take an open session; blocking (database).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from sqlalchemy import Select, Subquery, exists, func, select
from sqlalchemy.orm import Session, aliased

from fulfilstation.db.models import Order, OrderLine, PackSession, PickListLine, Shipment
from fulfilstation.domain.enums import PackSessionStatus, ShipmentStatus
from fulfilstation.services.reports.durations import epoch_seconds, minutes
from fulfilstation.services.reports.period import Period


class ShippedSteps(NamedTuple):
    """One shipped order's step times in minutes (None: an end is missing; float arithmetic
    of the engine: noise below a microsecond), when it shipped (seconds since the epoch, UTC)
    and its ship-by date."""

    picked_on_list: bool  # False: packed without a pick list
    ready: float | None  # received → ready
    picked: float | None  # ready → picked
    packed: float | None  # picked (else ready) → packed
    shipped: float | None  # packed → shipped
    shipped_s: float
    ship_by: dt.date | None


def first_shipments(period: Period) -> Select[int, dt.datetime]:
    """``(order_id, shipped_at)`` of the orders whose first live shipment is in ``period``."""
    earlier = aliased(Shipment)
    return (select(Shipment.order_id, Shipment.created_at)
            .where(Shipment.created_at >= period.start_utc, Shipment.created_at < period.end_utc,
                   Shipment.status != ShipmentStatus.VOIDED.value)
            .where(~exists().where(earlier.order_id == Shipment.order_id,
                                   earlier.status != ShipmentStatus.VOIDED.value,
                                   earlier.created_at < Shipment.created_at)))


def latest_picks(order_ids: Select[Any]) -> Subquery:
    """``(order_id, picked_at)``: the latest picked pick-list line of each of ``order_ids``
    that has one — grouped once (a hash join over the lines), not a lookup per order."""
    return (select(OrderLine.order_id.label("order_id"), func.max(PickListLine.picked_at).label("picked_at"))
            .join(PickListLine, PickListLine.order_line_id == OrderLine.id)
            .where(OrderLine.order_id.in_(order_ids), PickListLine.picked_at.is_not(None))
            .group_by(OrderLine.order_id).subquery("latest_pick"))


def shipped_steps(session: Session, period: Period) -> list[ShippedSteps]:
    """Every order first shipped in ``period``: its step times, computed in one query (the
    database subtracts the instants; only numbers come back, read by the thousand)."""
    dialect = session.get_bind().dialect.name
    first = first_shipments(period).cte("first_shipment")  # read once, joined three times
    picks = latest_picks(select(first.c.order_id))
    packs = (select(first.c.order_id.label("order_id"), func.max(PackSession.ended_at).label("ended_at"))
             .join(PackSession, PackSession.order_id == first.c.order_id)
             .where(PackSession.status == PackSessionStatus.COMPLETED.value,
                    PackSession.ended_at <= first.c.created_at)
             .group_by(first.c.order_id).subquery("last_pack"))
    received, ready, picked = Order.created_at, Order.ready_at, picks.c.picked_at
    packed, shipped = packs.c.ended_at, first.c.created_at
    query = (select(picked.is_not(None), minutes(received, ready, dialect), minutes(ready, picked, dialect),
                    minutes(func.coalesce(picked, ready), packed, dialect), minutes(packed, shipped, dialect),
                    epoch_seconds(shipped, dialect), Order.ship_by)
             .join(first, first.c.order_id == Order.id)
             .outerjoin(picks, picks.c.order_id == Order.id)
             .outerjoin(packs, packs.c.order_id == Order.id))
    return [ShippedSteps(*row) for row in session.execute(query)]


def ship_days(session: Session, period: Period) -> list[tuple[float, dt.date | None]]:
    """``(shipped at, in seconds since the epoch; ship_by)`` of every order first shipped in ``period``."""
    dialect = session.get_bind().dialect.name
    first = first_shipments(period).subquery("first_shipment")
    return [(float(at), ship_by) for at, ship_by in session.execute(
        select(epoch_seconds(first.c.created_at, dialect), Order.ship_by)
        .join(Order, Order.id == first.c.order_id))]
