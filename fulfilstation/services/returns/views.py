"""What the returns area takes and gives: frozen values, and its one refusal type.

``ReturnsRefused`` codes: ``bin-label``, ``lot-needed``, ``serial-needed``, ``wrong-lot``,
``wrong-serial``, ``not-sellable``, ``to-grade``, ``unknown-order``, ``not-shipped``, ``bad-line``, ``too-many``,
``bad-reason`` (create); ``unknown-rma``, ``not-open``, ``not-on-rma``, ``all-received``,
``no-returns-bin``, ``unknown-code`` (receive); ``nothing-to-grade``, ``bad-grade``,
``bad-action``, ``bad-bin``, ``no-quarantine-bin``, ``not-in-returns-bin`` (grade);
``no-refund-due`` (refund). A refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fulfilstation.services.refused import Refused

OVERDUE_AFTER = dt.timedelta(hours=48)  # received and not processed for longer than this: flagged


class ReturnsRefused(Refused):
    """A return that cannot be made, received or graded as asked; ``message`` says what to do.
    ``item``: the code scanned (``lot-needed``/``serial-needed``: the item waiting for its lot
    or serial; ``bin-label``: the bin's code) and ``sku`` its product's, when known."""

    def __init__(self, code: str, message: str, *, item: str = "", sku: str = "") -> None:
        super().__init__(code, message)
        self.item = item
        self.sku = sku


@dataclass(frozen=True)
class NewRmaLine:
    """A line to authorise: ``quantity`` units of ``sku`` of the order, for ``reason`` (a code
    of ``domain.return_reasons``)."""

    sku: str
    quantity: int
    reason: str


@dataclass(frozen=True)
class CreatedRma:
    """An RMA just made: its number, and what became of its return label in words."""

    number: str
    order_number: str
    units: int
    tracking_number: str | None  # the return label's, if one was made
    label_note: str  # "Return label UPS 1Z… printed.", "USPS offers no return label: …"
    label_printed: bool = False


@dataclass(frozen=True)
class RmaLineView:
    sku: str
    name: str
    reason: str  # the code
    reason_words: str
    expected: int
    received: int
    graded: int


@dataclass(frozen=True)
class RmaUnitView:
    sku: str
    grade: str
    action: str
    bin: str | None
    graded_by: str
    graded_at: dt.datetime


@dataclass(frozen=True)
class RmaSummary:
    """A row of the RMA list; ``overdue``: received more than 48 h ago and not processed."""

    number: str
    order_number: str
    status: str
    created_at: dt.datetime
    received_at: dt.datetime | None
    processed_at: dt.datetime | None
    units_expected: int
    units_received: int
    units_graded: int
    tracking_number: str | None
    overdue: bool
    refund_due: bool


@dataclass(frozen=True)
class RmaView:
    """One RMA as the Returns screen and ``rma show`` show it."""

    number: str
    order_number: str
    status: str
    customer: tuple[str, ...]  # the order's ship-to address lines
    created_at: dt.datetime
    created_by: str
    received_at: dt.datetime | None
    received_by: str | None
    processed_at: dt.datetime | None
    tracking_number: str | None
    carrier_code: str | None
    has_label: bool
    refund_minor: int
    currency: str
    refund_due: bool
    overdue: bool
    note: str | None
    lines: tuple[RmaLineView, ...]
    units: tuple[RmaUnitView, ...]

    @property
    def to_grade(self) -> int:
        return sum(line.received - line.graded for line in self.lines)

    @property
    def to_receive(self) -> int:
        return sum(line.expected - line.received for line in self.lines)

    @property
    def received_total(self) -> int:
        return sum(line.received for line in self.lines)

    @property
    def expected_total(self) -> int:
        return sum(line.expected for line in self.lines)


@dataclass(frozen=True)
class ReturnScan:
    """One item scanned in on an RMA: which product, how many units it counted, the line's
    figures after it, and the returns bin the units went to."""

    rma: RmaView
    sku: str
    units: int
    line_received: int
    line_expected: int
    bin: str
    message: str


@dataclass(frozen=True)
class GradedUnit:
    """A unit inspected: its grade, what became of it, and the RMA after it (``closed`` when
    it was the last received unit to grade)."""

    rma: RmaView
    sku: str
    grade: str
    action: str
    bin: str | None
    closed: bool
    message: str


@dataclass(frozen=True)
class ReasonCount:
    """How often a reason was given over a period: units authorised and RMAs naming it."""

    reason: str
    words: str
    units: int
    rmas: int


@dataclass(frozen=True)
class RefundRecorded:
    order_number: str
    refund_minor: int  # the total of the order's closed RMAs' received units
    currency: str
