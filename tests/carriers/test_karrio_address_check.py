"""KarrioAddressCheck (the AddressCheck port) through a karrio extension that validates
addresses: DHL Express's MyDHL API, against its local stub. UPS and USPS through karrio have
no address call, so they get no checker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fulfilstation.carriers.karrio_gateway import KarrioAddressCheck, karrio_address_check_for, karrio_gateway_for
from tests.carriers.conftest import require_extension, ups_gateway
from tests.support.mydhl_stub import MyDHLStub
from tests.support.ups_stub import UPSStub

BOSTON = {"name": "Bob Buyer", "line1": "2 Elm St", "city": "Boston", "postal_code": "02101", "country": "US",
          "region": "MA"}


@pytest.fixture
def dhl() -> Iterator[MyDHLStub]:
    require_extension("mydhl")
    with MyDHLStub() as stub:
        yield stub


def checker(stub: MyDHLStub, password: str | None = None) -> KarrioAddressCheck:
    gateway = karrio_gateway_for("mydhl", {"server_url": stub.server_url, "account_number": "950000002"},
                                 {"username": stub.username, "password": password or stub.password})
    check = karrio_address_check_for(gateway)
    assert check is not None
    return check


def test_a_known_address_passes_without_changes(dhl: MyDHLStub) -> None:
    verdict = checker(dhl).check(BOSTON)

    assert verdict.problems == () and verdict.corrected is None
    (_route, _method, _path, headers, _body), = dhl.requests
    assert headers["authorization"].startswith("Basic ")


def test_an_unknown_postal_code_holds_the_order_with_dhls_words(dhl: MyDHLStub) -> None:
    verdict = checker(dhl).check({**BOSTON, "postal_code": "99999"})

    (code, message, holds), = verdict.problems
    assert code == "carrier-address" and holds
    assert "The requested postal code 99999 was not found in US" in message


def test_an_outage_does_not_hold_the_order(dhl: MyDHLStub) -> None:
    dhl.fail("validate", 503)

    verdict = checker(dhl).check(BOSTON)

    (code, message, holds), = verdict.problems
    assert code == "carrier-unavailable" and not holds and "HTTP 503" in message


def test_carriers_without_an_address_call_get_no_checker(ups: UPSStub) -> None:
    assert karrio_address_check_for(ups_gateway(ups)) is None
