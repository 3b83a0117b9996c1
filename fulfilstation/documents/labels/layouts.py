"""The label family: 4 × 6 in shipping labels (here), 4 × 4 and 2 × 1 in product labels
(:mod:`.product_label`), 2 × 1 in bin labels (:mod:`.bin_label`); their sizes and margins.

Each builder turns plain data into a :class:`LabelDescription`; all positions are in mm from
the top-left corner. Invariants: every element lies inside the page with at least the
margin (3 mm; 1.5 mm on bin labels) on each side, text boxes do not overlap each other or a
barcode, and the builders are pure (same data → equal descriptions).
"""

from __future__ import annotations

from dataclasses import dataclass

from fulfilstation.documents.labels.carrier_marks import CarrierMarks
from fulfilstation.documents.labels.code128 import Code128Data
from fulfilstation.documents.labels.description import Barcode, Element, LabelDescription, Rule, Text
from fulfilstation.domain.units import MM_PER_INCH

SHIPPING_SIZE = (4 * MM_PER_INCH, 6 * MM_PER_INCH)
PRODUCT_SIZE = (4 * MM_PER_INCH, 4 * MM_PER_INCH)
BIN_SIZE = (2 * MM_PER_INCH, 1 * MM_PER_INCH)
MARGIN = 3.0
BIN_MARGIN = 1.5


@dataclass(frozen=True)
class ShippingLabelData:
    """What a carrier label shows. Address lines are ready to print, top to bottom; the first
    ship-to line is the addressee's name."""

    ship_from: tuple[str, ...]
    ship_to: tuple[str, ...]
    service: str
    package_number: int
    package_count: int
    weight_text: str
    reference: str
    tracking_number: str
    barcode: Code128Data
    barcode_caption: str = ""  # default: the element strings, "(00) 1061…"
    marks: CarrierMarks | None = None  # UPS, USPS, FedEx: their label guide's layout (.carrier_layouts)


def shipping_label(data: ShippingLabelData) -> LabelDescription:
    """A 4 × 6 in carrier label: from, to, service, package n of m, weight, reference and the
    tracking barcode with its caption; with ``marks``, the UPS, USPS or FedEx layout."""
    if data.marks is not None:
        from fulfilstation.documents.labels.carrier_layouts import carrier_label  # it imports this module

        return carrier_label(data, data.marks)
    width, height = SHIPPING_SIZE
    inner = width - 2 * MARGIN
    name, *address = data.ship_to or ("",)
    elements: list[Element] = [
        Text(MARGIN, MARGIN, inner, "\n".join(data.ship_from), 3.0, max_lines=4, min_size=2.2),
        Rule(MARGIN, 19.0, inner, 0.6),
        Text(MARGIN, 21.0, 30.0, "SHIP TO:", 3.0, bold=True),
        Text(7.0, 25.5, width - MARGIN - 7.0, name, 5.5, max_lines=2, min_size=3.2, bold=True),
        Text(7.0, 39.5, width - MARGIN - 7.0, "\n".join(address), 4.4, max_lines=5, min_size=3.0),
        Rule(MARGIN, 67.5, inner, 0.6),
        Text(MARGIN, 70.0, 62.0, data.service, 6.0, min_size=3.5, bold=True),
        Text(67.0, 70.5, width - MARGIN - 67.0, f"PKG {data.package_number} OF {data.package_count}", 4.5,
             min_size=3.0, bold=True, align="right"),
        Text(MARGIN, 79.5, 44.0, f"WT {data.weight_text}", 3.6, min_size=2.6),
        Text(49.0, 79.5, width - MARGIN - 49.0, f"REF {data.reference}", 3.6, min_size=2.6, align="right"),
        Rule(MARGIN, 85.5, inner, 0.6),
        Barcode(MARGIN, 89.0, inner, 28.0, data.barcode, module=0.5),
        Text(MARGIN, 119.0, inner, data.barcode_caption or data.barcode.caption(), 3.4, min_size=2.4,
             align="centre"),
        Rule(MARGIN, 125.0, inner, 0.6),
        Text(MARGIN, 127.5, inner, f"TRACKING # {data.tracking_number}", 4.4, min_size=3.0, bold=True,
             align="centre"),
    ]
    return LabelDescription(width, height, tuple(elements), name=data.tracking_number or "shipping-label")

