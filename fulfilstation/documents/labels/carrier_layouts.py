"""The 4 × 6 in labels we draw ourselves for UPS, USPS and FedEx, laid out after each carrier's
published label guide (see :mod:`fulfilstation.carriers.label_messages` for the data):

* UPS: ship-from and weight / package count, SHIP TO, the MaxiCode with the routing text
  (state + 3-digit ZIP: the URC's hub and sort parts come from UPS's URC file, which we do
  not have) and the postal barcode ``(420)`` ZIP, a thick bar, the service banner with its
  icon, ``TRACKING #: 1Z …``, the 1Z barcode, a thick bar, billing and reference.
* USPS (Publication 199): the service icon (P, E, F, or a blank box), the postage block, the
  service banner between 1/16 in bars, sender, SHIP TO, and the IMpb block between 1/16 in
  bars: ``USPS TRACKING #``, the GS1-128 barcode (420) ZIP + tracking number, the number in
  groups of four.
* FedEx Express: origin, ship date, weight, billing and reference, TO, the 2D PDF417 beside
  the service and package count, ``TRK#`` with the destination, the 1D barcode (Code 128 of
  the 12-digit Express tracking number).

Invariants (as :mod:`.layouts`): pure, everything inside the 3 mm margin, text boxes never
overlap each other or a barcode (a service icon's letter sits inside its own frame).
"""

from __future__ import annotations

from dataclasses import replace

from fulfilstation.documents.labels.carrier_marks import CarrierMarks
from fulfilstation.documents.labels.description import Barcode, Element, Frame, LabelDescription, Rule, Text
from fulfilstation.documents.labels.layouts import MARGIN, SHIPPING_SIZE, ShippingLabelData
from fulfilstation.documents.labels.symbols2d import Pdf417

WIDTH, HEIGHT = SHIPPING_SIZE
INNER = WIDTH - 2 * MARGIN
BAR = 1.6  # 1/16 in: Pub 199's bars around the banner and the IMpb, UPS's thick bars
RIGHT_X = 67.0  # the right-hand column of the top block
RIGHT_W = WIDTH - MARGIN - RIGHT_X


def carrier_label(data: ShippingLabelData, marks: CarrierMarks) -> LabelDescription:
    build = {"ups": _ups, "usps": _usps, "fedex": _fedex}[marks.carrier]
    return LabelDescription(WIDTH, HEIGHT, tuple(build(data, marks)), name=data.tracking_number or "shipping-label")


def _ship_to(data: ShippingLabelData, top: float, heading: str, indent: float = 12.0) -> list[Element]:
    """Heading, the addressee's name (bold, up to 2 lines) and address (5 lines): 35.3 mm tall."""
    name, *address = data.ship_to or ("",)
    width = WIDTH - MARGIN - indent
    return [Text(MARGIN, top, indent - MARGIN - 0.5, heading, 2.8, bold=True, min_size=2.0),
            Text(indent, top, width, name, 5.0, max_lines=2, min_size=3.2, bold=True),
            Text(indent, top + 12.5, width, "\n".join(address), 3.8, max_lines=5, min_size=2.8)]


def _ups(data: ShippingLabelData, marks: CarrierMarks) -> list[Element]:
    if marks.maxicode is None:
        raise ValueError("a UPS label carries a MaxiCode")
    maxicode = replace(marks.maxicode, x=MARGIN + 1.0, y=60.5)
    beside = maxicode.x + maxicode.width + 3.0
    beside_w = WIDTH - MARGIN - beside
    elements: list[Element] = [
        Text(MARGIN, MARGIN, 62.0, "\n".join(data.ship_from), 2.6, max_lines=5, min_size=2.0),
        Text(RIGHT_X, MARGIN, RIGHT_W, data.weight_text, 3.2, min_size=2.2, bold=True, align="right"),
        Text(RIGHT_X, 8.0, RIGHT_W, f"PKG {data.package_number} OF {data.package_count}", 3.6, min_size=2.6,
             bold=True, align="right"),
        Text(RIGHT_X, 13.5, RIGHT_W, marks.ship_date, 2.6, min_size=2.0, align="right"),
        Rule(MARGIN, 19.5, INNER, 0.5),
        *_ship_to(data, 21.0, "SHIP TO:", indent=15.0),
        Rule(MARGIN, 58.0, INNER, 0.5),
        maxicode,
        Text(beside, 60.5, beside_w, marks.routing, 9.0, min_size=5.0, bold=True),
        Rule(MARGIN, 88.5, INNER, BAR),
        Text(MARGIN, 91.5, 78.0, marks.service_banner, 6.5, min_size=3.8, bold=True),
        Text(MARGIN, 100.0, 80.0, f"TRACKING #: {marks.tracking_caption}", 3.4, min_size=2.6, bold=True),
        Rule(MARGIN, 105.0, INNER, 0.5),
        Barcode(MARGIN, 107.0, INNER, 24.0, data.barcode, module=0.5),
        Rule(MARGIN, 133.0, INNER, BAR),
        Text(MARGIN, 136.0, 45.0, f"BILLING: {marks.billing}", 3.2, min_size=2.4, bold=True),
        Text(50.0, 136.0, WIDTH - MARGIN - 50.0, f"REF: {data.reference}", 3.2, min_size=2.4, align="right"),
    ]
    if marks.postal_barcode is not None:
        elements += [Barcode(beside, 72.5, beside_w, 10.0, marks.postal_barcode, module=0.5),
                     Text(beside, 83.2, beside_w, marks.postal_caption, 2.6, min_size=2.0, align="centre")]
    if marks.service_icon:
        elements += [Frame(85.6, 91.0, 13.0, 13.0, 0.8),
                     Text(85.6, 92.6, 13.0, marks.service_icon, 8.0, min_size=5.0, bold=True, align="centre")]
    return elements


def _usps(data: ShippingLabelData, marks: CarrierMarks) -> list[Element]:
    indicia_x, indicia_w = 58.6, WIDTH - MARGIN - 58.6
    elements: list[Element] = [
        Frame(MARGIN, MARGIN, 24.0, 24.0, 1.0),
        Frame(indicia_x, MARGIN, indicia_w, 24.0, 0.5),
        Text(indicia_x + 2.0, 5.0, indicia_w - 4.0, "US POSTAGE AND FEES PAID", 2.4, max_lines=2, min_size=1.8,
             bold=True),
        Text(indicia_x + 2.0, 12.0, indicia_w - 4.0, marks.ship_date, 2.6, min_size=2.0),
        Text(indicia_x + 2.0, 16.5, indicia_w - 4.0, data.weight_text, 2.6, min_size=2.0),
        Rule(MARGIN, 29.0, INNER, BAR),
        Text(MARGIN, 32.0, INNER, marks.service_banner, 6.0, min_size=3.5, bold=True, align="centre"),
        Rule(MARGIN, 40.2, INNER, BAR),
        Text(MARGIN, 43.5, 62.0, "\n".join(data.ship_from), 2.6, max_lines=4, min_size=2.0),
        Text(RIGHT_X, 43.5, RIGHT_W, f"PKG {data.package_number} OF {data.package_count}", 3.0, bold=True,
             align="right"),
        Text(RIGHT_X, 48.0, RIGHT_W, f"REF {data.reference}", 2.6, min_size=2.0, align="right"),
        *_ship_to(data, 58.0, "SHIP TO:", indent=17.0),
        Rule(MARGIN, 95.5, INNER, BAR),
        Text(MARGIN, 98.5, INNER, "USPS TRACKING #", 4.0, bold=True, align="centre"),
        Barcode(MARGIN, 104.5, INNER, 24.0, data.barcode, module=0.5),
        Text(MARGIN, 129.5, INNER, marks.tracking_caption, 4.0, min_size=3.0, bold=True, align="centre"),
        Rule(MARGIN, 135.5, INNER, BAR),
    ]
    if marks.service_icon:
        elements.append(Text(MARGIN, 6.0, 24.0, marks.service_icon, 15.0, min_size=10.0, bold=True,
                             align="centre"))
    return elements


def _fedex(data: ShippingLabelData, marks: CarrierMarks) -> list[Element]:
    if not marks.pdf417:
        raise ValueError("a FedEx label carries the 2D barcode")
    side_x = 63.0
    side_w = WIDTH - MARGIN - side_x
    return [
        Text(MARGIN, MARGIN, 62.0, "\n".join(data.ship_from), 2.6, max_lines=5, min_size=2.0),
        Text(RIGHT_X, MARGIN, RIGHT_W, f"SHIP DATE: {marks.ship_date}", 2.6, min_size=2.0, align="right"),
        Text(RIGHT_X, 7.0, RIGHT_W, f"ACTWGT: {data.weight_text}", 2.6, min_size=1.8, align="right"),
        Text(RIGHT_X, 11.0, RIGHT_W, "BILL SENDER", 2.6, min_size=2.0, align="right"),
        Text(RIGHT_X, 15.0, RIGHT_W, f"REF: {data.reference}", 2.6, min_size=1.8, align="right"),
        Rule(MARGIN, 19.5, INNER, 0.5),
        *_ship_to(data, 21.0, "TO"),
        Rule(MARGIN, 59.0, INNER, 0.5),
        Pdf417(MARGIN, 61.0, 58.0, 32.0, marks.pdf417, columns=8, security=5),
        Text(side_x, 61.0, side_w, marks.service_banner, 5.0, max_lines=2, min_size=3.0, bold=True, align="right"),
        Text(side_x, 74.0, side_w, f"PKG {data.package_number} OF {data.package_count}", 3.2, bold=True,
             align="right"),
        Rule(MARGIN, 95.0, INNER, 0.5),
        Text(MARGIN, 97.0, 58.0, f"TRK# {marks.tracking_caption}", 5.0, min_size=3.2, bold=True),
        Text(side_x, 97.0, side_w, marks.routing, 4.4, min_size=3.0, bold=True, align="right"),
        Barcode(MARGIN, 105.0, INNER, 28.0, data.barcode, module=0.5),
        Text(MARGIN, 134.0, INNER, data.barcode_caption or data.barcode.caption(), 3.0, min_size=2.4,
             align="centre"),
        Rule(MARGIN, 139.0, INNER, 0.5),
    ]
