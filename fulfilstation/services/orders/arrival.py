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

Invariants: orders are reserved ``BATCH`` to a transaction, planned together against one
read of the stock (``batch_reserve``: the same all-or-nothing rule, in the order given) and
written by conditional UPDATEs, as every reserver, so imports, receipts and stations reserve
side by side without over-allocating; the reservation's claim (``status pending → ready``)
picks one winner. When another writer moved the stock or an order between the batch's read
and its writes, the batch rolls back and goes again one order at a time, each under its own
SAVEPOINT (``reserve.reserve_one_in``): a race costs speed, never a unit. No wake-up is lost: a
short order is first marked backorder (committed), THEN tried once more when its missing
stock may have come meanwhile (``batch_reserve.could_fit_now``) — stock that arrived before
the mark is seen by that second try, stock that arrives after it sees the mark. With the
site setting ``partial_shipments`` on, a short order then ships what is there and the rest
waits as a backorder of its own (``partial.when_short``); off, it waits whole.

Threading: blocking (database); call from worker threads or the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.in_lists import in_batches
from fulfilstation.db.models import Order, OrderLine, Product
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.imports import ImportProgress
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders import batch_reserve
from fulfilstation.services.orders.partial import partial_shipments_on, when_short
from fulfilstation.services.orders.reserve import ReserveOutcome, reserve_one_in

_OLDEST_FIRST = (Order.ordered_at.is_(None), Order.ordered_at, Order.id)


BATCH = 200  # orders planned and reserved per transaction: a write holds SQLite's one writer well under a second


def reserve_arrivals(database: Database, actor: Actor, order_ids: Sequence[int],
                     today: dt.date, progress: ImportProgress | None = None) -> tuple[ReserveOutcome, ...]:
    """Reserve the pending, not held orders among ``order_ids``, oldest first; a short one
    becomes a backorder. ``progress`` hears (orders done, orders to reserve) per batch."""
    if not order_ids:
        return ()
    wanted = sorted(set(order_ids))
    rows: list[Any] = []  # (id, number, ordered_at)
    with database.unit_of_work() as session:
        for part in in_batches(wanted):
            rows += session.execute(select(Order.id, Order.number, Order.ordered_at).where(
                Order.id.in_(part), Order.status == OrderStatus.PENDING.value,
                Order.hold.is_(False))).all()
    rows.sort(key=lambda row: (row[2] is None, row[2] or dt.datetime.min.replace(tzinfo=dt.UTC), row[0]))
    return reserve_many(database, actor, [(int(i), str(n)) for i, n, _when in rows], today, progress)


def stranded_arrivals(database: Database) -> list[int]:
    """Orders that arrived but were never reserved: pending, not held, not a backorder — an
    import or sync stopped between writing its orders and reserving them (the next intake
    reserves them with its own)."""
    with database.unit_of_work() as session:
        return [int(i) for i in session.scalars(select(Order.id).where(
            Order.status == OrderStatus.PENDING.value, Order.hold.is_(False), Order.backorder.is_(False)))]


def reserve_many(database: Database, actor: Actor, orders: Sequence[tuple[int, str]],
                 today: dt.date, progress: ImportProgress | None = None) -> tuple[ReserveOutcome, ...]:
    """Reserve ``orders`` ((id, number), in the order given) ``BATCH`` to a transaction,
    planned together against one read of the stock (``batch_reserve``); the short ones are
    marked backorder in the same transaction, and once it committed they are tried once more
    (the module doc: no stock arrival is missed between a try and the mark)."""
    outcomes: dict[int, ReserveOutcome] = {}
    parts = partial_shipments_on(database)
    for start in range(0, len(orders), BATCH):
        batch = orders[start:start + BATCH]
        found, marked = _reserve_batch(database, actor, batch, today, mark_short=True)
        outcomes.update(found)
        for order_id, _number in marked:
            outcomes[order_id] = _as_backorder(outcomes[order_id])
        retry = _worth_retrying(database, marked, outcomes, today)
        if retry:
            again, _none = _reserve_batch(database, actor, retry, today, mark_short=False)
            outcomes.update({order_id: _as_backorder(outcome) for order_id, outcome in again.items()})
        if parts:  # every short one, a backorder from before too: stock that came may ship part of it
            for order_id, number in batch:
                if outcomes[order_id].result == "short":
                    outcomes[order_id] = when_short(database, actor, order_id, number, today, outcomes[order_id])
        if progress is not None:
            progress(min(start + BATCH, len(orders)), len(orders))
    return tuple(outcomes[order_id] for order_id, _number in orders)


def _worth_retrying(database: Database, marked: list[tuple[int, str]], outcomes: dict[int, ReserveOutcome],
                    today: dt.date) -> list[tuple[int, str]]:
    """The orders just marked backorder whose missing stock may have arrived between their try
    and their mark (``batch_reserve.could_fit_now``); the others are certain to be short still,
    and any stock arriving from now on finds them marked."""
    if not marked:
        return []
    with database.unit_of_work() as session:
        fits = batch_reserve.could_fit_now(session, [outcomes[order_id] for order_id, _n in marked], today)
    return [order for order, fit in zip(marked, fits, strict=True) if fit]


Reserved = tuple[dict[int, ReserveOutcome], list[tuple[int, str]]]  # outcomes, orders marked backorder


def _reserve_batch(database: Database, actor: Actor, batch: Sequence[tuple[int, str]], today: dt.date, *,
                   mark_short: bool) -> Reserved:
    """The batch in one transaction, planned together; when the database moved under the plan
    (another station, a deadlock), the same batch again one order at a time."""
    try:
        with database.unit_of_work() as session:
            found = batch_reserve.reserve_batch_in(session, actor, batch, today)
            marked = _mark_short(session, actor, batch, found) if mark_short else []
        return found, marked
    except (batch_reserve.BatchMoved, OperationalError):
        return _one_at_a_time(database, actor, batch, today, mark_short=mark_short)


def _one_at_a_time(database: Database, actor: Actor, batch: Sequence[tuple[int, str]], today: dt.date, *,
                   mark_short: bool) -> Reserved:
    """The batch in one transaction, each order under its own SAVEPOINT (``reserve_one_in``),
    so one that lost a race rolls back alone; after a deadlock, one transaction per order."""
    try:
        with database.unit_of_work() as session:
            _begin(session, [order_id for order_id, _number in batch])
            found = {order_id: reserve_one_in(session, actor, order_id, number, today) for order_id, number in batch}
            marked = _mark_each(session, actor, batch, found) if mark_short else []
        return found, marked
    except OperationalError:
        # Several orders' stock rows, which another transaction may lock in another order:
        # PostgreSQL ends such a deadlock by failing one side. Then one transaction each.
        found, marked = {}, []
        for order_id, number in batch:
            with database.unit_of_work() as session:
                _begin(session, [order_id])
                found[order_id] = reserve_one_in(session, actor, order_id, number, today)
                marked += _mark_each(session, actor, [(order_id, number)], found) if mark_short else []
        return found, marked


def _begin(session: Session, order_ids: list[int]) -> None:
    """A first write, so that SQLite's driver has begun the transaction before any SAVEPOINT."""
    session.execute(update(Order).where(Order.id.in_(order_ids), Order.status == OrderStatus.PENDING.value)
                    .values(updated_at=utcnow()))


def _mark_short(session: Session, actor: Actor, batch: Sequence[tuple[int, str]],
                found: dict[int, ReserveOutcome]) -> list[tuple[int, str]]:
    """Mark the batch's short orders backorder (one UPDATE, audited); those that were not one
    yet. BatchMoved when another writer changed one of them meanwhile (roll back)."""
    short = {order_id: number for order_id, number in batch if found[order_id].result == "short"}
    if not short:
        return []
    ids = list(short)
    already = set(session.scalars(select(Order.id).where(Order.id.in_(ids), Order.backorder.is_(True))))
    to_mark = [order_id for order_id in ids if order_id not in already]
    if not to_mark:
        return []
    marked = rows_changed(session, update(Order).where(
        Order.id.in_(to_mark), Order.status == OrderStatus.PENDING.value, Order.backorder.is_(False))
        .values(backorder=True, updated_at=utcnow()).execution_options(synchronize_session=False))
    if marked != len(to_mark):  # another writer changed one meanwhile: the caller goes one by one
        raise batch_reserve.BatchMoved("an order changed while being marked backorder")
    audit.record_many(session, actor, "order.backordered", "order", [
        (order_id, _short_details(short[order_id], found[order_id])) for order_id in to_mark])
    return [(order_id, short[order_id]) for order_id in to_mark]


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


def _mark_each(session: Session, actor: Actor, batch: Sequence[tuple[int, str]],
               found: dict[int, ReserveOutcome]) -> list[tuple[int, str]]:
    """``_mark_short`` one order at a time (each its own conditional UPDATE)."""
    return [(order_id, number) for order_id, number in batch
            if found[order_id].result == "short" and _mark_backorder(session, actor, order_id, number, found[order_id])]


def _short_details(number: str, outcome: ReserveOutcome) -> dict[str, object]:
    return {"order": number, "short": [{"sku": s.sku, "needed": s.needed, "available": s.available}
                                       for s in outcome.short]}


def _mark_backorder(session: Session, actor: Actor, order_id: int, number: str, outcome: ReserveOutcome) -> bool:
    """Mark the short pending order a backorder (audited); False when it already was one."""
    marked = rows_changed(session, update(Order).where(
        Order.id == order_id, Order.status == OrderStatus.PENDING.value, Order.backorder.is_(False))
        .values(backorder=True, updated_at=utcnow()))
    if marked:
        audit.record(session, actor, "order.backordered", "order", order_id, _short_details(number, outcome))
    return bool(marked)
