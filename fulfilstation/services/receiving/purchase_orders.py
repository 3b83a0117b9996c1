"""Purchase orders (a manager's): create one with its expected lines, change the expected
lines while it is open, cancel it.

A PO is a ``Receipt`` with expected lines (``quantity_expected > 0``); receiving scans
into it later and closing it posts the stock. Invariants: a PO has at least one line and
each SKU once (unique ``(receipt_id, product_id)``); kits are never on a PO (their
components are); lines change only while the PO is open — the conditional UPDATE of the
receipt's status settles a race with a station closing it; every change is audited
(``po.created``, ``po.lines_changed``, ``po.cancelled``). A refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Bin, Product, ProductComponent, Receipt, ReceiptItem, ReceiptLine
from fulfilstation.domain.enums import ReceiptStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.receiving.lookup import (
    AD_HOC_PREFIX,
    NUMBER_MAX,
    PO_PREFIX,
    find_receipt,
    insert_numbered,
    not_open,
    product_by_sku,
    receivable_bin,
)
from fulfilstation.services.receiving.views import ExpectedLine, NewPurchaseOrder, ReceivingRefused

QUANTITY_MAX = 1_000_000
SUPPLIER_MAX = 200
REFERENCE_MAX = 100


def check_number(number: str) -> str:
    text = number.strip()
    if not text:
        raise ReceivingRefused("no-number", "Give the purchase order a number (or leave it out to number it PO-n).")
    if len(text) > NUMBER_MAX or not text.isprintable():
        raise ReceivingRefused("bad-number", f"A purchase order number is at most {NUMBER_MAX} printable "
                               f"characters; {text!r} is not.")
    if text.upper().startswith(AD_HOC_PREFIX):
        raise ReceivingRefused("bad-number", f"{text}: numbers starting {AD_HOC_PREFIX} are for ad hoc receipts; "
                               "give the purchase order another number.")
    return text


def check_supplier(supplier: str) -> str:
    text = " ".join(supplier.split())
    if not text:
        raise ReceivingRefused("no-supplier", "Name the supplier.")
    if len(text) > SUPPLIER_MAX:
        raise ReceivingRefused("bad-supplier", f"A supplier name is at most {SUPPLIER_MAX} characters.")
    return text


def check_reference(reference: str | None) -> str | None:
    text = (reference or "").strip()
    if len(text) > REFERENCE_MAX:
        raise ReceivingRefused("bad-reference", f"A reference is at most {REFERENCE_MAX} characters.")
    return text or None


def create_po(database: Database, actor: Actor, new: NewPurchaseOrder) -> str:
    """Add the purchase order; returns its number."""
    with database.unit_of_work() as session:
        return create_po_in(session, actor, new)


def create_po_in(session: Session, actor: Actor, new: NewPurchaseOrder) -> str:
    """``create_po`` inside the caller's transaction (replenishment writes one PO per supplier
    in one transaction); a refusal leaves the rollback to the caller. Returns the PO's number."""
    supplier, reference = check_supplier(new.supplier), check_reference(new.reference)
    number = check_number(new.number) if new.number is not None else None
    bin_id = receivable_bin(session, new.bin).id if new.bin else None
    lines = resolve_lines(session, new.lines)

    def make(numbered: str) -> Receipt:
        return Receipt(number=numbered, supplier=supplier, reference=reference, expected_date=new.expected_date,
                       bin_id=bin_id, status=ReceiptStatus.OPEN.value, created_by_id=actor.user_id)

    if number is None:
        receipt = insert_numbered(session, PO_PREFIX, make)
    else:
        if session.scalar(select(Receipt.id).where(Receipt.number == number)) is not None:
            raise ReceivingRefused("number-taken", f"Purchase order {number} exists already: give another "
                                   "number, or change its lines ('receive po-lines').")
        receipt = make(number)
        session.add(receipt)
        try:
            session.flush()
        except IntegrityError:
            raise ReceivingRefused("number-taken", f"Purchase order {number} was just created elsewhere: give "
                                   "another number.") from None
    write_lines(session, receipt.id, lines)
    audit.record(session, actor, "po.created", "receipt", receipt.id,
                 {"number": receipt.number, "supplier": supplier, "reference": reference,
                  "lines": {sku: quantity for sku, _pid, quantity, _bin in lines}})
    return receipt.number


Resolved = tuple[str, int, int, int | None]  # (sku, product id, quantity, bin id)


def resolve_lines(session: Session, lines: Sequence[ExpectedLine]) -> list[Resolved]:
    if not lines:
        raise ReceivingRefused("no-lines", "A purchase order needs at least one line: SKU and quantity.")
    resolved: list[Resolved] = []
    seen: set[int] = set()
    for line in lines:
        product = product_by_sku(session, line.sku)
        if not 1 <= line.quantity <= QUANTITY_MAX:
            raise ReceivingRefused("bad-quantity", f"{product.sku}: the quantity must be a whole number from 1 to "
                                   f"{QUANTITY_MAX:,}, not {line.quantity}.")
        if product.id in seen:
            raise ReceivingRefused("sku-twice", f"{product.sku} is on the purchase order twice: give it once, with "
                                   "the whole quantity.")
        check_receivable_product(session, product)
        seen.add(product.id)
        bin_id = receivable_bin(session, line.bin).id if line.bin else None
        resolved.append((product.sku, product.id, line.quantity, bin_id))
    return resolved


def check_receivable_product(session: Session, product: Product) -> None:
    if session.scalar(select(ProductComponent.id).where(ProductComponent.kit_id == product.id).limit(1)):
        raise ReceivingRefused("kit", f"{product.sku} is a kit: kits are not received, their components are. "
                               "Receive each component instead.")


def write_lines(session: Session, receipt_id: int, lines: Sequence[Resolved]) -> None:
    """Make the receipt's expected lines exactly ``lines`` (lines no longer expected are removed)."""
    existing = {line.product_id: line for line in session.scalars(
        select(ReceiptLine).where(ReceiptLine.receipt_id == receipt_id))}
    wanted = {product_id for _sku, product_id, _q, _b in lines}
    for product_id, line in existing.items():
        if product_id not in wanted:
            session.delete(line)
    for _sku, product_id, quantity, bin_id in lines:
        found = existing.get(product_id)
        if found is None:
            session.add(ReceiptLine(receipt_id=receipt_id, product_id=product_id, quantity_expected=quantity,
                                    quantity_received=0, to_bin_id=bin_id))
        else:
            found.quantity_expected, found.to_bin_id = quantity, bin_id
    session.flush()


def lock_open(session: Session, receipt: Receipt) -> None:
    """Hold the open receipt's row for this transaction (a close or cancel elsewhere waits,
    then finds it changed); ReceivingRefused when it is no longer open."""
    held = rows_changed(session, update(Receipt).where(Receipt.id == receipt.id,
                                                       Receipt.status == ReceiptStatus.OPEN.value)
                        .values(status=ReceiptStatus.OPEN.value))
    if not held:
        session.refresh(receipt)
        raise not_open(receipt)


def set_po_lines(database: Database, actor: Actor, number: str, lines: Sequence[ExpectedLine],
                 supplier: str | None = None, reference: str | None = None,
                 expected_date: dt.date | None = None) -> str:
    """Replace the open PO's expected lines (and, when given, its supplier, reference, date)."""
    with database.unit_of_work() as session:
        receipt = find_receipt(session, number)
        lock_open(session, receipt)
        resolved = resolve_lines(session, lines)
        before = _expected(session, receipt.id)
        write_lines(session, receipt.id, resolved)
        if supplier is not None:
            receipt.supplier = check_supplier(supplier)
        if reference is not None:
            receipt.reference = check_reference(reference)
        if expected_date is not None:
            receipt.expected_date = expected_date
        audit.record(session, actor, "po.lines_changed", "receipt", receipt.id,
                     {"number": receipt.number, "before": before, "after": _expected(session, receipt.id)})
        return receipt.number


def cancel_po(database: Database, actor: Actor, number: str, reason: str | None) -> int:
    """Cancel the open PO: nothing more is received on it, its scans are dropped. Returns
    how many scans were dropped."""
    with database.unit_of_work() as session:
        receipt = find_receipt(session, number)
        cancelled = rows_changed(session, update(Receipt).where(
            Receipt.id == receipt.id, Receipt.status == ReceiptStatus.OPEN.value)
            .values(status=ReceiptStatus.CANCELLED.value))
        if not cancelled:
            session.refresh(receipt)
            raise not_open(receipt)
        dropped = rows_changed(session, delete(ReceiptItem).where(ReceiptItem.receipt_id == receipt.id))
        audit.record(session, actor, "po.cancelled", "receipt", receipt.id,
                     {"number": receipt.number, "reason": (reason or "").strip() or None, "scans_dropped": dropped})
        return dropped


def _expected(session: Session, receipt_id: int) -> dict[str, int]:
    return dict(session.execute(select(Product.sku, ReceiptLine.quantity_expected)
                                .join(Product, Product.id == ReceiptLine.product_id)
                                .where(ReceiptLine.receipt_id == receipt_id, ReceiptLine.quantity_expected > 0)
                                .order_by(Product.sku)).all())


def bin_code(session: Session, bin_id: int | None) -> str | None:
    return session.scalar(select(Bin.code).where(Bin.id == bin_id)) if bin_id is not None else None
