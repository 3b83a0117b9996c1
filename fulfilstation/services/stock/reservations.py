"""Which orders hold a stock level's reserved units (for refusals that name them)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Allocation, Order, OrderLine


def holders(session: Session, level_id: int) -> list[str]:
    """The numbers of the orders with units reserved in the level, in order."""
    return list(session.scalars(select(Order.number).distinct()
                                .join(OrderLine, OrderLine.order_id == Order.id)
                                .join(Allocation, Allocation.order_line_id == OrderLine.id)
                                .where(Allocation.stock_level_id == level_id).order_by(Order.number)))
