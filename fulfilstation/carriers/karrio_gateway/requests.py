"""The port's requests as karrio's unified request dicts (``karrio.core.models``).

Units: weights and sizes go in the units of the ship-from country's carriers (pounds and
inches from the US, Liberia and Myanmar; kilograms and centimetres elsewhere), rounded *up*
(to 0.01 lb / 0.01 kg, 0.1 in / 0.1 cm) so a carrier never bills a parcel as lighter or
smaller than it is. Money goes as decimals of its currency (from integer minor units).
Customs lines carry their *unit* value and weight, as karrio's ``Commodity`` wants.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from fulfilstation.carriers.gateway import Customs, Parcel, PostalAddress, RateRequest, ShipmentRequest
from fulfilstation.domain.money import minor_digits

_IMPERIAL = frozenset({"US", "LR", "MM"})
_GRAMS_PER_LB = 453.59237
#: Our contents types → karrio's customs content_type values.
CONTENTS = {"merchandise": "merchandise", "gift": "gift", "documents": "documents", "sample": "sample",
            "return_merchandise": "return_merchandise", "other": "other"}


def address(a: PostalAddress) -> dict[str, Any]:
    return _without_none({
        "person_name": a.name, "company_name": a.company, "address_line1": a.street1, "address_line2": a.street2,
        "city": a.city, "postal_code": a.postal_code, "country_code": a.country, "state_code": a.state,
        "phone_number": a.phone, "email": a.email, "residential": a.residential})


def parcel(p: Parcel, country: str) -> dict[str, Any]:
    imperial = country.upper() in _IMPERIAL
    values: dict[str, Any] = {
        "weight": _up(p.weight_g / _GRAMS_PER_LB if imperial else p.weight_g / 1000, 2),
        "weight_unit": "LB" if imperial else "KG",
        "reference_number": p.reference,
    }
    if p.length_mm and p.width_mm and p.height_mm:
        for name, mm in (("length", p.length_mm), ("width", p.width_mm), ("height", p.height_mm)):
            values[name] = _up(mm / 25.4 if imperial else mm / 10, 1)
        values["dimension_unit"] = "IN" if imperial else "CM"
    return _without_none(values)


def money(minor: int, currency: str) -> float:
    return float(Decimal(minor).scaleb(-minor_digits(currency)))


def to_minor(amount: Any, currency: str) -> int:
    """A carrier's decimal amount in minor units (rounded half up to the currency's unit)."""
    scaled = Decimal(str(amount or 0)).scaleb(minor_digits(currency))
    return int(scaled.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def customs(c: Customs, country: str) -> dict[str, Any]:
    imperial = country.upper() in _IMPERIAL
    commodities = [_without_none({
        "title": line.description[:35], "description": line.description, "quantity": line.quantity,
        "sku": line.sku, "hs_code": line.hs_code, "origin_country": line.origin_country,
        "value_amount": money(line.value_minor, line.currency) / max(line.quantity, 1),
        "value_currency": line.currency,
        "weight": _up((line.weight_g / max(line.quantity, 1)) / (_GRAMS_PER_LB if imperial else 1000), 3),
        "weight_unit": "LB" if imperial else "KG"}) for line in c.lines]
    paid_by = "sender" if c.incoterm.upper() in ("DDP",) else "recipient"
    return _without_none({
        "commodities": commodities, "content_type": CONTENTS.get(c.contents_type, "other"),
        "incoterm": c.incoterm.upper(), "invoice": c.invoice_number, "signer": c.signer, "certify": True,
        "duty": {"paid_by": paid_by, "currency": c.lines[0].currency if c.lines else None},
        "commercial_invoice": True})


def rate_request(r: RateRequest) -> dict[str, Any]:
    country = r.ship_from.country
    values: dict[str, Any] = {
        "shipper": address(r.ship_from), "recipient": address(r.ship_to),
        "parcels": [parcel(p, country) for p in r.parcels], "services": list(r.service_codes)}
    if r.customs is not None:
        values["customs"] = customs(r.customs, country)
    return values


def shipment_request(r: ShipmentRequest, label_type: str) -> dict[str, Any]:
    country = r.ship_from.country
    options: dict[str, Any] = {"currency": r.currency}
    if r.insured_value_minor:
        options["insurance"] = money(r.insured_value_minor, r.currency)
        options["declared_value"] = options["insurance"]
    values: dict[str, Any] = {
        "service": r.service_code, "shipper": address(r.ship_from), "recipient": address(r.ship_to),
        "parcels": [parcel(p, country) for p in r.parcels], "reference": r.reference, "label_type": label_type,
        "options": options, "is_return": r.is_return}
    if r.customs is not None:
        values["customs"] = customs(r.customs, country)
    return values


def _up(value: float, places: int) -> float:
    factor = float(10**places)
    return math.ceil(round(value * factor, 6)) / factor


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
