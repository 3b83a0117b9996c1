"""Shipments the dashboard names as tracking exceptions (issue #17, point 6).

* ``returned``: the carrier says returned to sender, in the last ``RETURNED_DAYS`` days (by
  its last scan, else when it was last asked).
* ``no-movement``: followed by the poller (``tracked_at`` set), not voided, not delivered or
  returned, and no carrier scan for ``STALLED_AFTER`` (since the last scan, else since the
  label was made: a label nobody handed over counts too).
* ``delivered-late``: delivered in the last ``LATE_DAYS`` site days, on a site-local day
  after its promised day (``promised_by``).

Threading: takes an open session; blocking (database); read-only.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Row, func, or_, select
from sqlalchemy.orm import Session

from fulfilstation.carriers.gateway import TrackingState
from fulfilstation.db.models import Order, Shipment
from fulfilstation.domain.enums import ShipmentStatus
from fulfilstation.services.tracking.due import FINAL, TRACK_FOR
from fulfilstation.services.tracking.views import DELIVERED_LATE, NO_MOVEMENT, RETURNED, TrackingProblem

STALLED_AFTER = dt.timedelta(days=3)
RETURNED_DAYS = 30
LATE_DAYS = 7


def tracking_problems(session: Session, now: dt.datetime, zone: dt.tzinfo) -> list[TrackingProblem]:
    """Every shipment of each kind (``views.KINDS``), oldest first within a kind."""
    columns = (Shipment.id, Order.number, Shipment.tracking_number, Shipment.tracking_state,
               Shipment.last_event_at, Shipment.promised_by, Shipment.delivered_at)
    base = (select(*columns).join(Order, Order.id == Shipment.order_id)
            .where(Shipment.status != ShipmentStatus.VOIDED.value, Shipment.tracking_number.is_not(None)))
    returned = base.where(Shipment.tracking_state == TrackingState.RETURNED.value,
                          func.coalesce(Shipment.last_event_at, Shipment.tracked_at)
                          >= now - dt.timedelta(days=RETURNED_DAYS)).order_by(Shipment.id)
    stalled = base.where(Shipment.tracked_at.is_not(None), Shipment.created_at >= now - TRACK_FOR,
                         or_(Shipment.tracking_state.is_(None), Shipment.tracking_state.not_in(FINAL)),
                         func.coalesce(Shipment.last_event_at, Shipment.created_at) < now - STALLED_AFTER
                         ).order_by(Shipment.id)
    since = now - dt.timedelta(days=LATE_DAYS + 1)
    delivered = base.where(Shipment.delivered_at >= since, Shipment.promised_by.is_not(None)).order_by(Shipment.id)
    first_day = now.astimezone(zone).date() - dt.timedelta(days=LATE_DAYS - 1)
    problems = [_problem(RETURNED, row) for row in session.execute(returned)]
    problems += [_problem(NO_MOVEMENT, row) for row in session.execute(stalled)]
    for row in session.execute(delivered):
        day = row.delivered_at.astimezone(zone).date() if row.delivered_at else None
        if day is not None and row.promised_by is not None and day >= first_day and day > row.promised_by:
            problems.append(_problem(DELIVERED_LATE, row))
    return problems


_Row = Row[int, str, str | None, str | None, dt.datetime | None, dt.date | None, dt.datetime | None]


def _problem(kind: str, row: _Row) -> TrackingProblem:
    shipment_id, order, number, state, last_event_at, promised_by, delivered_at = row
    return TrackingProblem(kind, shipment_id, order, str(number), state, last_event_at, promised_by, delivered_at)
