"""The tracking poller through the karrio gateway (USPS) on SQLite and PostgreSQL: a label made
at the local USPS v3 stub, its scans recorded once and its delivery with the time USPS gave."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from fulfilstation.carriers.gateway import ShipmentRequest
from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier, CarrierAccount, CarrierService
from tests.carriers.conftest import BOX, DESTINATION, ORIGIN, require_extension, usps_gateway
from tests.support.app import sign_in
from tests.support.shop_channel import ManualClock
from tests.support.tracking import shipment_made, tracking_app
from tests.support.usps_stub import USPSStub

KEYRING = "karrio:account:usps-test"


@pytest.fixture
def usps_stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[USPSStub]:
    require_extension("usps")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with USPSStub() as stub:
        yield stub


def add_usps_account(db: Database, stub: USPSStub) -> int:
    SecretStore().set(KEYRING, json.dumps({"client_id": stub.client_id, "client_secret": stub.client_secret}))
    with db.unit_of_work() as session:
        carrier = Carrier(code="usps-karrio", name="USPS", kind="api")
        session.add(carrier)
        session.flush()
        account = CarrierAccount(carrier_id=carrier.id, account_number=stub.account_number, name="USPS (karrio)",
                                 keyring_name=KEYRING, settings={
                                     "gateway": "karrio", "karrio_carrier": "usps", "timeout_s": 5,
                                     "carrier_settings": {"account_number": stub.account_number,
                                                          "account_type": "EPS", "CRID": stub.crid, "MID": stub.mid,
                                                          "manifest_MID": stub.mid, "server_url": stub.server_url}})
        session.add_all([account, CarrierService(carrier_id=carrier.id, code="ground", name="USPS Ground Advantage",
                                                  service_code="usps_ground_advantage")])
        session.flush()
        return account.id


def test_usps_scans_are_recorded_once_and_the_delivery(seeded_database: Database, usps_stub: USPSStub) -> None:
    db, clock = seeded_database, ManualClock()
    account = add_usps_account(db, usps_stub)
    label = usps_gateway(usps_stub).create_label(
        ShipmentRequest("PKG-U1", "usps_ground_advantage", ORIGIN, DESTINATION, (BOX,)))
    number = label.tracking_number
    shipment_made(db, account, clock.now() - dt.timedelta(days=2), number=number, service="usps-karrio/ground")
    usps_stub.set_events(number, "In Transit", [("ARRIVED AT USPS REGIONAL FACILITY", "10", "2026-12-05T10:15:00Z",
                                                 "ATLANTA")])
    app = tracking_app(db, clock)
    manager = sign_in(app, "manager")
    first = app.tracking.poll(manager)
    assert (first.asked, first.events_added, first.errors) == (1, 1, ())
    clock.advance(3601)
    assert app.tracking.poll(manager).events_added == 0
    usps_stub.set_events(number, "Delivered", [("DELIVERED, FRONT DOOR/PORCH", "01", "2026-12-06T15:30:00Z", "BOSTON"),
                                               ("ARRIVED AT USPS REGIONAL FACILITY", "10", "2026-12-05T10:15:00Z",
                                                "ATLANTA")])
    clock.advance(3601)
    done = app.tracking.poll(manager)
    assert (done.events_added, done.delivered, done.errors) == (1, 1, ())
    shown = app.tracking.show(number)
    assert shown.state == "delivered" and shown.delivered_at == dt.datetime(2026, 12, 6, 15, 30, tzinfo=dt.UTC)
