"""A karrio carrier account for database tests, kept as ``services/carriers/gateway_accounts``
keeps one: a carrier of kind ``api`` (``ups`` or ``usps``), one service with karrio's service
code, an account whose settings say ``gateway: karrio`` with the carrier's own fields
(``carrier_settings``, ``server_url`` pointing at the local stub) and its secrets as one JSON
object in the (in-memory) OS keyring. With ``price_minor`` the service gets a rate table so
rate shopping offers it."""

from __future__ import annotations

import json
from typing import Any

from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier, CarrierAccount, CarrierService, ServiceRate, ServiceTransit, ZoneRule

SERVICES = {"ups": ("ground", "UPS Ground", "ups_ground"),
            "usps": ("ground-advantage", "USPS Ground Advantage", "usps_ground_advantage")}


def carrier_settings(carrier: str, stub: Any) -> dict[str, str]:
    """The karrio fields of the account at ``stub`` (a UPSStub or USPSStub)."""
    if carrier == "ups":
        return {"account_number": stub.account_number, "server_url": stub.server_url}
    return {"account_number": stub.account_number, "account_type": "EPS", "CRID": stub.crid, "MID": stub.mid,
            "manifest_MID": stub.mid, "server_url": stub.server_url}


def add_karrio_account(db: Database, carrier: str, stub: Any, *, price_minor: int | None = 1,
                       default: bool = True, timeout_s: float = 1) -> str:
    """The service key (``ups-karrio/ground``) of a new karrio account of ``carrier`` at ``stub``."""
    code, name, service_code = SERVICES[carrier]
    with db.unit_of_work() as session:
        row = Carrier(code=f"{carrier}-karrio", name=carrier.upper(), kind="api")  # the demo has local ups, usps
        session.add(row)
        session.flush()
        service = CarrierService(carrier_id=row.id, code=code, name=name, service_code=service_code)
        account = CarrierAccount(carrier_id=row.id, account_number=stub.account_number, name=f"{name} account",
                                 is_default=default, keyring_name=None,
                                 settings={"gateway": "karrio", "karrio_carrier": carrier, "timeout_s": timeout_s,
                                           "carrier_settings": carrier_settings(carrier, stub),
                                           "secret_fields": ["client_id", "client_secret"]})
        session.add_all([service, account])
        session.flush()
        account.keyring_name = f"karrio:account:{account.id}"
        SecretStore().set(account.keyring_name, json.dumps({"client_id": stub.client_id,
                                                            "client_secret": stub.client_secret}))
        if price_minor is not None:
            session.add(ZoneRule(carrier_id=row.id, origin_prefix="", dest_prefix_from="0", dest_prefix_to="9",
                                 zone=5))
            session.add(ServiceRate(service_id=service.id, zone=5, max_weight_g=30_000, price_minor=price_minor))
            session.add(ServiceTransit(service_id=service.id, zone=5, days=2))
    return f"{carrier}-karrio/{code}"
