"""Starting a receipt, undoing a scan, closing (posting the stock) and cancelling.

``close`` is ONE transaction: a conditional UPDATE moves the receipt from ``open`` to
``received`` (two stations closing: one wins, the other is refused and posts nothing);
then, from its ``ReceiptItem`` rows, each line's ``quantity_received`` (unexpected
products get a line expecting 0), one ``receive`` stock move and one stock-level upsert
(``INSERT … ON CONFLICT DO UPDATE on_hand = on_hand + n``, on both engines) per
(product, bin, lot) with the lot's expiry, a ``serial_numbers`` row per serial (unique per
product: a serial that came in meanwhile on another receipt refuses the whole close), and
the audit entry ``receipt.closed`` listing every line's expected, received and difference.
A receipt with nothing scanned is refused. Scans hold the receipt row while they insert
(``purchase_orders.lock_open``), so a close waits for a scan in flight and counts it, and a
scan after the close is refused.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Bin, Product, Receipt, ReceiptItem, ReceiptLine, SerialNumber, StockLevel, StockMove
from fulfilstation.domain.enums import ReceiptStatus, SerialStatus, StockMoveReason
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.receiving.lookup import (
    AD_HOC_PREFIX,
    find_receipt,
    insert_numbered,
    is_purchase_order,
    not_open,
    open_receipt,
    receivable_bin,
)
from fulfilstation.services.receiving.purchase_orders import check_supplier, lock_open
from fulfilstation.services.receiving.queries import progress, receipt_view
from fulfilstation.services.receiving.views import (
    CancelledReceipt,
    ClosedReceipt,
    ReceiptView,
    ReceivingRefused,
    Undone,
)


def start(database: Database, actor: Actor, po: str | None, supplier: str | None, bin_code: str | None) -> ReceiptView:
    """Receive against the open purchase order ``po`` or, without one, an ad hoc receipt
    from ``supplier`` (numbered ``RCV-<n>``). ``bin_code``: where its goods go unless a bin
    is scanned (for a PO: replaces its default bin)."""
    if (po is None) == (supplier is None):
        raise ReceivingRefused("po-or-supplier", "Receive against a purchase order (its number) or ad hoc from a "
                               "supplier (its name), one of the two.")
    with database.unit_of_work() as session:
        bin_id = receivable_bin(session, bin_code).id if bin_code else None
        if po is not None:
            receipt = open_receipt(session, po)
            if bin_id is not None and bin_id != receipt.bin_id:
                lock_open(session, receipt)
                receipt.bin_id = bin_id
            audit.record(session, actor, "receipt.started", "receipt", receipt.id,
                         {"number": receipt.number, "bin": bin_code})
            return receipt_view(session, receipt)
        name = check_supplier(supplier or "")
        receipt = insert_numbered(session, AD_HOC_PREFIX, lambda number: Receipt(
            number=number, supplier=name, status=ReceiptStatus.OPEN.value, bin_id=bin_id,
            created_by_id=actor.user_id))
        audit.record(session, actor, "receipt.started", "receipt", receipt.id,
                     {"number": receipt.number, "supplier": name, "bin": bin_code, "ad_hoc": True})
        return receipt_view(session, receipt)


def undo_last(database: Database, actor: Actor, number: str) -> Undone:
    """Take back the last scan made on the open receipt at the actor's station (by the
    actor, when they have no station)."""
    with database.unit_of_work() as session:
        receipt = open_receipt(session, number)
        lock_open(session, receipt)
        mine = (ReceiptItem.station_id == actor.station_id) if actor.station_id is not None \
            else (ReceiptItem.scanned_by_id == actor.user_id)
        item = session.scalar(select(ReceiptItem).where(ReceiptItem.receipt_id == receipt.id, mine)
                              .order_by(ReceiptItem.id.desc()).limit(1))
        if item is None:
            raise ReceivingRefused("nothing-to-undo", f"Nothing was scanned on receipt {receipt.number} here: there "
                                   "is nothing to undo.")
        sku = session.scalar(select(Product.sku).where(Product.id == item.product_id)) or "?"
        code = session.scalar(select(Bin.code).where(Bin.id == item.bin_id)) or "?"
        undone = Undone(receipt.number, sku, item.quantity, code, item.serial_number, item.lot_code)
        session.execute(delete(ReceiptItem).where(ReceiptItem.id == item.id))
        audit.record(session, actor, "receipt.scan_undone", "receipt", receipt.id,
                     {"number": receipt.number, "sku": sku, "quantity": item.quantity, "bin": code,
                      "lot": item.lot_code or None, "serial": item.serial_number})
        return undone


def close(database: Database, actor: Actor, number: str) -> ClosedReceipt:
    try:
        with database.unit_of_work() as session:
            receipt = find_receipt(session, number)
            closed = rows_changed(session, update(Receipt).where(
                Receipt.id == receipt.id, Receipt.status == ReceiptStatus.OPEN.value)
                .values(status=ReceiptStatus.RECEIVED.value, received_at=utcnow(), closed_by_id=actor.user_id))
            if not closed:
                session.refresh(receipt)
                raise _closed_elsewhere(session, receipt)
            items = session.scalars(select(ReceiptItem).where(ReceiptItem.receipt_id == receipt.id)
                                    .order_by(ReceiptItem.id)).all()
            if not items:
                raise ReceivingRefused("nothing-scanned", f"Nothing was scanned on receipt {receipt.number}: scan "
                                       "the goods first, or cancel the receipt.")
            _set_received(session, receipt.id, items)
            moves = _post_stock(session, actor, receipt, items)
            serials = _keep_serials(session, receipt, items)
            session.refresh(receipt)
            lines = tuple(progress(session, receipt))
            outcome = ClosedReceipt(receipt.number, lines, sum(item.quantity for item in items), moves, serials,
                                    any(line.expected for line in lines))
            audit.record(session, actor, "receipt.closed", "receipt", receipt.id, {
                "number": receipt.number, "units": outcome.units, "moves": moves, "serials": serials,
                "purchase_order": outcome.purchase_order,
                "lines": [{"sku": line.sku, "expected": line.expected, "received": line.received,
                           "difference": line.difference, "unexpected": line.unexpected} for line in lines],
                "over": {line.sku: line.difference for line in outcome.over},
                "under": {line.sku: line.difference for line in outcome.under}})
            return outcome
    except IntegrityError as exc:
        if "serial" in str(exc.orig).lower():
            raise ReceivingRefused("serial-received", f"One of the serial numbers on receipt {number} came in on "
                                   "another receipt meanwhile: undo that unit's scan, check it, and close again."
                                   ) from None
        raise


def cancel(database: Database, actor: Actor, number: str, reason: str | None) -> CancelledReceipt:
    """An ad hoc receipt is cancelled; on a purchase order only the scans are dropped and
    the PO stays open (a manager cancels a PO: ``cancel_po``)."""
    with database.unit_of_work() as session:
        receipt = open_receipt(session, number)
        lock_open(session, receipt)
        po = is_purchase_order(session, receipt.id)
        dropped = rows_changed(session, delete(ReceiptItem).where(ReceiptItem.receipt_id == receipt.id))
        if not po:
            receipt.status = ReceiptStatus.CANCELLED.value
        audit.record(session, actor, "receipt.cancelled" if not po else "receipt.scans_dropped", "receipt",
                     receipt.id, {"number": receipt.number, "scans_dropped": dropped,
                                  "reason": (reason or "").strip() or None})
        return CancelledReceipt(receipt.number, dropped, not po)


def _closed_elsewhere(session: Session, receipt: Receipt) -> ReceivingRefused:
    if receipt.status == ReceiptStatus.RECEIVED.value:
        who = audit.last_done(session, "receipt.closed", "receipt", receipt.id)
        by = f" by {who.who}" if who is not None else ""
        return ReceivingRefused("receipt-closed", f"Receipt {receipt.number} was closed{by} already: its goods are "
                                "in stock once. Nothing was posted again.")
    return not_open(receipt)


def _set_received(session: Session, receipt_id: int, items: Sequence[ReceiptItem]) -> None:
    received: dict[int, int] = defaultdict(int)
    for item in items:
        received[item.product_id] += item.quantity
    lines = {line.product_id: line for line in session.scalars(
        select(ReceiptLine).where(ReceiptLine.receipt_id == receipt_id))}
    for product_id, line in lines.items():
        line.quantity_received = received.get(product_id, 0)
    for product_id, quantity in received.items():
        if product_id not in lines:
            session.add(ReceiptLine(receipt_id=receipt_id, product_id=product_id, quantity_expected=0,
                                    quantity_received=quantity))
    session.flush()


def _post_stock(session: Session, actor: Actor, receipt: Receipt,
                items: Sequence[ReceiptItem]) -> int:
    units: dict[tuple[int, int, str], int] = defaultdict(int)
    expiry: dict[tuple[int, int, str], dt.date | None] = {}
    for item in items:
        key = (item.product_id, item.bin_id, item.lot_code)
        units[key] += item.quantity
        if expiry.get(key) is None:
            expiry[key] = item.expiry_date
    for (product_id, bin_id, lot), quantity in units.items():
        _add_on_hand(session, product_id, bin_id, lot, quantity, expiry[(product_id, bin_id, lot)])
        session.add(StockMove(product_id=product_id, to_bin_id=bin_id, lot_code=lot, quantity=quantity,
                              reason=StockMoveReason.RECEIVE.value, note=f"Receipt {receipt.number}",
                              user_id=actor.user_id, station_id=actor.station_id, receipt_id=receipt.id))
    session.flush()
    return len(units)


def _add_on_hand(session: Session, product_id: int, bin_id: int, lot: str, quantity: int,
                 expiry: dt.date | None) -> None:
    """``on_hand += quantity`` of the (product, bin, lot) stock level, made when missing: one
    atomic upsert (two receipts posting the same level at once both count)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(StockLevel).values(product_id=product_id, bin_id=bin_id, lot_code=lot, expiry_date=expiry,
                                          on_hand=quantity, reserved=0)
    table = StockLevel.__table__
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.product_id, table.c.bin_id, table.c.lot_code],
        set_={"on_hand": table.c.on_hand + statement.excluded.on_hand,
              "expiry_date": func.coalesce(table.c.expiry_date, statement.excluded.expiry_date)})
    session.execute(statement)


def _keep_serials(session: Session, receipt: Receipt, items: Sequence[ReceiptItem]) -> int:
    serials = [item for item in items if item.serial_number]
    for item in serials:
        session.add(SerialNumber(product_id=item.product_id, serial=item.serial_number,
                                 status=SerialStatus.IN_STOCK.value, lot_code=item.lot_code, bin_id=item.bin_id,
                                 receipt_id=receipt.id))
    session.flush()
    return len(serials)
