"""Verifying each scanned item against the order.

Every scan, accepted or not, is stored as a scan event in the same transaction as the
decision, so the history explains every count. A serial- or lot-tracked item scanned
without that data is recorded as *pending*; the next scan is then read as its serial
number or lot code. Counts are derived from the accepted events, never kept apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    OrderLine,
    PackSession,
    Product,
    ProductBarcode,
    ScanEvent,
    ShippedSerial,
    StockLevel,
)
from fulfilstation.domain.enums import PackSessionStatus, ScanResult
from fulfilstation.domain.scan_codes import ScannedCode, interpret
from fulfilstation.services.packing.loading import SessionState, build_view, load_state
from fulfilstation.services.packing.views import PackRefused, Refusal, ScanOutcome


@dataclass(frozen=True)
class Decision:
    result: ScanResult
    message: str
    refusal: Refusal | None = None
    line: OrderLine | None = None
    product: Product | None = None
    quantity: int = 0
    serial: str | None = None
    lot: str | None = None
    expiry: dt.date | None = None


def scan_item(database: Database, session_id: int, raw: str, symbology: str | None = None,
              today: dt.date | None = None) -> ScanOutcome:
    today = today or dt.date.today()
    code = interpret(raw, symbology)
    with database.unit_of_work() as session:
        pack = session.get(PackSession, session_id)
        if pack is None or pack.status != PackSessionStatus.OPEN.value:
            raise PackRefused(Refusal.SESSION_CLOSED, "This pack is finished. Scan the next order.")
        state = load_state(session, pack)
        decision = decide(session, state, code, today)
        session.add(_event(pack, state, raw, code, decision))
        session.flush()
        view = build_view(session, load_state(session, pack))
    return ScanOutcome(decision.result is ScanResult.ACCEPTED, decision.message, decision.refusal,
                       decision.result is ScanResult.PENDING, view)


def decide(session: Session, state: SessionState, code: ScannedCode, today: dt.date) -> Decision:
    pending = state.last_event if state.last_event and state.last_event.result == ScanResult.PENDING.value else None
    if pending is not None and not code.is_product_code:
        return _second_scan(session, state, pending, code, today)
    found = _product_for(session, code)
    if found is None:
        return Decision(ScanResult.REFUSED, f"Unknown barcode '{code.text}': this is not one of our products. "
                        "Put the item aside and show it to a manager.", Refusal.UNKNOWN_BARCODE)
    product, pack_quantity = found
    if pending is not None:
        waiting_for = session.get_one(Product, pending.product_id)
        what = "serial number" if pending.refusal == Refusal.SERIAL_REQUIRED.value else "lot number"
        return Decision(ScanResult.REFUSED, f"First scan the {what} of {waiting_for.name}, then the next item.",
                        Refusal(pending.refusal or Refusal.SERIAL_REQUIRED.value))
    return _item_scan(session, state, product, pack_quantity, code, today)


def _item_scan(session: Session, state: SessionState, product: Product, quantity: int, code: ScannedCode,
               today: dt.date) -> Decision:
    line = next((line for line, p in state.lines if p.id == product.id), None)
    if line is None:
        return Decision(ScanResult.REFUSED, f"{product.name} is not on this order: take it out of the parcel.",
                        Refusal.NOT_ON_ORDER, product=product)
    already = state.scanned.get(line.id, 0)
    if already + quantity > line.quantity:
        return Decision(ScanResult.REFUSED, f"Too many {product.name}: the order wants {line.quantity}, "
                        f"{already} already scanned. Take the extra out.", Refusal.OVER_QUANTITY, line, product)
    expired = _expired(session, product, code.lot, code.expiry, today)
    if expired:
        return Decision(ScanResult.REFUSED, expired, Refusal.EXPIRED_LOT, line, product)
    if product.serial_tracked and code.serial is None:
        if quantity > 1:
            return Decision(ScanResult.REFUSED, f"{product.name} has serial numbers: scan each unit, not the "
                            "case.", Refusal.SERIAL_REQUIRED, line, product)
        return Decision(ScanResult.PENDING, f"Now scan the serial number of {product.name}.",
                        Refusal.SERIAL_REQUIRED, line, product)
    if product.serial_tracked and code.serial is not None:
        repeated = _serial_problem(session, state, product, code.serial)
        if repeated:
            return repeated
    if product.lot_tracked and code.lot is None:
        return Decision(ScanResult.PENDING, f"Now scan the lot number of {product.name}.",
                        Refusal.LOT_REQUIRED, line, product)
    return Decision(ScanResult.ACCEPTED, f"{product.name} ✓ ({already + quantity} of {line.quantity})", None,
                    line, product, quantity, code.serial, code.lot, code.expiry)


def _second_scan(session: Session, state: SessionState, pending: ScanEvent, code: ScannedCode,
                 today: dt.date) -> Decision:
    line = session.get_one(OrderLine, pending.order_line_id)
    product = session.get_one(Product, pending.product_id)
    value = code.text.strip()
    serial: str | None
    lot: str | None
    already = state.scanned.get(line.id, 0)
    if pending.refusal == Refusal.SERIAL_REQUIRED.value:
        problem = _serial_problem(session, state, product, value)
        if problem:
            return problem
        serial, lot = value, pending.lot_code
    else:
        serial, lot = pending.serial_number, value
        expired = _expired(session, product, lot, pending.expiry_date, today)
        if expired:
            return Decision(ScanResult.REFUSED, expired, Refusal.EXPIRED_LOT, line, product)
    if product.lot_tracked and not lot:
        return Decision(ScanResult.PENDING, f"Now scan the lot number of {product.name}.", Refusal.LOT_REQUIRED,
                        line, product, serial=serial)
    return Decision(ScanResult.ACCEPTED, f"{product.name} ✓ ({already + 1} of {line.quantity})", None, line,
                    product, 1, serial, lot, pending.expiry_date)


def _serial_problem(session: Session, state: SessionState, product: Product, serial: str) -> Decision | None:
    if session.scalar(select(ShippedSerial.id).where(ShippedSerial.product_id == product.id,
                                                      ShippedSerial.serial_number == serial)):
        return Decision(ScanResult.REFUSED, f"Serial {serial} of {product.name} has already shipped: this unit "
                        "cannot be sent again. Show it to a manager.", Refusal.SERIAL_ALREADY_SHIPPED,
                        product=product)
    if session.scalar(select(ScanEvent.id).where(
            ScanEvent.pack_session_id == state.session.id, ScanEvent.result == ScanResult.ACCEPTED.value,
            ScanEvent.product_id == product.id, ScanEvent.serial_number == serial)):
        return Decision(ScanResult.REFUSED, f"Serial {serial} was already scanned in this order: scan the next "
                        "unit's serial.", Refusal.SERIAL_REPEATED, product=product)
    return None


def _expired(session: Session, product: Product, lot: str | None, expiry: dt.date | None,
             today: dt.date) -> str | None:
    if expiry is None and lot:
        expiry = session.scalar(select(StockLevel.expiry_date).where(
            StockLevel.product_id == product.id, StockLevel.lot_code == lot).limit(1))
    if expiry is not None and expiry < today:
        which = f"{product.name} lot {lot}" if lot else product.name
        return f"{which} expired on {expiry.isoformat()}: do not ship it. Take a unit from another lot."
    return None


def _product_for(session: Session, code: ScannedCode) -> tuple[Product, int] | None:
    key = code.gtin14 or code.text
    row = session.execute(select(Product, ProductBarcode.pack_quantity)
                          .join(ProductBarcode, ProductBarcode.product_id == Product.id)
                          .where(ProductBarcode.code == key)).first()
    return (row[0], int(row[1])) if row else None


def _event(pack: PackSession, state: SessionState, raw: str, code: ScannedCode, decision: Decision) -> ScanEvent:
    return ScanEvent(
        pack_session_id=pack.id, station_id=pack.station_id, user_id=pack.user_id, raw=raw[:500],
        symbology=code.symbology, gtin=code.gtin14, product_id=decision.product.id if decision.product else None,
        order_line_id=decision.line.id if decision.line else None, quantity=decision.quantity,
        package_sequence=state.package_sequence, lot_code=decision.lot, serial_number=decision.serial,
        expiry_date=decision.expiry, result=decision.result.value,
        refusal=decision.refusal.value if decision.refusal else None, message=decision.message,
    )
