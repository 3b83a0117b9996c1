"""Reading RMAs: one RMA (by number or by its return label's tracking number), the list with
its overdue flags, and the reasons counted over a period.

Read-only helpers; ``load_rma`` runs inside the caller's unit of work (the use cases call it
after their changes, so the view they return is the committed one).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, aliased

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Order, Product, Rma, RmaLine, RmaUnit, User
from fulfilstation.domain.enums import RmaStatus
from fulfilstation.domain.return_reasons import REASONS, reason_words
from fulfilstation.domain.tracking_codes import tracking_candidates
from fulfilstation.services.returns.views import (
    OVERDUE_AFTER,
    ReasonCount,
    ReturnsRefused,
    RmaLineView,
    RmaSummary,
    RmaUnitView,
    RmaView,
)


def is_overdue(status: str, received_at: dt.datetime | None, processed_at: dt.datetime | None,
               now: dt.datetime) -> bool:
    """Received more than 48 hours before ``now`` and not yet processed (every unit graded)."""
    return (received_at is not None and processed_at is None and status == RmaStatus.RECEIVED.value
            and now - received_at > OVERDUE_AFTER)


def owed(rma: Rma) -> bool:
    """The RMA's refund is due: it is closed with units back and its refund not yet recorded."""
    return rma.status == RmaStatus.CLOSED.value and rma.refunded_at is None and rma.refund_minor > 0


def find_rma(session: Session, code: str) -> Rma:
    """The RMA a scan or a typed code names: its number (any case), or its return label's
    tracking number (as the label's barcode carries it); ReturnsRefused ``unknown-rma``."""
    text = code.strip()
    if not text:
        raise ReturnsRefused("unknown-rma", "Scan the RMA slip's barcode or the return label, or type the RMA "
                             "number.")
    candidates = tracking_candidates(text)
    found = session.scalars(select(Rma).where(or_(
        func.upper(Rma.number) == text.upper(), Rma.return_tracking_number.in_(candidates)))
        .order_by(Rma.id)).first()
    if found is None:
        raise ReturnsRefused("unknown-rma", f"{text} is not an RMA number or a return label known here: check the "
                             "slip, or find the RMA in the list ('fulfilstation rma list').")
    return found


def load_rma(session: Session, rma: Rma, now: dt.datetime) -> RmaView:
    order = session.get_one(Order, rma.order_id) if rma.order_id is not None else None
    lines = session.execute(select(RmaLine, Product.sku, Product.name).join(Product, Product.id == RmaLine.product_id)
                            .where(RmaLine.rma_id == rma.id).order_by(RmaLine.id)).all()
    grader = aliased(User)
    units = session.execute(select(RmaUnit, Product.sku, Bin.code, grader.full_name)
                            .join(RmaLine, RmaLine.id == RmaUnit.rma_line_id)
                            .join(Product, Product.id == RmaLine.product_id)
                            .outerjoin(Bin, Bin.id == RmaUnit.bin_id)
                            .outerjoin(grader, grader.id == RmaUnit.graded_by_id)
                            .where(RmaLine.rma_id == rma.id).order_by(RmaUnit.id)).all()
    return RmaView(
        number=rma.number, order_number=order.number if order else "", status=rma.status,
        customer=_customer(order), created_at=rma.created_at, created_by=_name(session, rma.created_by_id) or "",
        received_at=rma.received_at, received_by=_name(session, rma.received_by_id), processed_at=rma.processed_at,
        tracking_number=rma.return_tracking_number, carrier_code=rma.return_carrier_code,
        has_label=bool(rma.return_label), refund_minor=rma.refund_minor, currency=order.currency if order else "USD",
        refund_due=owed(rma),
        overdue=is_overdue(rma.status, rma.received_at, rma.processed_at, now), note=rma.notes,
        lines=tuple(RmaLineView(sku, name, line.reason_code or "", reason_words(line.reason_code),
                                line.quantity_expected, line.quantity_received, line.quantity_graded)
                    for line, sku, name in lines),
        units=tuple(RmaUnitView(sku, unit.grade, unit.action, code, who or "", unit.graded_at)
                    for unit, sku, code, who in units))


def show_rma(database: Database, code: str, now: dt.datetime) -> RmaView:
    with database.unit_of_work() as session:
        return load_rma(session, find_rma(session, code), now)


def list_rmas(database: Database, now: dt.datetime, *, overdue_only: bool = False,
              include_closed: bool = True, limit: int = 500) -> list[RmaSummary]:
    """Open and received RMAs first (oldest first), then the closed and cancelled ones,
    newest first; ``overdue_only``: only those received more than 48 h ago and not processed."""
    totals = (select(RmaLine.rma_id, func.sum(RmaLine.quantity_expected).label("expected"),
                     func.sum(RmaLine.quantity_received).label("received"),
                     func.sum(RmaLine.quantity_graded).label("graded"))
              .group_by(RmaLine.rma_id).subquery())
    query = (select(Rma, Order.number, totals.c.expected, totals.c.received, totals.c.graded)
             .outerjoin(Order, Order.id == Rma.order_id).outerjoin(totals, totals.c.rma_id == Rma.id))
    active = [RmaStatus.OPEN.value, RmaStatus.RECEIVED.value]
    if overdue_only:
        query = query.where(Rma.status == RmaStatus.RECEIVED.value, Rma.processed_at.is_(None),
                            Rma.received_at < now - OVERDUE_AFTER)
    elif not include_closed:
        query = query.where(Rma.status.in_(active))
    with database.unit_of_work() as session:
        waiting_first = case((Rma.status.in_(active), 0), else_=1)  # the limit cuts the old closed ones only
        rows = session.execute(query.order_by(waiting_first, Rma.id.desc()).limit(limit)).all()
    found = [RmaSummary(rma.number, number or "", rma.status, rma.created_at, rma.received_at, rma.processed_at,
                        int(expected or 0), int(received or 0), int(graded or 0), rma.return_tracking_number,
                        is_overdue(rma.status, rma.received_at, rma.processed_at, now), owed(rma))
             for rma, number, expected, received, graded in rows]
    waiting = sorted((s for s in found if s.status in active), key=lambda s: (not s.overdue, s.created_at))
    return waiting + [s for s in found if s.status not in active]


def reason_counts(database: Database, start: dt.datetime, end: dt.datetime) -> list[ReasonCount]:
    """Per reason, over RMAs created from ``start`` up to (not including) ``end`` and not
    cancelled: units (what came back on a closed RMA, what is authorised on a waiting one) and
    RMAs that named it; every reason of the list, most units first."""
    with database.unit_of_work() as session:
        closed = Rma.status == RmaStatus.CLOSED.value  # a closed RMA counts what came back on it
        rows = session.execute(select(RmaLine.reason_code, func.sum(
                                          case((closed, RmaLine.quantity_received), else_=RmaLine.quantity_expected)),
                                      func.count(func.distinct(RmaLine.rma_id)))
                               .join(Rma, Rma.id == RmaLine.rma_id)
                               .where(Rma.created_at >= start, Rma.created_at < end,
                                      Rma.status != RmaStatus.CANCELLED.value)
                               .group_by(RmaLine.reason_code)).all()
    counted = {code or "other": (int(units or 0), int(rmas or 0)) for code, units, rmas in rows}
    codes = list(REASONS) + [code for code in counted if code not in REASONS]
    counts = [ReasonCount(code, reason_words(code), *counted.get(code, (0, 0))) for code in codes]
    return sorted(counts, key=lambda c: (-c.units, codes.index(c.reason)))


def _customer(order: Order | None) -> tuple[str, ...]:
    if order is None:
        return ()
    city = " ".join(p for p in (order.ship_to_city, order.ship_to_region, order.ship_to_postal_code) if p)
    return tuple(p for p in (order.ship_to_name, order.ship_to_company, order.ship_to_line1, order.ship_to_line2,
                             city, order.ship_to_country) if p)


def _name(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return session.scalar(select(User.full_name).where(User.id == user_id))
