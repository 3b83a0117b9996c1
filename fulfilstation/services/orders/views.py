"""What the Orders area returns: plain frozen data for the window and the CLI.

``OrderSummary`` is one row of a search (cheap: no rating); ``OrderDetail`` is everything
about one order — its ship-to address, lines, reservations, scans, shipments, holds and
audit history, and what the intake checks found (problems, warnings, unmatched lines, the
address as sent when it was corrected). ``as_json`` gives the stable ``--json`` shape (dates as ISO text).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fulfilstation.domain.address import Address
from fulfilstation.domain.unmatched_lines import UnmatchedLine as UnmatchedLine  # re-exported: a value the window reads
from fulfilstation.domain.weight_check import override_words
from fulfilstation.domain.words import plural
from fulfilstation.services.orders.intake.findings import IntakeProblem

SHIP_BY_FILTERS = ("late", "today", "later")  # late: open and past its ship-by day; later: after today or none


def to_json(value: Any) -> Any:
    """``value`` (dataclasses, tuples, dates, mappings) as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_json(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    return value


@dataclass(frozen=True)
class OrderSummary:
    number: str
    status: str  # an OrderStatus value
    hold: bool
    hold_reason: str | None
    customer: str
    ship_by: dt.date | None
    late: bool  # open and its ship-by day has passed
    carrier: str | None  # the live shipment's carrier code, else the requested one; None: chosen at packing
    service: str | None  # service code, as ``carrier``
    service_name: str | None
    lines: int
    units: int
    tracking: str | None  # the live shipment's (first package's) tracking number
    backorder: bool = False  # pending: waits for stock (reserved as it arrives)

    @property
    def service_key(self) -> str | None:
        """``ups/ground``, or None when the service is chosen at packing."""
        return f"{self.carrier}/{self.service}" if self.carrier and self.service else None

    @property
    def is_open(self) -> bool:
        return self.status not in ("shipped", "cancelled")

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        return data


@dataclass(frozen=True)
class Reservation:
    """Units of an order line reserved in one bin (and lot)."""

    sku: str
    bin: str
    lot: str | None
    quantity: int


@dataclass(frozen=True)
class CancelledOrder:
    summary: OrderSummary
    released: tuple[Reservation, ...]  # the reservations given back to stock

    @property
    def units_released(self) -> int:
        return sum(reservation.quantity for reservation in self.released)


@dataclass(frozen=True)
class LineDetail:
    line_no: int
    sku: str
    name: str
    ordered: int
    packed: int  # scanned into the open pack
    shipped: int  # in live (not voided) shipments
    is_kit: bool = False  # a kit line: packed as its components (packed/shipped: whole kits)
    part_of: str | None = None  # a kit's component (listed right after it): "part of KIT-SKU ×N"


@dataclass(frozen=True)
class ScanDetail:
    at: dt.datetime
    station: str | None
    user: str | None
    code: str  # as scanned
    result: str  # a ScanResult value
    message: str | None


@dataclass(frozen=True)
class ShipmentDetail:
    tracking: str | None
    status: str  # a ShipmentStatus value
    carrier: str
    service: str
    service_name: str
    packages: int
    created_at: dt.datetime
    created_by: str | None
    voided_at: dt.datetime | None
    voided_by: str | None
    void_reason: str | None
    manifest: str | None


@dataclass(frozen=True)
class HoldDetail:
    """One hold: who put it and why, and who released it (None while it holds). ``held_by``
    None: the order came in held (from the shop, or an import)."""

    held_at: dt.datetime | None
    held_by: str | None
    reason: str
    released_at: dt.datetime | None = None
    released_by: str | None = None
    release_reason: str | None = None


_UNSAID = {"by", "via", "order"}  # in every entry, or shown beside it


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    who: str | None
    station: str | None
    action: str  # ``order.held``, ``pack.started``, ``shipment.created`` …
    details: Mapping[str, Any]

    @property
    def what(self) -> str:
        """The entry in words: ``Held: Customer asked to wait``, ``Shipment voided: Box crushed`` …"""
        d = self.details
        match self.action:
            case "order.held":
                return f"Held: {d.get('reason')}" + (" (while it was being packed)" if d.get("while_packing") else "")
            case "order.released":
                return "Released" + (f": {d['reason']}" if d.get("reason") else "")
            case "order.cancelled":
                return f"Cancelled: {d.get('reason')} ({_units(d.get('released'))} released)"
            case "order.intake_updated":
                return _intake_update_words(d)
            case "order.address_changed":
                return f"Ship-to address changed to {_address(d.get('to'))} (was {_address(d.get('from'))})"
            case "order.service_changed":
                return f"Service changed from {d.get('from')} to {d.get('to')}"
            case "pack.started":
                return "Packing started"
            case "pack.cancelled":
                return f"Pack cancelled: {d.get('reason')}"
            case "shipment.created":
                shipped = "Shipped" + (f" by {d['service']}" if d.get("service") else "")
                note = f". {d['service_note']}" if d.get("service_note") else ""
                return f"{shipped}: " + ", ".join(d.get("tracking") or []) + note
            case "shipment.voided":
                return f"Shipment {d.get('tracking') or ''} voided: {d.get('reason')}"
            case "shipment.label_confirmed":
                return f"Label {d.get('tracking') or ''} confirmed on the parcel at close-out (printed elsewhere)"
            case "weight.override":
                return "Weight " + override_words(d)
            case "order.rechecked":
                return "Re-checked: " + _recheck_words(d)
            case "order.backordered":
                return "Backorder: waits for " + ", ".join(f"{s.get('sku')} ({s.get('available')} of "
                                                           f"{s.get('needed')} there)" for s in d.get("short") or [])
            case "order.split":
                rest = ", ".join(f"{i.get('quantity')} × {i.get('sku')}" for i in d.get("rest_lines") or [])
                if d.get("this"):
                    return f"Split from {d.get('order')}: this order holds the rest ({rest}) and waits for it"
                kept = ", ".join(f"{i.get('quantity')} × {i.get('sku')}" for i in d.get("kept") or [])
                return f"Partial shipment: ships {kept} now; the rest ({rest}) waits as {d.get('rest')}"
            case "shipment.reprinted":
                return "Label reprinted" + (f" ({d['problem']})" if d.get("problem") else "")
        rest = ", ".join(f"{key}: {value}" for key, value in d.items() if key not in _UNSAID)
        return self.action + (f" ({rest})" if rest else "")


def _recheck_words(d: Mapping[str, Any]) -> str:
    words = {"released": "intake hold released", "held": "held", "kept": "still on hold", "none": "no hold"}
    parts = [words.get(str(d.get("hold")), str(d.get("hold")))]
    if d.get("matched"):
        parts.append("lines now in the catalogue: " + ", ".join(str(sku) for sku in d["matched"]))
    if d.get("address_corrected"):
        parts.append("address corrected")
    return ", ".join(parts)


def _intake_update_words(d: Mapping[str, Any]) -> str:
    words = "Updated from the shop"
    if d.get("changed"):
        words += f" ({', '.join(str(part) for part in d['changed'])})"
    if d.get("held"):
        words += f"; held: {str(d['held']).rstrip('.')}"
    if d.get("released"):
        words += f"; {_units(d['released'])} released"
    return words


def _units(released: Any) -> str:
    units = sum(int(item.get("quantity", 0)) for item in released or [])
    return f"{plural(units, 'reserved unit')}"


def _address(parts: Any) -> str:
    if not isinstance(parts, Mapping):
        return "-"
    return ", ".join(str(parts[key]) for key in ("name", "company", "line1", "line2", "city", "region",
                                                 "postal_code", "country") if parts.get(key))


@dataclass(frozen=True)
class OrderDetail:
    summary: OrderSummary
    channel: str
    external_id: str
    ship_to: Address
    deliver_by: dt.date | None
    ordered_at: dt.datetime | None
    gift_message: str | None
    total_minor: int
    currency: str
    lines: tuple[LineDetail, ...]
    reservations: tuple[Reservation, ...]
    scans: tuple[ScanDetail, ...]
    shipments: tuple[ShipmentDetail, ...]
    holds: tuple[HoldDetail, ...]
    history: tuple[HistoryEntry, ...]
    problems: tuple[IntakeProblem, ...] = ()  # what the intake checks found (holding ones and warnings)
    unmatched: tuple[UnmatchedLine, ...] = ()  # lines whose SKU is not in the catalogue
    original_ship_to: Address | None = None  # as the shop sent it, when the address check corrected it
    customer_note: str | None = None  # the customer's note to the shop (not printed in the parcel)
    split: str | None = None  # a partial shipment: "part of 1001" or "rest in 1001-2" (None: never split)

    @property
    def number(self) -> str:
        return self.summary.number

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        return data
