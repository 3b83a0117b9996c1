"""What the packing services return: plain, frozen data for the window and the CLI."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from fulfilstation.services.refused import Refused


class Refusal(enum.StrEnum):
    """Why a scan or an action was refused; each has its own sound and message."""

    UNKNOWN_BARCODE = "unknown-barcode"
    ANOTHER_ORDER = "another-order"  # an order's number scanned while a pack is open
    NOT_ON_ORDER = "not-on-order"
    KIT_BARCODE = "kit-barcode"  # a kit's own barcode: its components are scanned instead
    OVER_QUANTITY = "over-quantity"
    SERIAL_ALREADY_SHIPPED = "serial-already-shipped"
    SERIAL_REPEATED = "serial-repeated"
    SERIAL_REQUIRED = "serial-required"
    SERIAL_NOT_RECEIVED = "serial-not-received"  # the product's serials are captured on receipt; not this one
    LOT_REQUIRED = "lot-required"
    EXPIRED_LOT = "expired-lot"
    LOT_NOT_IN_STOCK = "lot-not-in-stock"
    ORDER_NOT_FOUND = "order-not-found"
    ORDER_ON_HOLD = "order-on-hold"
    ORDER_NOT_READY = "order-not-ready"
    ORDER_BEING_PACKED = "order-being-packed"
    ORDER_SHIPPED = "order-shipped"
    ORDER_CANCELLED = "order-cancelled"
    CUSTOMS_INCOMPLETE = "customs-incomplete"  # leaves the country, a product lacks its HS code or origin
    QUEUE_EMPTY = "queue-empty"
    INCOMPLETE = "incomplete"
    WEIGHT_OVER = "weight-over"
    WEIGHT_UNDER = "weight-under"
    WEIGHT_UNSTABLE = "weight-unstable"
    UNKNOWN_BOX = "unknown-box"
    SESSION_CLOSED = "session-closed"
    NOT_ALLOWED = "not-allowed"
    NO_CARRIER = "no-carrier"


class PackRefused(Refused):
    """A refusal the packer must act on: ``code`` (a ``Refusal``) for sounds and tests, ``message`` in words."""

    code: Refusal

    def __init__(self, code: Refusal, message: str) -> None:
        super().__init__(code, message)


@dataclass(frozen=True)
class LineView:
    order_line_id: int
    sku: str
    name: str
    ordered: int
    scanned: int
    serial_tracked: bool
    lot_tracked: bool
    image_path: str | None
    lots: tuple[str, ...] = ()  # the lots of its accepted scans, first scanned first
    kit: str | None = None  # a kit's component: "part of GIFT-SET ×2" (the kit line is never packed itself)

    @property
    def complete(self) -> bool:
        return self.scanned >= self.ordered


@dataclass(frozen=True)
class PackView:
    session_id: int
    order_id: int
    order_number: str
    customer: str
    destination: str
    ship_by: dt.date | None
    service: str | None
    gift_message: str | None
    lines: tuple[LineView, ...]
    box_code: str | None
    suggested_box: str | None
    package_sequence: int
    closed_packages: int
    expected_g: int | None
    expected_min_g: int | None
    expected_max_g: int | None
    awaiting: str | None  # "serial" or "lot" when a second scan must follow
    take: str | None = None  # awaiting a lot: "lot L from bin B, expires …" to take (first expiry first)
    taken_over_from: str | None = None  # this pack was taken over from a dead station: what to tell the packer
    split: str | None = None  # a partial shipment: "rest in 1001-2" or "part of 1001" (None: never split)

    @property
    def complete(self) -> bool:
        return all(line.complete for line in self.lines)


@dataclass(frozen=True)
class ScanOutcome:
    accepted: bool
    message: str
    refusal: Refusal | None
    pending: bool
    view: PackView
    box: str | None = None  # the box type code when the scan chose the package's box
    note: str | None = None  # accepted, but the packer should know (a serial not checked against receipts)
