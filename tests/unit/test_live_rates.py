"""Asking carrier accounts for live rates at once (``carriers.live_rates``) and pricing the
offers with their answers (``carriers.live_offers``): pure, no database, no network. The
gateways here are plain objects answering the port; the real KarrioGateway against the UPS
and USPS stubs is in ``tests/db/test_live_rates.py``."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from fulfilstation.carriers.gateway import (
    CarrierProblem,
    GatewayInfo,
    LiveRate,
    Parcel,
    PostalAddress,
    RateRequest,
)
from fulfilstation.carriers.gateway_accounts import gateway_for
from fulfilstation.carriers.live_offers import with_live_rates
from fulfilstation.carriers.live_rates import AccountToAsk, LiveAnswers, ask_accounts
from fulfilstation.carriers.rating import Parcel as RatedParcel
from fulfilstation.carriers.rating import Price
from fulfilstation.carriers.routing import Offer
from fulfilstation.credentials import SecretStore

REQUEST = RateRequest(PostalAddress("Shipper", "1 Dock Rd", "Columbus", "43219", "US", state="OH"),
                      PostalAddress("Ann Buyer", "2 Elm St", "Denver", "80202", "US", state="CO"),
                      (Parcel(1200, 300, 200, 150),))


@dataclass
class Quoting:
    """A gateway that answers ``rates`` with ``answer`` (or raises it), after ``wait`` runs."""

    answer: Sequence[LiveRate] | BaseException
    wait: Any = None
    asked: int = 0

    @property
    def info(self) -> GatewayInfo:
        return GatewayInfo("test", "ups")

    def rates(self, request: RateRequest) -> Sequence[LiveRate]:
        self.asked += 1
        if self.wait is not None:
            self.wait()
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


def rate(service: str, cents: int, days: int | None = 3) -> LiveRate:
    return LiveRate("ups", service, service.upper(), cents, "USD", transit_days=days)


def account(account_id: int, name: str, gateway: Quoting) -> AccountToAsk:
    return AccountToAsk(account_id, name, lambda _timeout: gateway)  # type: ignore[arg-type,return-value]


def test_every_account_is_asked_at_once() -> None:
    """Each gateway waits at a barrier for the other: asked one after the other, both would
    time out at the barrier and be left out."""
    barrier = threading.Barrier(2, timeout=3)
    ups = Quoting([rate("ups_ground", 1100)], wait=barrier.wait)
    usps = Quoting([rate("usps_ground_advantage", 800)], wait=barrier.wait)
    answers = ask_accounts([account(1, "UPS main", ups), account(2, "USPS main", usps)], REQUEST, 4)
    assert answers.left_out == {}
    assert answers.rates == {1: (rate("ups_ground", 1100),), 2: (rate("usps_ground_advantage", 800),)}
    assert answers.asked == {1: "UPS main", 2: "USPS main"}


def test_an_account_that_does_not_answer_in_time_is_left_out_with_its_reason() -> None:
    release = threading.Event()
    slow = Quoting([rate("ups_ground", 500)], wait=lambda: release.wait(5))
    quick = Quoting([rate("usps_ground_advantage", 800)])
    try:
        answers = ask_accounts([account(1, "UPS main", slow), account(2, "USPS main", quick)], REQUEST, 0.3)
    finally:
        release.set()
    assert answers.rates == {2: (rate("usps_ground_advantage", 800),)}
    assert answers.left_out == {1: "did not answer within 0.3 s"}
    assert answers.left_out_words() == ("UPS main: did not answer within 0.3 s",)


def test_a_carrier_error_is_the_reason_in_its_own_words() -> None:
    refused = Quoting(CarrierProblem("UPS refused the rate request.", carrier_text="Invalid ShipTo postal code"))
    answers = ask_accounts([account(1, "UPS main", refused)], REQUEST, 2)
    assert not answers.any_answered
    assert answers.left_out == {1: "UPS refused the rate request (the carrier said: Invalid ShipTo postal code)"}


def test_an_error_page_is_told_in_its_words_without_its_markup() -> None:
    page = "<html><body><h1>503 Service Unavailable</h1>No server is available.</body></html>" + " pad" * 100
    answers = ask_accounts([account(1, "UPS main", Quoting(CarrierProblem("UPS failed.", carrier_text=page)))],
                           REQUEST, 2)
    reason = answers.left_out[1]
    assert reason.startswith("UPS failed (the carrier said: 503 Service Unavailable No server is available. pad")
    assert "<" not in reason and reason.endswith("pad …)") and len(reason) < 260


def test_any_other_failure_is_named_by_its_type_only() -> None:
    """A failure's text may hold what was sent (a key in a URL): only its type is told."""
    broken = Quoting(RuntimeError("GET https://x/?key=SECRET-123 failed"))
    answers = ask_accounts([account(1, "UPS main", broken)], REQUEST, 2)
    assert answers.left_out == {1: "its gateway failed (RuntimeError)"}
    assert "SECRET" not in " ".join(answers.left_out_words())


def test_a_gateway_that_cannot_be_built_leaves_only_its_account_out() -> None:
    def no_extension(_timeout: float) -> Any:
        raise CarrierProblem("The karrio extension for fedex is not installed: pip install 'fulfilstation[fedex]'.")

    quick = Quoting([rate("usps_ground_advantage", 800)])
    answers = ask_accounts([AccountToAsk(3, "FedEx main", no_extension), account(2, "USPS main", quick)], REQUEST, 2)
    assert answers.rates == {2: (rate("usps_ground_advantage", 800),)}
    assert "fulfilstation[fedex]" in answers.left_out[3]


def test_setting_a_gateway_up_is_not_counted_against_the_carriers_time() -> None:
    """Loading the SDK takes seconds the first time in a process: the time limit is the carrier's."""
    quick = Quoting([rate("ups_ground", 900)])

    def slow_to_build(_timeout: float) -> Any:
        threading.Event().wait(0.6)
        return quick

    answers = ask_accounts([AccountToAsk(1, "UPS main", slow_to_build)], REQUEST, 0.3)
    assert answers.rates == {1: (rate("ups_ground", 900),)}
    never = threading.Event()
    answers = ask_accounts([AccountToAsk(1, "UPS main", lambda _t: never.wait(3))], REQUEST, 0.3,  # type: ignore[arg-type,return-value]
                           build_timeout_s=0.3)
    assert answers.left_out == {1: "could not be set up within 0.3 s"}


def test_no_account_no_question() -> None:
    assert ask_accounts([], REQUEST, 4) == LiveAnswers()


def test_an_account_with_its_own_origin_is_asked_with_its_own_request() -> None:
    seen: list[str] = []

    @dataclass
    class Recording(Quoting):
        def rates(self, request: RateRequest) -> Sequence[LiveRate]:
            seen.append(request.ship_from.postal_code)
            return ()

    own = RateRequest(PostalAddress("Shipper", "9 Other Rd", "Dayton", "45402", "US"), REQUEST.ship_to,
                      REQUEST.parcels)
    gateway = Recording(())
    ask_accounts([AccountToAsk(1, "UPS west", lambda _t: gateway, own)], REQUEST, 2)  # type: ignore[arg-type,return-value]
    assert seen == ["45402"]


# -- offers ------------------------------------------------------------------------------------

def candidate(key: str, account_id: int, service_code: str) -> Any:
    carrier, code = key.split("/")
    return SimpleNamespace(key=key, account=SimpleNamespace(id=account_id),
                           service=SimpleNamespace(code=code, service_code=service_code))


def table(key: str, cents: int | None) -> Offer:
    price = Price(cents, 0, 0, cents, "USD", 1200) if cents is not None else None
    return Offer(key, key, price, dt.date(2026, 12, 10))


CANDIDATES = [candidate("courier/local", 9, "LOC"), candidate("ups-api/ground", 1, "ups_ground"),
              candidate("usps-api/ground-advantage", 2, "usps_ground_advantage")]
TABLE = [table("courier/local", 650), table("ups-api/ground", 1500), table("usps-api/ground-advantage", 900)]
PARCELS = [RatedParcel(1200)]
MONDAY = dt.date(2026, 12, 7)


def test_answered_accounts_are_priced_live_and_the_rest_stay_on_their_tables() -> None:
    answers = LiveAnswers({1: "UPS", 2: "USPS"}, {1: (rate("UPS_GROUND", 1234, days=2), rate("ups_ground", 1300)),
                                                  2: (rate("usps_ground_advantage", 777, days=None),)}, {})
    priced = with_live_rates(CANDIDATES, TABLE, answers, PARCELS, MONDAY)
    assert [o.price.total_minor if o.price else None for o in priced.offers] == [650, 1234, 777]
    assert priced.live_keys == {"ups-api/ground", "usps-api/ground-advantage"}
    assert priced.offers[1].arrives == dt.date(2026, 12, 9)  # two business days from Monday
    assert priced.offers[2].arrives is None  # the carrier gave no transit time


def test_an_account_left_out_takes_its_services_with_it() -> None:
    answers = LiveAnswers({1: "UPS", 2: "USPS"}, {2: (rate("usps_ground_advantage", 777),)},
                          {1: "did not answer within 4 s"})
    priced = with_live_rates(CANDIDATES, TABLE, answers, PARCELS, MONDAY)
    assert [c.key for c in priced.candidates] == ["courier/local", "usps-api/ground-advantage"]
    assert priced.live_keys == {"usps-api/ground-advantage"}


def test_a_service_the_carrier_did_not_quote_is_not_offered() -> None:
    answers = LiveAnswers({1: "UPS", 2: "USPS"}, {1: (rate("ups_next_day_air", 4000),), 2: ()}, {})
    priced = with_live_rates(CANDIDATES, TABLE, answers, PARCELS, MONDAY)
    assert [c.key for c in priced.candidates] == ["courier/local"]


def test_no_answer_at_all_falls_back_to_the_tables() -> None:
    answers = LiveAnswers({1: "UPS", 2: "USPS"}, {}, {1: "did not answer within 4 s", 2: "HTTP 503"})
    priced = with_live_rates(CANDIDATES, TABLE, answers, PARCELS, MONDAY)
    assert (list(priced.offers), priced.live_keys) == (TABLE, frozenset())
    assert with_live_rates(CANDIDATES, TABLE, None, PARCELS, MONDAY).offers == tuple(TABLE)


# -- the production gateway factory ------------------------------------------------------------

def test_the_factory_refuses_an_account_of_another_gateway_in_words() -> None:
    with pytest.raises(CarrierProblem, match="EasyPost demo is not reached through a carrier gateway"):
        gateway_for("EasyPost demo", "easypost:demo", {"api_base": "http://x"}, timeout_s=4)


def test_unreadable_secrets_are_named_never_shown() -> None:
    SecretStore().set("karrio:account:7", "not json {client_secret: s3cret")
    settings = {"gateway": "karrio", "karrio_carrier": "ups", "carrier_settings": {}}
    with pytest.raises(CarrierProblem) as raised:
        gateway_for("UPS live", "karrio:account:7", settings, timeout_s=4)
    assert "UPS live" in raised.value.message and "s3cret" not in raised.value.message
