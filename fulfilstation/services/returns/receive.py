"""Receiving a return (``returns.receive``, packers too): each item scanned on the opened RMA.

Rules: the RMA is open or already received (not closed nor cancelled); the scan is a product
barcode (a unit, or a case counting its pack quantity), a GS1 code, or the SKU on an item's
own label; the product is on the RMA and its line has room (never more than authorised);
the units go into the returns bin (the first active bin of kind ``returns``). A lot-tracked
product needs its lot, a serial-tracked one its serial, checked against what the order
shipped (``tracking``); the unit keeps its lot (and the lot's expiry) in the returns bin.

Invariants: one transaction per scan. Its first write holds the RMA's row (``UPDATE rmas
SET status = 'received', received_at/by kept when set … WHERE status IN (open, received)``):
scans and grades of the same RMA are taken one after the other, and a scan after the close
is refused. The line's ``quantity_received + n <= quantity_expected`` is a conditional UPDATE
(and a CHECK behind it); the units are added to the returns bin by the stock area's upsert
(``stock.upsert.add_units``) with a ``return`` stock move (``rma_id``, the order) and the audit
entry ``rma.item_received``. A refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Bin, Order, Product, Rma, RmaLine, StockMove
from fulfilstation.domain.enums import BinKind, OrderStatus, RmaStatus, StockMoveReason
from fulfilstation.domain.scan_codes import interpret
from fulfilstation.domain.words import plural
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.returns.queries import find_rma, load_rma
from fulfilstation.services.returns.tracking import returned_lot, returned_serial
from fulfilstation.services.returns.views import ReturnScan, ReturnsRefused
from fulfilstation.services.stock.lookup import identify
from fulfilstation.services.stock.refusal import StockRefused
from fulfilstation.services.stock.upsert import add_units


def returns_bin(session: Session) -> Bin:
    """Where returned units wait for inspection; ReturnsRefused ``no-returns-bin`` saying how to add one."""
    found = session.scalars(select(Bin).where(Bin.kind == BinKind.RETURNS.value, Bin.active.is_(True))
                            .order_by(Bin.code)).first()
    if found is None:
        raise ReturnsRefused("no-returns-bin", "There is no returns bin to put returned units in: an owner adds one "
                             "on the Bins screen or with 'fulfilstation bins add RET-01 --kind returns'.")
    return found


def hold_for_receiving(session: Session, rma: Rma, actor: Actor, now: dt.datetime) -> None:
    """The RMA's row held by this transaction, marked received; refused unless open or received."""
    held = rows_changed(session, update(Rma).where(
        Rma.id == rma.id, Rma.status.in_([RmaStatus.OPEN.value, RmaStatus.RECEIVED.value]))
        .values(status=RmaStatus.RECEIVED.value, received_at=func.coalesce(Rma.received_at, now),
                received_by_id=func.coalesce(Rma.received_by_id, actor.user_id)))
    if not held:
        session.refresh(rma)
        raise ReturnsRefused("not-open", f"{rma.number} is {rma.status}: nothing more is received on it. Set the "
                             "parcel aside and ask a manager (a new RMA may be needed).")
    status = session.scalar(select(Order.status).where(Order.id == rma.order_id))
    if status != OrderStatus.SHIPPED.value:
        raise ReturnsRefused("not-shipped", f"The order of {rma.number} is {status}, no longer shipped (its shipment "
                             "was voided): nothing is received on it. Set the parcel aside and tell a manager.")


def receive_scan(database: Database, actor: Actor, rma_code: str, code: str, now: dt.datetime,
                 lot: str | None = None, serial: str | None = None) -> ReturnScan:
    with database.unit_of_work() as session:
        rma = find_rma(session, rma_code)
        try:
            target = identify(session, code)
        except StockRefused as exc:
            raise ReturnsRefused("unknown-code", f"{code.strip()} is not a product barcode or SKU known here: scan "
                                 "the returned item's own barcode, or type its SKU.") from exc
        if target.kind != "product":
            raise ReturnsRefused("bin-label", f"{target.code} is a bin label: scan the returned item's barcode.",
                                 item=target.code)
        product = session.scalars(select(Product).where(Product.sku == target.code)).one()
        bin_ = returns_bin(session)
        hold_for_receiving(session, rma, actor, now)
        lines = session.scalars(select(RmaLine).where(RmaLine.rma_id == rma.id).order_by(RmaLine.id)).all()
        mine = [line for line in lines if line.product_id == product.id]
        if not mine:
            expected = _expected_words(session, lines)
            raise ReturnsRefused("not-on-rma", f"{product.sku} ({product.name}) is not on {rma.number}: it expects "
                                 f"{expected}. Set the item aside and tell a manager.")
        units = target.units
        try:
            lot_code, expiry = returned_lot(session, rma, product, target.lot, lot)
            serial_number = returned_serial(session, rma, product, serial or interpret(code).serial, units, bin_.id)
        except ReturnsRefused as exc:  # the screen asks for the lot or serial next, then sends both
            raise ReturnsRefused(exc.code, exc.message, item=code.strip(), sku=product.sku) from None
        line = _count_in(session, mine, units)
        if line is None:
            session.expire_all()
            left = sum(line.quantity_expected - line.quantity_received for line in mine)
            room = (f"all {sum(line.quantity_expected for line in mine)} are in" if left == 0
                    else f"only {plural(left, 'unit')} more can come in, not {units}")
            raise ReturnsRefused("all-received", f"{rma.number} expects no more {product.sku}: {room}. Set the "
                                 "extra item aside and tell a manager.")
        add_units(session, product.id, bin_.id, lot_code, units, expiry)
        session.add(StockMove(product_id=product.id, to_bin_id=bin_.id, lot_code=lot_code, quantity=units,
                              reason=StockMoveReason.RETURN.value, user_id=actor.user_id,
                              station_id=actor.station_id, order_id=rma.order_id, rma_id=rma.id,
                              note=f"returned on {rma.number}" + (f", serial {serial_number}" if serial_number
                                                                   else "")))
        received, expected_n = session.execute(select(RmaLine.quantity_received, RmaLine.quantity_expected)
                                               .where(RmaLine.id == line.id)).one()
        audit.record(session, actor, "rma.item_received", "rma", rma.id,
                     {"rma": rma.number, "sku": product.sku, "units": units, "bin": bin_.code, "lot": lot_code,
                      "serial": serial_number})
        session.flush()
        session.expire_all()
        view = load_rma(session, rma, now)
        return ReturnScan(view, product.sku, units, int(received), int(expected_n), bin_.code,
                          f"{product.sku}{f' lot {lot_code}' if lot_code else ''}"
                          f"{f' serial {serial_number}' if serial_number else ''} in: {received} of {expected_n}"
                          f"{f' (a case of {units})' if units > 1 else ''} → bin {bin_.code}.")


def _count_in(session: Session, lines: list[RmaLine], units: int) -> RmaLine | None:
    for line in lines:
        if rows_changed(session, update(RmaLine).where(
                RmaLine.id == line.id, RmaLine.quantity_received + units <= RmaLine.quantity_expected)
                .values(quantity_received=RmaLine.quantity_received + units)):
            return line
    return None


def _expected_words(session: Session, lines: Sequence[RmaLine]) -> str:
    skus = {int(product_id): str(sku) for product_id, sku in session.execute(select(Product.id, Product.sku)
            .where(Product.id.in_([line.product_id for line in lines])))}
    return ", ".join(f"{skus[line.product_id]} ×{line.quantity_expected}" for line in lines) or "nothing"
