"""Deciding what a scan on an open receipt is, and recording the units it accepts.

One call, one transaction (``scan``), like the packing bench's scan. A code is, in order:

1. the answer to what the previous item is waiting for (``cursor.pending``): its serial
   number, its lot code, then — for a lot whose expiry is not known yet — its expiry date
   (``domain.expiry_text``; ``none`` when it does not expire). A product barcode or a bin
   label scanned instead is refused, the wait goes on;
2. a bin label (an active receiving, pickable, storage, quarantine or damaged bin): the bin
   this station's next items go to (held in the cursor);
3. a product barcode (``scan_codes.interpret``; a case GTIN counts its pack quantity) or a
   SKU typed for an item without a barcode. A GS1-128 with AI 10/17/21 fills lot, expiry
   and serial; what the product needs and the code lacks is asked for next (serial, then
   lot, then expiry). A kit, an inactive product or a case of a serial-tracked product is
   refused; a product not on the PO is accepted as an unexpected line, flagged.

An accepted item is a ``ReceiptItem`` row (no stock yet: ``closing`` posts it). Its bin is
the cursor's, else the PO line's, else the receipt's; with none the scan asks for a bin.
A serial already received (``serial_numbers``) or scanned on an open receipt is refused;
the unique ``(receipt, product, serial)`` and, at close, ``serial_numbers`` settle races.
The receipt row is held (conditional UPDATE while open) so a close elsewhere either waits
for this scan or refuses it. Refusals are outcomes (nothing changed), not exceptions;
only a receipt that is unknown or no longer open raises ReceivingRefused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Bin,
    Product,
    ProductBarcode,
    Receipt,
    ReceiptItem,
    ReceiptLine,
    SerialNumber,
    StockLevel,
)
from fulfilstation.domain.enums import ReceiptStatus
from fulfilstation.domain.expiry_text import ExpiryUnreadable, read_expiry
from fulfilstation.domain.gs1 import LOT_MAX, fits_gs1_lot
from fulfilstation.domain.scan_codes import ScannedCode, interpret
from fulfilstation.domain.words import plural
from fulfilstation.services.actor import Actor
from fulfilstation.services.receiving.lookup import bin_named, check_receivable, open_receipt
from fulfilstation.services.receiving.purchase_orders import check_receivable_product, lock_open
from fulfilstation.services.receiving.queries import line_progress
from fulfilstation.services.receiving.views import (
    Pending,
    ReceiveOutcome,
    ReceivingCursor,
    ReceivingRefused,
)

TRACKING_CODE_MAX = 64  # the longest lot or serial number the tables hold
SCAN_THE_BIN = "Scan the bin"
#: A GS1 element string (bracketed, or raw with (01)/(02) first) that the parser refused,
#: e.g. for an expiry in month 13: not an unknown product, a label that cannot be read.
_BROKEN_GS1 = re.compile(r"^(?:\(0[12]\)\d{14}\(|0[12]\d{14}(?:1[0-7]|2[01]|\x1d))")
SCAN_AN_ITEM = "Scan an item"


def prompt_for(cursor: ReceivingCursor, bin_known: bool = True) -> str:
    """The big prompt line: what the station wants scanned next."""
    pending = cursor.pending
    if pending is None:
        return f"{SCAN_AN_ITEM} (into {cursor.bin})" if cursor.bin else (SCAN_AN_ITEM if bin_known else SCAN_THE_BIN)
    if pending.kind == "serial":
        return f"Scan the serial of {pending.name}"
    if pending.kind == "lot":
        return f"Scan or type the lot of {pending.name}"
    return f"Scan or type the expiry of {pending.name} lot {pending.lot} (YYYY-MM-DD, or 'none')"


def scan(database: Database, actor: Actor, number: str, raw: str, cursor: ReceivingCursor | None,
         symbology: str | None = None) -> ReceiveOutcome:
    code = interpret(raw, symbology)
    with database.unit_of_work() as session:
        receipt = open_receipt(session, number)
        here = cursor if cursor is not None and cursor.number == receipt.number else ReceivingCursor(receipt.number)
        if not code.text.strip():
            return _refused(session, receipt, here, "empty", "That scan was empty: scan again.")
        if here.pending is not None:
            return _second_scan(session, actor, receipt, here, here.pending, code)
        if not code.is_product_code:
            found = bin_named(session, code.text)
            if found is not None:
                return _bin_scan(session, receipt, here, found)
        product, quantity = _product_for(session, code)
        if product is None and code.gtin14 is None and _BROKEN_GS1.match(code.text):
            return _refused(session, receipt, here, "unknown-code",
                            f"The barcode {code.text!r} holds GS1 data that cannot be read (a date or another field "
                            "in it is not valid): scan the item's own product barcode instead, then type its lot "
                            "and expiry.")
        if product is None:
            return _refused(session, receipt, here, "unknown-code",
                            f"Unknown code {code.text!r}: not one of our products or bins. Put the item aside and "
                            "show it to a manager (a new product is added to the catalogue first).")
        problem = _product_problem(session, product, quantity)
        if problem:
            return _refused(session, receipt, here, *problem)
        lot_tracked = product.lot_tracked
        pending = Pending("item", product.sku, product.name, quantity, serial=code.serial,
                          lot=code.lot if lot_tracked else None, expiry=code.expiry if lot_tracked else None,
                          expiry_known=lot_tracked and code.expiry is not None)
        return _complete(session, actor, receipt, here, product, pending)


def _second_scan(session: Session, actor: Actor, receipt: Receipt, cursor: ReceivingCursor, pending: Pending,
                 code: ScannedCode) -> ReceiveOutcome:
    value = code.text.strip()
    what = {"serial": "serial number", "lot": "lot", "expiry": "expiry date"}[pending.kind]
    if code.is_product_code:
        return _refused(session, receipt, cursor, "awaiting-" + pending.kind,
                        f"That is an item: first scan or type the {what} of {pending.name}.")
    product = session.scalar(select(Product).where(Product.sku == pending.sku))
    if product is None:  # gone from the catalogue meanwhile
        return _refused(session, receipt, cursor.without_pending(), "unknown-code",
                        f"{pending.sku} is no longer in the catalogue: scan the next item.")
    found = bin_named(session, value) if pending.kind != "expiry" else None
    if found is not None:
        return _refused(session, receipt, cursor, "awaiting-" + pending.kind,
                        f"{found.code} is a bin: first scan or type the {what} of {pending.name}.")
    if pending.kind == "expiry":
        if code.expiry is not None:  # a GS1 (17) code
            return _complete(session, actor, receipt, cursor, product,
                             replace(pending, expiry=code.expiry, expiry_known=True))
        try:
            expiry = read_expiry(value)
        except ExpiryUnreadable as exc:
            return _refused(session, receipt, cursor, "bad-expiry", f"{exc}.")
        return _complete(session, actor, receipt, cursor, product, replace(pending, expiry=expiry, expiry_known=True))
    if len(value) > TRACKING_CODE_MAX or not value.isprintable():
        return _refused(session, receipt, cursor, "awaiting-" + pending.kind,
                        f"That scan is not a {what}: one has at most {TRACKING_CODE_MAX} printable characters. "
                        f"Scan the {what} of {pending.name}.")
    if pending.kind == "serial":
        return _complete(session, actor, receipt, cursor, product, replace(pending, serial=value))
    if not fits_gs1_lot(value):  # typed by hand: its product label must carry it in a GS1-128
        return _refused(session, receipt, cursor, "awaiting-lot",
                        f"Lot {value!r} cannot be printed on a product label's GS1-128: a lot is 1 to {LOT_MAX} "
                        "letters, digits or - . / _ and no spaces. Type it without spaces (e.g. "
                        f"{''.join(value.split())[:LOT_MAX]!r}), the lot of {pending.name}.")
    return _complete(session, actor, receipt, cursor, product, replace(pending, lot=value))


def _complete(session: Session, actor: Actor, receipt: Receipt, cursor: ReceivingCursor, product: Product,
              pending: Pending) -> ReceiveOutcome:
    """Ask for what the item still lacks, or record it."""
    if product.serial_tracked and not pending.serial:
        return _wait(session, receipt, cursor, replace(pending, kind="serial"))
    if pending.serial:
        problem = _serial_problem(session, product, pending.serial)
        if problem:
            keep = replace(cursor, pending=replace(pending, kind="serial", serial=None)) \
                if cursor.pending is not None else cursor
            return _refused(session, receipt, keep, "serial-received", problem)
    if product.lot_tracked and not pending.lot:
        return _wait(session, receipt, cursor, replace(pending, kind="lot"))
    if product.lot_tracked and pending.lot and not pending.expiry_known:
        known = _known_expiry(session, product.id, pending.lot)
        if known is None:
            return _wait(session, receipt, cursor, replace(pending, kind="expiry"))
        pending = replace(pending, expiry=known, expiry_known=True)
    return _record(session, actor, receipt, cursor.without_pending(), product, pending)


def _record(session: Session, actor: Actor, receipt: Receipt, cursor: ReceivingCursor, product: Product,
            pending: Pending) -> ReceiveOutcome:
    target = _target_bin(session, receipt, cursor, product.id)
    if target is None:
        return _refused(session, receipt, cursor, "no-bin", f"Scan the bin these go to first, then scan "
                        f"{product.name} again.")
    try:
        check_receivable(target)  # a bin deactivated (or changed) since it was scanned or set
    except ReceivingRefused as refused:
        return _refused(session, receipt, replace(cursor, bin=None), str(refused.code), refused.message)
    lock_open(session, receipt)
    item = ReceiptItem(receipt_id=receipt.id, product_id=product.id, bin_id=target.id, lot_code=pending.lot or "",
                       expiry_date=pending.expiry, serial_number=pending.serial, quantity=pending.quantity,
                       scanned_by_id=actor.user_id, station_id=actor.station_id)
    try:
        with session.begin_nested():
            session.add(item)
            session.flush()
    except IntegrityError:
        return _refused(session, receipt, cursor, "serial-received",
                        f"Serial {pending.serial} of {product.sku} is already scanned on this receipt: scan the "
                        "next unit.")
    line = line_progress(session, receipt.id, product.id)
    unexpected = line.unexpected
    what = plural(pending.quantity, "unit")
    extras = "".join(part for part in (f", serial {pending.serial}" if pending.serial else "",
                                        f", lot {pending.lot}" if pending.lot else "",
                                        f", expires {pending.expiry.isoformat()}" if pending.expiry else ""))
    message = (f"{product.name}: {what} into {target.code}{extras} ✓ ({line.received}"
               + (f" of {line.expected})" if line.expected else ")"))
    if unexpected:
        message += f" — not on purchase order {receipt.number}: received as an unexpected line."
    elif line.expected and line.received > line.expected:
        message += f" — {line.received - line.expected} more than ordered."
    return ReceiveOutcome(True, message, cursor, prompt_for(cursor), None, pending.quantity, product.sku,
                          unexpected, line)


def _bin_scan(session: Session, receipt: Receipt, cursor: ReceivingCursor, found: Bin) -> ReceiveOutcome:
    try:
        check_receivable(found)
    except ReceivingRefused as refused:
        return _refused(session, receipt, cursor, str(refused.code), refused.message)
    moved = replace(cursor, bin=found.code)
    return ReceiveOutcome(True, f"Bin {found.code}: the next items go there.", moved, prompt_for(moved))


def _wait(session: Session, receipt: Receipt, cursor: ReceivingCursor, pending: Pending) -> ReceiveOutcome:
    waiting = replace(cursor, pending=pending)
    prompt = prompt_for(waiting)
    return ReceiveOutcome(False, f"{prompt}.", waiting, prompt, None, 0, pending.sku)


def _refused(session: Session, receipt: Receipt, cursor: ReceivingCursor, code: str,
             message: str) -> ReceiveOutcome:
    return ReceiveOutcome(False, message, cursor, prompt_for(cursor, _has_default_bin(session, receipt)), code)


def _has_default_bin(session: Session, receipt: Receipt) -> bool:
    return receipt.bin_id is not None or session.scalar(
        select(func.count()).select_from(ReceiptLine).where(ReceiptLine.receipt_id == receipt.id,
                                                            ReceiptLine.to_bin_id.is_not(None))) != 0


def _product_for(session: Session, code: ScannedCode) -> tuple[Product | None, int]:
    key = code.gtin14 or code.text.strip()
    row = session.execute(select(Product, ProductBarcode.pack_quantity)
                          .join(ProductBarcode, ProductBarcode.product_id == Product.id)
                          .where(ProductBarcode.code == key)).first()
    if row is not None:
        return row[0], int(row[1])
    # An item without a barcode: its SKU typed or scanned from its label, also a SKU of digits
    # that happens to read as a GTIN (``036000291452``), which no product has as its barcode.
    product = session.scalar(select(Product).where(Product.sku == code.text.strip()))
    if product is not None:
        return product, 1
    return None, 0


def _product_problem(session: Session, product: Product, quantity: int) -> tuple[str, str] | None:
    if not product.active:
        return "inactive-product", (f"{product.sku} ({product.name}) is deactivated: a manager reactivates it "
                                    "before it can be received.")
    try:
        check_receivable_product(session, product)
    except ReceivingRefused as refused:
        return str(refused.code), refused.message
    if product.serial_tracked and quantity > 1:
        return "serial-case", (f"{product.name} has serial numbers: open the case and scan each unit, not the "
                               "case.")
    return None


def _serial_problem(session: Session, product: Product, serial: str) -> str | None:
    came = session.execute(select(SerialNumber.status, Receipt.number)
                           .outerjoin(Receipt, Receipt.id == SerialNumber.receipt_id)
                           .where(SerialNumber.product_id == product.id, SerialNumber.serial == serial)).first()
    if came is not None:
        where = f" on receipt {came[1]}" if came[1] else ""
        return (f"Serial {serial} of {product.sku} came in already{where} ({came[0]}): a serial is received once. "
                "Check the unit and show it to a manager.")
    open_on = session.scalar(select(Receipt.number).join(ReceiptItem, ReceiptItem.receipt_id == Receipt.id)
                             .where(ReceiptItem.product_id == product.id, ReceiptItem.serial_number == serial,
                                    Receipt.status == ReceiptStatus.OPEN.value).limit(1))
    if open_on is not None:
        return f"Serial {serial} of {product.sku} is already scanned on receipt {open_on}: scan the next unit."
    return None


def _known_expiry(session: Session, product_id: int, lot: str) -> dt.date | None:
    """The expiry this product's lot already has (in stock or scanned earlier), if any."""
    known = session.scalar(select(StockLevel.expiry_date).where(
        StockLevel.product_id == product_id, StockLevel.lot_code == lot, StockLevel.expiry_date.is_not(None)).limit(1))
    if known is not None:
        return known
    return session.scalar(select(ReceiptItem.expiry_date).where(
        ReceiptItem.product_id == product_id, ReceiptItem.lot_code == lot,
        ReceiptItem.expiry_date.is_not(None)).limit(1))


def _target_bin(session: Session, receipt: Receipt, cursor: ReceivingCursor, product_id: int) -> Bin | None:
    if cursor.bin:
        found = bin_named(session, cursor.bin)
        if found is not None:
            return found
    line_bin = session.scalar(select(ReceiptLine.to_bin_id).where(ReceiptLine.receipt_id == receipt.id,
                                                                  ReceiptLine.product_id == product_id))
    bin_id = line_bin or receipt.bin_id
    return session.get(Bin, bin_id) if bin_id is not None else None
