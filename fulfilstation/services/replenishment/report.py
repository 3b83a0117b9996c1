"""The reorder report: which products to order and how many.

For every active product that is not a kit (a kit is never ordered: its components are):

* available — ``products.availability.available_units`` (on hand − reserved over pickable
  and storage bins: the one home of that rule);
* on order — the sum of ``quantity_expected − quantity_received`` over the lines of open
  purchase orders (receipts with status ``open``);
* the forecast (``forecast.forecast_demand``) of the units shipped per day, from the
  ``ship`` stock moves of the last ``history_days`` days (zero-filled from the product's
  first shipping day in that window up to and including today: what shipped today so far
  counts), over lead time + review period.

A product is listed when its position (available + on order) is at or below reorder
point + safety stock (with either set above 0), or when the forecast demand over its lead
time exceeds its position (it runs out before an order placed today could arrive).
Suggested = max(0, demand over lead time + review + safety stock − position, reorder
point + safety stock − position).

Reading takes one query per table (products, stock levels, open PO lines, shipped moves),
however many products; the forecasts run after the session is closed (CPU only, a few ms
each). Threading: blocking; call from a worker thread.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Product, ProductComponent, Receipt, ReceiptLine, StockMove
from fulfilstation.domain.enums import ReceiptStatus, StockMoveReason
from fulfilstation.services.products.availability import available_units
from fulfilstation.services.replenishment.forecast import forecast_demand
from fulfilstation.services.replenishment.views import HISTORY_DAYS, REVIEW_DAYS, ReorderReport, ReorderRow


@dataclass(frozen=True)
class _Product:
    id: int
    sku: str
    name: str
    supplier: str | None
    reorder_point: int
    safety_stock: int
    lead_time_days: int


@dataclass(frozen=True)
class Inputs:
    """What the report reads from the database, before any forecasting."""

    products: tuple[_Product, ...]
    available: dict[int, int]
    on_order: dict[int, int]
    shipped: dict[int, dict[dt.date, int]]  # product id → {day: units shipped}


def reorder_report(database: Database, today: dt.date, history_days: int = HISTORY_DAYS,
                   review_days: int = REVIEW_DAYS) -> ReorderReport:
    with database.unit_of_work() as session:
        inputs = read_inputs(session, today, history_days)
    return build_report(inputs, today, history_days, review_days)


def read_inputs(session: Session, today: dt.date, history_days: int) -> Inputs:
    is_kit = exists().where(ProductComponent.kit_id == Product.id)
    products = tuple(_Product(*row) for row in session.execute(
        select(Product.id, Product.sku, Product.name, Product.supplier, Product.reorder_point,
               Product.safety_stock, Product.lead_time_days)
        .where(Product.active.is_(True), ~is_kit).order_by(Product.sku)))
    ids = [product.id for product in products]
    outstanding = ReceiptLine.quantity_expected - ReceiptLine.quantity_received
    on_order = {int(product_id): int(units or 0) for product_id, units in session.execute(
        select(ReceiptLine.product_id, func.sum(outstanding))
        .join(Receipt, Receipt.id == ReceiptLine.receipt_id)
        .where(Receipt.status == ReceiptStatus.OPEN.value, outstanding > 0)
        .group_by(ReceiptLine.product_id))}
    start = _midnight(today - dt.timedelta(days=history_days))
    shipped: dict[int, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for product_id, at, quantity in session.execute(
            select(StockMove.product_id, StockMove.created_at, StockMove.quantity)
            .where(StockMove.reason == StockMoveReason.SHIP.value, StockMove.created_at >= start,
                   StockMove.created_at < _midnight(today + dt.timedelta(days=1)))):
        shipped[int(product_id)][_utc_day(at)] += int(quantity)
    return Inputs(products, available_units(session, ids) if ids else {}, on_order,
                  {key: dict(days) for key, days in shipped.items()})


def build_report(inputs: Inputs, today: dt.date, history_days: int, review_days: int) -> ReorderReport:
    rows = [row for product in inputs.products
            if (row := _row(product, inputs, today, history_days, review_days)) is not None]
    rows.sort(key=lambda row: ((row.supplier or "").lower(), row.sku))
    return ReorderReport(tuple(rows), today, history_days, review_days)


def daily_history(shipped: dict[dt.date, int], today: dt.date, history_days: int) -> list[float]:
    """Units shipped per day from the first shipping day in the window to today (included),
    the days without a shipment as 0 (empty when nothing shipped)."""
    if not shipped:
        return []
    first = max(min(shipped), today - dt.timedelta(days=history_days))
    length = (today - first).days + 1
    return [float(shipped.get(first + dt.timedelta(days=offset), 0)) for offset in range(length)]


def _row(product: _Product, inputs: Inputs, today: dt.date, history_days: int,
         review_days: int) -> ReorderRow | None:
    lead = max(0, product.lead_time_days or 0)
    horizon = lead + max(0, review_days)
    history = daily_history(inputs.shipped.get(product.id, {}), today, history_days)
    forecast = forecast_demand(history, horizon)
    available = inputs.available.get(product.id, 0)
    on_order = inputs.on_order.get(product.id, 0)
    position = available + on_order
    floor = max(0, product.reorder_point or 0) + max(0, product.safety_stock or 0)
    below = floor > 0 and position <= floor
    lead_demand = sum(forecast.days[:lead])
    runs_out = lead_demand > 0 and lead_demand > position
    if not (below or runs_out):
        return None
    demand = forecast.units()
    suggested = max(0, demand + max(0, product.safety_stock or 0) - position, floor - position)
    return ReorderRow(product.sku, product.name, product.supplier, available, on_order, product.reorder_point,
                      product.safety_stock, lead, forecast.per_day, demand, forecast.method, suggested, below)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _utc_day(at: dt.datetime) -> dt.date:
    if at.tzinfo is None:
        return at.date()
    return at.astimezone(dt.UTC).date()
