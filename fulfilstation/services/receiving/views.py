"""What the receiving area returns: plain, frozen data for the window and the CLI, and its refusal.

A *receipt* is goods arriving from a supplier. A *purchase order* (PO) is a receipt made in
advance with expected lines (its number is the PO number); an *ad hoc* receipt has none
(numbered ``RCV-<n>``). ``ReceiptView.lines`` joins what was expected with what has been
scanned so far, so over- and under-receipts show as you go.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from fulfilstation.services.orders.views import to_json
from fulfilstation.services.refused import Refused


class ReceivingRefused(Refused):
    """A receiving or purchase-order use case said no (``code``: see each raise)."""


@dataclass(frozen=True)
class ExpectedLine:
    """A purchase order line as given: ``sku`` × ``quantity`` (optionally into ``bin``)."""

    sku: str
    quantity: int
    bin: str | None = None


@dataclass(frozen=True)
class NewPurchaseOrder:
    supplier: str
    lines: tuple[ExpectedLine, ...]
    number: str | None = None  # None: the next ``PO-<n>``
    reference: str | None = None
    expected_date: dt.date | None = None
    bin: str | None = None  # the default destination bin of its goods


@dataclass(frozen=True)
class LineProgress:
    """One product on a receipt: expected (0 when it was not on the PO) against received."""

    sku: str
    name: str
    expected: int
    received: int
    unexpected: bool  # scanned on a PO that did not list it
    bin: str | None = None  # the line's own destination bin, if the PO gave one

    @property
    def difference(self) -> int:
        """Received minus expected: positive is an over-receipt, negative an under-receipt."""
        return self.received - self.expected


@dataclass(frozen=True)
class ReceivedItem:
    """One accepted scan (units of one product into one bin, with lot, expiry, serial)."""

    id: int
    sku: str
    name: str
    quantity: int
    bin: str
    lot: str
    expiry: dt.date | None
    serial: str | None
    scanned_by: str | None
    scanned_at: dt.datetime


@dataclass(frozen=True)
class ReceiptSummary:
    number: str
    supplier: str
    reference: str | None
    status: str  # a ReceiptStatus value
    purchase_order: bool
    expected_date: dt.date | None
    bin: str | None
    expected: int  # units expected in all
    received: int  # units scanned (open) or received (closed)
    created_at: dt.datetime

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        return data


@dataclass(frozen=True)
class ReceiptView:
    summary: ReceiptSummary
    lines: tuple[LineProgress, ...]
    items: tuple[ReceivedItem, ...] = field(default=())  # the latest scans first

    @property
    def number(self) -> str:
        return self.summary.number

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        for line, raw in zip(self.lines, data["lines"], strict=True):
            raw["difference"] = line.difference
        return data


@dataclass(frozen=True)
class Pending:
    """What the next scan must give for an item already scanned: its serial, lot or expiry."""

    kind: str  # "serial", "lot" or "expiry"
    sku: str
    name: str
    quantity: int
    serial: str | None = None
    lot: str | None = None
    expiry: dt.date | None = None
    expiry_known: bool = False  # the expiry was given (or said to be none): not asked again


@dataclass(frozen=True)
class ReceivingCursor:
    """Where this station is on a receipt: the bin its next items go to (None: the line's
    or the receipt's bin) and what the next scan must give. Held by the caller (the window,
    one CLI run), so two stations receiving one PO each keep their own."""

    number: str
    bin: str | None = None
    pending: Pending | None = None

    def without_pending(self) -> ReceivingCursor:
        return replace(self, pending=None)


@dataclass(frozen=True)
class ReceiveOutcome:
    """What one scan did. ``accepted``: units recorded; ``pending``: waiting for the next
    scan (``prompt`` says what); else refused (``code`` says why) and nothing changed.
    ``unexpected``: the product is not on the PO (accepted, flagged)."""

    accepted: bool
    message: str
    cursor: ReceivingCursor
    prompt: str
    code: str | None = None
    quantity: int = 0
    sku: str | None = None
    unexpected: bool = False
    line: LineProgress | None = None

    @property
    def pending(self) -> bool:
        return self.cursor.pending is not None


@dataclass(frozen=True)
class Undone:
    number: str
    sku: str
    quantity: int
    bin: str
    serial: str | None
    lot: str


@dataclass(frozen=True)
class ClosedReceipt:
    """A closed receipt: every line's expected against received (over and under listed)."""

    number: str
    lines: tuple[LineProgress, ...]
    units: int
    moves: int  # ``receive`` stock moves posted
    serials: int
    purchase_order: bool = True  # an ad hoc receipt expected nothing: it has no over or under

    @property
    def over(self) -> tuple[LineProgress, ...]:
        return tuple(line for line in self.lines if line.difference > 0) if self.purchase_order else ()

    @property
    def under(self) -> tuple[LineProgress, ...]:
        return tuple(line for line in self.lines if line.difference < 0) if self.purchase_order else ()


@dataclass(frozen=True)
class CancelledReceipt:
    number: str
    dropped: int  # scans dropped
    cancelled: bool  # False: a PO, which stays open (only its scans were dropped)
