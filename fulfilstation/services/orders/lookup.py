"""What the order use cases share: their refusal, finding an order by number, and where an
order is being packed (for refusals that say who to ask)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Order, PackSession, Station, User
from fulfilstation.domain.enums import OrderStatus, PackSessionStatus
from fulfilstation.services.refused import Refused

CLOSED = (OrderStatus.SHIPPED.value, OrderStatus.CANCELLED.value)  # an order that can no longer change
REASON_LENGTH = 300  # orders.hold_reason


class OrderRefused(Refused):
    """An order that cannot be found or changed; the message says why and what to do."""


def find_order(session: Session, number: str) -> Order:
    """The order numbered ``number`` (blanks ignored), or OrderRefused ``order-not-found``."""
    order = session.scalar(select(Order).where(Order.number == number.strip()))
    if order is None:
        raise OrderRefused("order-not-found", f"There is no order {number.strip()!r}: search for it by customer, SKU "
                           "or tracking number ('fulfilstation orders search TEXT', or the Orders screen).")
    return order


def reason_given(reason: str | None, what: str) -> str:
    """``reason`` stripped; OrderRefused when it is empty or too long (``what``: "held" …)."""
    text = (reason or "").strip()
    if not text:
        raise OrderRefused("reason-required", f"Say why the order is {what}: the reason is kept with it and shown "
                           "to whoever looks at it next.")
    if len(text) > REASON_LENGTH:
        raise OrderRefused("reason-too-long", f"Keep the reason under {REASON_LENGTH} characters (it has {len(text)}).")
    return text


def packing_where(session: Session, order_id: int) -> str:
    """``at station PACK-A by Pat Packer`` for the order's open pack, else ``at a station``."""
    row = session.execute(select(Station.name, User.full_name).select_from(PackSession)
                          .join(Station, Station.id == PackSession.station_id)
                          .join(User, User.id == PackSession.user_id)
                          .where(PackSession.order_id == order_id,
                                 PackSession.status == PackSessionStatus.OPEN.value)).first()
    return f"at station {row[0]} by {row[1]}" if row else "at a station"
