"""Which carrier account and service a shipment uses, and the label data for it.

Until rate shopping lands, the order's requested service is used when its carrier issues
numbers locally; otherwise the site's default local account (the own courier, SSCC).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.carriers.numbering import tracking_range
from fulfilstation.db.models import Carrier, CarrierAccount, CarrierService, NumberRange, Order, SiteSetting
from fulfilstation.documents.shipping_label_zpl import ShippingLabel
from fulfilstation.domain.enums import NumberRangeKind
from fulfilstation.services.packing.views import PackRefused, Refusal


@dataclass(frozen=True)
class CarrierChoice:
    carrier: Carrier
    account: CarrierAccount
    service: CarrierService
    number_range: NumberRange


def choose_carrier(session: Session, order: Order) -> CarrierChoice:
    if order.requested_service_id is not None:
        choice = _for_service(session, session.get_one(CarrierService, order.requested_service_id))
        if choice is not None:
            return choice
    fallbacks = session.scalars(select(CarrierService).join(Carrier, Carrier.id == CarrierService.carrier_id)
                                .where(CarrierService.active.is_(True), Carrier.active.is_(True))
                                .order_by(Carrier.code != "courier", CarrierService.id)).all()
    for service in fallbacks:  # the own courier first
        choice = _for_service(session, service)
        if choice is not None:
            return choice
    raise PackRefused(Refusal.NO_CARRIER, "No carrier account can issue tracking numbers. Set one up under "
                      "Carriers (an account with a number range).")


def _for_service(session: Session, service: CarrierService) -> CarrierChoice | None:
    carrier = session.get_one(Carrier, service.carrier_id)
    accounts = session.scalars(select(CarrierAccount).where(
        CarrierAccount.carrier_id == carrier.id, CarrierAccount.active.is_(True))
        .order_by(CarrierAccount.is_default.desc(), CarrierAccount.id)).all()
    for account in accounts:
        number_range = tracking_range(session, account)
        if number_range is not None:
            return CarrierChoice(carrier, account, service, number_range)
    return None


def barcode_for(choice: CarrierChoice, tracking: str, postal_code: str) -> tuple[str, str]:
    """(^BC field data, human-readable caption) of the tracking barcode."""
    kind = NumberRangeKind(choice.number_range.kind)
    if kind is NumberRangeKind.SSCC:
        return f">;>800{tracking}", f"(00) {tracking}"
    if kind is NumberRangeKind.USPS_IMPB:
        zip_code = "".join(ch for ch in postal_code if ch.isdigit())[:9]
        zip_code = zip_code if len(zip_code) in (5, 9) else zip_code[:5]
        return f">;>8420{zip_code}>8{tracking}", f"(420) {zip_code} {tracking}"
    return tracking, tracking


def ship_from(session: Session) -> tuple[str, ...]:
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == "ship_from"))
    if not isinstance(value, dict):
        return ("",)
    return tuple(line for line in (
        value.get("name"), value.get("line1"),
        f"{value.get('city', '')} {value.get('region', '')} {value.get('postal_code', '')}".strip(),
        value.get("country")) if line)


def ship_to(order: Order) -> tuple[str, ...]:
    city = " ".join(p for p in (order.ship_to_city, order.ship_to_region, order.ship_to_postal_code) if p)
    lines = (order.ship_to_name, order.ship_to_company, order.ship_to_line1, order.ship_to_line2, city,
             order.ship_to_country)
    return tuple(line for line in lines if line)


def label_for(session: Session, choice: CarrierChoice, order: Order, tracking: str, number: int, count: int,
              weight_g: int) -> ShippingLabel:
    data, caption = barcode_for(choice, tracking, order.ship_to_postal_code)
    pounds = weight_g / 453.59237
    return ShippingLabel(ship_from(session), ship_to(order), choice.service.name.upper(), number, count,
                         f"{pounds:.2f} LB ({weight_g} g)", order.number, tracking, data, caption)
