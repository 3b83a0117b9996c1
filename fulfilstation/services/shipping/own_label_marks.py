"""The carrier marks of a label we draw ourselves from a UPS, USPS or FedEx number range: the
MaxiCode, postal barcode and routing of UPS, the service icon and grouped IMpb of USPS, the
2D barcode of FedEx (:mod:`fulfilstation.carriers.label_messages`, laid out by
:mod:`fulfilstation.documents.labels.carrier_layouts`). An SSCC range (an own courier) has none
and keeps the generic label.

Pure given its inputs: the ship day is the shipment's own (its creation, UTC), so a label
rebuilt from the database equals the one printed.
"""

from __future__ import annotations

import datetime as dt

from fulfilstation.carriers.label_messages import (
    fedex_2d_message,
    grouped,
    postal_barcode,
    symbol_text,
    ups_maxicode,
    ups_tracking_caption,
    us_zip,
)
from fulfilstation.db.models import Order
from fulfilstation.documents.labels.carrier_marks import CarrierMarks
from fulfilstation.documents.labels.symbol_shapes import maxicode_fits
from fulfilstation.domain.enums import NumberRangeKind

_UPS_ICONS = {"01": "1", "13": "1", "14": "1", "02": "2", "59": "2", "12": "3"}
_USPS_ICONS = (("EXPRESS", "E"), ("PRIORITY", "P"), ("FIRST", "F"))


def _banner(prefix: str, name: str) -> str:
    name = name.upper()
    return name if name.startswith(prefix) else f"{prefix} {name}"


def marks_for(kind: NumberRangeKind, *, service_name: str, service_code: str, account_number: str, order: Order,
              tracking: str, package: tuple[int, int], weight_g: int, shipped_on: dt.date) -> CarrierMarks | None:
    """The marks of a ``kind`` label, or None for a range without a carrier guide (SSCC)."""
    country = (order.ship_to_country or "US").upper()
    postal, state, city = order.ship_to_postal_code or "", order.ship_to_region or "", order.ship_to_city or ""
    day = shipped_on.strftime("%d %b %Y").upper()
    if kind is NumberRangeKind.UPS:
        maxicode = ups_maxicode(tracking=tracking, shipper=account_number, service_code=service_code, country=country,
                                postal_code=postal, package=package, weight_g=weight_g, pickup=shipped_on, city=city,
                                state=state, street=order.ship_to_line1 or "", fits=maxicode_fits)
        postal_bars = postal_barcode(country, postal)
        zip3 = us_zip(postal)[:3] if country == "US" else symbol_text(postal, 9)
        return CarrierMarks("ups", ups_tracking_caption(tracking), _banner("UPS", service_name),
                            _UPS_ICONS.get(service_code, ""), day, f"{symbol_text(state, 3) or country} {zip3}".strip(),
                            postal_bars[0] if postal_bars else None, postal_bars[1] if postal_bars else "", maxicode)
    if kind is NumberRangeKind.USPS_IMPB:
        banner = _banner("USPS", service_name)
        icon = next((letter for word, letter in _USPS_ICONS if word in banner), "")
        return CarrierMarks("usps", grouped(tracking), banner, icon, day)
    if kind is NumberRangeKind.FEDEX_EXPRESS:
        message = fedex_2d_message(tracking=tracking, account=account_number, service_code=service_code,
                                   country=country, postal_code=postal, package=package, weight_g=weight_g,
                                   pickup=shipped_on, street=order.ship_to_line1 or "", city=city, state=state,
                                   recipient=order.ship_to_name or "")
        routing = f"{symbol_text(postal, 10)} {symbol_text(state, 3)}-{country}".replace(" -", " ").strip()
        return CarrierMarks("fedex", grouped(tracking), _banner("FEDEX", service_name), ship_date=day,
                            routing=routing, pdf417=message)
    return None
