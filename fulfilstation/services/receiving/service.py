"""``ReceivingService``: purchase orders (a manager's) and receiving goods (packers too).

Purchase orders (``Permission.PURCHASE_ORDERS``): ``create_po``, ``set_po_lines`` (while
open), ``cancel_po``, ``import_purchase_orders`` (CSV). Receiving (``Permission.RECEIVE``):
``start`` (a PO or ad hoc), ``scan`` (one call decides what a code is; the caller keeps
the ``ReceivingCursor`` it returns), ``undo`` (the last scan made here), ``close`` (posts
the stock in one transaction), ``cancel``. Queries: ``list``, ``show``.

Threading: blocking (database); call from worker threads. Safe from many stations at once:
races are settled in the database (see ``closing`` and ``scanning``).
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence

from fulfilstation.domain.roles import Permission
from fulfilstation.imports import CsvTable, ImportProgress, ImportReport
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.orders.arrival import reserve_backorders
from fulfilstation.services.receiving import closing, scanning
from fulfilstation.services.receiving.po_import import import_purchase_orders
from fulfilstation.services.receiving.purchase_orders import cancel_po, create_po, set_po_lines
from fulfilstation.services.receiving.queries import list_receipts, show_receipt
from fulfilstation.services.receiving.views import (
    CancelledReceipt,
    ClosedReceipt,
    ExpectedLine,
    NewPurchaseOrder,
    ReceiptSummary,
    ReceiptView,
    ReceiveOutcome,
    ReceivingCursor,
    Undone,
)

_PO = "create, change or cancel purchase orders"
_RECEIVE = "receive goods"


class ReceivingService(AreaService):
    # -- queries

    def list(self, open_only: bool = False) -> builtins.list[ReceiptSummary]:
        """Receipts and purchase orders: open ones first (oldest expected date first)."""
        return list_receipts(self.database, open_only)

    def show(self, number: str) -> ReceiptView:
        """One receipt: each line's expected against received so far, and the latest scans."""
        return show_receipt(self.database, number)

    def prompt(self, cursor: ReceivingCursor) -> str:
        """What the station asks for next at ``cursor`` ("Scan an item", "Scan the serial of …")."""
        return scanning.prompt_for(cursor)

    # -- purchase orders

    @use_case(Permission.PURCHASE_ORDERS, _PO)
    def create_po(self, actor: Actor, new: NewPurchaseOrder) -> str:
        """Add a purchase order; returns its number. Audited as ``po.created``."""
        return create_po(self.database, actor, new)

    @use_case(Permission.PURCHASE_ORDERS, _PO)
    def set_po_lines(self, actor: Actor, number: str, lines: Sequence[ExpectedLine], supplier: str | None = None,
                     reference: str | None = None, expected_date: dt.date | None = None) -> str:
        """Replace the expected lines of an open PO; audited as ``po.lines_changed``."""
        return set_po_lines(self.database, actor, number, lines, supplier, reference, expected_date)

    @use_case(Permission.PURCHASE_ORDERS, _PO)
    def cancel_po(self, actor: Actor, number: str, reason: str | None = None) -> int:
        """Cancel an open PO (its scans are dropped: returns how many); audited as ``po.cancelled``."""
        return cancel_po(self.database, actor, number, reason)

    @use_case(Permission.PURCHASE_ORDERS, "import purchase orders")
    def import_purchase_orders(self, actor: Actor, table: CsvTable, dry_run: bool = False,
                               progress: ImportProgress | None = None) -> ImportReport:
        """Import POs from a CSV table (``po_import``: whole POs or none of each)."""
        return import_purchase_orders(self.database, actor, table, dry_run, progress)

    # -- receiving

    @use_case(Permission.RECEIVE, _RECEIVE)
    def start(self, actor: Actor, po: str | None = None, supplier: str | None = None,
              bin: str | None = None) -> ReceiptView:  # noqa: A002 - the word people use
        """Receive against open PO ``po``, or ad hoc from ``supplier`` (a new ``RCV-<n>``)."""
        return closing.start(self.database, actor, po, supplier, bin)

    @use_case(Permission.RECEIVE, _RECEIVE, fresh=False)
    def scan(self, actor: Actor, number: str, code: str, cursor: ReceivingCursor | None = None,
             symbology: str | None = None) -> ReceiveOutcome:
        """One scan on the open receipt ``number`` (see ``scanning``); keep the outcome's cursor
        for the next scan."""
        return scanning.scan(self.database, actor, number, code, cursor, symbology)

    @use_case(Permission.RECEIVE, _RECEIVE)
    def undo(self, actor: Actor, number: str) -> Undone:
        """Take back the last scan made at this station on the open receipt; audited."""
        return closing.undo_last(self.database, actor, number)

    @use_case(Permission.RECEIVE, _RECEIVE)
    def close(self, actor: Actor, number: str) -> ClosedReceipt:
        """Post the receipt's stock in one transaction; the outcome lists over and under lines.
        Once it committed, the backorders needing what came in are reserved (oldest first)."""
        closed = closing.close(self.database, actor, number)
        skus = [line.sku for line in closed.lines if line.received > 0]
        if skus:
            reserve_backorders(self.database, actor, today=self._context.ports.clock.now().astimezone().date(),
                               skus=skus)
        return closed

    @use_case(Permission.RECEIVE, _RECEIVE)
    def cancel(self, actor: Actor, number: str, reason: str | None = None) -> CancelledReceipt:
        """Cancel an ad hoc receipt, or drop a PO's scans (the PO stays open); audited."""
        return closing.cancel(self.database, actor, number, reason)
