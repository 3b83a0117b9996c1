"""Integration problems: what a manager must look at.

* Failed pushes: outbox messages the worker gave up on (the retry limit, or an error that
  retrying cannot fix), with the error; a Retry puts one back in the queue, Retry all
  every one (of a channel).
* Sync trouble: an active shop channel whose last sync round failed (its error kept in
  ``sales_channels.last_error``), or that has not synced for longer than ``STALE_POLLS``
  poll intervals (nobody runs the schedule, or every round is busy elsewhere).
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
from fulfilstation.services.integrations.channels import find_channel
from fulfilstation.services.integrations.refused import IntegrationsRefused
from fulfilstation.services.integrations.views import (
    STALE_POLLS,
    FailedPush,
    LateTracking,
    Problems,
    SyncTrouble,
    poll_seconds_of,
)
from fulfilstation.services.outbox import SHIPMENT_CREATED, SHOP_KINDS

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
        syncs = tuple(trouble for channel in session.scalars(
            select(SalesChannel).where(SalesChannel.active.is_(True), SalesChannel.kind.in_(SHOP_KINDS))
            .order_by(SalesChannel.name)) if (trouble := sync_trouble(channel, now)) is not None)
    return Problems(failed, late, syncs)


def sync_trouble(channel: SalesChannel, now: dt.datetime) -> SyncTrouble | None:
    """The channel's sync problem: its last round failed, or it has not synced (since it was
    added, when never) for longer than ``STALE_POLLS`` poll intervals; None when fine."""
    if channel.last_error:
        return SyncTrouble(channel.name, channel.last_synced_at, channel.last_error, channel.last_error_at,
                           f"the last sync failed: {channel.last_error}")
    poll = poll_seconds_of(dict(channel.settings or {}))
    since = channel.last_synced_at or channel.created_at
    if since is None or now - since <= dt.timedelta(seconds=STALE_POLLS * poll):
        return None
    minutes = max(1, int((now - since).total_seconds() // 60))
    words = (f"no sync for {minutes} minute{'s' if minutes != 1 else ''} (it should sync every {poll} s): "
             "is a computer running fulfilstation sync or the window's schedule?")
    if channel.last_synced_at is None:
        words = f"never synced since it was added {minutes} minute{'s' if minutes != 1 else ''} ago: " + \
            "run fulfilstation sync, or open the Integrations screen signed in as a manager"
    return SyncTrouble(channel.name, channel.last_synced_at, None, None, words)



def retry(database: Database, actor: Actor, message_id: int, now: dt.datetime) -> None:
    """Put a failed push back in the queue: tried at the next pass, attempts from zero."""
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
        audit.record(session, actor, "outbox.retried", "outbox", message_id,
                     {"topic": message.topic, "channel": message.channel, "last_error": message.last_error})


def retry_all(database: Database, actor: Actor, now: dt.datetime, channel: str | None = None) -> int:
    """Put every failed push (of ``channel``, when given) back in the queue in one conditional
    UPDATE (failed → pending, attempts from zero), audited once (``outbox.retried_all`` with
    the count); how many. Refused when there is none (nothing changes)."""
    with database.unit_of_work() as session:
        name = find_channel(session, channel).name if channel is not None else None
        query = update(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED.value)
        if name is not None:
            query = query.where(OutboxMessage.channel == name)
        count = rows_changed(session, query.values(status=OutboxStatus.PENDING.value, attempts=0,
                                                   next_attempt_at=now).execution_options(synchronize_session=False))
        if not count:
            raise IntegrationsRefused("nothing-failed", "There are no failed pushes"
                                      + (f" to {name}" if name else "") + ": there is nothing to retry.")
        audit.record(session, actor, "outbox.retried_all", "outbox", None, {"channel": name, "count": count})
    return count
