"""Orders as scripts and support see them (``fulfilstation orders …``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Allocation,
    Bin,
    Carrier,
    CarrierService,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    Shipment,
    StockLevel,
)
from fulfilstation.domain.box_fit import ItemSize, suggest_box
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.domain.unmatched_lines import unmatched_items
from fulfilstation.domain.weight_check import ExpectedWeight
from fulfilstation.services.orders.lookup import OrderRefused
from fulfilstation.services.orders.split_note import split_note
from fulfilstation.services.packing.loading import box_options, site_tolerance
from fulfilstation.services.packing.views import PackRefused
from fulfilstation.services.shipping.carrier_choice import choose_carrier

STATUS_FILTERS = ("ready", "packing", "shipped", "held", "pending", "cancelled", "backorder")


@dataclass(frozen=True)
class LotReservation:
    """Units of an order line reserved from one lot in one bin (``expiry`` ISO date or None)."""

    lot: str
    expiry: str | None
    bin: str
    quantity: int


@dataclass(frozen=True)
class OrderLineInfo:
    sku: str
    name: str
    quantity: int
    barcodes: list[str]
    unit_weight_g: int
    tracking: str  # "none", "lot" or "serial" (serial wins when a product has both)
    lots: list[LotReservation]  # reserved for the line, first expiry first; empty unless lot-tracked
    line_no: int = 0
    kit_line: int | None = None  # a kit's component: the line number of its kit line
    is_kit: bool = False  # a kit line: never packed itself, its components are (lines with kit_line = its line_no)


@dataclass(frozen=True)
class OrderInfo:
    number: str
    status: str
    hold: bool
    hold_reason: str | None
    customer: str
    ship_by: str | None
    carrier: str | None
    service: str | None
    tracking_numbers: list[str]
    lines: list[OrderLineInfo]
    suggested_box: str | None
    expected_weight_g: dict[str, int] | None
    backorder: bool = False  # pending, waiting for stock
    problems: list[dict[str, Any]] = field(default_factory=list)  # intake findings: {code, message, holds}
    unmatched_lines: list[dict[str, Any]] = field(default_factory=list)  # lines whose SKU is unknown
    original_ship_to: dict[str, Any] | None = None  # as the shop sent it, when the address was corrected
    split: str | None = None  # a partial shipment: "part of 1001" or "rest in 1001-2" (None: never split)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def list_orders(database: Database, status: str | None = None) -> list[OrderInfo]:
    with database.unit_of_work() as session:
        query = select(Order).order_by(Order.ship_by.is_(None), Order.ship_by, Order.id)
        if status == "held":
            query = query.where(Order.hold.is_(True))
        elif status == "ready":  # what a station can start now
            query = query.where(Order.status == status, Order.hold.is_(False))
        elif status == "backorder":  # pending, waiting for stock
            query = query.where(Order.status == OrderStatus.PENDING.value, Order.backorder.is_(True))
        elif status is not None:
            query = query.where(Order.status == status)
        return [_info(session, order) for order in session.scalars(query).all()]


def show_order(database: Database, number: str) -> OrderInfo:
    with database.unit_of_work() as session:
        order = session.scalar(select(Order).where(Order.number == number.strip()))
        if order is None:
            raise OrderRefused("order-not-found", f"There is no order {number.strip()!r}: 'fulfilstation orders "
                               "list' shows them.")
        return _info(session, order)


def _info(session: Session, order: Order) -> OrderInfo:
    rows = session.execute(select(OrderLine, Product).join(Product, Product.id == OrderLine.product_id)
                           .where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)).all()
    lots = _lots(session, [line.id for line, p in rows if p.lot_tracked])
    numbers = {line.id: line.line_no for line, _p in rows}
    kits = {line.kit_line_id for line, _p in rows if line.kit_line_id is not None}
    lines = [OrderLineInfo(p.sku, p.name, line.quantity, _barcodes(session, p.id), p.weight_g, _tracking(p),
                           lots.get(line.id, []), line.line_no,
                           numbers.get(line.kit_line_id) if line.kit_line_id is not None else None, line.id in kits)
             for line, p in rows]
    packed = [(line, p) for line, p in rows if line.id not in kits]  # a kit's weight is its components'
    items = [ItemSize(p.length_mm, p.width_mm, p.height_mm, p.weight_g, line.quantity) for line, p in packed]
    options = box_options(session)
    box = suggest_box(items, [option for _box, option in options])
    contents = sum(p.weight_g * line.quantity for line, p in packed)
    expected = ExpectedWeight.of(contents, box.tare_weight_g if box else 0, site_tolerance(session))
    carrier, service, tracking = _carrier(session, order)
    return OrderInfo(order.number, order.status, order.hold, order.hold_reason, order.ship_to_name,
                     order.ship_by.isoformat() if order.ship_by else None, carrier, service, tracking, lines,
                     box.code if box else None, {"min": expected.min_g, "max": expected.max_g},
                     bool(order.backorder) and order.status == OrderStatus.PENDING.value,
                     [dict(item) for item in order.intake_problems or [] if isinstance(item, dict)],
                     unmatched_items(order.unmatched_lines),
                     dict(order.original_ship_to) if isinstance(order.original_ship_to, dict) else None,
                     split_note(session, order.id, order.split_from_id))


def _tracking(product: Product) -> str:
    return "serial" if product.serial_tracked else "lot" if product.lot_tracked else "none"


def _lots(session: Session, line_ids: list[int]) -> dict[int, list[LotReservation]]:
    """The lots reserved for each of the lines, first expiry first, then the picker's walk."""
    found: dict[int, list[LotReservation]] = {}
    if not line_ids:
        return found
    rows = session.execute(
        select(Allocation.order_line_id, StockLevel.lot_code, StockLevel.expiry_date, Bin.code, Allocation.quantity)
        .join(StockLevel, StockLevel.id == Allocation.stock_level_id).join(Bin, Bin.id == StockLevel.bin_id)
        .where(Allocation.order_line_id.in_(line_ids))
        .order_by(StockLevel.expiry_date.is_(None), StockLevel.expiry_date, Bin.pick_sequence, Bin.code)).all()
    for line_id, lot, expiry, bin_code, quantity in rows:
        found.setdefault(line_id, []).append(
            LotReservation(lot, expiry.isoformat() if expiry else None, bin_code, quantity))
    return found


def _barcodes(session: Session, product_id: int) -> list[str]:
    """The product's barcodes as a scanner would send them: the 12-digit UPC-A for US
    items, else the 13-digit EAN, else the GTIN-14 (case labels)."""
    codes = session.scalars(select(ProductBarcode.code).where(ProductBarcode.product_id == product_id)
                            .order_by(ProductBarcode.pack_quantity, ProductBarcode.id)).all()
    return [_as_scanned(code) for code in codes]


def _as_scanned(code: str) -> str:
    if len(code) != 14 or not code.isdigit():
        return code  # not a GTIN: stored as scanned
    return code[2:] if code.startswith("00") else code[1:] if code.startswith("0") else code


def _carrier(session: Session, order: Order) -> tuple[str | None, str | None, list[str]]:
    shipment = session.scalar(select(Shipment).where(Shipment.order_id == order.id, Shipment.status != "voided")
                              .order_by(Shipment.id.desc()).limit(1))
    if shipment is not None:
        carrier, service = session.execute(select(Carrier.code, CarrierService.code).join(
            CarrierService, CarrierService.carrier_id == Carrier.id)
            .where(CarrierService.id == shipment.service_id)).one()
        return carrier, service, [shipment.tracking_number or ""]
    if order.status == OrderStatus.CANCELLED.value:
        return None, None, []
    try:
        choice = choose_carrier(session, order)
    except PackRefused:
        return None, None, []
    return choice.carrier.code, choice.service.code, []
