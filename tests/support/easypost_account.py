"""An EasyPost carrier for database tests: the ``ep-usps`` carrier (kind ``api``), its
``priority`` service and one account pointed at a local ``EasyPostStub``, the API key in
the (in-memory) OS keyring — what ``fulfilstation carriers add-easypost`` + ``set-key`` make."""

from __future__ import annotations

from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Carrier,
    CarrierAccount,
    CarrierService,
    ServiceRate,
    ServiceTransit,
    ZoneRule,
)
from tests.support.easypost_stub import EasyPostStub

KEY = "EZTKtest_stub_key"
KEYRING_NAME = "easypost:demo"
SERVICE = "ep-usps/priority"


def add_easypost_account(db: Database, stub: EasyPostStub, *, price_minor: int | None = None,
                         default: bool = False) -> int:
    """The account's id. With ``price_minor`` the service gets a rate table (every
    destination in zone 5, up to 30 kg, 2 days in transit) so rate shopping can price it."""
    SecretStore().set(KEYRING_NAME, KEY)
    with db.unit_of_work() as session:
        carrier = Carrier(code="ep-usps", name="USPS", kind="api")
        session.add(carrier)
        session.flush()
        service = CarrierService(carrier_id=carrier.id, code="priority", name="USPS Priority Mail (EasyPost)",
                                 service_code="Priority")
        account = CarrierAccount(carrier_id=carrier.id, account_number="ep-demo", name="EasyPost demo",
                                 is_default=default, keyring_name=KEYRING_NAME,
                                 settings={"api_base": stub.base_url, "timeout_s": 1, "easypost_carrier": "USPS"})
        session.add_all([service, account])
        session.flush()
        if price_minor is not None:
            session.add(ZoneRule(carrier_id=carrier.id, origin_prefix="", dest_prefix_from="0",
                                 dest_prefix_to="9", zone=5))
            session.add(ServiceRate(service_id=service.id, zone=5, max_weight_g=30_000, price_minor=price_minor))
            session.add(ServiceTransit(service_id=service.id, zone=5, days=2))
        return account.id
