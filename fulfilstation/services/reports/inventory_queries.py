"""The figures of the inventory and returns report, read in one unit of work per call.

Rules (each stated once here, with the home it reuses):

* Accuracy: the counts area's own figures (``counts.queries.accuracy_between``: lines exact
  over lines counted as each count stored them when completed), over counts completed in the
  period's UTC bounds; per day by the site's calendar day of ``completed_at``.
* ABC: the stored classes with the counts area's shipped value (``counts.abc``: package items
  of shipments not voided × the order line's price), over the period — of orders in the site's
  currency only; the products shipped on orders in other currencies are counted in the note.
* Money is in the site's (the reports') currency or not shown: the accuracy's value variance is
  shown only when every product of the period's counts is priced in it (a count stores one sum).
* Stock-outs (now): products wanted by packable lines of pending orders whose available units
  (``products.availability.available_units``; a kit by its components) are 0.
* Backorders: open now = pending orders marked backorder; went to backorder in the period =
  distinct orders with an ``order.backordered`` audit entry in it; split remainders = orders
  created in the period with ``split_from_id`` (they start as backorders).
* Returns: units per product on RMAs created in the period, as the returns area counts its
  reasons (``returns.queries``: a closed RMA counts what came back, a waiting one what is
  authorised, a cancelled one nothing); units shipped = the counts area's shipped figures
  (``counts.abc.shipped_figures``, read once with the ABC values) over the period.
  Processing: RMAs with ``processed_at`` in the period, hours from ``received_at``.

Aggregates run in SQL (GROUP BY); only the per-count rows of the accuracy by day and the
processed RMAs' two instants come back row by row (narrow, few).

Threading: blocking (database); call from worker threads.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.kit_lines import packable_line
from fulfilstation.db.models import (
    AuditEntry,
    CycleCount,
    CycleCountLine,
    Order,
    OrderLine,
    Product,
    Rma,
    RmaLine,
    Shipment,
)
from fulfilstation.domain.enums import CycleCountStatus, OrderStatus, RmaStatus, ShipmentStatus
from fulfilstation.domain.return_reasons import reason_words
from fulfilstation.services.counts.abc import class_shares, shipped_figures
from fulfilstation.services.counts.queries import accuracy_between
from fulfilstation.services.products.availability import available_units
from fulfilstation.services.reports.inventory_view import (
    AccuracyDay,
    InventoryReport,
    OpenBackorder,
    ProcessingTime,
    ProductReason,
    ReturnRate,
    StockOut,
)
from fulfilstation.services.reports.percentiles import median, p90
from fulfilstation.services.reports.period import Period
from fulfilstation.services.returns.queries import reason_counts

SKUS_SHOWN = 5  # an open backorder's SKUs named in its row


def inventory_report(database: Database, period: Period, currency: str) -> InventoryReport:
    start, end = period.start_utc, period.end_utc
    accuracy = accuracy_between(database, start, end, period.first, period.last)
    with database.unit_of_work() as session:
        by_day = _accuracy_by_day(session, period)
        shipped = shipped_figures(session, start, end)
        valued = shipped_figures(session, start, end, currency=currency)
        abc = class_shares(session, {product_id: value for product_id, (_units, value) in valued.items()})
        other_orders = _shipped_orders_in_other_currencies(session, start, end, currency)
        variance_currencies = _counted_currencies(session, start, end)
        stock_outs = _stock_outs(session)
        backorders = _open_backorders(session, period)
        backordered, remainders = _went_to_backorder(session, start, end)
        rates, reasons = _returns_by_product(session, start, end,
                                             {product_id: units for product_id, (units, _value) in shipped.items()})
        processing = _processing(session, start, end)
    return InventoryReport(
        period=period, currency=currency, accuracy=accuracy, accuracy_by_day=by_day,
        abc_window=f"over {period.label()}", abc=abc, stock_outs=stock_outs, open_backorders=backorders,
        backordered=backordered, split_remainders=remainders, return_rates=rates, product_reasons=reasons,
        reasons=tuple(reason_counts(database, start, end)), processing=processing,
        other_currency_orders=other_orders, variance_currencies=variance_currencies)


def _shipped_orders_in_other_currencies(session: Session, start: dt.datetime, end: dt.datetime,
                                        currency: str) -> int:
    """Orders with a shipment not voided in the period whose currency is not ``currency``."""
    return int(session.scalar(
        select(func.count(func.distinct(Shipment.order_id))).join(Order, Order.id == Shipment.order_id)
        .where(Shipment.status != ShipmentStatus.VOIDED.value, Shipment.created_at >= start,
               Shipment.created_at < end, Order.currency != currency)) or 0)


def _counted_currencies(session: Session, start: dt.datetime, end: dt.datetime) -> tuple[str, ...]:
    """The currencies of the products on the lines of counts completed in the period."""
    return tuple(sorted(session.scalars(
        select(Product.currency).distinct().join(CycleCountLine, CycleCountLine.product_id == Product.id)
        .join(CycleCount, CycleCount.id == CycleCountLine.cycle_count_id)
        .where(CycleCount.status == CycleCountStatus.COMPLETED.value, CycleCount.completed_at >= start,
               CycleCount.completed_at < end))))


def _accuracy_by_day(session: Session, period: Period) -> tuple[AccuracyDay, ...]:
    rows = session.execute(select(CycleCount.completed_at, CycleCount.lines_counted, CycleCount.lines_exact)
                           .where(CycleCount.status == CycleCountStatus.COMPLETED.value,
                                  CycleCount.completed_at >= period.start_utc,
                                  CycleCount.completed_at < period.end_utc))
    days: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for completed_at, counted, exact in rows:
        if completed_at is None:  # never: the period's bounds select a time
            continue
        figures = days[period.local_day(completed_at)]
        figures[0] += 1
        figures[1] += int(counted or 0)
        figures[2] += int(exact or 0)
    return tuple(AccuracyDay(day, *days[day]) for day in sorted(days))


def _stock_outs(session: Session) -> tuple[StockOut, ...]:
    pending = Order.status == OrderStatus.PENDING.value
    rows = session.execute(
        select(OrderLine.product_id, Product.sku, Product.name, func.count(func.distinct(Order.id)),
               func.sum(OrderLine.quantity),
               func.count(func.distinct(case((Order.backorder.is_(True), Order.id)))))
        .join(Order, Order.id == OrderLine.order_id).join(Product, Product.id == OrderLine.product_id)
        .where(pending, packable_line())
        .group_by(OrderLine.product_id, Product.sku, Product.name)).all()
    available = available_units(session, [int(row[0]) for row in rows])
    found = [StockOut(sku, name, available[int(pid)], int(orders), int(units or 0), int(back))
             for pid, sku, name, orders, units, back in rows if available[int(pid)] <= 0]
    return tuple(sorted(found, key=lambda s: (-s.orders, -s.units_wanted, s.sku)))


def _open_backorders(session: Session, period: Period) -> tuple[OpenBackorder, ...]:
    rows = session.execute(
        select(Order.id, Order.number, func.coalesce(Order.ordered_at, Order.created_at), Order.ship_by,
               OrderLine.quantity, Product.sku)
        .join(OrderLine, OrderLine.order_id == Order.id).join(Product, Product.id == OrderLine.product_id)
        .where(Order.status == OrderStatus.PENDING.value, Order.backorder.is_(True), packable_line())
        .order_by(Order.id, OrderLine.line_no)).all()
    orders: dict[int, tuple[str, dt.datetime, dt.date | None]] = {}
    units: dict[int, int] = defaultdict(int)
    skus: dict[int, list[str]] = defaultdict(list)
    for order_id, number, came_in, ship_by, quantity, sku in rows:
        orders[order_id] = (number, came_in, ship_by)
        units[order_id] += int(quantity)
        if sku not in skus[order_id]:
            skus[order_id].append(sku)
    found = []
    for order_id, (number, came_in, ship_by) in orders.items():
        named = skus[order_id]
        more = f" +{len(named) - SKUS_SHOWN}" if len(named) > SKUS_SHOWN else ""
        found.append(OpenBackorder(number, period.local_day(came_in), ship_by, units[order_id],
                                   ", ".join(named[:SKUS_SHOWN]) + more))
    return tuple(sorted(found, key=lambda b: (b.ship_by is None, b.ship_by or dt.date.max, b.number)))


def _went_to_backorder(session: Session, start: dt.datetime, end: dt.datetime) -> tuple[int, int]:
    marked = session.scalar(select(func.count(func.distinct(AuditEntry.entity_id)))
                            .where(AuditEntry.action == "order.backordered", AuditEntry.occurred_at >= start,
                                   AuditEntry.occurred_at < end))
    split = session.scalar(select(func.count(Order.id)).where(Order.split_from_id.is_not(None),
                                                             Order.created_at >= start, Order.created_at < end))
    return int(marked or 0), int(split or 0)


def _returns_by_product(session: Session, start: dt.datetime, end: dt.datetime,
                        shipped: dict[int, int]) -> tuple[tuple[ReturnRate, ...], tuple[ProductReason, ...]]:
    # the units an RMA line counts for (the returns area's reason rule)
    units = func.sum(case((Rma.status == RmaStatus.CLOSED.value, RmaLine.quantity_received),
                          else_=RmaLine.quantity_expected))
    by_reason = session.execute(
        select(RmaLine.product_id, RmaLine.reason_code, units).join(Rma, Rma.id == RmaLine.rma_id)
        .where(Rma.created_at >= start, Rma.created_at < end, Rma.status != RmaStatus.CANCELLED.value)
        .group_by(RmaLine.product_id, RmaLine.reason_code)).all()
    returned: dict[int, int] = defaultdict(int)
    for product_id, _code, n in by_reason:
        returned[int(product_id)] += int(n or 0)
    ids = set(shipped) | set(returned)
    names = {int(pid): (sku, name) for pid, sku, name in session.execute(
        select(Product.id, Product.sku, Product.name).where(Product.id.in_(ids)))} if ids else {}
    rates = [ReturnRate(*names[pid], shipped.get(pid, 0), returned.get(pid, 0)) for pid in ids]
    rates.sort(key=lambda r: (-(r.rate_percent or 0.0), -r.units_returned, -r.units_shipped, r.sku))
    reasons = [ProductReason(*names[int(pid)], code or "other", reason_words(code or "other"), int(n or 0))
               for pid, code, n in by_reason if int(n or 0) > 0]
    reasons.sort(key=lambda r: (r.sku, -r.units, r.reason))
    return tuple(rates), tuple(reasons)


def _processing(session: Session, start: dt.datetime, end: dt.datetime) -> ProcessingTime:
    rows = session.execute(select(Rma.received_at, Rma.processed_at)
                           .where(Rma.processed_at >= start, Rma.processed_at < end, Rma.received_at.is_not(None)))
    hours = sorted((processed - received).total_seconds() / 3600 for received, processed in rows
                   if received is not None and processed is not None)
    return ProcessingTime(len(hours), _tenths(median(hours)), _tenths(p90(hours)))


def _tenths(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
