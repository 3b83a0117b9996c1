"""UPS and USPS for the live rate tests: what each carrier quotes, how slow or broken it is,
and the gateway factory the ship use case builds each account's gateway with.

(Interim: in-process gateways answering the port, until the KarrioGateway and its UPS/USPS
stub servers are merged; then ``gateway_factory`` builds the real KarrioGateway against them.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from fulfilstation.carriers.gateway import CarrierProblem, GatewayInfo, LiveRate, RateRequest
from fulfilstation.carriers.gateway_accounts import GatewayAccount, GatewayFactory
from fulfilstation.db.database import Database
from tests.support.gateway_accounts import UPS_SERVICES, USPS_SERVICES, add_gateway_account

DEFAULT_QUOTES = {"ups_ground": 1150, "ups_2nd_day_air": 2210, "usps_ground_advantage": 780,
                  "usps_priority_mail": 1090}


@dataclass
class CarrierStubs:
    quotes: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_QUOTES))
    delays: dict[str, float] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def price(self, service: str, cents: int) -> None:
        self.quotes[service] = cents

    def quoted(self, service: str) -> int:
        return self.quotes[service]

    def delay(self, carrier: str, seconds: float) -> None:
        self.delays[carrier] = seconds

    def fail(self, carrier: str, status: int) -> None:
        self.failures[carrier] = status

    def rate_requests(self, carrier: str) -> int:
        return self.requests.get(carrier, 0)


@contextmanager
def carrier_stubs() -> Iterator[CarrierStubs]:
    yield CarrierStubs()


def add_stub_accounts(db: Database, stubs: CarrierStubs) -> tuple[int, int]:
    return (add_gateway_account(db, "ups", UPS_SERVICES, settings={}, secrets={"client_secret": "s3cret"}),
            add_gateway_account(db, "usps", USPS_SERVICES, settings={}, secrets={"client_secret": "s3cret"}))


@dataclass
class _Gateway:
    stubs: CarrierStubs
    carrier: str
    timeout_s: float

    @property
    def info(self) -> GatewayInfo:
        return GatewayInfo("karrio", self.carrier)

    def rates(self, request: RateRequest) -> Sequence[LiveRate]:
        with self.stubs.lock:
            self.stubs.requests[self.carrier] = self.stubs.requests.get(self.carrier, 0) + 1
        time.sleep(min(self.stubs.delays.get(self.carrier, 0), self.timeout_s + 0.5))
        if self.carrier in self.stubs.failures:
            raise CarrierProblem(f"{self.carrier.upper()} answered HTTP {self.stubs.failures[self.carrier]}.")
        return tuple(LiveRate(self.carrier, s, s, c, "USD", transit_days=3) for s, c in self.stubs.quotes.items()
                     if s.startswith(self.carrier + "_"))


def gateway_factory(stubs: CarrierStubs) -> GatewayFactory:
    def make(account: GatewayAccount, timeout_s: float) -> _Gateway:
        return _Gateway(stubs, account.carrier_code, timeout_s)

    return make  # type: ignore[return-value]
