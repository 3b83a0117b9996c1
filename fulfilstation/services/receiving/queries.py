"""Receipts as people look at them: the list, one receipt's expected against received per
line (as you go: open receipts count their scans; closed ones what was posted), the last
scans. Read-only; each call is one short transaction.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Product, Receipt, ReceiptItem, ReceiptLine, User
from fulfilstation.domain.enums import ReceiptStatus
from fulfilstation.services.receiving.lookup import find_receipt
from fulfilstation.services.receiving.views import (
    LineProgress,
    ReceiptSummary,
    ReceiptView,
    ReceivedItem,
)

RECENT_ITEMS = 50


def list_receipts(database: Database, open_only: bool = False) -> list[ReceiptSummary]:
    """Receipts and POs: open ones first (oldest expected first), then the rest, newest first."""
    with database.unit_of_work() as session:
        query = select(Receipt)
        if open_only:
            query = query.where(Receipt.status == ReceiptStatus.OPEN.value)
        receipts = session.scalars(query).all()
        expected, received = _totals(session, [r.id for r in receipts])
        bins = dict(session.execute(select(Bin.id, Bin.code).where(
            Bin.id.in_({r.bin_id for r in receipts if r.bin_id}))).all())
        rows = [_summary(r, expected.get(r.id, 0), received.get(r.id, 0), bins.get(r.bin_id or 0))
                for r in receipts]
    open_rows = sorted((r for r in rows if r.status == ReceiptStatus.OPEN.value),
                       key=lambda r: (r.expected_date is None, r.expected_date or r.created_at.date(), r.number))
    closed = sorted((r for r in rows if r.status != ReceiptStatus.OPEN.value), key=lambda r: r.created_at,
                    reverse=True)
    return open_rows + closed


def show_receipt(database: Database, number: str, items: int = RECENT_ITEMS) -> ReceiptView:
    with database.unit_of_work() as session:
        receipt = find_receipt(session, number)
        return receipt_view(session, receipt, items)


def receipt_view(session: Session, receipt: Receipt, items: int = RECENT_ITEMS) -> ReceiptView:
    lines = progress(session, receipt)
    bin_code = session.scalar(select(Bin.code).where(Bin.id == receipt.bin_id)) if receipt.bin_id else None
    summary = _summary(receipt, sum(line.expected for line in lines), sum(line.received for line in lines), bin_code)
    return ReceiptView(summary, tuple(lines), recent_items(session, receipt.id, items))


def progress(session: Session, receipt: Receipt) -> list[LineProgress]:
    """Every product expected or scanned on the receipt, by SKU. An open receipt counts
    its scans; a closed one shows the quantities posted when it closed."""
    closed = receipt.status == ReceiptStatus.RECEIVED.value
    target = aliased(Bin)
    lines = {row.product_id: row for row in session.execute(
        select(ReceiptLine.product_id, ReceiptLine.quantity_expected, ReceiptLine.quantity_received,
               target.code.label("bin")).outerjoin(target, target.id == ReceiptLine.to_bin_id)
        .where(ReceiptLine.receipt_id == receipt.id))}
    scanned = _scanned(session, receipt.id)
    is_po = any(row.quantity_expected > 0 for row in lines.values())
    ids = set(lines) | set(scanned)
    products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))} if ids else {}
    out = []
    for product_id in ids:
        row = lines.get(product_id)
        expected = row.quantity_expected if row is not None else 0
        received = row.quantity_received if closed and row is not None else scanned.get(product_id, 0)
        product = products[product_id]
        out.append(LineProgress(product.sku, product.name, expected, received, is_po and expected == 0,
                                row.bin if row is not None else None))
    return sorted(out, key=lambda line: (line.unexpected, line.sku))


def line_progress(session: Session, receipt_id: int, product_id: int) -> LineProgress:
    """One product's line on an open receipt (expected and scanned so far)."""
    product = session.get(Product, product_id)
    assert product is not None
    expected = session.scalar(select(ReceiptLine.quantity_expected).where(
        ReceiptLine.receipt_id == receipt_id, ReceiptLine.product_id == product_id)) or 0
    received = session.scalar(select(func.coalesce(func.sum(ReceiptItem.quantity), 0)).where(
        ReceiptItem.receipt_id == receipt_id, ReceiptItem.product_id == product_id)) or 0
    is_po = session.scalar(select(ReceiptLine.id).where(ReceiptLine.receipt_id == receipt_id,
                                                        ReceiptLine.quantity_expected > 0).limit(1)) is not None
    return LineProgress(product.sku, product.name, int(expected), int(received), is_po and not expected)


def recent_items(session: Session, receipt_id: int, limit: int = RECENT_ITEMS) -> tuple[ReceivedItem, ...]:
    rows = session.execute(
        select(ReceiptItem, Product.sku, Product.name, Bin.code, User.username)
        .join(Product, Product.id == ReceiptItem.product_id).join(Bin, Bin.id == ReceiptItem.bin_id)
        .outerjoin(User, User.id == ReceiptItem.scanned_by_id)
        .where(ReceiptItem.receipt_id == receipt_id).order_by(ReceiptItem.id.desc()).limit(limit))
    return tuple(ReceivedItem(item.id, sku, name, item.quantity, code, item.lot_code, item.expiry_date,
                              item.serial_number, username, item.scanned_at)
                 for item, sku, name, code, username in rows)


def _scanned(session: Session, receipt_id: int) -> dict[int, int]:
    return {product_id: int(total) for product_id, total in session.execute(
        select(ReceiptItem.product_id, func.sum(ReceiptItem.quantity)).where(ReceiptItem.receipt_id == receipt_id)
        .group_by(ReceiptItem.product_id))}


def _totals(session: Session, ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    expected: dict[int, int] = defaultdict(int)
    received: dict[int, int] = defaultdict(int)
    if not ids:
        return expected, received
    for receipt_id, exp, rec in session.execute(
            select(ReceiptLine.receipt_id, func.sum(ReceiptLine.quantity_expected),
                   func.sum(ReceiptLine.quantity_received)).where(ReceiptLine.receipt_id.in_(ids))
            .group_by(ReceiptLine.receipt_id)):
        expected[receipt_id], received[receipt_id] = int(exp or 0), int(rec or 0)
    for receipt_id, scanned in session.execute(
            select(ReceiptItem.receipt_id, func.sum(ReceiptItem.quantity)).where(ReceiptItem.receipt_id.in_(ids))
            .group_by(ReceiptItem.receipt_id)):
        received[receipt_id] = int(scanned or 0)  # what was scanned (a closed receipt posted exactly that)
    return expected, received


def _summary(receipt: Receipt, expected: int, received: int, bin_code: str | None) -> ReceiptSummary:
    return ReceiptSummary(receipt.number, receipt.supplier, receipt.reference, receipt.status, expected > 0,
                          receipt.expected_date, bin_code, expected, received, receipt.created_at)
