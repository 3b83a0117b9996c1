"""Importing purchase orders from a CSV file (``fulfilstation import purchase-orders``).

One row per PO line: ``po_number, supplier, reference, expected_date, sku, quantity, bin``
(``reference``, ``expected_date`` — YYYY-MM-DD — and ``bin`` optional; header names are
matched case-insensitively). Rows are grouped by ``po_number`` wherever they are in the
file. A PO goes in whole or not at all: one bad row rejects every row of its PO, each
reported with its line number (the bad ones with their reason). A PO number that exists
and is still open has its lines and header replaced by the file's (``updated`` when
anything changed); one already received or cancelled is never touched (a warning says
so). Counts: ``imported`` and ``updated`` are purchase orders, ``rejected`` rows.
A dry run does all of it in a transaction that is rolled back. Audited per PO
(``po.imported`` / ``po.lines_changed``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Product, ProductComponent, Receipt, ReceiptLine
from fulfilstation.domain.enums import BinKind, ReceiptStatus
from fulfilstation.imports import CsvRow, CsvTable, ImportProgress, ImportReport, RowProblem
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.product_files.values import CellInvalid, read_whole
from fulfilstation.services.receiving.purchase_orders import (
    QUANTITY_MAX,
    Resolved,
    check_number,
    check_reference,
    check_supplier,
    write_lines,
)
from fulfilstation.services.receiving.views import ReceivingRefused

NUMBER = ("po_number", "po", "purchase_order", "number")
SKU = ("sku",)
QUANTITY = ("quantity", "qty")
REQUIRED = {"po_number": NUMBER, "supplier": ("supplier",), "sku": SKU, "quantity": QUANTITY}
_RECEIVABLE = {BinKind.RECEIVING.value, BinKind.PICKABLE.value, BinKind.STORAGE.value, BinKind.QUARANTINE.value,
               BinKind.DAMAGED.value}


@dataclass
class _Draft:
    number: str
    rows: list[CsvRow] = field(default_factory=list)
    supplier: str | None = None
    reference: str | None = None
    expected_date: dt.date | None = None
    lines: list[Resolved] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


class _DryRun(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__("dry run")
        self.report = report


def import_purchase_orders(database: Database, actor: Actor, table: CsvTable, dry_run: bool = False,
                           progress: ImportProgress | None = None) -> ImportReport:
    missing = [name for name, aliases in REQUIRED.items() if not any(table.has_column(a) for a in aliases)]
    if missing:
        raise ReceivingRefused("bad-file", f"The file has no {', '.join(missing)} column: purchase orders need "
                               "po_number, supplier, sku and quantity (reference, expected_date and bin are "
                               "optional).")
    try:
        with database.unit_of_work() as session:
            report = _run(session, actor, table, dry_run, progress)
            if dry_run:
                raise _DryRun(report)
            return report
    except _DryRun as dry:
        return dry.report


def _run(session: Session, actor: Actor, table: CsvTable, dry_run: bool,
         progress: ImportProgress | None) -> ImportReport:
    drafts: dict[str, _Draft] = {}
    orphans: list[RowProblem] = []
    for row in table.rows:
        number = row.get(*NUMBER)
        if not number:
            orphans.append(RowProblem(row.line, "the po_number is blank: every row names its purchase order"))
            continue
        drafts.setdefault(number, _Draft(number)).rows.append(row)
    skus = {row.get(*SKU) for draft in drafts.values() for row in draft.rows}
    products = {p.sku: p for p in session.scalars(select(Product).where(Product.sku.in_(skus)))} if skus else {}
    kits = set(session.scalars(select(ProductComponent.kit_id).where(
        ProductComponent.kit_id.in_([p.id for p in products.values()])))) if products else set()
    bins = {b.code: b for b in session.scalars(select(Bin))}
    imported = updated = unchanged = 0
    problems: list[RowProblem] = list(orphans)
    done = 0
    for draft in drafts.values():
        _check(draft, products, kits, bins)
        done += len(draft.rows)
        if progress is not None:
            progress(done, len(table.rows))
        if draft.problems:
            bad = sorted({p.line for p in draft.problems})
            problems += draft.problems
            problems += [RowProblem(row.line, f"purchase order {draft.number} is rejected whole (see line "
                                    f"{', '.join(map(str, bad))})", draft.number)
                         for row in draft.rows if row.line not in bad]
            continue
        outcome = _write(session, actor, draft)
        if outcome == "imported":
            imported += 1
        elif outcome == "updated":
            updated += 1
        else:
            unchanged += 1
            if outcome != "same":
                problems.append(RowProblem(draft.rows[0].line, outcome, draft.number, rejects=False))
    problems.sort(key=lambda p: p.line)
    rejected = len({p.line for p in problems if p.rejects})
    return ImportReport(imported, updated, rejected, unchanged, tuple(problems), table.notes, dry_run)


def _check(draft: _Draft, products: dict[str, Product], kits: set[int], bins: dict[str, Bin]) -> None:
    def bad(row: CsvRow, reason: str) -> None:
        draft.problems.append(RowProblem(row.line, reason, draft.number))

    try:
        draft.number = check_number(draft.number)
    except ReceivingRefused as refused:
        for row in draft.rows:
            bad(row, refused.message)
        return
    seen: dict[int, int] = {}
    for row in draft.rows:
        if row.width_problem:
            bad(row, row.width_problem)
            continue
        for name, value, current in (("supplier", row.get("supplier"), draft.supplier),
                                     ("reference", row.get("reference"), draft.reference)):
            if value and current is not None and " ".join(value.split()) != current:
                bad(row, f"the {name} {value!r} differs from {current!r} on an earlier row of this purchase order")
        supplier = row.get("supplier")
        if supplier and draft.supplier is None:
            try:
                draft.supplier = check_supplier(supplier)
            except ReceivingRefused as refused:
                bad(row, refused.message)
        reference = row.get("reference")
        if reference and draft.reference is None:
            try:
                draft.reference = check_reference(reference)
            except ReceivingRefused as refused:
                bad(row, refused.message)
        when = row.get("expected_date", "expected")
        if when:
            try:
                date = dt.date.fromisoformat(when)
            except ValueError:
                bad(row, f"the expected_date {when!r} is not a date: write it as YYYY-MM-DD")
            else:
                if draft.expected_date is not None and date != draft.expected_date:
                    bad(row, f"the expected_date {when} differs from {draft.expected_date} on an earlier row")
                draft.expected_date = date
        sku = row.get(*SKU)
        product = products.get(sku)
        if not sku:
            bad(row, "the sku is blank")
            continue
        if product is None:
            bad(row, f"there is no product with SKU {sku!r}: import or add it first")
            continue
        if product.id in kits:
            bad(row, f"{sku} is a kit: kits are not received, their components are")
            continue
        text = row.get(*QUANTITY)
        quantity = _quantity(text)
        if quantity is None:
            bad(row, f"the quantity {text!r} is not a whole number from 1 to {QUANTITY_MAX:,}")
            continue
        if product.id in seen:
            bad(row, f"{sku} is on this purchase order already (line {seen[product.id]}): give it once")
            continue
        seen[product.id] = row.line
        code = row.get("bin")
        bin_id = None
        if code:
            found = bins.get(code) or bins.get(code.upper())
            if found is None:
                bad(row, f"there is no bin {code!r}")
                continue
            if not found.active or found.kind not in _RECEIVABLE:
                bad(row, f"bin {found.code} cannot take goods from suppliers (it is "
                    f"{'inactive' if not found.active else 'a ' + found.kind + ' bin'})")
                continue
            bin_id = found.id
        draft.lines.append((product.sku, product.id, quantity, bin_id))
    if draft.supplier is None and not draft.problems:
        bad(draft.rows[0], "the supplier is blank: name the supplier on the purchase order's rows")


def _write(session: Session, actor: Actor, draft: _Draft) -> str:
    """"imported", "updated", "same", or a warning why an existing PO was left alone."""
    receipt = session.scalar(select(Receipt).where(Receipt.number == draft.number))
    assert draft.supplier is not None
    if receipt is None:
        receipt = Receipt(number=draft.number, supplier=draft.supplier, reference=draft.reference,
                          expected_date=draft.expected_date, status=ReceiptStatus.OPEN.value,
                          created_by_id=actor.user_id)
        session.add(receipt)
        session.flush()
        write_lines(session, receipt.id, draft.lines)
        audit.record(session, actor, "po.imported", "receipt", receipt.id,
                     {"number": receipt.number, "supplier": draft.supplier,
                      "lines": {sku: quantity for sku, _p, quantity, _b in draft.lines}})
        return "imported"
    if receipt.status != ReceiptStatus.OPEN.value:
        return (f"purchase order {draft.number} is already {receipt.status}: it was left as it is (a closed "
                "purchase order is never changed by an import)")
    before = _state(session, receipt)
    receipt.supplier, receipt.reference, receipt.expected_date = draft.supplier, draft.reference, draft.expected_date
    write_lines(session, receipt.id, draft.lines)
    after = _state(session, receipt)
    if after == before:
        return "same"
    audit.record(session, actor, "po.lines_changed", "receipt", receipt.id,
                 {"number": receipt.number, "by_import": True, "before": before["lines"], "after": after["lines"]})
    return "updated"


def _state(session: Session, receipt: Receipt) -> dict[str, object]:
    session.flush()
    lines = {product_id: (expected, bin_id) for product_id, expected, bin_id in session.execute(
        select(ReceiptLine.product_id, ReceiptLine.quantity_expected, ReceiptLine.to_bin_id)
        .where(ReceiptLine.receipt_id == receipt.id))}
    skus = dict(session.execute(select(Product.id, Product.sku).where(Product.id.in_(lines))).all())
    return {"supplier": receipt.supplier, "reference": receipt.reference,
            "expected_date": receipt.expected_date.isoformat() if receipt.expected_date else None,
            "lines": {skus[pid]: value[0] for pid, value in sorted(lines.items())},
            "bins": {skus[pid]: value[1] for pid, value in sorted(lines.items())}}


def _quantity(text: str) -> int | None:
    """A quantity as spreadsheets write it (``24``, ``1,000``, ``24.0``); None when it is not a
    whole number from 1 to QUANTITY_MAX (``²`` is a digit to ``isdigit()``, never to ``int()``)."""
    try:
        value = read_whole(text, "the quantity", maximum=QUANTITY_MAX)
    except CellInvalid:
        return None
    return value if value >= 1 else None
