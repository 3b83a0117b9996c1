"""The outbox worker: one pass delivers what is due to the shops.

A pass (``deliver_pass``):

1. takes the site's ``outbox`` lease (``lease.take``); when another worker holds it the
   pass does nothing (one worker at a time per site), and renews it before every push;
2. runs the stock watcher (``stock_watch.StockWatch``: the products changed since its last
   passes, a full pass at start and now and then) in its own transaction;
3. picks the due messages (pending, for an active shop channel, ``next_attempt_at`` ≤ now,
   oldest first; up to ``limit`` pushes and ``STOCK_PER_PASS`` stock rows). An order's
   pushes go in the order they were made: one is not picked while an older push of the same
   order and channel still waits (backing off or claimed), nor after an older one failed in
   this pass (a void's ``fulfilment.cancel`` never overtakes its fulfilment). Each is claimed
   by a conditional UPDATE (``WHERE status = 'pending' AND next_attempt_at <= now`` →
   ``next_attempt_at = now + CLAIM_SECONDS``): a message is sent by whoever changed the row,
   never by two; a worker that dies mid-push leaves the message to be tried again when the
   claim runs out;
4. delivers it through the channel's adapter (``idempotency_key`` = the row's dedup key, so
   a repeat after a lost response creates nothing twice); ``stock.level`` rows of a channel
   go together, ``STOCK_BATCH`` per ``set_stock`` call, claimed by one conditional UPDATE,
   with the figures computed NOW. A batch the shop fails for its products is split in
   halves down to the one product that fails (``stock_push``): only that row spends an
   attempt, the others are delivered in the same pass. A failure of the shop as a whole
   (throttled, unreachable, token refused) spends the batch's attempt and ends that
   channel's stock pushes for this pass (the rest wait without spending an attempt). A
   failed stock push holds back nothing: neither other products nor tracking pushes (and a
   newer figure supersedes it: ``stock_watch``);
5. records the outcome by a conditional UPDATE: delivered with the shop's ``result``; a
   retryable ``ChannelError`` → ``attempts + 1`` and ``next_attempt_at`` = now + back-off
   (``backoff.retry_delay``, ``Retry-After`` honoured); not retryable, or the retry limit
   (site setting ``outbox_retry_limit``, default 8) reached → ``failed`` with ``last_error``.
   A shipment voided while its push was in flight (the row turned ``cancelled``) and the
   shop said yes: the row becomes delivered and a ``fulfilment.cancel`` push is queued.

Every time comes from the Clock port (tests advance a fake clock, nothing sleeps).

Threading: blocking (database, network); run from a worker thread, the CLI or a job.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import typing
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, Table, bindparam, cast, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import ChannelListing, OutboxMessage, Product, SalesChannel, Shipment
from fulfilstation.domain.enums import OutboxStatus, ShipmentStatus
from fulfilstation.integrations.factory import ChannelFactory
from fulfilstation.integrations.ports import ChannelConfig, ChannelError, ShopChannel, StockPush, TrackingPush
from fulfilstation.ports import Clock
from fulfilstation.services import outbox
from fulfilstation.services.integrations import lease, stock_push, stock_watch
from fulfilstation.services.integrations.backoff import retry_delay
from fulfilstation.services.integrations.channels import config_of, retry_limit
from fulfilstation.services.integrations.views import DeliveryPass
from fulfilstation.services.outbox_parts import shipped_part

log = logging.getLogger(__name__)
CLAIM_SECONDS = 300.0  # a claimed message is tried again after this when its worker vanished
STOCK_BATCH = 100  # products per set_stock call
DEFAULT_LIMIT = 200  # fulfilments, cancels … per pass
STOCK_PER_PASS = 10_000  # stock.level rows per pass (STOCK_BATCH per call): 50,000 products in five passes


@dataclass
class _Tally:
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    stock_delivered: int = 0
    errors: list[str] = field(default_factory=list)
    gave_up: dict[str, list[str]] = field(default_factory=dict)  # error → the pushes it failed ("topic #id")

    def failed_push(self, topic: str, message_id: int, error: ChannelError) -> None:
        self.failed += 1
        self.gave_up.setdefault(str(error), []).append(f"{topic} #{message_id}")

    def all_errors(self) -> tuple[str, ...]:
        """The pass's errors, a failure shared by many pushes said once with how many it hit."""
        grouped = [f"{pushes[0]}: {error}" if len(pushes) == 1 else
                   f"{len(pushes)} pushes ({', '.join(pushes[:3])}{', …' if len(pushes) > 3 else ''}): {error}"
                   for error, pushes in self.gave_up.items()]
        return tuple(grouped + self.errors)


@dataclass
class WorkerPorts:
    """What a pass needs: the database, the adapter factory and secrets, the clock, and a
    source of jitter (tests pass ``random.Random(seed)``)."""

    database: Database
    adapters: ChannelFactory
    secrets: SecretStore
    clock: Clock
    holder_prefix: str = "worker"
    jitter: Callable[[], float] = random.random
    watch: stock_watch.StockWatch | None = None  # the process's watcher (None: a full watcher pass)


def deliver_pass(ports: WorkerPorts, *, limit: int = DEFAULT_LIMIT) -> DeliveryPass:
    """One pass of the worker (see the module doc)."""
    holder = f"{ports.holder_prefix}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
    if not lease.take(ports.database, holder, ports.clock.now()):
        return DeliveryPass(lease_held_elsewhere=True)
    try:
        if ports.watch is not None:
            queued = ports.watch.queue(ports.database, ports.clock.now())
        else:
            with ports.database.unit_of_work() as session:
                queued = stock_watch.queue_changes(session, ports.clock.now())
        tally = _Tally()
        _deliver_due(ports, holder, limit, tally)
        return DeliveryPass(tally.delivered, tally.retried, tally.failed, tally.cancelled, queued,
                            stock_delivered=tally.stock_delivered, errors=tally.all_errors())
    finally:
        lease.release(ports.database, holder)


def _deliver_due(ports: WorkerPorts, holder: str, limit: int, tally: _Tally) -> None:
    now = ports.clock.now()
    with ports.database.unit_of_work() as session:
        channels = {channel.name: config_of(channel) for channel in session.scalars(
            select(SalesChannel).where(SalesChannel.active.is_(True), SalesChannel.kind.in_(outbox.SHOP_KINDS)))}
        due = _due_pushes(session, now, list(channels), limit)
        stock_due = session.execute(select(OutboxMessage.id, OutboxMessage.channel).where(
            *_due_now(now, list(channels)), OutboxMessage.topic == outbox.STOCK_LEVEL)
            .order_by(OutboxMessage.id).limit(STOCK_PER_PASS)).all()
        limit_of_retries = retry_limit(session)
    adapters: dict[str, ShopChannel | ChannelError] = {}
    held: set[tuple[str, int]] = set()  # orders one of whose pushes did not go in this pass
    for message_id, channel_or_none, order_id in due:
        channel = str(channel_or_none)  # the query picks only messages of a channel
        if order_id is not None and (channel, order_id) in held:
            continue  # an earlier push of this order waits: this one goes after it
        if not lease.renew(ports.database, holder, ports.clock.now()):
            tally.errors.append("The outbox lease was taken over by another worker: this pass stopped.")
            return
        adapter = _adapter(ports, adapters, channels[channel])
        if not _deliver_one(ports, message_id, adapter, channels[channel].settings, limit_of_retries, tally) \
                and order_id is not None:
            held.add((channel, order_id))
    stock: dict[str, list[int]] = defaultdict(list)
    for message_id, channel_or_none in stock_due:
        stock[str(channel_or_none)].append(message_id)
    for channel, ids in stock.items():
        _deliver_channel_stock(ports, holder, channel, ids, adapters, channels, limit_of_retries, tally)


def _due_now(now: dt.datetime, channels: list[str]) -> tuple[Any, ...]:
    return (OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.next_attempt_at <= now,
            OutboxMessage.channel.in_(channels))


def _due_pushes(session: Session, now: dt.datetime, channels: list[str], limit: int) -> list[Any]:
    """The due pushes other than stock, oldest first, each only when no OLDER push of its
    order and channel still waits (pending, not due: backing off or claimed; an older one
    that is due comes first in this list, and ``_deliver_due`` holds the rest of its order
    back when it does not go through): an order's pushes reach
    the shop in the order they were made (a void's cancel after its fulfilment). A failed
    older push holds nothing back: it is in the problems until someone retries it.
    ``(id, channel, order id)`` rows."""
    older = aliased(OutboxMessage)
    earlier_waits = exists().where(
        older.channel == OutboxMessage.channel, older.order_id == OutboxMessage.order_id,
        older.id < OutboxMessage.id, older.topic != outbox.STOCK_LEVEL,
        older.status == OutboxStatus.PENDING.value, older.next_attempt_at > now)
    return list(session.execute(
        select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.order_id)
        .where(*_due_now(now, channels), OutboxMessage.topic != outbox.STOCK_LEVEL,
               or_(OutboxMessage.order_id.is_(None), ~earlier_waits))
        .order_by(OutboxMessage.id).limit(limit)).all())


def _deliver_channel_stock(ports: WorkerPorts, holder: str, channel: str, ids: Sequence[int],
                           adapters: dict[str, ShopChannel | ChannelError], channels: Mapping[str, ChannelConfig],
                           limit_of_retries: int, tally: _Tally) -> None:
    """The channel's due stock rows, ``STOCK_BATCH`` per claim. A batch the shop fails for a
    reason of its own (``stock_push.shop_wide``) ends the channel's stock for this pass."""
    guard = stock_push.FailureGuard()
    for start in range(0, len(ids), STOCK_BATCH):
        if not lease.renew(ports.database, holder, ports.clock.now()):
            tally.errors.append("The outbox lease was taken over by another worker: this pass stopped.")
            return
        adapter = _adapter(ports, adapters, channels[channel])
        if isinstance(adapter, ChannelError):  # the channel cannot be reached at all: no attempts spent
            tally.errors.append(f"Stock pushes to {channel} wait: {adapter}")
            return
        if not _deliver_stock(ports, channel, ids[start:start + STOCK_BATCH], adapter, limit_of_retries, tally,
                              guard):
            tally.errors.append(f"Stock pushes to {channel} wait for the next pass: {guard.last_error}")
            return  # the shop failed as a whole: its other stock pushes wait (no attempt spent)


def _adapter(ports: WorkerPorts, cache: dict[str, ShopChannel | ChannelError],
             config: ChannelConfig) -> ShopChannel | ChannelError:
    if config.name not in cache:
        try:
            cache[config.name] = ports.adapters(config, ports.secrets)
        except ChannelError as error:
            cache[config.name] = error
        except Exception as exc:  # a missing secret, a bad setting: said as the push's error
            log.exception("could not make the adapter of channel %s", config.name)
            cache[config.name] = ChannelError(f"The shop adapter of {config.name} could not start: {exc}",
                                              retryable=True)
    return cache[config.name]


def _claim(session: Session, message_id: int, now: dt.datetime) -> OutboxMessage | None:
    """Take the message for this worker (conditional UPDATE); None when someone else has it."""
    if not rows_changed(session, update(OutboxMessage).where(
            OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING.value,
            OutboxMessage.next_attempt_at <= now)
            .values(next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS))):
        return None
    return session.get(OutboxMessage, message_id)


def _deliver_one(ports: WorkerPorts, message_id: int, adapter: ShopChannel | ChannelError,
                 settings: Mapping[str, Any], limit: int, tally: _Tally) -> bool:
    """Deliver one push; True when it is settled (delivered, nothing to send, cancelled),
    False when it still waits (failed for now, or another worker holds it)."""
    now = ports.clock.now()
    with ports.database.unit_of_work() as session:
        message = _claim(session, message_id, now)
        if message is None:
            return False
        topic, payload, attempts = message.topic, dict(message.payload or {}), message.attempts
        work = _work_for(session, message, settings)
    if isinstance(work, Voided):  # voided meanwhile (a void cancels it; this is the belt to those braces)
        with ports.database.unit_of_work() as session:
            if rows_changed(session, update(OutboxMessage).where(
                    OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING.value)
                    .values(status=OutboxStatus.CANCELLED.value, last_error=str(work))):
                tally.cancelled += 1
        return True
    if isinstance(work, str):  # nothing to send: done without the shop
        _record_success(ports, message_id, {"skipped": work}, tally)
        return True
    failure = work if isinstance(work, ChannelError) else adapter if isinstance(adapter, ChannelError) else None
    if failure is None:
        assert not isinstance(work, ChannelError) and not isinstance(adapter, ChannelError)
        try:
            result = work(adapter)
        except ChannelError as error:
            failure = error
        except Exception as exc:  # an adapter's bug: kept visible as the push's error, tried again
            log.exception("outbox message %s (%s) failed unexpectedly", message_id, topic)
            failure = ChannelError(f"Unexpected error: {type(exc).__name__}: {exc}", retryable=True)
        else:
            _record_success(ports, message_id, dict(result or {}), tally, payload=payload, topic=topic)
            return True
    _record_failure(ports, message_id, attempts, failure, limit, tally, topic)
    return False


Work = Callable[[ShopChannel], Mapping[str, Any] | None]


class Voided(str):
    """Why a push is no longer wanted (its shipment was voided): the row is cancelled."""


def _work_for(session: Session, message: OutboxMessage, settings: Mapping[str, Any]) -> Work | str | ChannelError:
    """What delivering ``message`` means: a call on the adapter, a reason there is nothing to
    send, or the error that keeps it waiting."""
    payload = dict(message.payload or {})
    external_id = str(payload.get("external_id") or "")
    key = message.dedup_key
    if message.topic == outbox.SHIPMENT_CREATED:
        shipment = session.get(Shipment, int(payload.get("shipment_id") or 0))
        if shipment is None or shipment.status == ShipmentStatus.VOIDED.value:
            return Voided("the shipment was voided")
        packages = outbox.shipment_tracking(session, shipment.id)
        if not packages:
            return ChannelError("The shipment has no tracking number yet (its label is still being bought).",
                                retryable=True)
        tracking = [TrackingPush(p["number"], p["carrier"]) for p in packages]
        notify = bool(settings.get("notify_customer", True))
        part = shipped_part(session, shipment.order_id)  # a split order's part: only its lines

        def fulfil(adapter: ShopChannel) -> Mapping[str, Any]:
            if part is not None:
                return adapter.create_fulfilment(part.external_id, tracking, notify_customer=notify,
                                                 idempotency_key=key, lines=part.lines, last_part=part.last)
            return adapter.create_fulfilment(external_id, tracking, notify_customer=notify, idempotency_key=key)
        return fulfil
    if message.topic == outbox.FULFILMENT_CANCEL:
        reference = dict(payload.get("reference") or {})

        def cancel(adapter: ShopChannel) -> Mapping[str, Any]:
            adapter.cancel_fulfilment(external_id, reference)
            return {"cancelled": reference}
        return cancel
    if message.topic == outbox.ORDER_CANCELLED:
        def tell(adapter: ShopChannel) -> Mapping[str, Any]:
            cancel_order = getattr(adapter, "cancel_order", None)  # optional: most shops cancel themselves
            if cancel_order is None:
                return {"skipped": "the shop's adapter has nothing to do for a cancelled order"}
            return dict(cancel_order(external_id, idempotency_key=key) or {})
        return tell
    return ChannelError(f"Nothing knows how to deliver a {message.topic!r} message to a shop.", retryable=False)


def _record_success(ports: WorkerPorts, message_id: int, result: dict[str, Any], tally: _Tally, *,
                    payload: Mapping[str, Any] | None = None, topic: str | None = None) -> None:
    now = ports.clock.now()
    with ports.database.unit_of_work() as session:
        values = {"status": OutboxStatus.DELIVERED.value, "delivered_at": now, "result": result,
                  "attempts": OutboxMessage.attempts + 1, "last_error": None}
        if rows_changed(session, update(OutboxMessage).where(
                OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING.value).values(**values)):
            tally.delivered += 1
            return
        # Voided while in flight: the shop has the fulfilment, so it must be undone.
        if rows_changed(session, update(OutboxMessage).where(
                OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.CANCELLED.value)
                .values(**values)) and topic == outbox.SHIPMENT_CREATED and payload is not None:
            message = session.get(OutboxMessage, message_id)
            assert message is not None and message.channel is not None
            outbox.queue_fulfilment_cancel(session, message_id, message.channel, message.order_id,
                                           int(payload.get("shipment_id") or 0), dict(payload), result)
            tally.delivered += 1


def _record_failure(ports: WorkerPorts, message_id: int, attempts: int, error: ChannelError, limit: int,
                    tally: _Tally, topic: str, *, result: dict[str, Any] | None = None) -> bool:
    """Record a failed attempt (``result``: what was tried, e.g. a stock row's figure);
    False: the message is no longer pending (cancelled meanwhile)."""
    now = ports.clock.now()
    tried = attempts + 1
    give_up = not error.retryable or tried >= limit
    values: dict[str, Any] = {"attempts": tried, "last_error": str(error)[:2000]}
    if result is not None:
        values["result"] = result
    if give_up:
        values["status"] = OutboxStatus.FAILED.value
    else:
        values["next_attempt_at"] = now + dt.timedelta(seconds=retry_delay(tried, error.retry_after, ports.jitter()))
    with ports.database.unit_of_work() as session:
        changed = rows_changed(session, update(OutboxMessage).where(
            OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING.value).values(**values))
    if not changed:
        return False  # cancelled meanwhile: nothing to retry
    if give_up:
        tally.failed_push(topic, message_id, error)
    else:
        tally.retried += 1
    return True


# --------------------------------------------------------------------------- stock


def _deliver_stock(ports: WorkerPorts, channel: str, ids: Sequence[int], adapter: ShopChannel, limit: int,
                   tally: _Tally, guard: stock_push.FailureGuard) -> bool:
    """Push one batch, split in halves while the shop fails it for its products
    (``stock_push``); False when the shop failed as a whole (that part spent an attempt,
    the untried rest is given back for the next pass)."""
    now = ports.clock.now()
    with ports.database.unit_of_work() as session:  # claimed together: one conditional UPDATE
        claimed = session.execute(update(OutboxMessage).where(
            OutboxMessage.id.in_(list(ids)), OutboxMessage.status == OutboxStatus.PENDING.value,
            OutboxMessage.next_attempt_at <= now)
            .values(next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS))
            .returning(OutboxMessage.id, OutboxMessage.payload, OutboxMessage.attempts)
            .execution_options(synchronize_session=False)).all()
        rows = {message_id: (int((payload or {}).get("product_id") or 0), attempts)
                for message_id, payload, attempts in claimed}
    if not rows:
        return True
    with ports.database.unit_of_work() as session:
        channel_id = session.scalars(select(SalesChannel.id).where(SalesChannel.name == channel)).one()
        product_ids = {product_id for product_id, _attempts in rows.values()}
        skus = dict(session.execute(select(Product.id, Product.sku).where(Product.id.in_(product_ids))).all())
        figures = stock_watch.shop_figures(session, set(skus))
        listings = {listing.product_id: (listing.external_id, listing.inventory_item_id) for listing in session.scalars(
            select(ChannelListing).where(ChannelListing.channel_id == channel_id,
                                         ChannelListing.product_id.in_(product_ids)))}
    parts = [sorted(rows)]
    while parts:
        part = parts.pop(0)
        pushes = [StockPush(skus[product_id], figures[product_id], *listings.get(product_id, (None, None)))
                  for product_id in sorted({rows[message_id][0] for message_id in part}) if product_id in skus]
        try:
            result = dict(adapter.set_stock(pushes) or {}) if pushes else {}
        except ChannelError as error:
            failure = error
        except Exception as exc:
            log.exception("stock push to %s failed unexpectedly", channel)
            failure = ChannelError(f"Unexpected error: {type(exc).__name__}: {exc}", retryable=True)
        else:
            guard.succeeded()
            _record_stock(ports, channel_id, {message_id: rows[message_id] for message_id in part}, skus, figures,
                          result, tally)
            continue
        guard.failed(failure)
        whole_shop = stock_push.shop_wide(failure) or guard.exhausted
        if len(part) > 1 and not whole_shop:
            parts[:0] = stock_push.halves(part)  # depth first: the failing half is narrowed down at once
            continue
        for message_id in part:
            product_id, attempts = rows[message_id]
            _record_failure(ports, message_id, attempts, failure, limit, tally, outbox.STOCK_LEVEL,
                            result={"tried": figures[product_id]} if product_id in figures else None)
        if whole_shop:
            _give_back(ports, [message_id for rest in parts for message_id in rest])
            return False
    return True


def _give_back(ports: WorkerPorts, message_ids: list[int]) -> None:
    """Claimed rows not tried: due again at the next pass, no attempt spent."""
    if message_ids:
        with ports.database.unit_of_work() as session:
            session.execute(update(OutboxMessage).where(
                OutboxMessage.id.in_(message_ids), OutboxMessage.status == OutboxStatus.PENDING.value)
                .values(next_attempt_at=ports.clock.now()).execution_options(synchronize_session=False))


def _record_stock(ports: WorkerPorts, channel_id: int, rows: Mapping[int, tuple[int, int]], skus: Mapping[int, str],
                  figures: Mapping[int, int], result: Mapping[str, Any], tally: _Tally) -> None:
    """Delivered: each row's key renamed to end in its id (so the next change can queue), the
    listing remembers the figure pushed and the shop's ids the adapter returned
    (``result["listings"]``: ``{sku: {"external_id", "inventory_item_id"}}``). One
    transaction, statements batched (executemany). The rows are this worker's claim: only
    the lease holder changes a pending ``stock.level`` row."""
    now = ports.clock.now()
    found: Mapping[str, Any] = result.get("listings") or {}
    done = [{"mid": message_id, "sent": {"available": figures[product_id]} if product_id in figures
             else {"skipped": "the product no longer exists"}}
            for message_id, (product_id, _attempts) in sorted(rows.items())]
    listings = []
    for product_id in sorted({product_id for product_id, _attempts in rows.values()}):
        if product_id not in figures:
            continue
        ids = found.get(skus[product_id]) or {}
        listings.append({"channel_id": channel_id, "product_id": product_id, "pushed_available": figures[product_id],
                         "pushed_at": now, "external_id": _text(ids.get("external_id")),
                         "inventory_item_id": _text(ids.get("inventory_item_id"))})
    with ports.database.unit_of_work() as session:
        table = typing.cast(Table, OutboxMessage.__table__)  # Core executemany (the ORM would want whole rows)
        session.connection().execute(update(table).where(
            table.c.id == bindparam("mid"), table.c.status == OutboxStatus.PENDING.value)
            .values(status=OutboxStatus.DELIVERED.value, delivered_at=now, result=bindparam("sent"),
                    attempts=table.c.attempts + 1, last_error=None,
                    dedup_key=table.c.dedup_key + ":" + cast(table.c.id, String)), done)
        if listings:
            insert: Any = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
            statement = insert(ChannelListing.__table__)
            session.connection().execute(statement.on_conflict_do_update(
                index_elements=[ChannelListing.channel_id, ChannelListing.product_id],
                set_={"pushed_available": statement.excluded.pushed_available,
                      "pushed_at": statement.excluded.pushed_at,
                      "external_id": func.coalesce(statement.excluded.external_id, ChannelListing.external_id),
                      "inventory_item_id": func.coalesce(statement.excluded.inventory_item_id,
                                                         ChannelListing.inventory_item_id)}), listings)
    tally.stock_delivered += len(done)


def _text(value: object) -> str | None:
    return None if value is None else str(value)
