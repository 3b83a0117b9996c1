"""The lot or serial number a returned unit carries (``returns.receive``).

Rules: a lot-tracked product's unit needs its lot — the lot a GS1 scan carries (AI 10), or
one typed — and it must be a lot this order shipped (its ``ship`` stock moves name it); the
unit goes back into that lot, with the expiry known for the lot. A serial-tracked product's
unit needs its serial, one shipped with this order (``shipped_serials`` of its live
shipments), one unit per scan.

Invariants: runs in the receive transaction. A serial captured in ``serial_numbers`` is moved
from ``shipped`` back to ``in-stock`` (in the returns bin) by a conditional UPDATE: of two
scans of the same serial, one wins and the other is told it already came back. Serials not
captured there are checked against the order's earlier return moves (their note names the
serial; the scans of one RMA are serialised by its row, held first).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import rows_changed
from fulfilstation.db.models import (
    Package,
    PackageItem,
    Product,
    Rma,
    SerialNumber,
    Shipment,
    ShippedSerial,
    StockLevel,
    StockMove,
)
from fulfilstation.domain.enums import SerialStatus, ShipmentStatus, StockMoveReason
from fulfilstation.services.returns.views import ReturnsRefused


def returned_lot(session: Session, rma: Rma, product: Product, scanned: str | None,
                 typed: str | None) -> tuple[str, dt.date | None]:
    """The lot (and its known expiry) the returned unit goes back into; '' when not lot-tracked."""
    if not product.lot_tracked:
        return "", None
    lot = (scanned or typed or "").strip()
    shipped = sorted({code for code in session.scalars(select(StockMove.lot_code).where(
        StockMove.order_id == rma.order_id, StockMove.product_id == product.id,
        StockMove.reason == StockMoveReason.SHIP.value)) if code})
    if not lot:
        raise ReturnsRefused("lot-needed", f"Scan the lot of {product.sku} (the GS1 code on its pack) or type it: "
                             f"it is lot-tracked{f' (this order shipped lot {_words(shipped)})' if shipped else ''}.")
    match = next((code for code in shipped if code.upper() == lot.upper()), None)
    if shipped and match is None:
        raise ReturnsRefused("wrong-lot", f"Lot {lot} of {product.sku} did not ship on this order (it shipped "
                             f"{_words(shipped)}): set the item aside and tell a manager.")
    lot = match or lot
    return lot, lot_expiry(session, product.id, lot)


def lot_expiry(session: Session, product_id: int, lot: str) -> dt.date | None:
    """The expiry known for the product's ``lot`` (any stock level of it), or None."""
    if not lot:
        return None
    return session.scalar(select(func.min(StockLevel.expiry_date)).where(
        StockLevel.product_id == product_id, StockLevel.lot_code == lot, StockLevel.expiry_date.is_not(None)))


def returned_serial(session: Session, rma: Rma, product: Product, serial: str | None, units: int,
                    bin_id: int) -> str | None:
    """The serial of the returned unit (None when not serial-tracked), checked against the order."""
    if not product.serial_tracked:
        return None
    text = (serial or "").strip()
    if not text:
        raise ReturnsRefused("serial-needed", f"Scan the serial number of {product.sku} (on the item or its box) "
                             "or type it: it is serial-tracked.")
    if units != 1:
        raise ReturnsRefused("serial-needed", f"{product.sku} is serial-tracked: scan each unit's own barcode, one "
                             "at a time, with its serial.")
    shipped = session.scalars(select(ShippedSerial.serial_number)
                              .join(PackageItem, PackageItem.id == ShippedSerial.package_item_id)
                              .join(Package, Package.id == PackageItem.package_id)
                              .join(Shipment, Shipment.id == Package.shipment_id)
                              .where(Shipment.order_id == rma.order_id, ShippedSerial.product_id == product.id,
                                     Shipment.status != ShipmentStatus.VOIDED.value)).all()
    match = next((s for s in shipped if s.upper() == text.upper()), None)
    if match is None:
        raise ReturnsRefused("wrong-serial", f"Serial {text} of {product.sku} was not shipped with this order: set "
                             "the item aside and tell a manager (it is not the unit the customer received).")
    again = session.scalar(select(StockMove.id).where(
        StockMove.order_id == rma.order_id, StockMove.product_id == product.id,
        StockMove.reason == StockMoveReason.RETURN.value, StockMove.from_bin_id.is_(None),
        StockMove.note.like(f"%, serial {match}")).limit(1))
    if again is not None:
        raise ReturnsRefused("wrong-serial", f"Serial {match} of {product.sku} already came back: set the item aside "
                             "and tell a manager.")
    captured = session.scalar(select(SerialNumber.id).where(SerialNumber.product_id == product.id,
                                                            SerialNumber.serial == match))
    if captured is not None and not rows_changed(session, update(SerialNumber).where(
            SerialNumber.id == captured, SerialNumber.status == SerialStatus.SHIPPED.value)
            .values(status=SerialStatus.IN_STOCK.value, shipment_id=None, bin_id=bin_id)):
        raise ReturnsRefused("wrong-serial", f"Serial {match} of {product.sku} already came back: set the item aside "
                             "and tell a manager.")
    return match


def _words(codes: list[str]) -> str:
    return ", ".join(codes) or "none"
