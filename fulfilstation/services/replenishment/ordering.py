"""Turning the reorder report into purchase orders (one action).

The rows chosen (by SKU; none named: every row with a suggested quantity above 0) become
purchase orders, one per supplier (products without a supplier on one PO to
``UNKNOWN_SUPPLIER``, which the manager renames or splits in Receiving), each line the
row's suggested quantity, expected on today + the longest lead time among its lines.
Every PO is written by the receiving area's ``create_po_in`` (its numbering, checks and
``po.created`` audit entry) inside one transaction with one ``replenishment.ordered``
audit entry: all the POs are made, or none. A SKU asked for that is no product at all is
refused (``unknown-product``: a typo never makes a partial order); SKUs that have nothing
suggested (or are not on the report) are left out and named, each with why.

Threading: blocking; call from a worker thread.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import Product
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.receiving.purchase_orders import create_po_in
from fulfilstation.services.receiving.views import ExpectedLine, NewPurchaseOrder
from fulfilstation.services.replenishment.views import (
    UNKNOWN_SUPPLIER,
    PurchaseOrderMade,
    PurchaseOrdersMade,
    ReorderReport,
    ReorderRow,
    ReplenishmentRefused,
)


def choose_rows(report: ReorderReport, skus: Sequence[str] | None) -> tuple[list[ReorderRow], list[str]]:
    """The rows to order and the SKUs asked for that have nothing to order."""
    if not skus:
        return [row for row in report.rows if row.suggested > 0], []
    chosen: list[ReorderRow] = []
    skipped: list[str] = []
    for sku in dict.fromkeys(text.strip() for text in skus if text.strip()):
        row = report.row(sku)
        if row is None or row.suggested <= 0:
            skipped.append(sku)
        elif row not in chosen:
            chosen.append(row)
    return chosen, skipped


def why_nothing(report: ReorderReport, sku: str) -> str:
    """Why the product ``sku`` (one that exists) has nothing to order, in words."""
    row = report.row(sku)
    if row is None:
        return f"{sku} is not on the reorder report (above its reorder point and not running out)"
    return f"{sku} has nothing suggested (enough available and on order)"


def known_skus(database: Database, skus: Sequence[str] | None) -> list[str] | None:
    """``skus`` as the catalogue spells them (exactly, else the one SKU equal ignoring case);
    ReplenishmentRefused ``unknown-product`` naming the first that is no product."""
    if not skus:
        return None
    with database.unit_of_work() as session:
        return [_known_sku(session, text.strip()) for text in skus if text.strip()]


def _known_sku(session: Session, sku: str) -> str:
    found = session.scalar(select(Product.sku).where(Product.sku == sku))
    if found is None:
        matches = session.scalars(select(Product.sku).where(func.lower(Product.sku) == sku.lower()).limit(2)).all()
        found = matches[0] if len(matches) == 1 else None
    if found is None:
        raise ReplenishmentRefused("unknown-product", f"There is no product {sku}: check the SKU (look it up with "
                                   "'fulfilstation products list --search …'). Nothing was ordered.")
    return str(found)


def create_purchase_orders(database: Database, actor: Actor, report: ReorderReport,
                           skus: Sequence[str] | None) -> PurchaseOrdersMade:
    rows, skipped = choose_rows(report, known_skus(database, skus))
    if not rows:
        if skipped:
            raise ReplenishmentRefused("nothing-to-order", f"Nothing to order ({', '.join(skipped)}): "
                                       f"{'; '.join(why_nothing(report, sku) for sku in skipped)}. Choose rows of "
                                       "the reorder report with a suggested quantity above 0.")
        raise ReplenishmentRefused("nothing-to-order", "Nothing to order: no product on the reorder report has a "
                                   "suggested quantity. Choose rows of the reorder report with a suggested quantity "
                                   "above 0.")
    by_supplier: dict[str, list[ReorderRow]] = defaultdict(list)
    for row in rows:
        by_supplier[(row.supplier or "").strip() or UNKNOWN_SUPPLIER].append(row)
    made: list[PurchaseOrderMade] = []
    with database.unit_of_work() as session:
        for supplier in sorted(by_supplier, key=lambda name: (name == UNKNOWN_SUPPLIER, name.lower())):
            lines = by_supplier[supplier]
            expected = report.today + dt.timedelta(days=max(row.lead_time_days for row in lines))
            number = create_po_in(session, actor, NewPurchaseOrder(
                supplier, tuple(ExpectedLine(row.sku, row.suggested) for row in lines),
                reference=f"Reorder report {report.today.isoformat()}", expected_date=expected))
            made.append(PurchaseOrderMade(number, supplier, len(lines), sum(row.suggested for row in lines)))
        audit.record(session, actor, "replenishment.ordered", None, None,
                     {"orders": {order.number: order.supplier for order in made},
                      "lines": {row.sku: row.suggested for row in rows}, "skipped": skipped})
    return PurchaseOrdersMade(tuple(made), tuple(skipped))
