"""Demo carriers, services, accounts, number ranges, zones and rates.

Account numbers and number ranges are fictitious but have the real formats (UPS shipper
number, USPS mailer id, FedEx account, GS1 company prefix for SSCC)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fulfilstation.db.models import (
    Carrier,
    CarrierAccount,
    CarrierService,
    NumberRange,
    ServiceRate,
    ServiceTransit,
    ZoneRule,
)
from fulfilstation.domain.enums import CarrierKind, NumberRangeKind

# carrier code, name, account number, range kind, range (first, last), prefix,
#   services: (code, name, carrier service code, base cents, cents per lb, transit by zone offset)
_CARRIERS = [
    ("ups", "UPS", "0W1X23", NumberRangeKind.UPS, (1, 9_999_999), "", [
        ("ground", "UPS Ground", "03", 1050, 95, 2),
        ("3day", "UPS 3 Day Select", "12", 1890, 160, 0),
        ("2day", "UPS 2nd Day Air", "02", 2490, 240, 0),
        ("nda-saver", "UPS Next Day Air Saver", "13", 4290, 390, 0),
    ]),
    ("usps", "USPS", "901234567", NumberRangeKind.USPS_IMPB, (1, 9_999_999), "", [
        ("ground-advantage", "USPS Ground Advantage", "001", 590, 85, 1),
        ("priority", "USPS Priority Mail", "055", 990, 120, 0),
    ]),
    ("fedex", "FedEx", "510087020", NumberRangeKind.FEDEX_EXPRESS, (10_000_000_000, 19_999_999_999), "", [
        ("2day", "FedEx 2Day", "03", 2390, 230, 0),
        ("overnight", "FedEx Standard Overnight", "05", 4490, 410, 0),
    ]),
    ("courier", "Own Delivery", "0614141", NumberRangeKind.SSCC, (1, 999_999_999), "0", [
        ("local", "Local Courier (next day)", "LOC", 650, 40, 0),
    ]),
]

# destination first ZIP digit -> zone from the demo warehouse in Ohio (432xx)
_ZONES = {"0": 5, "1": 4, "2": 4, "3": 5, "4": 2, "5": 5, "6": 5, "7": 6, "8": 7, "9": 8}
_WEIGHT_BREAKS_G = [454, 907, 1361, 2268, 4536, 9072, 13608, 22680, 31752]


def seed_carriers(session: Session) -> dict[str, CarrierService]:
    """Create the demo carriers; returns services by ``carrier/service`` code."""
    services: dict[str, CarrierService] = {}
    for code, name, account_number, range_kind, (first, last), prefix, service_rows in _CARRIERS:
        carrier = Carrier(code=code, name=name, kind=CarrierKind.LOCAL.value)
        session.add(carrier)
        session.flush()
        account = CarrierAccount(carrier_id=carrier.id, account_number=account_number, name=f"{name} demo account",
                                 is_default=True, origin_postal_code="43219", settings={})
        session.add(account)
        session.flush()
        session.add(NumberRange(carrier_account_id=account.id, kind=range_kind.value, prefix=prefix,
                                first_value=first, next_value=first, last_value=last))
        _zones(session, carrier.id)
        for row in service_rows:
            service = _service(session, carrier.id, row)
            services[f"{code}/{service.code}"] = service
    return services


def _zones(session: Session, carrier_id: int) -> None:
    for digit, zone in _ZONES.items():
        session.add(ZoneRule(carrier_id=carrier_id, origin_prefix="432", dest_prefix_from=digit,
                             dest_prefix_to=digit, zone=zone))


def _service(session: Session, carrier_id: int, row: tuple[str, str, str, int, int, int]) -> CarrierService:
    code, name, service_code, base, per_lb, slow = row
    service = CarrierService(carrier_id=carrier_id, code=code, name=name, service_code=service_code,
                             dim_divisor=5000, fuel_surcharge_bp=1450, residential_surcharge_minor=540,
                             currency="USD")
    session.add(service)
    session.flush()
    fast_days = {"02": 2, "12": 3, "13": 1, "05": 1, "03": 2, "055": 2, "LOC": 1}
    for zone in range(2, 9):
        for max_g in _WEIGHT_BREAKS_G:
            pounds = -(-max_g // 454)
            price = base + per_lb * pounds + (zone - 2) * (base // 12)
            session.add(ServiceRate(service_id=service.id, zone=zone, max_weight_g=max_g, price_minor=price))
        days = fast_days.get(service_code, 2) if not slow else min(1 + zone // 2 + slow - 1, 7)
        session.add(ServiceTransit(service_id=service.id, zone=zone, days=days))
    return service
