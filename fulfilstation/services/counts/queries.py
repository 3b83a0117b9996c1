"""Reading counts: the list, one count (blind for a counter), the sheet's bins and products,
and inventory accuracy over a period (both days included). Read-only; each opens its own unit of work.

Blind: while a count is open, someone who may not manage counts (a packer) never receives an
expected or system figure nor a variance (``None`` in the view); once completed, the
variances are everyone's to see.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, CycleCount, CycleCountLine, Product, ProductBarcode, User
from fulfilstation.domain.enums import CycleCountStatus
from fulfilstation.domain.roles import Permission
from fulfilstation.services.actor import Actor
from fulfilstation.services.counts.holding import not_open
from fulfilstation.services.counts.views import Accuracy, CountLineView, CountSummary, CountView

CLOSED = (CycleCountStatus.COMPLETED.value, CycleCountStatus.CANCELLED.value)


def list_counts(database: Database, open_only: bool = False, limit: int = 200) -> list[CountSummary]:
    """Counts, open ones first, newest first."""
    creator = aliased(User)
    bins = func.count(func.distinct(CycleCountLine.bin_id))
    counted = func.count(CycleCountLine.counted_quantity)
    query = (select(CycleCount, creator.full_name, bins, func.count(CycleCountLine.id), counted)
             .outerjoin(creator, creator.id == CycleCount.created_by_id)
             .outerjoin(CycleCountLine, CycleCountLine.cycle_count_id == CycleCount.id)
             .group_by(CycleCount.id, creator.full_name)
             .order_by(CycleCount.status.in_(CLOSED), CycleCount.id.desc()).limit(limit))
    if open_only:
        query = query.where(CycleCount.status.not_in(CLOSED))
    with database.unit_of_work() as session:
        return [CountSummary(count.number, count.status, count.description or "", int(n_bins), int(lines),
                             int(n_counted), bool(count.needs_approval), name or "", count.created_at,
                             count.completed_at)
                for count, name, n_bins, lines, n_counted in session.execute(query)]


def show_count(database: Database, number: str, viewer: Actor | None) -> CountView:
    with database.unit_of_work() as session:
        count = session.scalars(select(CycleCount).where(CycleCount.number == number.strip())).first()
        if count is None:
            raise not_open(session, number.strip())
        blind = count.status not in CLOSED and not (viewer is not None and viewer.may(Permission.MANAGE_COUNTS))
        revealed = not blind
        counter, approver = aliased(User), aliased(User)
        barcode = (select(ProductBarcode.code).where(ProductBarcode.product_id == Product.id)
                   .order_by(ProductBarcode.pack_quantity, ProductBarcode.id).limit(1).scalar_subquery())
        rows = session.execute(
            select(CycleCountLine, Bin.code, Bin.pick_sequence, Product.sku, Product.name, barcode,
                   counter.full_name)
            .join(Bin, Bin.id == CycleCountLine.bin_id).join(Product, Product.id == CycleCountLine.product_id)
            .outerjoin(counter, counter.id == CycleCountLine.counted_by_id)
            .where(CycleCountLine.cycle_count_id == count.id)
            .order_by(Bin.pick_sequence, Bin.code, Product.sku, CycleCountLine.lot_code)).all()
        lines = tuple(
            CountLineView(code, int(sequence or 0), sku, name, line.lot_code, code_ or "", line.counted_quantity,
                          who or "", line.expected_quantity if revealed else None,
                          line.system_quantity if revealed else None,
                          (line.counted_quantity - line.system_quantity) if revealed
                          and line.counted_quantity is not None and line.system_quantity is not None else None,
                          line.posted_quantity)
            for line, code, sequence, sku, name, code_, who in rows)
        approved_by = session.scalar(select(approver.full_name).where(approver.id == count.approved_by_id)) \
            if count.approved_by_id else None
        completed = count.status == CycleCountStatus.COMPLETED.value
        counted = sum(1 for line in lines if line.counted is not None)  # as the list says, while open too
        return CountView(count.number, count.status, count.description or "", blind, bool(count.needs_approval),
                         approved_by or "", lines, count.lines_counted if completed else counted,
                         count.lines_exact if completed else None, count.units_variance if completed else None,
                         count.value_variance_minor if completed else None, count.created_at, count.completed_at)


def accuracy(database: Database, since: dt.date, until: dt.date) -> Accuracy:
    """Inventory accuracy of the counts completed from ``since`` to ``until``, both UTC days included."""
    start = dt.datetime.combine(since, dt.time(), dt.UTC)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
    return accuracy_between(database, start, end, since, until)


def accuracy_between(database: Database, start: dt.datetime, end: dt.datetime, since: dt.date,
                     until: dt.date) -> Accuracy:
    """Inventory accuracy of the counts completed from the instant ``start`` up to (not
    including) ``end``, labelled ``since``…``until`` (the reports give a site's local days)."""
    with database.unit_of_work() as session:
        row = session.execute(select(func.count(CycleCount.id), func.sum(CycleCount.lines_counted),
                                     func.sum(CycleCount.lines_exact), func.sum(CycleCount.units_variance),
                                     func.sum(CycleCount.value_variance_minor))
                              .where(CycleCount.status == CycleCountStatus.COMPLETED.value,
                                     CycleCount.completed_at >= start, CycleCount.completed_at < end)).one()
    return Accuracy(since, until, int(row[0] or 0), int(row[1] or 0), int(row[2] or 0), int(row[3] or 0),
                    int(row[4] or 0))
