"""Which order lines are kits: the one SQL rule every query over order lines uses.

An order line for a kit is kept as ordered (the shop's line, the packing slip) and is never
reserved, picked, packed or shipped itself: once stock is reserved its components are
order lines of their own whose ``kit_line_id`` points at it (``services/orders/reserve``
adds them). So a *kit parent* is a line that some line points at, and the lines a station
packs, a carrier rates and the stock leaves by are the others (``packable_line``).

Both are correlated EXISTS clauses over ``OrderLine``: use them in a query that selects
from ``order_lines`` (``select(OrderLine…).where(packable_line())``).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, not_
from sqlalchemy.orm import aliased

from fulfilstation.db.models import OrderLine


def kit_parent_line() -> ColumnElement[bool]:
    """True for an order line that has component lines pointing at it."""
    component = aliased(OrderLine)
    return exists().where(component.kit_line_id == OrderLine.id)


def packable_line() -> ColumnElement[bool]:
    """True for an order line a station packs: any line but a kit parent."""
    return not_(kit_parent_line())
