"""API carriers in the packing flow, on SQLite and PostgreSQL, against the local EasyPost
stub and the TCP printer simulator: rate shopping offers the EasyPost service from its rate
table; shipping commits first and buys the label after the commit; a failed purchase
leaves the shipment recorded and Reprint buys it exactly once; a void refunds the label."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from drivers.printer import open_label_printer
from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    AuditEntry,
    Carrier,
    CarrierAccount,
    CarrierService,
    Order,
    RoutingRule,
    Shipment,
    ShipmentNote,
)
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.manifests import ManifestRefused
from fulfilstation.services.orders import quotes as rating
from fulfilstation.services.packing import PackRefused, Weighing
from fulfilstation.services.refused import NotAllowed
from tests.support.app import app_for, sign_in
from tests.support.easypost_account import SERVICE, add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.warehouse import expected_weight, make_order, stock_of, unit_barcode
from tests.support.zpl import decode_barcodes, render_zpl


@pytest.fixture
def printer() -> Iterator[ZplPrinterSimulator]:
    with ZplPrinterSimulator() as simulator:
        yield simulator


def add_easypost_carrier(db: Database, stub: EasyPostStub, price_minor: int | None) -> None:
    """The EasyPost account as the station's default for its carrier, priced by ``price_minor``."""
    add_easypost_account(db, stub, price_minor=price_minor, default=True)


def app_at(db: Database, printer: ZplPrinterSimulator | None = None, name: str = "PACK-API") -> AppServices:
    """The use cases at station ``name``, labels on ``printer`` (the carrier adapters read the
    API key from the keyring, as in production)."""
    return app_for(db, label=open_label_printer(printer.uri) if printer else None, station=name)


def pack(app: AppServices, actor: Actor, lines: list[tuple[str, int]],
         one_box_per_unit: bool = False) -> tuple[str, int]:
    """An order claimed and fully scanned at the actor's station: (order number, pack session id).
    ``one_box_per_unit``: every unit goes in a box of its own, each box closed (weighed)."""
    db = app.packing.database
    number = make_order(db, lines)
    session_id = app.packing.start(actor, number).session_id
    for sku, quantity in lines:
        for _ in range(quantity):
            assert app.packing.scan(actor, session_id, unit_barcode(db, sku)).accepted
            if one_box_per_unit:
                app.packing.close_package(actor, session_id, Weighing(expected_weight(db, session_id)))
    return number, session_id


def _shipment(db: Database, number: str) -> Shipment:
    with db.unit_of_work() as session:
        return session.scalars(select(Shipment).join(Order, Order.id == Shipment.order_id)
                               .where(Order.number == number)).one()


def test_rate_shopping_offers_the_api_service_and_picks_it_when_cheapest(seeded_database: Database,
                                                                         stub: EasyPostStub) -> None:
    """Rated on a pinned day (the quote query of ``app.orders`` rates today), so the internal
    ``quote`` is called on purpose; ``app.orders.quote`` is used below."""
    db = seeded_database
    add_easypost_carrier(db, stub, price_minor=1)  # one cent: cheaper than every demo rate
    number = make_order(db, [("MUG-CER-350", 1)])
    quote = rating.quote(db, number, today=dt.date(2026, 11, 25))
    assert SERVICE in {option.service for option in quote.options}
    assert quote.service == SERVICE and quote.price is not None and quote.price.total_minor >= 1
    assert quote.reason.startswith("cheapest")


def test_without_a_key_name_the_api_carrier_is_not_offered(seeded_database: Database, stub: EasyPostStub) -> None:
    db = seeded_database
    add_easypost_carrier(db, stub, price_minor=1)
    with db.unit_of_work() as session:
        session.scalars(select(CarrierAccount).where(CarrierAccount.account_number == "ep-demo")).one() \
            .keyring_name = None
    quote = app_at(db).orders.quote(make_order(db, [("MUG-CER-350", 1)]))
    assert SERVICE not in {option.service for option in quote.options}


def test_ship_commits_then_buys_the_label_and_prints_it(seeded_database: Database, stub: EasyPostStub,
                                                       printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    db = seeded_database
    add_easypost_carrier(db, stub, price_minor=1)
    app = app_at(db, printer)
    packer = sign_in(app)
    before = stock_of(db, "MUG-CER-350")
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert outcome.printed and outcome.problem is None, outcome.problem
    assert printer.wait_for_jobs(1, timeout=5)
    shipment = _shipment(db, number)
    bought = stub.shipments[shipment.external_id or ""]
    assert (shipment.tracking_number, shipment.status) == (bought["tracking_code"], "printed")
    assert outcome.tracking_numbers == (bought["tracking_code"],)
    assert (shipment.cost_minor, stub.purchases) == (985, 1)  # what EasyPost charged, not the table's cent
    assert printer.jobs[0] == f"^XA^FO50,50^BCN,100,Y,N,N^FD{bought['tracking_code']}^FS^XZ".encode()  # as sent
    found = [d.text for d in decode_barcodes(render_zpl(printer.jobs[0], tmp_path / "ep")[0])]
    assert found == [bought["tracking_code"]]
    assert stock_of(db, "MUG-CER-350")[0] == before[0] - 1
    with db.unit_of_work() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "shipment",
                                                                  AuditEntry.entity_id == shipment.id)
                                  .order_by(AuditEntry.id)).all()
    assert actions == ["shipment.created", "shipment.label_bought"]
    assert shipment.created_by_id == packer.user_id


def test_easypost_down_keeps_the_shipment_and_reprint_buys_it_once(seeded_database: Database, stub: EasyPostStub,
                                                                  printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_easypost_carrier(db, stub, price_minor=1)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    stub.delay("buy", 2.5)  # bought at EasyPost, the answer comes after the 1 s timeout
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert not outcome.printed and outcome.problem is not None
    assert "could not be bought" in outcome.problem and "Reprint" in outcome.problem
    assert printer.jobs == []
    pending = _shipment(db, number)
    assert (pending.status, pending.tracking_number) == ("label-pending", None)
    with db.unit_of_work() as session:
        assert session.scalars(select(ShipmentNote.text).where(ShipmentNote.shipment_id == pending.id)).one() \
            .startswith("Label not bought: EasyPost did not answer")
    again = app.shipping.reprint(packer)
    assert again is not None and again.printed, again
    assert (stub.purchases, stub.count("buy"), stub.count("create")) == (1, 1, 1)
    assert printer.wait_for_jobs(1, timeout=5)
    shipment = _shipment(db, number)
    assert shipment.tracking_number == stub.shipments[shipment.external_id or ""]["tracking_code"]
    third = app.shipping.reprint(packer)
    assert third is not None and third.printed
    assert printer.wait_for_jobs(2, timeout=5) and printer.jobs[1] == printer.jobs[0]  # the identical label
    assert stub.purchases == 1


def test_a_refused_address_is_explained_and_nothing_prints(seeded_database: Database, stub: EasyPostStub,
                                                          printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_easypost_carrier(db, stub, price_minor=1)
    app = app_at(db, printer)
    packer = sign_in(app)
    stub.bad_zips.add("62704")
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert not outcome.printed and outcome.problem and "could not be bought" in outcome.problem
    assert stub.purchases == 0 and printer.jobs == []
    assert _shipment(db, number).status == "label-pending"


def test_several_packages_go_by_a_local_carrier(seeded_database: Database, stub: EasyPostStub,
                                               printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_easypost_carrier(db, stub, price_minor=1)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 2)], one_box_per_unit=True)
    quote = app.orders.quote(number)
    assert quote.parcels == 2 and SERVICE not in {o.service for o in quote.options}
    outcome = app.shipping.ship(packer, session_id, Weighing(0))
    assert outcome.printed and len(outcome.tracking_numbers) == 2
    shipment = _shipment(db, number)
    with db.unit_of_work() as session:
        carrier = session.scalars(select(Carrier.code).join(CarrierAccount, CarrierAccount.carrier_id == Carrier.id)
                                  .where(CarrierAccount.id == shipment.carrier_account_id)).one()
    assert carrier != "ep-usps" and stub.requests == []


def test_an_order_asking_for_the_api_service_with_two_packages_ships_locally_and_says_why(
        seeded_database: Database, stub: EasyPostStub) -> None:
    db = seeded_database
    add_easypost_carrier(db, stub, price_minor=None)
    app = app_at(db)
    packer = sign_in(app)
    number, _session_id = pack(app, packer, [("MUG-CER-350", 2)], one_box_per_unit=True)
    manager = sign_in(app, "manager")
    with pytest.raises(rating.ServiceChoiceRefused, match="one package per shipment"):
        app.orders.change_service(manager, number, SERVICE)
    other = make_order(db, [("MUG-CER-350", 1)])
    with pytest.raises(NotAllowed, match="only a manager or an owner can change an order's shipping service"):
        app.orders.change_service(packer, other, SERVICE)
    assert app.orders.change_service(manager, other, SERVICE).service == SERVICE


def test_void_refunds_the_bought_label(seeded_database: Database, stub: EasyPostStub,
                                       printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_easypost_carrier(db, stub, price_minor=1)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    tracking = outcome.tracking_numbers[0]
    with pytest.raises(NotAllowed):
        app.shipping.void(packer, tracking, "customer cancelled")
    assert stub.count("refund") == 0
    voided = app.shipping.void(sign_in(app, "manager"), tracking, "customer cancelled")
    assert "is void" in voided.message and "EasyPost refund submitted" in voided.message
    assert voided.refund is not None and voided.tracking_number == tracking
    shipment = _shipment(db, number)
    assert shipment.status == "voided" and stub.count("refund") == 1
    assert stub.shipments[shipment.external_id or ""]["refund_status"] == "submitted"


def test_void_stands_when_the_refund_cannot_be_asked(seeded_database: Database, stub: EasyPostStub,
                                                     printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_easypost_carrier(db, stub, price_minor=1)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    stub.fail("refund", 500, "INTERNAL_SERVER_ERROR", "Something went wrong")
    message = app.shipping.void(sign_in(app, "manager"), number, "wrong address").message
    assert "is void" in message and "Request it in your EasyPost dashboard" in message
    assert _shipment(db, number).status == "voided"


def test_a_rule_forcing_the_api_service_on_two_boxes_is_refused_before_anything_is_recorded(
        seeded_database: Database, stub: EasyPostStub) -> None:
    db = seeded_database
    add_easypost_carrier(db, stub, price_minor=1)
    app = app_at(db)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 2)], one_box_per_unit=True)
    with db.unit_of_work() as session:
        service_id = session.scalars(select(CarrierService.id).join(Carrier).where(Carrier.code == "ep-usps")).one()
        session.add(RoutingRule(name="all by EasyPost", priority=1, conditions={}, service_id=service_id))
    with pytest.raises(PackRefused, match="all by EasyPost"):
        app.shipping.ship(packer, session_id, Weighing(0))
    with db.unit_of_work() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        assert order.status == "packing"
        assert session.scalars(select(Shipment).where(Shipment.order_id == order.id)).all() == []
    assert stub.requests == []


def test_a_shipment_waiting_for_its_label_stays_off_the_manifest_until_bought(
        seeded_database: Database, stub: EasyPostStub, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_easypost_carrier(db, stub, price_minor=1)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    stub.fail("create", 503, "SERVICE.UNAVAILABLE", "Service unavailable")
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert not outcome.printed
    manager = sign_in(app, "manager")
    with pytest.raises(ManifestRefused):
        app.manifests.close(manager, "ep-usps")
    assert app.shipping.reprint(packer) is not None
    closed = app.manifests.close(manager, "ep-usps").info
    shipment = _shipment(db, number)
    assert shipment.tracking_number and shipment.manifest_id == closed.id
    assert closed.package_count == 1 and closed.scan_form_id in stub.scan_forms
