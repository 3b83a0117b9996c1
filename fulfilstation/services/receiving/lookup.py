"""Finding what receiving works on — receipts, bins, products — and numbering new receipts.

Every refusal here says what to do. Numbers: a PO keeps its own number (``PO-<n>`` when
none is given); an ad hoc receipt is ``RCV-<n>``. The next number is one past the highest
of its prefix; the unique ``receipts.number`` settles two stations numbering at once
(``insert_numbered`` tries the next one inside a savepoint).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.db.models import Bin, Product, Receipt, ReceiptLine
from fulfilstation.domain.enums import BinKind, ReceiptStatus
from fulfilstation.services.receiving.views import ReceivingRefused

AD_HOC_PREFIX = "RCV-"
PO_PREFIX = "PO-"
NUMBER_MAX = 32
RECEIVABLE_KINDS = frozenset({BinKind.RECEIVING.value, BinKind.PICKABLE.value, BinKind.STORAGE.value,
                              BinKind.QUARANTINE.value, BinKind.DAMAGED.value})


def find_receipt(session: Session, number: str) -> Receipt:
    text = number.strip()
    receipt = session.scalar(select(Receipt).where(Receipt.number == text))
    if receipt is None:
        raise ReceivingRefused("unknown-receipt", f"There is no receipt or purchase order {text!r}: check the "
                               "number ('fulfilstation receive list' shows them).")
    return receipt


def open_receipt(session: Session, number: str) -> Receipt:
    """The receipt ``number`` if it is still open; else ReceivingRefused saying what happened to it."""
    receipt = find_receipt(session, number)
    if receipt.status != ReceiptStatus.OPEN.value:
        raise not_open(receipt)
    return receipt


def not_open(receipt: Receipt) -> ReceivingRefused:
    if receipt.status == ReceiptStatus.RECEIVED.value:
        return ReceivingRefused("receipt-closed", f"Receipt {receipt.number} is already closed: its goods are in "
                                "stock. Start a new receipt for goods that came later.")
    return ReceivingRefused("receipt-cancelled", f"Receipt {receipt.number} was cancelled: start a new receipt.")


def is_purchase_order(session: Session, receipt_id: int) -> bool:
    """A receipt is a purchase order when it expects something (a PO has at least one
    line with an expected quantity; ad hoc receipts expect nothing)."""
    return session.scalar(select(ReceiptLine.id).where(ReceiptLine.receipt_id == receipt_id,
                                                       ReceiptLine.quantity_expected > 0).limit(1)) is not None


def bin_named(session: Session, code: str) -> Bin | None:
    text = code.strip()
    if not text:
        return None
    found = session.scalar(select(Bin).where(Bin.code == text))
    if found is None and text.upper() != text:
        found = session.scalar(select(Bin).where(Bin.code == text.upper()))
    return found


def receivable_bin(session: Session, code: str) -> Bin:
    """The active bin ``code`` goods may be received into; else ReceivingRefused."""
    found = bin_named(session, code)
    if found is None:
        raise ReceivingRefused("unknown-bin", f"There is no bin {code.strip()!r}: scan a bin label, or check the "
                               "code.")
    return check_receivable(found)


def check_receivable(found: Bin) -> Bin:
    if not found.active:
        raise ReceivingRefused("inactive-bin", f"Bin {found.code} is no longer in use: scan another bin.")
    if found.kind not in RECEIVABLE_KINDS:
        raise ReceivingRefused("wrong-bin-kind", f"Bin {found.code} is a {found.kind} bin: goods from suppliers go "
                               "to a receiving, pickable, storage, quarantine or damaged bin. Scan another bin.")
    return found


def product_by_sku(session: Session, sku: str) -> Product:
    text = sku.strip()
    product = session.scalar(select(Product).where(Product.sku == text))
    if product is None:
        raise ReceivingRefused("unknown-sku", f"There is no product with SKU {text!r}: add it to the catalogue "
                               "first, or check the SKU.")
    return product


def next_number(session: Session, prefix: str) -> str:
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    highest = 0
    for number in session.scalars(select(Receipt.number).where(Receipt.number.like(f"{prefix}%"))):
        match = pattern.match(number)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"{prefix}{highest + 1}"


def insert_numbered(session: Session, prefix: str, make: Callable[[str], Receipt]) -> Receipt:
    """Add the receipt ``make(number)`` under the next free ``prefix`` number (settled by
    the unique number: a number taken meanwhile makes it try the next)."""
    for _attempt in range(20):
        receipt = make(next_number(session, prefix))
        try:
            with session.begin_nested():
                session.add(receipt)
                session.flush()
        except IntegrityError:
            continue
        return receipt
    raise ReceivingRefused("busy", "Too many receipts are being numbered at once: try again.")
