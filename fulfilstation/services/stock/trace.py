"""The trace of a lot: where every unit of it went (for a recall).

A shipment received a lot when one of its package items records the lot (what the packer
scanned) or a ``ship`` stock move took units of the lot for it (what left the bins; before
lots were checked at the bench the two could differ, so both count). Voided shipments are
listed with their status: the parcel may still have left. Also listed: the lot's units in
the bins and the open orders holding some reserved. One read-only transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Allocation,
    Bin,
    Order,
    OrderLine,
    Package,
    PackageItem,
    Product,
    Shipment,
    Station,
    StockLevel,
    StockMove,
)
from fulfilstation.domain.enums import StockMoveReason
from fulfilstation.services.orders.views import to_json
from fulfilstation.services.stock.refusal import StockRefused


@dataclass(frozen=True)
class LotDelivery:
    """Units of the lot that went to one order in one shipment."""

    order: str
    customer: str
    shipment_status: str  # a ShipmentStatus value (``voided`` included: it may have left)
    tracking: str | None
    shipped_at: dt.datetime
    station: str | None
    sku: str
    quantity: int


@dataclass(frozen=True)
class LotInStock:
    sku: str
    bin: str
    expiry: dt.date | None
    on_hand: int
    reserved: int


@dataclass(frozen=True)
class LotReserved:
    """Units of the lot reserved for an order not shipped yet."""

    order: str
    status: str  # an OrderStatus value
    sku: str
    bin: str
    quantity: int


@dataclass(frozen=True)
class LotTrace:
    lot: str
    deliveries: tuple[LotDelivery, ...] = field(default=())
    in_stock: tuple[LotInStock, ...] = field(default=())
    reserved: tuple[LotReserved, ...] = field(default=())

    @property
    def orders(self) -> tuple[str, ...]:
        """The orders that received the lot, first shipped first."""
        return tuple(dict.fromkeys(delivery.order for delivery in self.deliveries))

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        return data


def trace_lot(database: Database, lot: str) -> LotTrace:
    code = lot.strip()
    if not code:
        raise StockRefused("no-lot", "Give the lot code to trace, e.g. 'fulfilstation stock trace L26100'.")
    with database.unit_of_work() as session:
        trace = LotTrace(code, _deliveries(session, code), _in_stock(session, code), _reserved(session, code))
        if trace.deliveries or trace.in_stock or trace.reserved or _ever_moved(session, code):
            return trace
    raise StockRefused("unknown-lot", f"No lot {code!r} was ever received, stocked or shipped here: check the code "
                       "(lot codes are exact, letters and digits as printed on the item).")


def _deliveries(session: Session, lot: str) -> tuple[LotDelivery, ...]:
    scanned: dict[tuple[int, int], int] = defaultdict(int)
    for shipment_id, product_id, quantity in session.execute(
            select(Package.shipment_id, PackageItem.product_id, func.sum(PackageItem.quantity))
            .join(Package, Package.id == PackageItem.package_id)
            .where(PackageItem.lot_code == lot, Package.shipment_id.is_not(None))
            .group_by(Package.shipment_id, PackageItem.product_id)):
        if shipment_id is not None:
            scanned[(shipment_id, product_id)] += int(quantity)
    taken: dict[tuple[int, int], int] = defaultdict(int)
    for shipment_id, product_id, quantity in session.execute(
            select(StockMove.shipment_id, StockMove.product_id, func.sum(StockMove.quantity))
            .where(StockMove.lot_code == lot, StockMove.reason == StockMoveReason.SHIP.value,
                   StockMove.shipment_id.is_not(None))
            .group_by(StockMove.shipment_id, StockMove.product_id)):
        if shipment_id is not None:
            taken[(shipment_id, product_id)] += int(quantity)
    units = {**taken, **scanned}  # what the packer scanned wins over what the ledger took
    if not units:
        return ()
    shipments = {row.id: row for row in session.execute(
        select(Shipment.id, Shipment.status, Shipment.tracking_number, Shipment.created_at, Order.number,
               Order.ship_to_name, Station.name)
        .join(Order, Order.id == Shipment.order_id).outerjoin(Station, Station.id == Shipment.station_id)
        .where(Shipment.id.in_({shipment_id for shipment_id, _product in units})))}
    wanted = {product_id for _shipment, product_id in units}
    skus: dict[int, str] = {product_id: sku for product_id, sku in session.execute(
        select(Product.id, Product.sku).where(Product.id.in_(wanted)))}
    deliveries = [LotDelivery(row.number, row.ship_to_name, row.status, row.tracking_number, row.created_at,
                              row.name, skus[product_id], quantity)
                  for (shipment_id, product_id), quantity in units.items()
                  for row in [shipments[shipment_id]]]
    return tuple(sorted(deliveries, key=lambda delivery: (delivery.shipped_at, delivery.order, delivery.sku)))


def _in_stock(session: Session, lot: str) -> tuple[LotInStock, ...]:
    rows = session.execute(
        select(Product.sku, Bin.code, StockLevel.expiry_date, StockLevel.on_hand, StockLevel.reserved)
        .join(Product, Product.id == StockLevel.product_id).join(Bin, Bin.id == StockLevel.bin_id)
        .where(StockLevel.lot_code == lot, StockLevel.on_hand > 0).order_by(Product.sku, Bin.pick_sequence, Bin.code))
    return tuple(LotInStock(*row) for row in rows)


def _reserved(session: Session, lot: str) -> tuple[LotReserved, ...]:
    rows = session.execute(
        select(Order.number, Order.status, Product.sku, Bin.code, Allocation.quantity)
        .join(StockLevel, StockLevel.id == Allocation.stock_level_id)
        .join(OrderLine, OrderLine.id == Allocation.order_line_id).join(Order, Order.id == OrderLine.order_id)
        .join(Product, Product.id == StockLevel.product_id).join(Bin, Bin.id == StockLevel.bin_id)
        .where(StockLevel.lot_code == lot).order_by(Order.number, Product.sku, Bin.code))
    return tuple(LotReserved(*row) for row in rows)


def _ever_moved(session: Session, lot: str) -> bool:
    return session.scalar(select(StockMove.id).where(StockMove.lot_code == lot).limit(1)) is not None
