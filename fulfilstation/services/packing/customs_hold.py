"""Holding, at the moment a packer claims it, an order that cannot be declared to customs.

An order leaving the ship-from country whose products lack an HS code or a country of origin
is held at intake (``customs.lines``); one that got past that (imported before the products
lost the data, or released by a manager) is caught here, before its pack starts, not at the
label. ``hold_for_customs`` holds it the way intake does — the ``customs-data`` finding added
to ``intake_problems`` and the hold reason the findings' reason — so ``orders.recheck``
releases it once the products are fixed. Audited ``order.customs_held``.

Invariant: the hold is a conditional UPDATE (still ready, not held), so of a packer and a
manager acting at once one wins; an order not ready or already held is left to the claim's
own refusal. Runs in the caller's session; blocking (database).
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from fulfilstation.db.database import rows_changed
from fulfilstation.db.models import Order
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.customs.lines import CUSTOMS_CODE, order_customs_gaps
from fulfilstation.services.orders.intake.checks import CheckOutcome
from fulfilstation.services.orders.intake.findings import IntakeProblem
from fulfilstation.services.site.customs import ship_from_country_of


def hold_for_customs(session: Session, actor: Actor, order_id: int) -> str | None:
    """Hold the order when customs cannot be declared; returns the message, else None."""
    order = session.get(Order, order_id)
    if order is None or order.hold or order.status != OrderStatus.READY.value:
        return None
    message = order_customs_gaps(session, order, ship_from_country_of(session))
    if message is None:
        return None
    problems = [IntakeProblem.from_json(item) for item in order.intake_problems or [] if isinstance(item, dict)]
    problems = [problem for problem in problems if problem.code != CUSTOMS_CODE]
    problems.append(IntakeProblem(CUSTOMS_CODE, message))
    reason = CheckOutcome(tuple(problems)).hold_reason()
    held = rows_changed(session, update(Order).where(
        Order.id == order_id, Order.status == OrderStatus.READY.value, Order.hold.is_(False))
        .values(hold=True, hold_reason=reason, intake_problems=[problem.as_json() for problem in problems])
        .execution_options(synchronize_session=False))
    if not held:
        return None
    audit.record(session, actor, "order.customs_held", "order", order_id, {"order": order.number, "reason": message})
    return message
