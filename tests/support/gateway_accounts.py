"""Gateway (karrio) carrier accounts for database tests, kept as the account use cases keep
them (``services/carriers/gateway_accounts`` on the karrio-accounts branch): a carrier of kind
``api`` (``ups-api``, ``usps-api``), its services with karrio's service names as their
``service_code``, one account whose ``settings`` say ``gateway: karrio`` and name karrio's
carrier, its secrets as one JSON keyring entry ``karrio:account:<id>``.

``only_gateway_carriers`` turns the demo's own carriers off, so the choice is between the
gateway accounts alone; each gateway service gets a rate table (every destination in zone 5)
so the fallback to tables has something to price.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import update

from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier, CarrierAccount, CarrierService, ServiceRate, ServiceTransit, ZoneRule


@dataclass(frozen=True)
class GatewayService:
    code: str  # ours: "ground"
    name: str
    karrio_service: str  # karrio's: "ups_ground"
    table_minor: int  # the price on the rate table (the fallback)
    transit_days: int = 3


UPS_SERVICES = (GatewayService("ground", "UPS Ground", "ups_ground", 1500),
                GatewayService("2day", "UPS 2nd Day Air", "ups_2nd_day_air", 500, 2))  # the tables' cheapest
USPS_SERVICES = (GatewayService("ground-advantage", "USPS Ground Advantage", "usps_ground_advantage", 900, 4),
                 GatewayService("priority", "USPS Priority Mail", "usps_priority_mail", 1300, 2))


def add_gateway_account(db: Database, karrio_carrier: str, services: tuple[GatewayService, ...], *,
                        settings: Mapping[str, str], secrets: Mapping[str, str], name: str | None = None,
                        number: str = "A1") -> int:
    """The account's id; ``settings`` are karrio's non-secret fields (``test_mode``,
    ``server_url``/… pointing at a stub), ``secrets`` its secret fields."""
    with db.unit_of_work() as session:
        carrier = Carrier(code=f"{karrio_carrier}-api", name=karrio_carrier.upper(), kind="api")
        session.add(carrier)
        session.flush()
        account = CarrierAccount(carrier_id=carrier.id, account_number=number,
                                 name=name or f"{karrio_carrier.upper()} live", is_default=True,
                                 settings={"gateway": "karrio", "karrio_carrier": karrio_carrier,
                                           "carrier_settings": dict(settings), "secret_fields": sorted(secrets)})
        session.add(account)
        session.flush()
        account.keyring_name = f"karrio:account:{account.id}"
        session.add(ZoneRule(carrier_id=carrier.id, origin_prefix="", dest_prefix_from="0", dest_prefix_to="9",
                             zone=5))
        for s in services:
            service = CarrierService(carrier_id=carrier.id, code=s.code, name=s.name, service_code=s.karrio_service)
            session.add(service)
            session.flush()
            session.add(ServiceRate(service_id=service.id, zone=5, max_weight_g=30_000, price_minor=s.table_minor))
            session.add(ServiceTransit(service_id=service.id, zone=5, days=s.transit_days))
        account_id, keyring_name = account.id, account.keyring_name
    if secrets:
        SecretStore().set(keyring_name, json.dumps(dict(secrets)))
    return account_id


def only_gateway_carriers(db: Database) -> None:
    """The demo's own carriers (labels made here) off: only gateway carriers are offered."""
    with db.unit_of_work() as session:
        session.execute(update(Carrier).where(Carrier.kind == "local").values(active=False))
