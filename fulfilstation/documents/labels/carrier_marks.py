"""What a UPS, USPS or FedEx label drawn by us shows beyond the generic 4 × 6 in label: plain
data built by the shipping service (:mod:`fulfilstation.carriers.label_messages`), laid out by
:mod:`.carrier_layouts`. Frozen; the 2D symbol is placed by the layout (its x, y are ignored)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fulfilstation.documents.labels.code128 import Code128Data
from fulfilstation.documents.labels.symbols2d import MaxiCode

Carrier = Literal["ups", "usps", "fedex"]


@dataclass(frozen=True)
class CarrierMarks:
    carrier: Carrier
    tracking_caption: str  # the tracking number spaced as the carrier's guide prints it
    service_banner: str  # "UPS GROUND", "USPS PRIORITY MAIL", "FEDEX 2DAY"
    service_icon: str = ""  # UPS "1", "2", "3"; USPS "P", "E", "F"; "" for none
    ship_date: str = ""  # as printed, "07 DEC 2026"
    routing: str = ""  # UPS: state and 3-digit ZIP (the URC's postal part); FedEx: "62704 IL-US"
    postal_barcode: Code128Data | None = None  # UPS (420) ZIP / (421) country + postal code
    postal_caption: str = ""
    maxicode: MaxiCode | None = None  # UPS
    pdf417: str = ""  # FedEx 2D data
    billing: str = "P/P"  # UPS billing: prepaid by the shipper
