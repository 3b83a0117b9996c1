"""Partial shipments (issue #12 point 3): with the site setting ``partial_shipments`` on, an
order that cannot be fully reserved ships what is in stock now and the rest waits.

``ship_what_is_there`` splits one pending, not held, short order in ONE transaction:

* the order keeps the units that can be reserved now (its line quantities lowered; a line
  with none left is moved whole to the remainder, its kit components with it); a kit line is
  split by whole kits only (its component lines lowered to match);
* a new order, the *remainder*, gets the rest: number ``<root number>-2``, ``-3`` … and
  external id ``<root external id>#2`` …, where the root is the order as the shop sent it
  (``split_from_id`` always points at the root, never at another remainder); the same
  channel, ship-to, service, ship-by, ordered-at, financial status; its lines keep the line
  number, price and ``external_line_id`` (the shop's line item) of the line they came from;
  it is pending with ``backorder = true``;
* the order is then reserved whole through the one rule (``reserve.reserve_lines``) and
  becomes ready; ``order.split`` is audited on both orders (what each holds), with
  ``order.stock_reserved`` as every reservation.

Invariants: the claim is the conditional ``UPDATE orders SET status = 'ready' WHERE id AND
status = 'pending' AND hold = false`` (of two reservers one splits, the other finds it not
pending); the root order's row is updated next, so two remainders of one shop order are
never numbered alike. Stock is read, planned and reserved in the same transaction; when
another station took the units meanwhile (``StockMoved``, or fewer units than planned)
the transaction rolls back and is planned again (``reserve.ATTEMPTS``). Nothing is split when
no unit can be reserved, when the order has lines of unknown SKU, already holds units, or
when its remainder's number would not fit: ``None``, and the order waits whole.

``when_short`` is the hook reserving-on-arrival calls for a short order: it splits when the
site setting is on, and then tries the new remainder once more after the split committed
(stock that arrived while the split ran is not missed: the remainder was born a backorder,
so any later arrival sees it).

Threading: blocking (database); call from worker threads or the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Allocation, Order, OrderLine, Product
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.domain.unmatched_lines import unmatched_skus
from fulfilstation.domain.words import plural
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.kits import expand_kits_in
from fulfilstation.services.orders.ready import first_ready_at
from fulfilstation.services.orders.reserve import (
    ATTEMPTS,
    ReserveOutcome,
    StockMoved,
    _free_levels,
    _json,
    _reserve_one,
    reserve_lines,
)
from fulfilstation.services.site.partial_shipments import partial_shipments_of

NUMBER_WIDTH = 32  # orders.number
EXTERNAL_ID_WIDTH = 100  # orders.external_id
_COPIED = ("channel", "ship_to_name", "ship_to_company", "ship_to_line1", "ship_to_line2", "ship_to_city",
           "ship_to_region", "ship_to_postal_code", "ship_to_country", "ship_to_phone", "ship_to_email",
           "ship_to_residential", "ship_by", "deliver_by", "requested_service_id", "gift_message", "currency",
           "ordered_at", "financial_status", "customer_note", "shop_status", "bill_to_country", "original_ship_to")
_MAX_SPLITS = 50  # a remainder tried again after a split splits again only while units keep arriving


@dataclass(frozen=True)
class Split:
    """What ``split_order`` did: the order's outcome (ready) and the remainder made."""

    outcome: ReserveOutcome
    rest_id: int
    rest_number: str


@dataclass(frozen=True)
class _Line:
    id: int
    line_no: int
    product_id: int
    sku: str
    quantity: int
    unit_price_minor: int
    external_line_id: str | None
    kit_line_id: int | None


class _NotSplit(Exception):
    """Nothing to split (rolls the claim back): the order waits whole."""


def ship_what_is_there(database: Database, actor: Actor, order_id: int, number: str,
                       today: dt.date) -> ReserveOutcome | None:
    """Split the short order into what can be reserved now (reserved: ready) and a remainder
    (a backorder); None when nothing was split (see the module doc)."""
    split = split_order(database, actor, order_id, number, today)
    return split.outcome if split is not None else None


def split_order(database: Database, actor: Actor, order_id: int, number: str, today: dt.date) -> Split | None:
    """``ship_what_is_there`` also naming the remainder (id, number)."""
    for _attempt in range(ATTEMPTS):
        try:
            with database.unit_of_work() as session:
                return _split_in(session, actor, order_id, number, today)
        except _NotSplit:
            return None
        except StockMoved:
            continue
    return None


def partial_shipments_on(database: Database) -> bool:
    """The site setting ``partial_shipments`` (off when never set)."""
    with database.unit_of_work() as session:
        return partial_shipments_of(session)


def when_short(database: Database, actor: Actor, order_id: int, number: str, today: dt.date,
               outcome: ReserveOutcome) -> ReserveOutcome:
    """Reserving on arrival's hook for a short order (after it was marked a backorder and
    tried again), called only when the site ships partially (the caller read the setting
    once for its run): ship what is there; else ``outcome`` as it is."""
    if outcome.result != "short":
        return outcome
    split = split_order(database, actor, order_id, number, today)
    if split is None:
        return outcome
    rest_id, rest_number = split.rest_id, split.rest_number
    for _round in range(_MAX_SPLITS):  # the remainder once more (module doc: no arrival missed)
        again = _reserve_one(database, actor, rest_id, rest_number, today)
        if again.result != "short":
            break
        further = split_order(database, actor, rest_id, rest_number, today)
        if further is None:
            break
        rest_id, rest_number = further.rest_id, further.rest_number
    return split.outcome


def _split_in(session: Session, actor: Actor, order_id: int, number: str, today: dt.date) -> Split:
    claimed = rows_changed(session, update(Order).where(
        Order.id == order_id, Order.status == OrderStatus.PENDING.value, Order.hold.is_(False))
        .values(status=OrderStatus.READY.value, backorder=False, updated_at=utcnow(), ready_at=first_ready_at()))
    if not claimed:
        raise _NotSplit
    order = session.get(Order, order_id)
    if order is None or unmatched_skus(order.unmatched_lines):
        raise _NotSplit
    held = session.scalar(select(func.count()).select_from(Allocation).join(
        OrderLine, OrderLine.id == Allocation.order_line_id).where(OrderLine.order_id == order_id))
    if held:
        raise _NotSplit  # a pending order holds nothing; one that does is left to the whole-order rule
    kits = expand_kits_in(session, actor, order_id)
    lines = _lines(session, order_id)
    keep = _plan(session, lines, today)
    kept_units = sum(units for line_id, units in keep.items() if not _is_parent(line_id, lines))
    if kept_units == 0:
        raise _NotSplit
    moved = {line.id: line.quantity - keep[line.id] for line in lines if line.kit_line_id is None
             and keep[line.id] < line.quantity}
    if not moved:
        raise _NotSplit  # it is not short (any more): the whole-order rule reserves it
    root_id = order.split_from_id or order.id
    rest = _new_rest(session, order, root_id)
    _move_lines(session, lines, keep, moved, rest)
    value = sum(line.unit_price_minor * moved[line.id] for line in lines if line.id in moved)
    rest.total_minor = value
    order.total_minor = max(0, order.total_minor - value)
    session.flush()
    found = reserve_lines(session, order_id, today, kits_expanded=True)
    if found.shortages:
        raise StockMoved(order_id)  # fewer units than planned: another station took some; plan again
    kept = [{"sku": line.sku, "quantity": keep[line.id]} for line in lines
            if line.kit_line_id is None and keep[line.id]]
    rest_lines = [{"sku": line.sku, "quantity": moved[line.id]} for line in lines if line.id in moved]
    details = {"order": number, "rest": rest.number, "kept": kept, "rest_lines": rest_lines}
    audit.record(session, actor, "order.split", "order", order_id, details)
    audit.record(session, actor, "order.split", "order", rest.id, {**details, "this": rest.number})
    audit.record(session, actor, "order.stock_reserved", "order", order_id, {
        "order": number, "reserved": [_json(r) for r in found.reservations]})
    units = sum(r.quantity for r in found.reservations)
    waiting = ", ".join(f"{item['quantity']} × {item['sku']}" for item in rest_lines)
    outcome = ReserveOutcome(number, "ready", OrderStatus.READY.value, found.reservations, kits=kits,
                             message=f"Order {number} ships what is in stock: {plural(units, 'unit')} reserved; "
                             f"ready to pack. The rest ({waiting}) waits as backorder {rest.number}.")
    return Split(outcome, rest.id, rest.number)


def _lines(session: Session, order_id: int) -> list[_Line]:
    rows = session.execute(
        select(OrderLine.id, OrderLine.line_no, OrderLine.product_id, Product.sku, OrderLine.quantity,
               OrderLine.unit_price_minor, OrderLine.external_line_id, OrderLine.kit_line_id)
        .join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order_id).order_by(OrderLine.line_no)).all()
    return [_Line(*row) for row in rows]


def _is_parent(line_id: int, lines: list[_Line]) -> bool:
    return any(line.kit_line_id == line_id for line in lines)


def _plan(session: Session, lines: list[_Line], today: dt.date) -> dict[int, int]:
    """Units each line keeps (reservable now), lines in line order sharing each product's free
    stock; a kit line keeps whole kits (its components as many as those kits need)."""
    free: dict[int, int] = {}
    for product_id in sorted({line.product_id for line in lines}):
        free[product_id] = sum(units for _level, units in _free_levels(session, product_id, today))
    parts: dict[int, list[_Line]] = defaultdict(list)
    for line in lines:
        if line.kit_line_id is not None:
            parts[line.kit_line_id].append(line)
    keep: dict[int, int] = {}
    for line in lines:
        if line.kit_line_id is not None:
            continue
        components = parts.get(line.id)
        if not components:
            keep[line.id] = min(line.quantity, free[line.product_id])
            free[line.product_id] -= keep[line.id]
            continue
        kits = line.quantity
        for part in components:
            per_kit, odd = divmod(part.quantity, line.quantity)
            kits = min(kits, free[part.product_id] // per_kit if per_kit and not odd else 0)
        keep[line.id] = kits
        for part in components:
            keep[part.id] = kits * (part.quantity // line.quantity)
            free[part.product_id] -= keep[part.id]
    for line in lines:  # a component line whose kit line is not in the order: kept as a line of its own
        keep.setdefault(line.id, line.quantity)
    return keep


def _new_rest(session: Session, order: Order, root_id: int) -> Order:
    """The remainder order (pending, a backorder), numbered after the root's other remainders."""
    if root_id != order.id:  # the root's row lock: remainders of one shop order are numbered in turn
        session.execute(update(Order).where(Order.id == root_id).values(updated_at=utcnow()))
    root_number, root_external = session.execute(
        select(Order.number, Order.external_id).where(Order.id == root_id)).one()
    count = session.scalar(select(func.count()).select_from(Order).where(Order.split_from_id == root_id)) or 0
    suffix = count + 2
    number, external_id = f"{root_number}-{suffix}", f"{root_external}#{suffix}"
    if len(number) > NUMBER_WIDTH or len(external_id) > EXTERNAL_ID_WIDTH:
        raise _NotSplit
    rest = Order(number=number, external_id=external_id, status=OrderStatus.PENDING.value, backorder=True,
                 hold=False, split_from_id=root_id, total_minor=0,
                 **{name: getattr(order, name) for name in _COPIED})
    session.add(rest)
    session.flush()
    return rest


def _move_lines(session: Session, lines: list[_Line], keep: dict[int, int], moved: dict[int, int],
                rest: Order) -> None:
    """Lower the kept lines, move the empty ones whole, and give the remainder its lines."""
    for line in lines:
        if line.id not in moved:
            continue
        if keep[line.id] == 0:  # none left here: the line (and its kit components) moves whole
            session.execute(update(OrderLine).where((OrderLine.id == line.id) | (OrderLine.kit_line_id == line.id))
                            .values(order_id=rest.id))
            continue
        session.execute(update(OrderLine).where(OrderLine.id == line.id).values(quantity=keep[line.id]))
        for part in lines:
            if part.kit_line_id == line.id:
                session.execute(update(OrderLine).where(OrderLine.id == part.id).values(quantity=keep[part.id]))
        # The remainder's kit line gets its components when it is reserved (kits.add_component_lines).
        session.add(OrderLine(order_id=rest.id, line_no=line.line_no, product_id=line.product_id,
                              quantity=moved[line.id], unit_price_minor=line.unit_price_minor,
                              external_line_id=line.external_line_id))
    session.flush()
