"""How an order split for a partial shipment is named to people: a remainder is "part of
1001" (the order as the shop sent it), the order it came from says where its rest waits
("rest in 1001-2, 1001-3"). One short read; None for an order never split.

Threading: inside the caller's transaction.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Order


def split_note(session: Session, order_id: int, split_from_id: int | None) -> str | None:
    if split_from_id is not None:
        root = session.scalar(select(Order.number).where(Order.id == split_from_id))
        return f"part of {root}"
    rest = session.scalars(select(Order.number).where(Order.split_from_id == order_id).order_by(Order.id)).all()
    return f"rest in {', '.join(rest)}" if rest else None
