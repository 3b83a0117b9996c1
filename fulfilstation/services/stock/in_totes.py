"""Units picked into totes and not shipped yet: still counted in the bin's ``on_hand`` (only
shipping takes units off) but no longer on the shelf. The system's figure for a bin is
``on_hand - in_totes`` — what a counter should find there.

``in_totes(product, bin, lot)`` is a scalar SQL expression (a correlated sum of
``pick_list_lines.picked_quantity`` for that bin, product and lot, over pick lists not
cancelled, of orders neither shipped nor cancelled), so the caller reads it in the same
statement — one snapshot — as the level's ``on_hand``. The one home of the rule: cycle counts
read it for the system's figure, a short pick for what stays in the bin's books.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select

from fulfilstation.db.models import Order, OrderLine, PickList, PickListLine, StockLevel
from fulfilstation.domain.enums import OrderStatus, PickListStatus


def in_totes(product_id: Any, bin_id: Any, lot_code: Any) -> ColumnElement[int]:
    """Units of the product (and lot) picked from the bin into totes, not yet shipped."""
    return func.coalesce(
        select(func.sum(PickListLine.picked_quantity))
        .join(PickList, PickList.id == PickListLine.pick_list_id)
        .join(OrderLine, OrderLine.id == PickListLine.order_line_id)
        .join(Order, Order.id == OrderLine.order_id)
        .where(PickListLine.product_id == product_id, PickListLine.bin_id == bin_id,
               PickListLine.lot_code == lot_code, PickList.status != PickListStatus.CANCELLED.value,
               Order.status.not_in((OrderStatus.SHIPPED.value, OrderStatus.CANCELLED.value)))
        .scalar_subquery(), 0)


def system_quantity() -> ColumnElement[int]:
    """The system's figure of a ``StockLevel`` row: on hand less units in totes."""
    return StockLevel.on_hand - in_totes(StockLevel.product_id, StockLevel.bin_id, StockLevel.lot_code)
