"""Reserving orders as they arrive and as stock arrives (issue #12): a valid order reserves
its stock when it comes in, oldest first (``ordered_at``, then id), through the one
reservation rule (``reserve``: all or nothing, first expiry first).

Contract used by intake (CSV files, shop syncs, webhooks): ``reserve_arrivals`` is called
AFTER the intake's transaction committed, with the ids of the orders it created or changed;
held orders are left alone. An order that cannot be fully reserved stays pending with
``backorder = true`` and nothing reserved; ``reserve_backorders`` (called after a receipt
closes, after a stock adjustment up and after a cancel gives stock back, once their
transactions committed) reserves the backorders, oldest first, as far as the stock goes. A
reserved order is ``backorder = false``. A void needs no call: its units stay reserved for
the same order.

Invariants: orders are reserved ``BATCH`` to a transaction, each under its own SAVEPOINT
(conditional UPDATEs, as every reserver), so a short order rolls back alone, and imports,
receipts and stations reserve side by side without over-allocating; the
reservation's claim (``status pending → ready``) picks one winner. No wake-up is lost: a
short order is first marked backorder (committed), THEN tried once more — stock that
arrived before the mark is seen by that second try, stock that arrives after it sees the
mark. With the site setting ``partial_shipments`` on, a short order then ships what is there
and the rest waits as a backorder of its own (``partial.when_short``); off, it waits whole.

Threading: blocking (database); call from worker threads or the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Order, OrderLine, Product
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.imports import ImportProgress
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.partial import partial_shipments_on, when_short
from fulfilstation.services.orders.reserve import ReserveOutcome, _reserve_one, reserve_one_in

_OLDEST_FIRST = (Order.ordered_at.is_(None), Order.ordered_at, Order.id)


BATCH = 100  # orders reserved per transaction (each under its own SAVEPOINT)


def reserve_arrivals(database: Database, actor: Actor, order_ids: Sequence[int],
                     today: dt.date, progress: ImportProgress | None = None) -> tuple[ReserveOutcome, ...]:
    """Reserve the pending, not held orders among ``order_ids``, oldest first; a short one
    becomes a backorder. ``progress`` hears (orders done, orders to reserve) per batch."""
    if not order_ids:
        return ()
    with database.unit_of_work() as session:
        rows = session.execute(select(Order.id, Order.number).where(
            Order.id.in_(list(order_ids)), Order.status == OrderStatus.PENDING.value, Order.hold.is_(False))
            .order_by(*_OLDEST_FIRST)).all()
    return reserve_many(database, actor, [(int(i), str(n)) for i, n in rows], today, progress)


def reserve_many(database: Database, actor: Actor, orders: Sequence[tuple[int, str]],
                 today: dt.date, progress: ImportProgress | None = None) -> tuple[ReserveOutcome, ...]:
    """Reserve ``orders`` ((id, number), in the order given) ``BATCH`` to a transaction, each
    under its own SAVEPOINT (``reserve.reserve_one_in``); the short ones are marked backorder
    in the same transaction, and once it committed they are tried once more (the module doc:
    no stock arrival is missed between a try and the mark)."""
    outcomes: dict[int, ReserveOutcome] = {}
    parts = partial_shipments_on(database)
    for start in range(0, len(orders), BATCH):
        batch = orders[start:start + BATCH]
        short: list[tuple[int, str]] = []
        try:
            with database.unit_of_work() as session:
                # A first write, so that the driver has begun the transaction before any SAVEPOINT.
                session.execute(update(Order).where(Order.id.in_([i for i, _n in batch]),
                                                    Order.status == OrderStatus.PENDING.value)
                                .values(updated_at=utcnow()))
                for order_id, number in batch:
                    outcome = reserve_one_in(session, actor, order_id, number, today)
                    outcomes[order_id] = outcome
                    # With partial shipments on, a backorder already marked is tried (and split) too.
                    if outcome.result == "short" and (_mark_backorder(session, actor, order_id, number, outcome)
                                                      or parts):
                        short.append((order_id, number))
        except OperationalError:
            # A batch holds several orders' stock rows, which another transaction may lock in
            # another order: PostgreSQL ends such a deadlock by failing one side. Then this
            # batch goes again order by order, one transaction each (locks in id order).
            short = []
            for order_id, number in batch:
                outcomes[order_id] = _one_by_one(database, actor, order_id, number, today)
            if progress is not None:
                progress(min(start + BATCH, len(orders)), len(orders))
            continue
        for order_id, number in short:
            outcomes[order_id] = when_short(database, actor, order_id, number, today,
                                            _as_backorder(_reserve_one(database, actor, order_id, number, today)))
        if progress is not None:
            progress(min(start + BATCH, len(orders)), len(orders))
    return tuple(outcomes[order_id] for order_id, _number in orders)


def _one_by_one(database: Database, actor: Actor, order_id: int, number: str, today: dt.date) -> ReserveOutcome:
    outcome = _reserve_one(database, actor, order_id, number, today)
    if outcome.result != "short":
        return outcome
    with database.unit_of_work() as session:
        if not _mark_backorder(session, actor, order_id, number, outcome):
            return when_short(database, actor, order_id, number, today, outcome)
    return when_short(database, actor, order_id, number, today,
                      _as_backorder(_reserve_one(database, actor, order_id, number, today)))


def _as_backorder(outcome: ReserveOutcome) -> ReserveOutcome:
    """A short order just marked backorder says so (not merely "stays pending")."""
    if outcome.result != "short" or not outcome.short:
        return outcome
    return replace(outcome, message=f"Order {outcome.order} waits as a backorder, nothing reserved: "
                   f"{'; '.join(s.words for s in outcome.short)}. It is reserved as the stock arrives.")


def reserve_backorders(database: Database, actor: Actor, product_ids: Sequence[int] | None = None, *,
                       today: dt.date, skus: Sequence[str] | None = None) -> tuple[ReserveOutcome, ...]:
    """Reserve the backorders (pending, not held) — those needing one of ``product_ids`` or
    ``skus`` when given, else all — oldest first, each in its own transaction."""
    query = select(Order.id, Order.number).where(
        Order.backorder.is_(True), Order.status == OrderStatus.PENDING.value, Order.hold.is_(False))
    if product_ids is not None or skus is not None:
        wanted = select(OrderLine.order_id).join(Product, Product.id == OrderLine.product_id)
        if product_ids is not None and skus is not None:
            wanted = wanted.where(Product.id.in_(list(product_ids)) | Product.sku.in_(list(skus)))
        elif product_ids is not None:
            wanted = wanted.where(Product.id.in_(list(product_ids)))
        else:
            wanted = wanted.where(Product.sku.in_(list(skus or ())))
        query = query.where(Order.id.in_(wanted))
    with database.unit_of_work() as session:
        rows = session.execute(query.order_by(*_OLDEST_FIRST)).all()
    return reserve_many(database, actor, [(int(i), str(n)) for i, n in rows], today)


def reserve_waiting(database: Database, actor: Actor, order_id: int, number: str,
                    today: dt.date) -> ReserveOutcome:
    """Reserve one pending order; when short, mark it a backorder, then try once more (see
    the module doc: no stock arrival is missed between the try and the mark)."""
    (outcome,) = reserve_many(database, actor, [(order_id, number)], today)
    return outcome


def _mark_backorder(session: Session, actor: Actor, order_id: int, number: str, outcome: ReserveOutcome) -> bool:
    """Mark the short pending order a backorder (audited); False when it already was one."""
    marked = rows_changed(session, update(Order).where(
        Order.id == order_id, Order.status == OrderStatus.PENDING.value, Order.backorder.is_(False))
        .values(backorder=True, updated_at=utcnow()))
    if marked:
        audit.record(session, actor, "order.backordered", "order", order_id, {
            "order": number, "short": [{"sku": s.sku, "needed": s.needed, "available": s.available}
                                       for s in outcome.short]})
    return bool(marked)
