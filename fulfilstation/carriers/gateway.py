"""The carrier port: what FulfilStation asks of a carrier's web API, whoever answers it.

A ``CarrierGateway`` is one carrier account reached through one gateway (the karrio SDK for
UPS, USPS, FedEx, DHL … ; EasyPost). Use cases never see a gateway's SDK: they hand it the
values below and get values back. Everything here is plain data, Qt-free and DB-free.

Invariants every gateway keeps:

* **Blocking, bounded.** Each call waits at most the gateway's timeout for an answer. Call it
  outside any database transaction and off the GUI thread.
* **Never pays twice.** ``create_label`` is called only after the shipment is committed
  label-pending with its idempotency key (``ShipmentRequest.reference``). When a call ends
  without a clear answer (a timeout, a dropped connection), the gateway raises
  ``CarrierProblem(uncertain=True)``: the carrier may have made the label. Before buying
  again the caller asks ``find_label``; a gateway that cannot look a shipment up answers
  ``LOOKUP_UNSUPPORTED`` and the shipment waits for a person instead of being bought twice.
* **Words, not stack traces.** Every failure is a ``CarrierProblem`` whose ``message`` a
  warehouse user can act on; ``carrier_text`` is the carrier's own error text, shown as is.
  Secrets (keys, passwords, tokens) never appear in a message, a repr or a log line.
* **Money** in integer minor units with an ISO 4217 currency; **weights** in grams and
  **sizes** in millimetres (a gateway converts to the carrier's units, rounding *up*).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


class CarrierProblem(Exception):
    """A carrier call failed. ``uncertain``: no answer came, the carrier may have acted (look
    before acting again). ``carrier_text``: the carrier's own words, when it sent any."""

    def __init__(self, message: str, *, uncertain: bool = False, carrier_text: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.uncertain = uncertain
        self.carrier_text = carrier_text

    def __reduce__(self) -> tuple[object, ...]:  # crosses process boundaries whole
        return (_rebuild_problem, (self.message, self.uncertain, self.carrier_text))


def _rebuild_problem(message: str, uncertain: bool, carrier_text: str | None) -> CarrierProblem:
    return CarrierProblem(message, uncertain=uncertain, carrier_text=carrier_text)


class Capability(enum.StrEnum):
    RATES = "rates"
    LABELS = "labels"
    VOID = "void"
    MANIFEST = "manifest"  # an end-of-day close / SCAN form call
    TRACKING = "tracking"
    ADDRESS_CHECK = "address-check"
    MULTI_PARCEL = "multi-parcel"  # several parcels in one carrier shipment
    LABEL_LOOKUP = "label-lookup"  # find_label can find a shipment made without an answer


class LabelFormat(enum.StrEnum):
    ZPL = "ZPL"
    PDF = "PDF"
    PNG = "PNG"


@dataclass(frozen=True)
class PostalAddress:
    """An address as carriers take it. ``country`` is ISO 3166-1 alpha-2; ``state`` the
    region code where the country has them."""

    name: str
    street1: str
    city: str
    postal_code: str
    country: str
    street2: str | None = None
    state: str | None = None
    company: str | None = None
    phone: str | None = None
    email: str | None = None
    residential: bool | None = None


@dataclass(frozen=True)
class Parcel:
    weight_g: int
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    reference: str | None = None  # our package id, printed on the label where the carrier allows


@dataclass(frozen=True)
class CustomsLine:
    description: str
    quantity: int
    value_minor: int  # the line's total value
    currency: str
    weight_g: int
    hs_code: str
    origin_country: str  # ISO 3166-1 alpha-2
    sku: str | None = None


@dataclass(frozen=True)
class Customs:
    """A customs declaration. ``contents_type``: merchandise, gift, documents, sample,
    return_merchandise, other; ``incoterm``: DDU, DDP, DAP …"""

    contents_type: str
    incoterm: str
    lines: tuple[CustomsLine, ...]
    invoice_number: str | None = None
    signer: str | None = None


@dataclass(frozen=True)
class RateRequest:
    ship_from: PostalAddress
    ship_to: PostalAddress
    parcels: tuple[Parcel, ...]
    service_codes: tuple[str, ...] = ()  # empty: every service of the account
    customs: Customs | None = None


@dataclass(frozen=True)
class LiveRate:
    """A carrier's own price for one service, now."""

    carrier_code: str
    service_code: str
    service_name: str
    cost_minor: int
    currency: str
    transit_days: int | None = None
    estimated_delivery: dt.date | None = None


@dataclass(frozen=True)
class ShipmentRequest:
    """One carrier shipment with one or more parcels. ``reference`` is our idempotency key."""

    reference: str
    service_code: str
    ship_from: PostalAddress
    ship_to: PostalAddress
    parcels: tuple[Parcel, ...]
    label_format: LabelFormat = LabelFormat.ZPL
    dpi: int = 203
    customs: Customs | None = None
    insured_value_minor: int | None = None
    currency: str = "USD"
    is_return: bool = False


@dataclass(frozen=True)
class CarrierDocument:
    """A document the carrier made with the label (commercial invoice, CN23 …)."""

    kind: str
    content: bytes
    format: LabelFormat


@dataclass(frozen=True)
class CarrierLabel:
    """A label the carrier made. ``tracking_numbers`` has one per parcel (the first is the
    shipment's); ``labels`` one per parcel in the same order, in ``label_format``."""

    external_id: str
    tracking_numbers: tuple[str, ...]
    labels: tuple[bytes, ...]
    label_format: LabelFormat
    cost_minor: int
    currency: str
    insurance_minor: int = 0
    documents: tuple[CarrierDocument, ...] = ()

    @property
    def tracking_number(self) -> str:
        return self.tracking_numbers[0]


@dataclass(frozen=True)
class CarrierManifest:
    external_id: str
    document: bytes | None = None
    document_format: LabelFormat | None = None


class TrackingState(enum.StrEnum):
    PENDING = "pending"  # label made, the carrier has not seen the parcel yet
    IN_TRANSIT = "in-transit"
    OUT_FOR_DELIVERY = "out-for-delivery"
    DELIVERED = "delivered"
    EXCEPTION = "exception"  # delayed, damaged, address problem …
    RETURNED = "returned"  # returned to sender
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class TrackingEvent:
    occurred_at: dt.datetime  # aware
    code: str
    description: str
    location: str | None = None


@dataclass(frozen=True)
class TrackingStatus:
    tracking_number: str
    state: TrackingState
    events: tuple[TrackingEvent, ...] = ()  # newest first
    delivered_at: dt.datetime | None = None
    estimated_delivery: dt.date | None = None


LOOKUP_UNSUPPORTED = object()
"""``find_label``'s answer when the carrier offers no way to find a shipment by reference."""


@dataclass(frozen=True)
class GatewayInfo:
    gateway: str  # "karrio", "easypost"
    carrier_code: str  # karrio's carrier name: "ups", "usps", "fedex" …
    capabilities: frozenset[Capability] = field(default_factory=frozenset)


class CarrierGateway(Protocol):
    """One carrier account through one gateway. Blocking; thread-safe for separate calls."""

    @property
    def info(self) -> GatewayInfo: ...

    def rates(self, request: RateRequest) -> Sequence[LiveRate]:
        """Live rates for the parcels; raises ``CarrierProblem``."""
        ...

    def create_label(self, request: ShipmentRequest) -> CarrierLabel:
        """Make (buy) the label. ``CarrierProblem(uncertain=True)`` when no answer came."""
        ...

    def find_label(self, reference: str, tracking_number: str | None = None) -> CarrierLabel | None | object:
        """The label made earlier for ``reference`` (or ``tracking_number``), None when the
        carrier has none, ``LOOKUP_UNSUPPORTED`` when the carrier cannot say."""
        ...

    def void(self, external_id: str, tracking_number: str) -> None:
        """Cancel the label with the carrier; raises ``CarrierProblem`` when refused."""
        ...

    def manifest(self, tracking_numbers: Sequence[str], ship_from: PostalAddress) -> CarrierManifest | None:
        """The carrier's end-of-day close (SCAN form …); None when the carrier has none."""
        ...

    def track(self, tracking_numbers: Sequence[str]) -> Sequence[TrackingStatus]:
        """The status of each number the carrier knows; raises ``CarrierProblem``."""
        ...
