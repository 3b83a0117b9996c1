"""Finding orders: ``search`` returns ``OrderSummary`` rows in one query, however many
orders the site has.

Text matches, case-insensitively, part of the order number, the shop's order id, the
customer's name or company, part of a SKU — of a line, or of a line whose SKU is not in the
catalogue (kept in ``orders.unmatched_lines``: matched on each line's ``sku`` value through
the engine's JSON functions, never on the JSON text, so quotes, escapes and other keys
cannot match) —, a product barcode (scanned: UPC, EAN, GTIN-14) or part of a tracking
number (of the shipment or any package). Filters: status (an
``OrderStatus`` value), hold, ship-by (``SHIP_BY_FILTERS``) and carrier code (the live
shipment's, else the requested service's). Open orders come first, oldest ship-by first;
then shipped and cancelled ones, newest first. No rating happens here: an order whose
service is chosen at packing shows no carrier.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, String, and_, case, exists, false, func, literal_column, or_, select, true
from sqlalchemy.orm import Session, aliased

from fulfilstation.db.database import Database
from fulfilstation.db.kit_lines import packable_line
from fulfilstation.db.models import (
    Carrier,
    CarrierService,
    Order,
    OrderLine,
    Package,
    Product,
    ProductBarcode,
    Shipment,
)
from fulfilstation.domain.enums import OrderStatus, ShipmentStatus
from fulfilstation.domain.scan_codes import interpret
from fulfilstation.services.orders.lookup import CLOSED, OrderRefused
from fulfilstation.services.orders.views import SHIP_BY_FILTERS, OrderSummary

DEFAULT_LIMIT = 500
BACKORDER = "backorder"  # a status filter: pending orders waiting for stock


def search_orders(database: Database, today: dt.date, text: str | None = None, status: str | None = None,
                  hold: bool | None = None, ship_by: str | None = None, carrier: str | None = None,
                  limit: int = DEFAULT_LIMIT) -> list[OrderSummary]:
    query, chosen_carrier = _summaries(today)
    for condition in _filters(today, text, status, hold, ship_by, database.backend):
        query = query.where(condition)
    if carrier is not None and carrier.strip():
        query = query.where(chosen_carrier == carrier.strip().lower())
    closed = case((Order.status.in_(CLOSED), 1), else_=0)
    query = query.order_by(closed, case((closed == 0, Order.ship_by)).asc().nulls_last(),
                           case((closed == 0, Order.id), else_=-Order.id)).limit(max(1, limit))
    with database.unit_of_work() as session:
        return [_summary(row) for row in session.execute(query).all()]


def summary_of(session: Session, order_id: int, today: dt.date) -> OrderSummary:
    """The summary of one order, read in the caller's transaction."""
    return _summary(session.execute(_summaries(today)[0].where(Order.id == order_id)).one())


def _summaries(today: dt.date) -> tuple[Select[Any], Any]:
    """The summary query, and its carrier code column (for the carrier filter)."""
    lines = (select(OrderLine.order_id, func.count().label("lines"), func.sum(OrderLine.quantity).label("units"))
             .where(packable_line()).group_by(OrderLine.order_id).subquery())
    live = (select(Shipment.order_id, func.max(Shipment.id).label("shipment_id"))
            .where(Shipment.status != ShipmentStatus.VOIDED.value).group_by(Shipment.order_id).subquery())
    shipped_service, shipped_carrier = aliased(CarrierService), aliased(Carrier)
    requested_service, requested_carrier = aliased(CarrierService), aliased(Carrier)
    late = and_(Order.status.not_in(CLOSED), Order.ship_by < today)
    carrier = func.coalesce(shipped_carrier.code, requested_carrier.code)
    query = (select(Order.number, Order.status, Order.hold, Order.hold_reason, Order.ship_to_name, Order.ship_by,
                   case((late, true()), else_=false()), carrier,
                   func.coalesce(shipped_service.code, requested_service.code),
                   func.coalesce(shipped_service.name, requested_service.name),
                   func.coalesce(lines.c.lines, 0), func.coalesce(lines.c.units, 0), Shipment.tracking_number,
                   Order.backorder)
            .outerjoin(lines, lines.c.order_id == Order.id)
            .outerjoin(live, live.c.order_id == Order.id)
            .outerjoin(Shipment, Shipment.id == live.c.shipment_id)
            .outerjoin(shipped_service, shipped_service.id == Shipment.service_id)
            .outerjoin(shipped_carrier, shipped_carrier.id == shipped_service.carrier_id)
            .outerjoin(requested_service, requested_service.id == Order.requested_service_id)
            .outerjoin(requested_carrier, requested_carrier.id == requested_service.carrier_id))
    return query, carrier


def _summary(row: Any) -> OrderSummary:
    (number, status, hold, reason, customer, ship_by, late, carrier, service, service_name, lines, units, tracking,
     backorder) = row
    return OrderSummary(number, status, bool(hold), reason, customer, ship_by, bool(late), carrier, service,
                        service_name, int(lines), int(units), tracking, bool(backorder) and status == "pending")


def _filters(today: dt.date, text: str | None, status: str | None, hold: bool | None,
             ship_by: str | None, backend: str) -> list[Any]:
    conditions: list[Any] = []
    if text is not None and text.strip():
        conditions.append(_matches(text.strip(), backend))
    if status == BACKORDER:
        conditions.append(and_(Order.status == OrderStatus.PENDING.value, Order.backorder.is_(True)))
    elif status is not None:
        if status not in {s.value for s in OrderStatus}:
            raise OrderRefused("unknown-status", f"There is no order status {status!r}: it is one of "
                               + ", ".join(s.value for s in OrderStatus) + f", or {BACKORDER}.")
        conditions.append(Order.status == status)
    if hold is not None:
        conditions.append(Order.hold.is_(hold))
    if ship_by is not None:
        conditions.append(_ship_by(today, ship_by))
    return conditions


def _ship_by(today: dt.date, when: str) -> Any:
    if when == "late":
        return and_(Order.status.not_in(CLOSED), Order.ship_by < today)
    if when == "today":
        return Order.ship_by == today
    if when == "later":
        return or_(Order.ship_by > today, Order.ship_by.is_(None))
    raise OrderRefused("unknown-ship-by", f"Ship-by is one of {', '.join(SHIP_BY_FILTERS)}, not {when!r}.")


def _matches(text: str, backend: str) -> Any:
    """Orders whose number, shop id, customer, SKU (known or not), product barcode or tracking
    number match ``text``."""
    scanned = interpret(text)  # a scan may carry an AIM prefix (]C1…) or be a product's GTIN
    data = scanned.text or text
    product: Any = OrderLine.product_id.in_(select(Product.id).where(Product.sku.icontains(data, autoescape=True)))
    if scanned.gtin14 is not None:
        product = or_(product, OrderLine.product_id.in_(select(ProductBarcode.product_id)
                                                        .where(ProductBarcode.code == scanned.gtin14)))
    with_product = select(OrderLine.order_id).where(product)
    shipments = select(Shipment.order_id).where(Shipment.tracking_number.icontains(data, autoescape=True))
    packages = (select(Shipment.order_id).join(Package, Package.shipment_id == Shipment.id)
                .where(Package.tracking_number.icontains(data, autoescape=True)))
    return or_(Order.number.icontains(data, autoescape=True), Order.external_id == data,
               Order.ship_to_name.icontains(data, autoescape=True),
               Order.ship_to_company.icontains(data, autoescape=True),
               Order.id.in_(with_product), _unmatched_sku(data, backend), Order.id.in_(shipments),
               Order.id.in_(packages))


def _unmatched_sku(data: str, backend: str) -> Any:
    """EXISTS a line in the order's ``unmatched_lines`` whose ``sku`` contains ``data``
    (case-insensitively), read element by element with the engine's JSON functions. A value
    that is not an array of objects (SQL or JSON null, a stray string) matches nothing and
    raises nothing."""
    stored = Order.unmatched_lines
    if backend == "postgresql":
        array = case((func.json_typeof(stored) == "array", stored), else_=literal_column("'[]'::json"))
        elements = func.json_array_elements(array).table_valued("value").alias("unmatched")
        sku: Any = elements.c.value.op("->>", return_type=String)("sku")
    else:  # SQLite's JSON1
        elements = func.json_each(stored).table_valued("value", "type").alias("unmatched")
        sku = case((elements.c.type == "object", func.json_extract(elements.c.value, "$.sku")), else_=None)
    return and_(stored.is_not(None), exists(select(1).select_from(elements)
                                            .where(sku.icontains(data, autoescape=True))))
