"""Which part of a shop's order a shipment carries, when the order was split (partial
shipments, ``services/orders/partial``): the shop knows one order, we ship it as the root
order and its remainders (``orders.split_from_id``).

``shop_external_id``: the shop's id of an order's root (a remainder's own ``external_id`` is
the root's with ``#2`` … added, which the shop does not know). ``shipped_part``: for an order
of a split family, the shop's line items and quantities it carries (its lines as ordered;
a kit's components are not the shop's lines, the kit line is) and whether it is the last
part to ship (every other order of the family shipped or cancelled); None for an order that
was never split, which is told to the shop whole, as before.

Read at send time by the outbox worker, so ``last`` reflects parts shipped since the push
was queued. Threading: blocking (database); call inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Order, OrderLine, Product
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.integrations.ports import ShippedLine

_DONE = (OrderStatus.SHIPPED.value, OrderStatus.CANCELLED.value)


@dataclass(frozen=True)
class ShippedPart:
    external_id: str  # the shop's order (the root's external id)
    lines: tuple[ShippedLine, ...]
    last: bool


def shop_external_id(session: Session, order: Order) -> str:
    """The shop's id of the order: its root's ``external_id`` (its own when not a remainder)."""
    if order.split_from_id is None:
        return order.external_id
    return str(session.scalar(select(Order.external_id).where(Order.id == order.split_from_id)))


def shipped_part(session: Session, order_id: int) -> ShippedPart | None:
    """The part of a split shop order that ``order_id`` is; None when it was never split."""
    root_id = session.scalar(select(Order.split_from_id).where(Order.id == order_id)) or order_id
    family = session.execute(select(Order.id, Order.status, Order.external_id).where(
        or_(Order.id == root_id, Order.split_from_id == root_id))).all()
    if len(family) < 2:
        return None
    external_id = next(str(external) for member, _status, external in family if member == root_id)
    last = all(status in _DONE for member, status, _external in family if member != order_id)
    rows = session.execute(select(OrderLine.external_line_id, OrderLine.quantity, Product.sku)
                           .join(Product, Product.id == OrderLine.product_id)
                           .where(OrderLine.order_id == order_id, OrderLine.kit_line_id.is_(None))
                           .order_by(OrderLine.line_no)).all()
    lines = tuple(ShippedLine(str(line_id or ""), int(quantity), str(sku)) for line_id, quantity, sku in rows)
    return ShippedPart(external_id, lines, last)
