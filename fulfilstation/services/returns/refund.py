"""Recording that an order's refund was paid (``returns.record_refund``, a manager's).

Invariants: one transaction. Its first write is the conditional ``UPDATE orders SET
refund_due = false WHERE … AND refund_due``: of two managers recording it, one records and
the other is told it was already recorded. Then each closed RMA of the order not yet
refunded is marked by its own conditional ``UPDATE rmas SET refunded_at, refunded_by_id …
WHERE refunded_at IS NULL``; the amount recorded (and named in the audit entry
``order.refund_recorded``) is the sum of the RMAs this call marked only — an RMA refunded
before is never counted again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Order, Rma
from fulfilstation.domain.enums import RmaStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.returns.views import RefundRecorded, ReturnsRefused


def record_refund(database: Database, actor: Actor, order_number: str, now: dt.datetime,
                  note: str | None = None) -> RefundRecorded:
    with database.unit_of_work() as session:
        text = order_number.strip()
        order = session.scalars(select(Order).where(func.upper(Order.number) == text.upper())).first()
        if order is None:
            raise ReturnsRefused("unknown-order", f"There is no order {text!r}: check the number.")
        if not rows_changed(session, update(Order).where(Order.id == order.id, Order.refund_due.is_(True))
                            .values(refund_due=False)):
            raise ReturnsRefused("no-refund-due", f"Order {order.number} has no refund due: nothing came back on "
                                 "it, or its refund was already recorded.")
        owed = session.execute(select(Rma.id, Rma.number, Rma.refund_minor).where(
            Rma.order_id == order.id, Rma.status == RmaStatus.CLOSED.value, Rma.refunded_at.is_(None))
            .order_by(Rma.id)).all()
        amount, numbers = 0, []
        for rma_id, number, value in owed:
            if rows_changed(session, update(Rma).where(Rma.id == rma_id, Rma.refunded_at.is_(None))
                            .values(refunded_at=now, refunded_by_id=actor.user_id)):
                amount += int(value or 0)
                numbers.append(number)
        audit.record(session, actor, "order.refund_recorded", "order", order.id,
                     {"order": order.number, "refund_minor": amount, "currency": order.currency, "rmas": numbers,
                      "note": " ".join((note or "").split())[:300] or None})
        return RefundRecorded(order.number, amount, order.currency)
