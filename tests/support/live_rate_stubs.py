"""UPS and USPS for the live rate tests: the local stub servers of their REST APIs
(``ups_stub``, ``usps_stub``), one gateway account of each pointed at its stub as the account
use cases keep it (settings in the database, secrets in the keyring), and the gateway
factory the ship use case builds each account's gateway with: the production one
(``carriers.gateway_accounts.gateway_for``: the real KarrioGateway), which also notes what
each carrier answered so a test can say which rate was the cheapest.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from fulfilstation.carriers.gateway import CarrierGateway, GatewayInfo, LiveRate, RateRequest
from fulfilstation.carriers.gateway_accounts import GatewayFactory, gateway_for
from fulfilstation.db.database import Database
from tests.carriers.conftest import require_extension
from tests.support.gateway_accounts import UPS_SERVICES, USPS_SERVICES, add_gateway_account
from tests.support.ups_stub import UPSStub
from tests.support.usps_stub import USPSStub

RATE_ROUTE = {"ups": "rate", "usps": "rate"}  # the stubs' names of their rate calls


@dataclass
class CarrierStubs:
    """The running stubs by karrio carrier name, and every rate each carrier's gateway returned."""

    stubs: dict[str, Any]
    answered: dict[str, list[LiveRate]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def delay(self, carrier: str, seconds: float) -> None:
        """The carrier's next rate answer comes after ``seconds``."""
        self.stubs[carrier].delay(RATE_ROUTE[carrier], seconds)

    def fail(self, carrier: str, status: int) -> None:
        """The carrier's next rate call is answered with HTTP ``status`` (an HTML error page)."""
        self.stubs[carrier].fail(RATE_ROUTE[carrier], status)

    def rate_requests(self, carrier: str) -> int:
        return int(self.stubs[carrier].count(RATE_ROUTE[carrier]))

    def quoted(self, service: str) -> int:
        """What the carrier's gateway quoted for karrio's ``service`` (``ups_ground``)."""
        with self.lock:
            return next(r.cost_minor for rates in self.answered.values() for r in rates if r.service_code == service)


@contextmanager
def carrier_stubs() -> Iterator[CarrierStubs]:
    require_extension("ups")
    require_extension("usps")
    with ExitStack() as stack:
        yield CarrierStubs({"ups": stack.enter_context(UPSStub()), "usps": stack.enter_context(USPSStub())})


def add_stub_accounts(db: Database, stubs: CarrierStubs) -> tuple[int, int]:
    """A UPS and a USPS gateway account on their stubs, each its carrier's default."""
    ups, usps = stubs.stubs["ups"], stubs.stubs["usps"]
    return (add_gateway_account(db, "ups", UPS_SERVICES, name="UPS live",
                                settings={"account_number": ups.account_number, "server_url": ups.server_url},
                                secrets={"client_id": ups.client_id, "client_secret": ups.client_secret}),
            add_gateway_account(db, "usps", USPS_SERVICES, name="USPS live",
                                settings={"account_number": usps.account_number, "account_type": "EPS",
                                          "CRID": usps.crid, "MID": usps.mid, "manifest_MID": usps.mid,
                                          "server_url": usps.server_url},
                                secrets={"client_id": usps.client_id, "client_secret": usps.client_secret}))


@dataclass
class _Noting:
    """The real gateway, noting what ``rates`` returned; every other call goes to it as is
    (the same factory builds the gateways that buy the labels)."""

    gateway: CarrierGateway
    stubs: CarrierStubs
    carrier: str

    @property
    def info(self) -> GatewayInfo:
        return self.gateway.info

    def rates(self, request: RateRequest) -> Sequence[LiveRate]:
        rates = self.gateway.rates(request)
        with self.stubs.lock:
            self.stubs.answered.setdefault(self.carrier, []).extend(rates)
        return rates

    def __getattr__(self, name: str) -> Any:
        return getattr(self.gateway, name)


def gateway_factory(stubs: CarrierStubs) -> GatewayFactory:
    """The production factory (secrets from the keyring, the real KarrioGateway), noting answers."""
    def make(account_name: str, keyring_name: str | None, settings: Mapping[str, Any], *,
             timeout_s: float | None = None) -> CarrierGateway:
        carrier = str(settings.get("karrio_carrier") or "")
        return _Noting(gateway_for(account_name, keyring_name, settings, timeout_s=timeout_s),  # type: ignore[return-value]
                       stubs, carrier)

    return make
