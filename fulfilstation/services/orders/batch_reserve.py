"""Reserving many orders against one read of the stock (issue #12: arrivals and backorders).

``reserve_batch_in`` gives a batch of orders, in the order given (oldest first), the same
result the one-order rule (``reserve.reserve_lines``: pickable bins then storage, first
expiry first, never an expired lot, the picker's walk, all or nothing per order) would give
them one after another — but from ONE read of the orders' lines and ONE read of the free
stock levels of every product they need, planned in Python (``plan``), and written with a
handful of statements: the kits' component lines (``kits.expand_kits_many``), one claim of
the orders that fit, one conditional UPDATE per stock level
(``SET reserved = reserved + :q WHERE reserved + :q <= on_hand``, sent as one executemany, in
stock level id order: the lock order of every reserver), one bulk INSERT of the allocations
and one of the audit entries.

Invariants: nothing is ever over-reserved — the conditional UPDATE and the CHECK
``reserved <= on_hand`` stand behind the plan. When the database no longer matches the plan
(another station reserved, an order was claimed or held meanwhile), the batch raises
``BatchMoved`` before its transaction commits: the caller rolls back and reserves those
orders one by one (``reserve.reserve_one_in``), so a race costs speed, never correctness.
Orders that are not pending, held, or have unknown-SKU lines are left untouched and
reported ``skipped``; a short order is reported ``short`` with what it misses at its turn.

Threading: runs inside the caller's transaction (blocking); worker threads or the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import rows_changed
from fulfilstation.db.in_lists import in_batches
from fulfilstation.db.kit_lines import packable_line
from fulfilstation.db.models import Allocation, Bin, Order, OrderLine, Product, StockLevel
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.domain.unmatched_lines import unmatched_skus
from fulfilstation.domain.words import plural
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.kits import expand_kits_many
from fulfilstation.services.orders.ready import first_ready_at
from fulfilstation.services.orders.reserve import (
    ReserveOutcome,
    Shortage,
    refused_for_unknown,
    reservable,
    taken_order,
)
from fulfilstation.services.orders.views import Reservation

_STOCK_LEVELS = cast(Table, StockLevel.__table__)  # Core statements: one executemany, no ORM bookkeeping
_ALLOCATIONS = cast(Table, Allocation.__table__)


class BatchMoved(Exception):
    """The database changed between the batch's read and its writes: roll back, go one by one."""


@dataclass(frozen=True)
class Need:
    """Units one order line still lacks (ordered less already allocated)."""

    order_id: int
    line_id: int
    product_id: int
    sku: str
    units: int


@dataclass
class Level:
    """A stock level a product may be reserved from, in the order taken; ``free`` is what the
    plan has not handed out yet."""

    id: int
    product_id: int
    free: int
    bin_code: str
    lot: str | None


Take = tuple[Need, Level, int]  # a line's units from one level


@dataclass(frozen=True)
class Planned:
    """What the plan gives each order: ``takes`` for those that fit, ``shortages`` for the rest."""

    takes: dict[int, list[Take]]
    shortages: dict[int, tuple[Shortage, ...]]


def plan(order_ids: Sequence[int], needs: dict[int, list[Need]], levels: dict[int, list[Level]]) -> Planned:
    """Hand the free units out to the orders in the order given, all or nothing per order, each
    product's lines in line order from its levels in the order taken (``levels`` are consumed).
    An order with nothing to reserve fits with no takes."""
    takes: dict[int, list[Take]] = {}
    shortages: dict[int, tuple[Shortage, ...]] = {}
    for order_id in order_ids:
        by_product: dict[int, list[Need]] = defaultdict(list)
        for need in needs.get(order_id, ()):
            by_product[need.product_id].append(need)
        short = []
        for product_id, lines in by_product.items():
            wanted = sum(need.units for need in lines)
            available = sum(level.free for level in levels.get(product_id, ()))
            if available < wanted:
                short.append(Shortage(lines[0].sku, wanted, available))
        if short:
            shortages[order_id] = tuple(sorted(short, key=lambda s: s.sku))
            continue
        order_takes: list[Take] = []
        for product_id in sorted(by_product):
            order_takes += _spread(by_product[product_id], levels[product_id])
        takes[order_id] = order_takes
    return Planned(takes, shortages)


def _spread(lines: list[Need], levels: list[Level]) -> list[Take]:
    taken: list[Take] = []
    for need in lines:
        units = need.units
        while units:
            level = levels[0]
            take = min(units, level.free)
            taken.append((need, level, take))
            units -= take
            level.free -= take
            if not level.free:
                levels.pop(0)
    return taken


def reserve_batch_in(session: Session, actor: Actor, orders: Sequence[tuple[int, str]],
                     today: dt.date) -> dict[int, ReserveOutcome]:
    """Reserve ``orders`` ((id, number), oldest first) in the caller's transaction (see the
    module doc). Raises BatchMoved when a write no longer matches the read."""
    outcomes: dict[int, ReserveOutcome] = {}
    numbers = dict(orders)
    candidates: list[int] = []
    rows = {int(i): (s, h, u) for part in in_batches(numbers) for i, s, h, u in session.execute(
        select(Order.id, Order.status, Order.hold, Order.unmatched_lines).where(Order.id.in_(part)))}
    for order_id, number in orders:
        status, held, kept = rows.get(order_id, ("", False, None))
        unknown = unmatched_skus(kept)
        if status != OrderStatus.PENDING.value or held:
            words = "on hold" if status == OrderStatus.PENDING.value else status
            outcomes[order_id] = ReserveOutcome(number, "skipped", status or "",
                                                message=f"Order {number} is {words}, not pending: nothing to reserve.")
        elif unknown:
            outcomes[order_id] = refused_for_unknown(number, unknown, ())
        else:
            candidates.append(order_id)
    kits = expand_kits_many(session, actor, {order_id: numbers[order_id] for order_id in candidates})
    needs = _needs(session, candidates)
    levels = _free_levels(session, {need.product_id for lines in needs.values() for need in lines}, today)
    planned = plan(candidates, needs, levels)
    _claim(session, list(planned.takes))
    _take_stock(session, [take for order_takes in planned.takes.values() for take in order_takes])
    reserved = {order_id: tuple(Reservation(need.sku, level.bin_code, level.lot, units)
                                for need, level, units in order_takes)
                for order_id, order_takes in planned.takes.items()}
    audit.record_many(session, actor, "order.stock_reserved", "order", [
        (order_id, {"order": numbers[order_id], "reserved": [
            {"sku": r.sku, "bin": r.bin, "lot": r.lot, "quantity": r.quantity} for r in reserved[order_id]]})
        for order_id in planned.takes])
    for order_id in candidates:
        number = numbers[order_id]
        expanded = kits.get(order_id, ())
        if order_id in planned.takes:
            units = sum(r.quantity for r in reserved[order_id])
            outcomes[order_id] = ReserveOutcome(number, "ready", OrderStatus.READY.value, reserved[order_id],
                                                kits=expanded, message=f"Order {number}: {plural(units, 'unit')} "
                                                "reserved; ready to pack.")
        else:
            short = planned.shortages[order_id]
            outcomes[order_id] = ReserveOutcome(number, "short", OrderStatus.PENDING.value, short=short, kits=expanded,
                                                message=f"Order {number} stays pending, nothing reserved: "
                                                f"{'; '.join(s.words for s in short)}.")
    return outcomes


def _needs(session: Session, order_ids: list[int]) -> dict[int, list[Need]]:
    # Per line, by its own index (as reserve._needs): never a sum over the whole house.
    allocated = (select(func.coalesce(func.sum(Allocation.quantity), 0))
                 .where(Allocation.order_line_id == OrderLine.id).correlate(OrderLine).scalar_subquery())
    needs: dict[int, list[Need]] = defaultdict(list)
    for part in in_batches(order_ids):
        for order_id, line_id, product_id, sku, units in session.execute(
                select(OrderLine.order_id, OrderLine.id, OrderLine.product_id, Product.sku,
                       OrderLine.quantity - allocated)
                .join(Product, Product.id == OrderLine.product_id)
                .where(OrderLine.order_id.in_(part), packable_line())
                .order_by(OrderLine.order_id, OrderLine.line_no)):
            if units > 0:
                needs[int(order_id)].append(Need(int(order_id), int(line_id), int(product_id), str(sku), int(units)))
    return needs


def _free_levels(session: Session, product_ids: set[int], today: dt.date) -> dict[int, list[Level]]:
    """Per product, its levels in the order taken (``reserve.reservable``, ``reserve.taken_order``)."""
    levels: dict[int, list[Level]] = defaultdict(list)
    for part in in_batches(sorted(product_ids)):
        for level_id, product_id, free, code, lot in session.execute(
                select(StockLevel.id, StockLevel.product_id, StockLevel.on_hand - StockLevel.reserved, Bin.code,
                       StockLevel.lot_code)
                .join(Bin, Bin.id == StockLevel.bin_id)
                .where(StockLevel.product_id.in_(part), *reservable(today)).order_by(*taken_order())):
            levels[int(product_id)].append(Level(int(level_id), int(product_id), int(free), str(code), lot or None))
    return levels


def could_fit_now(session: Session, outcomes: Sequence[ReserveOutcome], today: dt.date) -> list[bool]:
    """Per short outcome, whether the free stock now holds at least what it was short of
    (every SKU it missed, summed over the reservable levels): when not, trying it again is
    certain to fail. A necessary condition only; an outcome that names no shortage is True."""
    skus = {shortage.sku for outcome in outcomes for shortage in outcome.short}
    free: dict[str, int] = {}
    for part in in_batches(sorted(skus)):
        free.update((str(sku), int(units)) for sku, units in session.execute(
            select(Product.sku, func.sum(StockLevel.on_hand - StockLevel.reserved))
            .join(StockLevel, StockLevel.product_id == Product.id).join(Bin, Bin.id == StockLevel.bin_id)
            .where(Product.sku.in_(part), *reservable(today)).group_by(Product.sku)))
    return [all(free.get(shortage.sku, 0) >= shortage.needed for shortage in outcome.short) for outcome in outcomes]


def _claim(session: Session, order_ids: list[int]) -> None:
    """pending → ready for the orders that fit; every one of them, or BatchMoved."""
    for part in in_batches(order_ids):
        claimed = rows_changed(session, update(Order).where(
            Order.id.in_(part), Order.status == OrderStatus.PENDING.value, Order.hold.is_(False))
            .values(status=OrderStatus.READY.value, backorder=False, updated_at=utcnow(), ready_at=first_ready_at())
            .execution_options(synchronize_session=False))
        if claimed != len(part):
            raise BatchMoved("an order was claimed, held or cancelled meanwhile")


def _take_stock(session: Session, takes: list[Take]) -> None:
    """Raise the levels' ``reserved`` (conditionally, in id order) and write the allocations."""
    per_level: dict[int, int] = defaultdict(int)
    per_allocation: dict[tuple[int, int], int] = defaultdict(int)
    for need, level, units in takes:
        per_level[level.id] += units
        per_allocation[(need.line_id, level.id)] += units
    if not per_level:
        return
    levels = _STOCK_LEVELS.c
    raise_level = (update(_STOCK_LEVELS).where(levels.id == bindparam("level_id"),
                                                      levels.reserved + bindparam("units") <= levels.on_hand)
                   .values(reserved=levels.reserved + bindparam("units")))
    params = [{"level_id": level_id, "units": units} for level_id, units in sorted(per_level.items())]
    if rows_changed(session, raise_level, params) != len(params):
        raise BatchMoved("another station reserved some of the stock meanwhile")
    existing: set[tuple[int, int]] = set()
    for part in in_batches({line_id for line_id, _level in per_allocation}):
        existing.update((int(line), int(level)) for line, level in session.execute(
            select(Allocation.order_line_id, Allocation.stock_level_id).where(Allocation.order_line_id.in_(part))))
    table = _ALLOCATIONS.c
    grown = [{"line_id": key[0], "level_id": key[1], "units": units}
             for key, units in per_allocation.items() if key in existing]
    if grown:
        session.execute(update(_ALLOCATIONS).where(table.order_line_id == bindparam("line_id"),
                                                           table.stock_level_id == bindparam("level_id"))
                        .values(quantity=table.quantity + bindparam("units")), grown)
    new = [{"order_line_id": key[0], "stock_level_id": key[1], "quantity": units}
           for key, units in per_allocation.items() if key not in existing]
    if new:
        session.execute(insert(Allocation), new)
