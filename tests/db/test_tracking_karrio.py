"""The tracking poller through the karrio gateway (UPS) on SQLite and PostgreSQL: a label made
at the local UPS stub, the account kept as the karrio accounts keep it (settings in the row,
secrets as one JSON keyring entry), its scans recorded once, its delivery, and UPS's failure
said, not raised."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from fulfilstation.carriers.gateway import ShipmentRequest
from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier, CarrierAccount, CarrierService, Shipment
from tests.carriers.conftest import BOX, DESTINATION, ORIGIN, require_extension, ups_gateway
from tests.support.app import sign_in
from tests.support.shop_channel import ManualClock
from tests.support.tracking import shipment_made, tracking_app
from tests.support.ups_stub import UPSStub

KEYRING = "karrio:account:ups-test"


@pytest.fixture
def ups_stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[UPSStub]:
    require_extension("ups")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with UPSStub() as stub:
        yield stub


def add_ups_account(db: Database, stub: UPSStub) -> int:
    SecretStore().set(KEYRING, json.dumps({"client_id": stub.client_id, "client_secret": stub.client_secret}))
    with db.unit_of_work() as session:
        carrier = Carrier(code="ups-karrio", name="UPS", kind="api")
        session.add(carrier)
        session.flush()
        account = CarrierAccount(carrier_id=carrier.id, account_number=stub.account_number, name="UPS (karrio)",
                                 keyring_name=KEYRING, settings={
                                     "gateway": "karrio", "karrio_carrier": "ups", "timeout_s": 2,
                                     "carrier_settings": {"account_number": stub.account_number,
                                                          "server_url": stub.server_url}})
        session.add_all([account, CarrierService(carrier_id=carrier.id, code="ground", name="UPS Ground",
                                                  service_code="ups_ground")])
        session.flush()
        return account.id


def ups_label(stub: UPSStub, reference: str) -> str:
    label = ups_gateway(stub).create_label(ShipmentRequest(reference, "ups_ground", ORIGIN, DESTINATION, (BOX,)))
    return label.tracking_number


def test_ups_scans_are_recorded_once_and_the_delivery_with_its_time(seeded_database: Database,
                                                                   ups_stub: UPSStub) -> None:
    db, clock = seeded_database, ManualClock()
    account = add_ups_account(db, ups_stub)
    number = ups_label(ups_stub, "PKG-T1")
    shipment_id, _ = shipment_made(db, account, clock.now() - dt.timedelta(days=2), number=number,
                                   service="ups-karrio/ground")
    ups_stub.set_activity(number, [("I", "Arrived at Facility", "AR", "20261205", "101500", "Atlanta"),
                                   ("P", "Pickup Scan", "PU", "20261204", "170000", "Atlanta")])
    app = tracking_app(db, clock)
    manager = sign_in(app, "manager")
    first = app.tracking.poll(manager)
    assert (first.asked, first.events_added, first.errors) == (1, 2, ())
    shown = app.tracking.show(number)
    assert shown.state == "in-transit"
    assert [e.description for e in shown.events] == ["Arrived at Facility", "Pickup Scan"]

    clock.advance(3601)
    assert app.tracking.poll(manager).events_added == 0  # the same scans again: nothing added

    ups_stub.set_activity(number, [("D", "DELIVERED", "FS", "20261206", "120000", "Boston"),
                                   ("I", "Arrived at Facility", "AR", "20261205", "101500", "Atlanta"),
                                   ("P", "Pickup Scan", "PU", "20261204", "170000", "Atlanta")])
    clock.advance(3601)
    done = app.tracking.poll(manager)
    assert (done.events_added, done.delivered) == (1, 1)
    with db.unit_of_work() as session:
        shipment = session.scalars(select(Shipment).where(Shipment.id == shipment_id)).one()
        assert shipment.tracking_state == "delivered"
        assert shipment.delivered_at is not None and shipment.delivered_at.date() == dt.date(2026, 12, 6)
    assert ups_stub.count("track") == 3


def test_a_ups_failure_is_said_in_words_and_nothing_is_recorded(seeded_database: Database,
                                                                ups_stub: UPSStub) -> None:
    db, clock = seeded_database, ManualClock()
    account = add_ups_account(db, ups_stub)
    number = ups_label(ups_stub, "PKG-T2")
    shipment_made(db, account, clock.now() - dt.timedelta(days=1), number=number, service="ups-karrio/ground")
    ups_stub.set_activity(number, [("P", "Pickup Scan", "PU", "20261204", "170000", "Atlanta")])
    app = tracking_app(db, clock)
    manager = sign_in(app, "manager")
    ups_stub.fail("track", 503)
    failed = app.tracking.poll(manager)
    assert failed.asked == 1 and len(failed.errors) == 1 and failed.events_added == 0
    assert "UPS" in failed.errors[0] and "Traceback" not in failed.errors[0]
    ups_stub.malform("track")
    clock.advance(3601)
    malformed = app.tracking.poll(manager)
    assert malformed.events_added == 0 and "Traceback" not in " ".join(malformed.errors)
    clock.advance(3601)
    assert app.tracking.poll(manager).events_added == 1  # UPS answers again: recorded once


def test_a_karrio_account_without_its_secrets_is_said(seeded_database: Database, ups_stub: UPSStub) -> None:
    db, clock = seeded_database, ManualClock()
    account = add_ups_account(db, ups_stub)
    number = ups_label(ups_stub, "PKG-T3")
    shipment_made(db, account, clock.now() - dt.timedelta(days=1), number=number, service="ups-karrio/ground")
    SecretStore().set(KEYRING, "not json")
    app = tracking_app(db, clock)
    done = app.tracking.poll(sign_in(app, "manager"))
    assert len(done.errors) == 1 and "cannot be read. Enter them again for the account" in done.errors[0]
