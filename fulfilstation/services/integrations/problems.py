"""Integration problems: what a manager must look at.

* Failed pushes: outbox messages the worker gave up on (the retry limit, or an error that
  retrying cannot fix), with the error; a Retry puts one back in the queue.
* Late tracking: a live (not voided) shipment of an order from a shop channel, made more
  than 24 hours ago, whose ``shipment.created`` push has not been delivered (still pending,
  failed, or missing). Only shipments of the last 30 days are looked at.

Threading: blocking (database); call from worker threads or the CLI.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, and_, cast, select, update

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Order, OutboxMessage, SalesChannel, Shipment
from fulfilstation.domain.enums import OutboxStatus, ShipmentStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.integrations.refused import IntegrationsRefused
from fulfilstation.services.integrations.views import FailedPush, LateTracking, Problems
from fulfilstation.services.outbox import SHIPMENT_CREATED, SHOP_KINDS, STOCK_LEVEL

LATE_AFTER = dt.timedelta(hours=24)
LOOK_BACK = dt.timedelta(days=30)


def problems(database: Database, now: dt.datetime) -> Problems:
    with database.unit_of_work() as session:
        failed = tuple(FailedPush(message.id, message.channel, message.topic, number, message.attempts,
                                  message.last_error, message.created_at)
                       for message, number in session.execute(
                           select(OutboxMessage, Order.number).outerjoin(Order, Order.id == OutboxMessage.order_id)
                           .where(OutboxMessage.status == OutboxStatus.FAILED.value)
                           .order_by(OutboxMessage.id)).all())
        push = OutboxMessage.__table__.alias("push")
        rows = session.execute(
            select(Shipment.id, Order.number, Order.channel, Shipment.tracking_number, Shipment.created_at,
                   push.c.status, push.c.last_error)
            .join(Order, Order.id == Shipment.order_id)
            .join(SalesChannel, and_(SalesChannel.name == Order.channel, SalesChannel.kind.in_(SHOP_KINDS)))
            .outerjoin(push, push.c.dedup_key == (SHIPMENT_CREATED + ":") + cast(Shipment.id, String))
            .where(Shipment.status != ShipmentStatus.VOIDED.value, Shipment.created_at <= now - LATE_AFTER,
                   Shipment.created_at >= now - LOOK_BACK)
            .where((push.c.status.is_(None)) | (push.c.status != OutboxStatus.DELIVERED.value))
            .order_by(Shipment.created_at)).all()
        late = tuple(LateTracking(shipment_id, number, channel, tracking, created, status, error)
                     for shipment_id, number, channel, tracking, created, status, error in rows)
    return Problems(failed, late)


def retry(database: Database, actor: Actor, message_id: int, now: dt.datetime) -> None:
    """Put a failed push back in the queue: tried at the next pass, attempts from zero. A
    failed stock push brings back every failed stock push of its channel (they failed for
    the channel's reason, and stock pushes to it wait while any is failed)."""
    with database.unit_of_work() as session:
        message = session.get(OutboxMessage, message_id)
        if message is None:
            raise IntegrationsRefused("unknown-message", f"There is no outbox message {message_id}.")
        if not rows_changed(session, update(OutboxMessage).where(
                OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.FAILED.value)
                .values(status=OutboxStatus.PENDING.value, attempts=0, next_attempt_at=now)):
            session.refresh(message)
            raise IntegrationsRefused("not-failed", f"Outbox message {message_id} is {message.status}, not failed: "
                                      "there is nothing to retry.")
        also = 0
        if message.topic == STOCK_LEVEL and message.channel is not None:  # one cause: the channel's stock pushes
            also = rows_changed(session, update(OutboxMessage).where(
                OutboxMessage.topic == STOCK_LEVEL, OutboxMessage.channel == message.channel,
                OutboxMessage.status == OutboxStatus.FAILED.value)
                .values(status=OutboxStatus.PENDING.value, attempts=0, next_attempt_at=now))
        audit.record(session, actor, "outbox.retried", "outbox", message_id,
                     {"topic": message.topic, "channel": message.channel, "last_error": message.last_error,
                      **({"stock_pushes_also": also} if also else {})})
