"""Reserving stock for pending orders (a manager's or owner's): the one rule that decides
which units an order's lines hold, used by ``orders.reserve_stock`` and the demo seed alike.

The rule (``reserve_lines``):

* Kits first: an order line whose product has components (``ProductComponent``) gets its
  component lines (``kits.expand_kits``); the kit line itself is never reserved.
* Every other line reserves its missing units (ordered minus already allocated) from stock
  levels in *active* bins of kind ``pickable``, then ``storage``; a lot is never taken when
  expired (``expiry_date < today``) and lots go first expiry first (no expiry last); within
  that, the picker's walk (``pick_sequence``), then the bin code.
* All or nothing: when any product is short, nothing is written and the shortages (per SKU,
  needed and available, summed over the order's lines) are returned.

Invariants: the plan is read first, then applied stock level by stock level in id order (one
order of row locks for every reserver, as ship and cancel take them) by a conditional
``UPDATE … SET reserved = reserved + :q WHERE reserved + :q <= on_hand``; one that changes no
row lost a race to another station and raises ``StockMoved`` (the caller's transaction rolls
back and it plans again). So two stations reserving the last units never over-reserve on
either engine (the CHECK ``reserved <= on_hand`` stands behind it too). Each allocation is
written with its stock level in the same transaction: ``reserved`` stays the sum of its
allocations.

Threading: blocking (database); the use case runs from worker threads.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.kit_lines import packable_line
from fulfilstation.db.models import Allocation, Bin, Order, OrderLine, Product, StockLevel
from fulfilstation.domain.enums import BinKind, OrderStatus
from fulfilstation.domain.unmatched_lines import unmatched_skus
from fulfilstation.domain.words import plural
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.kits import ExpandedKit, add_component_lines, expand_kits, expand_kits_in
from fulfilstation.services.orders.lookup import OrderRefused
from fulfilstation.services.orders.ready import first_ready_at
from fulfilstation.services.orders.views import Reservation, to_json

RESERVABLE_KINDS = (BinKind.PICKABLE.value, BinKind.STORAGE.value)  # pickable bins first
ATTEMPTS = 3  # plans made again after another station took the stock in between


class StockMoved(Exception):
    """A stock level changed between the plan and its conditional UPDATE (another station)."""


@dataclass(frozen=True)
class Shortage:
    """A product an order needs more of than the reservable stock holds."""

    sku: str
    needed: int
    available: int

    @property
    def short(self) -> int:
        return self.needed - self.available

    @property
    def words(self) -> str:
        return f"{self.sku} short by {self.short} (needs {self.needed}, {self.available} available)"


@dataclass(frozen=True)
class ReserveOutcome:
    """What reserving did to one order: ``result`` is ``ready`` (fully reserved, now ready),
    ``short`` (nothing reserved, still pending; ``short`` says what is missing) or
    ``skipped`` (not pending: nothing to do, ``status`` says what it is)."""

    order: str
    result: str
    status: str
    reserved: tuple[Reservation, ...] = ()
    short: tuple[Shortage, ...] = ()
    kits: tuple[ExpandedKit, ...] = ()  # kit lines given their component lines by this call
    message: str = ""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        return data


@dataclass(frozen=True)
class Reserved:
    """What ``reserve_lines`` found: the reservations it made, or the shortages (then none)."""

    reservations: tuple[Reservation, ...]
    shortages: tuple[Shortage, ...]


@dataclass(frozen=True)
class _Need:
    line_id: int
    product_id: int
    sku: str
    units: int


def reserve_lines(session: Session, order_id: int, today: dt.date, *, kits_expanded: bool = False) -> Reserved:
    """Reserve every packable line's missing units of the order (see the module doc), inside
    the caller's transaction. Writes nothing when something is short. Raises StockMoved when
    another station took planned units first (roll back and call again). ``kits_expanded``:
    the caller gave the kit lines their components in this transaction already."""
    if not kits_expanded:
        add_component_lines(session, order_id)
    needs = _needs(session, order_id)
    by_product: dict[int, list[_Need]] = defaultdict(list)
    for need in needs:
        by_product[need.product_id].append(need)
    plan: list[tuple[_Need, int, int]] = []  # (line's need, stock level id, units)
    shortages = []
    for product_id in sorted(by_product):
        lines = by_product[product_id]
        wanted = sum(need.units for need in lines)
        levels = _free_levels(session, product_id, today)
        available = sum(free for _level, free in levels)
        if available < wanted:
            shortages.append(Shortage(lines[0].sku, wanted, available))
            continue
        plan += _spread(lines, levels)
    if shortages:
        return Reserved((), tuple(sorted(shortages, key=lambda s: s.sku)))
    _apply(session, plan)
    return Reserved(_reservations(session, plan), ())


def _needs(session: Session, order_id: int) -> list[_Need]:
    # Per line, by its own index: a subquery summing every allocation in the house would make
    # each reservation slower as the warehouse fills (an import reserves thousands in a row).
    allocated = (select(func.coalesce(func.sum(Allocation.quantity), 0))
                 .where(Allocation.order_line_id == OrderLine.id).correlate(OrderLine).scalar_subquery())
    rows = session.execute(
        select(OrderLine.id, OrderLine.product_id, Product.sku, OrderLine.quantity - allocated)
        .join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order_id, packable_line()).order_by(OrderLine.line_no)).all()
    return [_Need(line_id, product_id, sku, int(units)) for line_id, product_id, sku, units in rows if units > 0]


def reservable(today: dt.date) -> tuple[ColumnElement[bool], ...]:
    """The one rule of which stock levels an order may be reserved from (a query joining
    ``StockLevel`` and ``Bin``): active pickable or storage bins, free units, no expired lot."""
    return (Bin.active.is_(True), Bin.kind.in_(RESERVABLE_KINDS), StockLevel.on_hand > StockLevel.reserved,
            or_(StockLevel.expiry_date.is_(None), StockLevel.expiry_date >= today))


def taken_order() -> tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...]:
    """The one order a product's reservable levels are taken in: first expiry first (no expiry
    last), pickable before storage, the picker's walk, the bin code."""
    pickable_first = case((Bin.kind == BinKind.PICKABLE.value, 0), else_=1)
    return (StockLevel.expiry_date.is_(None), StockLevel.expiry_date, pickable_first, Bin.pick_sequence, Bin.code,
            StockLevel.id)


def _free_levels(session: Session, product_id: int, today: dt.date) -> list[tuple[int, int]]:
    """(stock level id, free units) the product may be reserved from, in the order taken."""
    rows = session.execute(
        select(StockLevel.id, StockLevel.on_hand - StockLevel.reserved)
        .join(Bin, Bin.id == StockLevel.bin_id)
        .where(StockLevel.product_id == product_id, *reservable(today)).order_by(*taken_order())).all()
    return [(int(level_id), int(free)) for level_id, free in rows]


def _spread(lines: list[_Need], levels: list[tuple[int, int]]) -> list[tuple[_Need, int, int]]:
    """Give the lines (in line order) units from the levels (in the order taken)."""
    plan = []
    left = list(levels)
    for need in lines:
        units = need.units
        while units:
            level_id, free = left[0]
            take = min(units, free)
            plan.append((need, level_id, take))
            units -= take
            if take == free:
                left.pop(0)
            else:
                left[0] = (level_id, free - take)
    return plan


def _apply(session: Session, plan: list[tuple[_Need, int, int]]) -> None:
    per_level: dict[int, int] = defaultdict(int)
    for _need, level_id, units in plan:
        per_level[level_id] += units
    for level_id, units in sorted(per_level.items()):  # one order of row locks for every reserver
        taken = rows_changed(session, update(StockLevel).where(
            StockLevel.id == level_id, StockLevel.reserved + units <= StockLevel.on_hand)
            .values(reserved=StockLevel.reserved + units))
        if not taken:
            raise StockMoved(level_id)
    per_allocation: dict[tuple[int, int], int] = defaultdict(int)
    for need, level_id, units in plan:
        per_allocation[(need.line_id, level_id)] += units
    existing = {(allocation.order_line_id, allocation.stock_level_id): allocation for allocation in session.scalars(
        select(Allocation).where(Allocation.order_line_id.in_({line for line, _level in per_allocation})))}
    for key, units in per_allocation.items():
        if key in existing:
            existing[key].quantity += units
        else:
            session.add(Allocation(order_line_id=key[0], stock_level_id=key[1], quantity=units))
    session.flush()


def _reservations(session: Session, plan: list[tuple[_Need, int, int]]) -> tuple[Reservation, ...]:
    level_ids = {level_id for _need, level_id, _units in plan}
    names = {level_id: (code, lot) for level_id, code, lot in session.execute(
        select(StockLevel.id, Bin.code, StockLevel.lot_code).join(Bin, Bin.id == StockLevel.bin_id)
        .where(StockLevel.id.in_(level_ids)))}
    return tuple(Reservation(need.sku, names[level_id][0], names[level_id][1] or None, units)
                 for need, level_id, units in plan)


# -- the use case


def reserve_stock(database: Database, actor: Actor, numbers: Sequence[str] | None,
                  today: dt.date) -> tuple[ReserveOutcome, ...]:
    """Reserve the named orders (``numbers``), or every pending order (None or empty: oldest
    ship-by first), each in its own transaction. OrderRefused (nothing done) when a named order
    does not exist; a named order that is not pending is ``skipped``."""
    orders = _orders(database, numbers)
    return tuple(_reserve_one(database, actor, order_id, number, today) for order_id, number in orders)


def _orders(database: Database, numbers: Sequence[str] | None) -> list[tuple[int, str]]:
    with database.unit_of_work() as session:
        if not numbers:
            return [(int(i), str(n)) for i, n in session.execute(
                select(Order.id, Order.number).where(Order.status == OrderStatus.PENDING.value)
                .order_by(Order.ship_by.is_(None), Order.ship_by, Order.id))]
        wanted = list(dict.fromkeys(number.strip() for number in numbers if number.strip()))
        found = {str(n): int(i) for n, i in session.execute(select(Order.number, Order.id)
                                                             .where(Order.number.in_(wanted)))}
    missing = [number for number in wanted if number not in found]
    if missing:
        raise OrderRefused("order-not-found", f"There is no order {', '.join(repr(n) for n in missing)}: nothing was "
                           "reserved. Check the numbers ('fulfilstation orders search TEXT', or the Orders screen).")
    return [(found[number], number) for number in wanted]


def _reserve_one(database: Database, actor: Actor, order_id: int, number: str, today: dt.date) -> ReserveOutcome:
    kits = expand_kits(database, actor, order_id)
    for _attempt in range(ATTEMPTS):
        try:
            with database.unit_of_work() as session:
                unknown = unknown_skus(session, order_id)
                if unknown:
                    return refused_for_unknown(number, unknown, kits)
                claimed = rows_changed(session, update(Order).where(  # the order's row lock, then its status
                    Order.id == order_id, Order.status == OrderStatus.PENDING.value)
                    .values(status=OrderStatus.READY.value, backorder=False, updated_at=utcnow(),
                            ready_at=first_ready_at()))
                if not claimed:
                    status = session.scalar(select(Order.status).where(Order.id == order_id)) or ""
                    return ReserveOutcome(number, "skipped", status, kits=kits,
                                          message=f"Order {number} is {status}, not pending: nothing to reserve.")
                found = reserve_lines(session, order_id, today)
                if found.shortages:
                    raise _Short(found.shortages)
                units = sum(r.quantity for r in found.reservations)
                audit.record(session, actor, "order.stock_reserved", "order", order_id, {
                    "order": number, "reserved": [_json(r) for r in found.reservations]})
                return ReserveOutcome(number, "ready", OrderStatus.READY.value, found.reservations, kits=kits,
                                      message=f"Order {number}: {plural(units, 'unit')} reserved; ready to pack.")
        except _Short as short:  # rolled back: still pending, nothing reserved
            return ReserveOutcome(number, "short", OrderStatus.PENDING.value, short=short.shortages, kits=kits,
                                  message=f"Order {number} stays pending, nothing reserved: "
                                  f"{'; '.join(s.words for s in short.shortages)}.")
        except StockMoved:
            continue
    return ReserveOutcome(number, "short", OrderStatus.PENDING.value, kits=kits,
                          message=f"Order {number} stays pending: other stations kept changing its stock while it "
                          "was being reserved. Reserve it again.")


def reserve_one_in(session: Session, actor: Actor, order_id: int, number: str, today: dt.date) -> ReserveOutcome:
    """``_reserve_one`` inside the caller's transaction, for reserving many orders in one
    (``arrival``): the order's kits are expanded, then its claim and reservations are made
    under a SAVEPOINT, so a short order, or one whose stock another station took meanwhile
    (planned again, ``ATTEMPTS`` times), rolls back alone and the others' stand. The caller
    must have written in the transaction already (SQLite's driver begins it at the first
    write; a SAVEPOINT before that would commit on its own). Unlike a manager's reserve, a
    held order is not claimed (an order held meanwhile is ``skipped``)."""
    row = session.execute(select(Order.status, Order.unmatched_lines).where(Order.id == order_id)).first()
    status, kept = (row[0], row[1]) if row is not None else ("", None)
    if status != OrderStatus.PENDING.value:
        return ReserveOutcome(number, "skipped", status, message=f"Order {number} is {status}, not pending: "
                              "nothing to reserve.")
    unknown = unmatched_skus(kept)  # read with the status: one query per order on the arrivals' hot path
    if unknown:
        return refused_for_unknown(number, unknown, ())
    kits = expand_kits_in(session, actor, order_id)
    for _attempt in range(ATTEMPTS):
        savepoint = session.begin_nested()
        try:
            claimed = rows_changed(session, update(Order).where(
                Order.id == order_id, Order.status == OrderStatus.PENDING.value, Order.hold.is_(False))
                .values(status=OrderStatus.READY.value, backorder=False, updated_at=utcnow(),
                        ready_at=first_ready_at()))
            if not claimed:
                savepoint.rollback()
                status = session.scalar(select(Order.status).where(Order.id == order_id)) or ""
                return ReserveOutcome(number, "skipped", status, kits=kits,
                                      message=f"Order {number} is {status}, not pending: nothing to reserve.")
            found = reserve_lines(session, order_id, today, kits_expanded=True)
            if found.shortages:
                savepoint.rollback()
                return ReserveOutcome(number, "short", OrderStatus.PENDING.value, short=found.shortages, kits=kits,
                                      message=f"Order {number} stays pending, nothing reserved: "
                                      f"{'; '.join(s.words for s in found.shortages)}.")
            units = sum(r.quantity for r in found.reservations)
            audit.record(session, actor, "order.stock_reserved", "order", order_id, {
                "order": number, "reserved": [_json(r) for r in found.reservations]})
            savepoint.commit()
            return ReserveOutcome(number, "ready", OrderStatus.READY.value, found.reservations, kits=kits,
                                  message=f"Order {number}: {plural(units, 'unit')} reserved; ready to pack.")
        except StockMoved:
            savepoint.rollback()
    return ReserveOutcome(number, "short", OrderStatus.PENDING.value, kits=kits,
                          message=f"Order {number} stays pending: other stations kept changing its stock while it "
                          "was being reserved. Reserve it again.")


def unknown_skus(session: Session, order_id: int) -> list[str]:
    """The SKUs of the order's lines kept aside as unknown (``unmatched_lines``): such an
    order is never reserved, so never packed short of a line, until it is fixed (re-check)."""
    return unmatched_skus(session.scalar(select(Order.unmatched_lines).where(Order.id == order_id)))


def refused_for_unknown(number: str, skus: list[str], kits: tuple[ExpandedKit, ...]) -> ReserveOutcome:
    """What reserving an order with unknown-SKU lines says (nothing reserved)."""
    return ReserveOutcome(number, "skipped", OrderStatus.PENDING.value, kits=kits,
                          message=f"Order {number} has lines whose SKU is not in the catalogue "
                          f"({', '.join(skus)}): nothing reserved. Add the products, then re-check the order.")


class _Short(Exception):
    def __init__(self, shortages: tuple[Shortage, ...]) -> None:
        super().__init__("short")
        self.shortages = shortages


def _json(reservation: Reservation) -> dict[str, object]:
    return {"sku": reservation.sku, "bin": reservation.bin, "lot": reservation.lot, "quantity": reservation.quantity}
