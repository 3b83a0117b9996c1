"""Buying EasyPost labels through the real SDK against a local stub (127.0.0.1 only),
on SQLite and PostgreSQL: ZPL labels, idempotent retries, errors in words, refunds and
scan forms. The API key lives in the (in-memory) OS keyring."""

from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy import select

from drivers.sim.printer import SimLabelPrinter
from fulfilstation.carriers.easypost_adapter import EasyPostAdapter, adapter_for
from fulfilstation.carriers.easypost_errors import EasyPostProblem
from fulfilstation.carriers.label_purchase import BoughtLabel, purchase_label, refund_label, scan_form_for
from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    AuditEntry,
    Carrier,
    CarrierAccount,
    CarrierService,
    Order,
    Package,
    Shipment,
    ShipmentNote,
)
from fulfilstation.services.manifests import ManifestRefused
from fulfilstation.services.shipping.printing import print_shipment
from tests.support.app import app_for, sign_in
from tests.support.easypost_account import KEY, KEYRING_NAME, add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.warehouse import make_order


@pytest.fixture
def account_id(seeded_database: Database, stub: EasyPostStub) -> int:
    return add_easypost_account(seeded_database, stub)


def adapter(db: Database, account: int) -> EasyPostAdapter:
    with db.unit_of_work() as session:
        row = session.get_one(CarrierAccount, account)
        name, keyring_name, settings = row.name, row.keyring_name, dict(row.settings)
    return adapter_for(name, keyring_name, settings)


def committed_shipment(db: Database, account: int, weight_g: int = 500) -> int:
    """What the ship transaction commits for an API carrier: label-pending, no tracking."""
    number = make_order(db, [("MUG-CER-350", 1)])
    with db.unit_of_work() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        service = session.scalars(select(CarrierService).join(Carrier).where(Carrier.code == "ep-usps")).one()
        shipment = Shipment(order_id=order.id, carrier_account_id=account, service_id=service.id)
        session.add(shipment)
        session.flush()
        session.add(Package(shipment_id=shipment.id, sequence=1, weight_measured_g=weight_g, length_mm=200,
                            width_mm=150, height_mm=100))
        return shipment.id


def shipment_row(db: Database, shipment_id: int) -> Shipment:
    with db.unit_of_work() as session:
        return session.get_one(Shipment, shipment_id)


def test_buys_a_zpl_label_and_records_it(seeded_database: Database, account_id: int, stub: EasyPostStub) -> None:
    db = seeded_database
    shipment_id = committed_shipment(db, account_id)
    bought = purchase_label(db, shipment_id, adapter(db, account_id))
    assert bought.label_zpl.startswith(b"^XA") and bought.tracking_number.encode() in bought.label_zpl
    assert (bought.cost_minor, bought.currency, stub.purchases) == (985, "USD", 1)
    shipment = shipment_row(db, shipment_id)
    assert (shipment.tracking_number, shipment.cost_minor, shipment.status) == (
        bought.tracking_number, 985, "label-pending")
    assert shipment.external_id in stub.shipments and shipment.idempotency_key
    sent = next(body["shipment"] for route, _path, body in stub.requests if route == "create")
    # 500 g = 17.64 oz → 17.7; 200/150/100 mm = 7.87/5.91/3.94 in → 7.9/6.0/4.0 (rounded up)
    assert sent["parcel"] == {"weight": 17.7, "length": 7.9, "width": 6.0, "height": 4.0}
    assert sent["options"] == {"label_format": "ZPL"} and sent["reference"] == shipment.idempotency_key
    assert sent["to_address"]["zip"] == "62704" and sent["from_address"]["zip"] == "43219"
    with db.unit_of_work() as session:
        package = session.scalars(select(Package).where(Package.shipment_id == shipment_id)).one()
        assert (package.tracking_number, package.label_format) == (bought.tracking_number, "zpl")
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == shipment_id)).all() == [
            "shipment.label_bought"]
    calls = len(stub.requests)
    assert purchase_label(db, shipment_id, adapter(db, account_id)) == bought  # done: nothing is called
    assert len(stub.requests) == calls


def test_a_timeout_on_buy_then_a_retry_finds_the_first_purchase(seeded_database: Database, account_id: int,
                                                                stub: EasyPostStub) -> None:
    db = seeded_database
    shipment_id = committed_shipment(db, account_id)
    stub.delay("buy", 2.5)  # bought at once, answered after the 1 s client timeout
    with pytest.raises(EasyPostProblem, match="did not answer within 1 s") as problem:
        purchase_label(db, shipment_id, adapter(db, account_id))
    assert problem.value.uncertain and stub.purchases == 1
    pending = shipment_row(db, shipment_id)
    assert pending.tracking_number is None and pending.external_id and pending.idempotency_key
    bought = purchase_label(db, shipment_id, adapter(db, account_id))
    assert (stub.purchases, stub.count("buy"), stub.count("create")) == (1, 1, 1)
    assert bought.tracking_number == stub.shipments[pending.external_id]["tracking_code"]
    assert shipment_row(db, shipment_id).idempotency_key == pending.idempotency_key


def test_a_timeout_on_create_costs_nothing_and_the_retry_buys_once(seeded_database: Database, account_id: int,
                                                                  stub: EasyPostStub) -> None:
    db = seeded_database
    shipment_id = committed_shipment(db, account_id)
    stub.delay("create", 2.5)
    with pytest.raises(EasyPostProblem, match="did not answer"):
        purchase_label(db, shipment_id, adapter(db, account_id))
    assert shipment_row(db, shipment_id).external_id is None and stub.purchases == 0
    purchase_label(db, shipment_id, adapter(db, account_id))
    assert (stub.count("create"), stub.purchases) == (2, 1)


def test_two_stations_buying_at_once_pay_for_one_label(seeded_database: Database, account_id: int,
                                                       stub: EasyPostStub) -> None:
    db = seeded_database
    shipment_id = committed_shipment(db, account_id)
    results: list[BoughtLabel | Exception] = []
    start = threading.Barrier(2)

    def station() -> None:
        start.wait()
        try:
            results.append(purchase_label(db, shipment_id, adapter(db, account_id)))
        except Exception as exc:  # collected and asserted below
            results.append(exc)

    threads = [threading.Thread(target=station) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert stub.purchases == 1
    labels = [r for r in results if isinstance(r, BoughtLabel)]
    assert len(results) == 2 and len(labels) == 2 and labels[0].tracking_number == labels[1].tracking_number


def test_a_refused_address_is_said_in_words(seeded_database: Database, account_id: int, stub: EasyPostStub) -> None:
    db = seeded_database
    shipment_id = committed_shipment(db, account_id)
    stub.bad_zips.add("62704")
    with pytest.raises(EasyPostProblem) as problem:
        purchase_label(db, shipment_id, adapter(db, account_id))
    assert str(problem.value) == ("EasyPost refused the address: Unable to verify address; address: Address not "
                                  "found. Correct the address on the order, then try again.")
    assert not problem.value.uncertain and problem.value.code == "ADDRESS.VERIFY.FAILURE"
    assert stub.purchases == 0 and shipment_row(db, shipment_id).tracking_number is None


def test_no_funds_then_a_later_retry(seeded_database: Database, account_id: int, stub: EasyPostStub) -> None:
    db = seeded_database
    shipment_id = committed_shipment(db, account_id)
    stub.fail("buy", 402, "PAYMENT.INSUFFICIENT_FUNDS", "Insufficient funds.")
    with pytest.raises(EasyPostProblem, match="refused the purchase for lack of funds: Insufficient funds"):
        purchase_label(db, shipment_id, adapter(db, account_id))
    assert stub.purchases == 0
    purchase_label(db, shipment_id, adapter(db, account_id))
    assert (stub.purchases, stub.count("create")) == (1, 1)  # the recorded EasyPost shipment was reused


def test_a_service_easypost_does_not_offer(seeded_database: Database, account_id: int, stub: EasyPostStub) -> None:
    db = seeded_database
    with db.unit_of_work() as session:
        session.scalars(select(CarrierService).join(Carrier).where(Carrier.code == "ep-usps")).one() \
            .service_code = "Express"
    with pytest.raises(EasyPostProblem, match="offers no USPS Express rate .*offered: USPS GroundAdvantage, USPS "
                       "Priority, UPS Ground"):
        purchase_label(db, committed_shipment(db, account_id), adapter(db, account_id))


def test_the_key_comes_from_the_keyring_and_never_shows(seeded_database: Database, account_id: int,
                                                       stub: EasyPostStub, caplog: pytest.LogCaptureFixture) -> None:
    db = seeded_database
    SecretStore().delete(KEYRING_NAME)
    with pytest.raises(EasyPostProblem, match="No EasyPost API key is stored for EasyPost demo"):
        adapter(db, account_id)
    SecretStore().set(KEYRING_NAME, "EZTKwrong_secret_value")
    caplog.set_level(logging.DEBUG)
    wrong = adapter(db, account_id)
    with pytest.raises(EasyPostProblem, match="refused the API key") as problem:
        purchase_label(db, committed_shipment(db, account_id), wrong)
    assert "EZTKwrong" not in str(problem.value) and "EZTKwrong" not in repr(wrong)
    SecretStore().set(KEYRING_NAME, KEY)
    purchase_label(db, committed_shipment(db, account_id), adapter(db, account_id))
    assert "EZTK" not in caplog.text


def test_refund_only_after_the_void_is_committed(seeded_database: Database, account_id: int,
                                                 stub: EasyPostStub) -> None:
    db = seeded_database
    shipment_id = committed_shipment(db, account_id)
    purchase_label(db, shipment_id, adapter(db, account_id))
    with pytest.raises(EasyPostProblem, match="Void the shipment first"):
        refund_label(db, shipment_id, adapter(db, account_id))
    # The void transaction alone (the void use case would ask for the refund itself, after it).
    # Imported here: importing fulfilstation.services.shipping before .packing is a circular import.
    from fulfilstation.services.shipping.void import void_shipment

    void_shipment(db, sign_in(app_for(db), "manager"), shipment_id, "customer cancelled")
    assert refund_label(db, shipment_id, adapter(db, account_id)) == "submitted"
    with db.unit_of_work() as session:
        notes = session.scalars(select(ShipmentNote.text).where(ShipmentNote.shipment_id == shipment_id)).all()
    assert notes == ["EasyPost refund submitted."]


def test_end_of_day_scan_form_lists_the_manifests_live_labels(seeded_database: Database, account_id: int,
                                                              stub: EasyPostStub) -> None:
    db = seeded_database
    app = app_for(db)  # its carrier adapters read the account's key from the keyring, as ``adapter`` does
    manager = sign_in(app, "manager")
    pending = committed_shipment(db, account_id)  # label still pending: it cannot go with the driver yet
    with pytest.raises(ManifestRefused, match="Nothing to close"):
        app.manifests.close(manager, "ep-usps")
    assert stub.count("scan_form") == 0 and shipment_row(db, pending).manifest_id is None
    kept = [purchase_label(db, committed_shipment(db, account_id), adapter(db, account_id)) for _ in range(2)]
    assert all(print_shipment(db, SimLabelPrinter(), label.shipment_id).printed for label in kept)  # on the parcels
    voided = purchase_label(db, committed_shipment(db, account_id), adapter(db, account_id))
    assert "is void" in app.shipping.void(manager, voided.tracking_number, "customer cancelled").message
    stub.fail("scan_form", 503, "SERVICE.UNAVAILABLE", "Service unavailable.")  # the close's own attempt fails
    closed = app.manifests.close(manager, "ep-usps").info
    assert closed.scan_form_missing and closed.shipment_count == 2
    form = scan_form_for(db, closed.id, adapter(db, account_id))
    assert form.easypost_id.startswith("sf_") and form.status == "created"
    assert form.tracking_codes == tuple(label.tracking_number for label in kept)
    with pytest.raises(EasyPostProblem, match="already on a scan form"):  # EasyPost: one form per shipment
        scan_form_for(db, closed.id, adapter(db, account_id))
    assert list(stub.scan_forms) == [form.easypost_id]
