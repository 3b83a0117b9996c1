"""Ending an RMA other than by grading its last unit: ``cancel`` (nothing came back yet) and
``close`` short (a manager's: the units still expected are not coming), plus ``close_rma``,
the close that grading also uses.

Invariants: one transaction each. ``cancel`` is one conditional ``UPDATE rmas SET status =
'cancelled' WHERE status = 'open'`` (an RMA is open exactly while nothing was received on it:
the first scan moves it to received under the same row), so a cancel and a scan never both
win. ``close`` holds the RMA's row by ``UPDATE … WHERE status = 'received'`` and refuses
while a received unit waits for its grade. ``close_rma`` sets ``processed_at`` and
``refund_minor`` = units received × the order line's price (``unit_value``), marks the order's refund due
when any unit came back, and writes the audit entry ``rma.closed``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Order, OrderLine, Rma, RmaLine
from fulfilstation.domain.enums import RmaStatus
from fulfilstation.domain.words import plural
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.returns.queries import find_rma, load_rma
from fulfilstation.services.returns.views import ReturnsRefused, RmaView


def unit_value(session: Session, order_line_id: int | None) -> int:
    """What one unit of the order line is refunded at: its price; a kit component without a
    price of its own gets an equal share of its kit's price per component unit (rounded to
    the cent, so a whole kit may differ from the kit's price by a few cents)."""
    line = session.get(OrderLine, order_line_id) if order_line_id is not None else None
    if line is None:
        return 0
    if line.unit_price_minor or line.kit_line_id is None:
        return int(line.unit_price_minor or 0)
    kit = session.get_one(OrderLine, line.kit_line_id)
    units_per_kit = sum(part // max(kit.quantity, 1) for part in session.scalars(
        select(OrderLine.quantity).where(OrderLine.kit_line_id == kit.id)))
    return round(int(kit.unit_price_minor or 0) / max(units_per_kit, 1))


def close_rma(session: Session, actor: Actor, rma: Rma, now: dt.datetime, *, short: bool = False) -> int:
    """Close the held, received RMA (see the module doc); its refund value."""
    rows = [(expected, received, unit_value(session, line_id)) for expected, received, line_id in session.execute(
        select(RmaLine.quantity_expected, RmaLine.quantity_received, RmaLine.order_line_id)
        .where(RmaLine.rma_id == rma.id)).all()]
    expected = sum(int(e) for e, _r, _p in rows)
    units = sum(int(r) for _e, r, _p in rows)
    refund = sum(int(r) * int(price or 0) for _e, r, price in rows)
    rows_changed(session, update(Rma).where(Rma.id == rma.id, Rma.status == RmaStatus.RECEIVED.value)
                 .values(status=RmaStatus.CLOSED.value, processed_at=now, refund_minor=refund))
    if units and rma.order_id is not None:
        session.execute(update(Order).where(Order.id == rma.order_id).values(refund_due=True))
    audit.record(session, actor, "rma.closed", "rma", rma.id, {"rma": rma.number, "units": units,
                                                              "expected": expected, "short": short,
                                                              "refund_minor": refund})
    return refund


def cancel_rma(database: Database, actor: Actor, code: str, now: dt.datetime) -> RmaView:
    with database.unit_of_work() as session:
        rma = find_rma(session, code)
        if not rows_changed(session, update(Rma).where(Rma.id == rma.id, Rma.status == RmaStatus.OPEN.value)
                            .values(status=RmaStatus.CANCELLED.value, processed_at=now)):
            session.refresh(rma)
            if rma.status == RmaStatus.CANCELLED.value:
                raise ReturnsRefused("not-open", f"{rma.number} is already cancelled.")
            raise ReturnsRefused("not-open", f"{rma.number} is {rma.status}: items came back on it, so it cannot be "
                                 f"cancelled. Grade what came in, then close it ('fulfilstation rma close "
                                 f"{rma.number}').")
        audit.record(session, actor, "rma.cancelled", "rma", rma.id, {"rma": rma.number})
        session.flush()
        session.expire_all()
        return load_rma(session, rma, now)


def close_short(database: Database, actor: Actor, code: str, now: dt.datetime) -> tuple[RmaView, str]:
    """Close a received RMA whose remaining units are not coming; the view and a sentence."""
    with database.unit_of_work() as session:
        rma = find_rma(session, code)
        if not rows_changed(session, update(Rma).where(Rma.id == rma.id, Rma.status == RmaStatus.RECEIVED.value)
                            .values(status=Rma.status)):
            session.refresh(rma)
            if rma.status == RmaStatus.OPEN.value:
                raise ReturnsRefused("nothing-received", f"Nothing came back on {rma.number}: cancel it instead "
                                     f"('fulfilstation rma cancel {rma.number}').")
            raise ReturnsRefused("not-open", f"{rma.number} is {rma.status} already.")
        lines = session.execute(select(RmaLine.quantity_expected, RmaLine.quantity_received,
                                       RmaLine.quantity_graded).where(RmaLine.rma_id == rma.id)).all()
        waiting = sum(int(r) - int(g) for _e, r, g in lines)
        if waiting:
            raise ReturnsRefused("to-grade", f"{plural(waiting, 'unit')} received on {rma.number} "
                                 f"{'waits' if waiting == 1 else 'wait'} to be graded: grade "
                                 f"{'it' if waiting == 1 else 'them'} first, then close the RMA.")
        expected, received = sum(int(e) for e, _r, _g in lines), sum(int(r) for _e, r, _g in lines)
        refund = close_rma(session, actor, rma, now, short=received < expected)
        session.flush()
        session.expire_all()
        view = load_rma(session, rma, now)
        return view, (f"{rma.number} closed with {received} of {expected} received; refund "
                      f"{refund / 100:.2f} {view.currency} due on order {view.order_number}.")
