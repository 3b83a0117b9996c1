"""A packing slip's figures when its order was split for a partial shipment
(``services/orders/partial``): the customer ordered one shop order, we ship it as the root
order and its remainders (``orders.split_from_id`` = the root's id).

``family_of`` reads, for one order of a split family, each shop line's *ordered* units (the
sum over the root and every remainder of that line), the units still *to follow* (in the
family's other orders that are neither shipped nor cancelled), the shop lines this order no
longer holds (moved whole to a remainder), and the sentence printed under the slip's table.
Lines of the family are matched by ``external_line_id`` (the shop's line item), else by
product and line number — the split keeps both. A kit's component lines are not shop lines:
their figures follow their kit line's (``per kit × kit figures``), so a remainder whose kit
was never expanded still counts right. ``None`` for an order never split: its slip is
exactly what it always was.

Threading: inside the caller's unit of work (blocking, database).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Order, OrderLine, Product
from fulfilstation.domain.enums import OrderStatus

LineKey = tuple[str, object, object]


@dataclass(frozen=True)
class ElsewhereLine:
    """A shop line this order does not hold: all of it is in the family's other orders."""

    key: LineKey
    line_no: int
    sku: str
    name: str


@dataclass(frozen=True)
class SplitFamily:
    ordered: dict[LineKey, int]  # the shop line's units over the whole family
    to_follow: dict[LineKey, int]  # its units in other orders still open (not shipped, not cancelled)
    keys: dict[int, LineKey]  # this order's top-level line id -> its shop line
    elsewhere: tuple[ElsewhereLine, ...] = field(default=())
    note: str = ""  # the sentence under the table


def line_key(external_line_id: str | None, product_id: int, line_no: int) -> LineKey:
    if external_line_id:
        return ("shop", external_line_id, None)
    return ("line", product_id, line_no)


def family_of(session: Session, order_id: int) -> SplitFamily | None:
    """The split family figures for ``order_id``'s slip; None when it was never split."""
    own_root = session.scalar(select(Order.split_from_id).where(Order.id == order_id))
    root_id = own_root or order_id
    members = session.execute(select(Order.id, Order.number, Order.status).where(
        or_(Order.id == root_id, Order.split_from_id == root_id)).order_by(Order.id)).all()
    if len(members) < 2:
        return None
    status = {member: state for member, _number, state in members}
    rows = session.execute(
        select(OrderLine.id, OrderLine.order_id, OrderLine.line_no, OrderLine.product_id, OrderLine.quantity,
               OrderLine.external_line_id, Product.sku, Product.name)
        .join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id.in_(list(status)), OrderLine.kit_line_id.is_(None))
        .order_by(OrderLine.line_no, OrderLine.order_id)).all()
    ordered: dict[LineKey, int] = defaultdict(int)
    to_follow: dict[LineKey, int] = defaultdict(int)
    keys: dict[int, LineKey] = {}
    others: dict[LineKey, ElsewhereLine] = {}
    for line_id, member, line_no, product_id, quantity, external, sku, name in rows:
        key = line_key(external, product_id, line_no)
        ordered[key] += quantity
        if member == order_id:
            keys[line_id] = key
        else:
            others.setdefault(key, ElsewhereLine(key, line_no, sku, name))
            if status[member] not in (OrderStatus.SHIPPED.value, OrderStatus.CANCELLED.value):
                to_follow[key] += quantity
    own = set(keys.values())
    elsewhere = tuple(line for key, line in others.items() if key not in own)
    numbers = {member: number for member, number, _state in members}
    return SplitFamily(dict(ordered), dict(to_follow), keys, elsewhere,
                       _note(order_id, root_id, numbers, status))


def _note(order_id: int, root_id: int, numbers: dict[int, str], status: dict[int, str]) -> str:
    """"The rest of your order follows in a separate parcel (order 1001-2)." — and for a
    remainder "Part of order 1001; the rest …"."""
    others = [member for member in numbers if member != order_id]
    waiting = [numbers[m] for m in others if status[m] not in (OrderStatus.SHIPPED.value,
                                                                OrderStatus.CANCELLED.value)]
    sent = [numbers[m] for m in others if status[m] == OrderStatus.SHIPPED.value]
    if waiting:
        rest = (f"the rest of your order follows in a separate parcel (order {waiting[0]})." if len(waiting) == 1
                else f"the rest of your order follows in separate parcels (orders {', '.join(waiting)}).")
    elif sent:
        rest = (f"the rest of your order was sent in a separate parcel (order {sent[0]})." if len(sent) == 1
                else f"the rest of your order was sent in separate parcels (orders {', '.join(sent)}).")
    else:
        rest = "nothing more follows."
    if order_id == root_id:
        return rest[0].upper() + rest[1:]
    return f"Part of order {numbers[root_id]}; {rest}"
