"""Closing the pick lists of an order that shipped or was cancelled.

Its unpicked lines are left in the bin (the walk skips them, ``pick`` refuses them), so a
list whose remaining lines all belong to such orders is finished: called by the shipping
and cancelling code inside ITS transaction, right after the order's status changed, so the
list is marked done in the same commit (a conditional UPDATE per list, as every pick).

Threading: called inside the caller's unit of work.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.models import PickList, PickListOrder
from fulfilstation.services.picking.confirming import OPEN_LISTS, finish_if_done


def finish_lists_of(session: Session, order_id: int) -> list[int]:
    """Mark done every open list of the order that has nothing left to pick; their ids."""
    list_ids = session.scalars(select(PickList.id).join(PickListOrder, PickListOrder.pick_list_id == PickList.id)
                               .where(PickListOrder.order_id == order_id, PickList.status.in_(OPEN_LISTS))).all()
    return [int(list_id) for list_id in list_ids if finish_if_done(session, int(list_id))]
