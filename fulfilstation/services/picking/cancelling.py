"""Cancelling a pick list (a manager's): its orders can be picked again.

A conditional UPDATE (``status`` open or picking → cancelled) decides it: a list done or
cancelled meanwhile is refused. The orders keep their reservations (the list never held
stock); units already picked into totes are counted so the picker is told to put them
back. Audited ``picklist.cancelled``.

Threading: blocking (database); called by the use case from worker threads.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import PickList, PickListLine, PickListOrder
from fulfilstation.domain.enums import PickListStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.picking.confirming import OPEN_LISTS
from fulfilstation.services.picking.reading import find_list
from fulfilstation.services.picking.views import Cancelled, PickingRefused


def cancel_list(database: Database, actor: Actor, number: str, reason: str) -> Cancelled:
    with database.unit_of_work() as session:
        pick_list = find_list(session, number)
        cancelled = rows_changed(session, update(PickList).where(
            PickList.id == pick_list.id, PickList.status.in_(OPEN_LISTS))
            .values(status=PickListStatus.CANCELLED.value, completed_at=utcnow())
            .execution_options(synchronize_session=False))
        if not cancelled:
            session.expire_all()
            status = session.scalar(select(PickList.status).where(PickList.id == pick_list.id))
            raise PickingRefused("list-closed", f"Pick list {pick_list.number} is {status}: it cannot be cancelled.")
        orders = int(session.scalar(select(func.count()).select_from(PickListOrder)
                                    .where(PickListOrder.pick_list_id == pick_list.id)) or 0)
        picked = int(session.scalar(select(func.coalesce(func.sum(PickListLine.picked_quantity), 0))
                                    .where(PickListLine.pick_list_id == pick_list.id)) or 0)
        audit.record(session, actor, "picklist.cancelled", "pick_list", pick_list.id,
                     {"number": pick_list.number, "orders": orders, "picked_units": picked,
                      "reason": " ".join(reason.split())[:300]})
        return Cancelled(pick_list.number, orders, picked)
