"""Labels of karrio carrier accounts in the packing flow, on SQLite and PostgreSQL, through the
real ``KarrioGateway`` against the local UPS stub (UPS's documented REST API) and the TCP
printer simulator: the shipment commits first, its label is bought after the commit (every
package a parcel of ONE carrier shipment), printed and decoded back to its tracking number;
a timeout after the carrier made the label, a 5xx or a malformed answer never buys a second
label (the stub's ledger holds one at most); a refusal is told in the carrier's words and a
reprint buys once; a void cancels at the carrier; a manifest of a carrier without a manifest
call calls nothing. Against the USPS stub (USPS APIs v3): a label per parcel, the void, and
the manifest's SCAN form recorded on the closed manifest with its PDF."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select, update

from drivers.printer import open_label_printer
from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.carriers.gateway_manifest import document_bytes
from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Order, Package, Shipment, ShipmentNote
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import Weighing
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.shipping import ShipmentRefused
from tests.db.test_api_carrier_shipping import pack
from tests.db.test_cli import cli, plain
from tests.support.app import app_for, sign_in
from tests.support.karrio_account import add_karrio_account
from tests.support.ups_stub import UPSStub
from tests.support.usps_stub import USPSStub
from tests.support.warehouse import expected_weight, make_order
from tests.support.zpl import decode_barcodes, render_zpl


def require_extension(carrier: str) -> None:
    if importlib.util.find_spec(f"karrio.mappers.{carrier}") is not None:
        return
    message = f'karrio.{carrier} is not installed (pip install -e ".[test]")'
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture
def ups(monkeypatch: pytest.MonkeyPatch) -> Iterator[UPSStub]:
    require_extension("ups")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with UPSStub() as stub:
        yield stub


@pytest.fixture
def usps(monkeypatch: pytest.MonkeyPatch) -> Iterator[USPSStub]:
    require_extension("usps")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with USPSStub() as stub:
        yield stub


@pytest.fixture
def printer() -> Iterator[ZplPrinterSimulator]:
    with ZplPrinterSimulator() as simulator:
        yield simulator


def app_at(db: Database, printer: ZplPrinterSimulator | None = None) -> AppServices:
    """The use cases at station PACK-K (the gateways read their secrets from the keyring)."""
    return app_for(db, label=open_label_printer(printer.uri) if printer else None, station="PACK-K")


def shipment_of(db: Database, number: str) -> Shipment:
    with db.unit_of_work() as session:
        return session.scalars(select(Shipment).join(Order, Order.id == Shipment.order_id)
                               .where(Order.number == number)).one()


def packages_of(db: Database, shipment_id: int) -> list[Package]:
    with db.unit_of_work() as session:
        return list(session.scalars(select(Package).where(Package.shipment_id == shipment_id)
                                    .order_by(Package.sequence)))


def notes_of(db: Database, shipment_id: int) -> list[str]:
    with db.unit_of_work() as session:
        return list(session.scalars(select(ShipmentNote.text).where(ShipmentNote.shipment_id == shipment_id)
                                    .order_by(ShipmentNote.id)))


def decoded(job: bytes, tmp_path: Path) -> list[str]:
    return [code.text for png in render_zpl(job, tmp_path / f"job-{abs(hash(job))}") for code in decode_barcodes(png)]


def test_ship_buys_one_label_after_the_commit_and_prints_it(seeded_database: Database, ups: UPSStub,
                                                           printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    db = seeded_database
    add_karrio_account(db, "ups", ups)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    assert app.orders.quote(number).service == "ups-karrio/ground"
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert outcome.printed and outcome.problem is None, outcome.problem
    assert printer.wait_for_jobs(1, timeout=5)
    shipment = shipment_of(db, number)
    [label] = ups.labels.values()
    assert (shipment.tracking_number, shipment.status, shipment.external_id) == \
        (label.tracking_number, "printed", label.shipment_id)
    assert label.reference == shipment.idempotency_key and label.service == "03"  # our key, UPS Ground
    assert ups.labels_made == 1 and outcome.tracking_numbers == (label.tracking_number,)
    assert shipment.cost_minor > 1  # what UPS charged, not the table's cent
    assert decoded(printer.jobs[0], tmp_path) == [label.tracking_number]
    with db.unit_of_work() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "shipment",
                                                           AuditEntry.entity_id == shipment.id)
                                  .order_by(AuditEntry.id)).all()
        assert [e.action for e in entries] == ["shipment.created", "shipment.label_bought"]
        assert entries[1].user_id == packer.user_id and entries[1].details["tracking"] == [label.tracking_number]


def test_several_packages_are_parcels_of_one_carrier_shipment(seeded_database: Database, ups: UPSStub,
                                                             printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    db = seeded_database
    add_karrio_account(db, "ups", ups)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 2)], one_box_per_unit=True)
    quote = app.orders.quote(number)
    assert quote.parcels == 2 and quote.service == "ups-karrio/ground"
    outcome = app.shipping.ship(packer, session_id, Weighing(0))
    assert outcome.printed, outcome.problem
    assert ups.labels_made == 1 and len(ups.shipments) == 1  # one carrier shipment
    [(carrier_id, numbers)] = ups.shipments.items()
    assert len(ups.bodies("ship")[0]["ShipmentRequest"]["Shipment"]["Package"]) == 2
    packages = packages_of(db, shipment_of(db, number).id)
    assert [p.tracking_number for p in packages] == numbers and {p.external_id for p in packages} == {carrier_id}
    assert outcome.tracking_numbers == tuple(numbers)
    assert printer.wait_for_jobs(2, timeout=5)
    assert [decoded(job, tmp_path) for job in printer.jobs] == [[n] for n in numbers]


def test_a_timeout_after_the_label_was_made_never_buys_a_second(seeded_database: Database, ups: UPSStub,
                                                               printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_karrio_account(db, "ups", ups, timeout_s=1)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    ups.delay("ship", 2.5)  # UPS makes the label; its answer comes after the 1 s timeout
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert not outcome.printed and outcome.problem is not None
    assert "not bought again" in outcome.problem and "carrier's website" in outcome.problem
    pending = shipment_of(db, number)
    assert (pending.status, pending.tracking_number) == ("label-pending", None)
    assert pending.label_requested_at is not None and pending.label_unanswered_at is not None
    assert notes_of(db, pending.id)[-1].startswith("A label may exist at the carrier")
    for _ in range(2):  # Reprint, twice: the carrier is never asked for a second label
        again = app.shipping.reprint(packer)
        assert again is not None and not again.printed and again.problem is not None
        assert pending.idempotency_key in again.problem and "confirm-no-label" in again.problem
    assert (ups.labels_made, ups.count("ship")) == (1, 1) and printer.jobs == []


def test_a_5xx_leaves_the_shipment_label_pending_in_words(seeded_database: Database, ups: UPSStub,
                                                          printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_karrio_account(db, "ups", ups)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    ups.fail("ship", 503)
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert not outcome.printed and outcome.problem and "label is not printed" in outcome.problem
    assert "Traceback" not in outcome.problem
    assert shipment_of(db, number).status == "label-pending"
    assert app.shipping.reprint(packer) is not None
    assert (ups.labels_made, ups.count("ship")) == (0, 1) and printer.jobs == []


def test_a_malformed_answer_is_not_taken_for_no_label(seeded_database: Database, ups: UPSStub,
                                                      printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_karrio_account(db, "ups", ups)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    ups.malform("ship")
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert not outcome.printed and outcome.problem and "not bought again" in outcome.problem
    app.shipping.reprint(packer)
    assert (ups.labels_made, ups.count("ship")) == (1, 1)
    assert shipment_of(db, number).tracking_number is None


def test_a_refusal_is_told_in_the_carriers_words_and_reprint_buys_once(
        seeded_database: Database, ups: UPSStub, printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    db = seeded_database
    add_karrio_account(db, "ups", ups)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    ups.fail("ship", 400, {"response": {"errors": [{"code": "120802", "message": "Ship To address is invalid."}]}})
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    assert not outcome.printed and outcome.problem and "Ship To address is invalid." in outcome.problem
    assert "Reprint" in outcome.problem and ups.labels_made == 0
    assert shipment_of(db, number).label_requested_at is None  # the claim is given back
    again = app.shipping.reprint(packer)
    assert again is not None and again.printed, again
    third = app.shipping.reprint(packer)
    assert third is not None and third.printed
    assert ups.labels_made == 1 and printer.wait_for_jobs(2, timeout=5) and printer.jobs[0] == printer.jobs[1]
    assert decoded(printer.jobs[0], tmp_path) == [shipment_of(db, number).tracking_number]


def test_void_cancels_the_label_with_the_carrier(seeded_database: Database, ups: UPSStub,
                                                 printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_karrio_account(db, "ups", ups)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    tracking = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id))).tracking_numbers[0]
    with pytest.raises(NotAllowed):
        app.shipping.void(packer, tracking, "customer cancelled")
    assert ups.count("void") == 0
    voided = app.shipping.void(sign_in(app, "manager"), tracking, "customer cancelled")
    assert "is void" in voided.message and "cancelled with the carrier" in voided.message
    assert ups.labels[tracking].voided and ups.count("void") == 1
    assert shipment_of(db, number).status == "voided"


def test_void_stands_when_the_carrier_refuses_to_cancel(seeded_database: Database, ups: UPSStub,
                                                        printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_karrio_account(db, "ups", ups)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    ups.fail("void", 400, {"response": {"errors": [{"code": "190117", "message": "Shipment already voided."}]}})
    message = app.shipping.void(sign_in(app, "manager"), number, "wrong address").message
    assert "is void" in message and "Shipment already voided." in message and "carrier's website" in message
    assert shipment_of(db, number).status == "voided"


def test_a_manifest_of_a_carrier_without_a_manifest_call_calls_nothing(
        seeded_database: Database, ups: UPSStub, printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_karrio_account(db, "ups", ups)
    app = app_at(db, printer)
    packer = sign_in(app)
    _number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    before = len(ups.requests)
    closed = app.manifests.close(sign_in(app, "manager"), "ups-karrio").info
    assert closed.package_count == 1 and not closed.scan_form_expected and closed.scan_form_problem is None
    assert closed.scan_form_note is None and len(ups.requests) == before


def test_an_order_of_the_karrio_service_with_two_boxes_keeps_it(seeded_database: Database, ups: UPSStub) -> None:
    db = seeded_database
    service = add_karrio_account(db, "ups", ups, price_minor=None)
    app = app_at(db)
    number = make_order(db, [("MUG-CER-350", 2)])
    assert app.orders.change_service(sign_in(app, "manager"), number, service).service == service


def test_a_manager_confirming_no_label_lets_reprint_buy_it_once(seeded_database: Database, ups: UPSStub,
                                                                printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    db = seeded_database
    add_karrio_account(db, "ups", ups)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    ups.fail("ship", 503)  # answered 503 without making a label: nobody here can know that
    assert not app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id))).printed
    with pytest.raises(NotAllowed):
        app.shipping.confirm_no_label(packer, number)
    manager = sign_in(app, "manager")
    said = app.shipping.confirm_no_label(manager, number)
    assert number in said and "Reprint" in said
    with pytest.raises(ShipmentRefused, match="no label request that went unanswered"):
        app.shipping.confirm_no_label(manager, number)  # once
    again = app.shipping.reprint(packer)
    assert again is not None and again.printed, again
    assert ups.labels_made == 1 and printer.wait_for_jobs(1, timeout=5)
    assert decoded(printer.jobs[0], tmp_path) == [shipment_of(db, number).tracking_number]
    with db.unit_of_work() as session:
        confirmed = session.scalars(select(AuditEntry).where(AuditEntry.action == "shipment.no_label_confirmed")).one()
        assert confirmed.user_id == manager.user_id


def test_usps_ships_two_packages_prints_both_and_voids_them(seeded_database: Database, usps: USPSStub,
                                                           printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    db = seeded_database
    add_karrio_account(db, "usps", usps)
    app = app_at(db, printer)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 2)], one_box_per_unit=True)
    assert app.orders.quote(number).service == "usps-karrio/ground-advantage"
    outcome = app.shipping.ship(packer, session_id, Weighing(0))
    assert outcome.printed, outcome.problem
    assert usps.labels_made == 2 and set(outcome.tracking_numbers) == set(usps.labels)
    assert {label.mail_class for label in usps.labels.values()} == {"USPS_GROUND_ADVANTAGE"}
    assert printer.wait_for_jobs(2, timeout=5)
    assert [decoded(job, tmp_path) for job in printer.jobs] == [[n] for n in outcome.tracking_numbers]
    shipment = shipment_of(db, number)
    assert shipment.cost_minor == sum(p.label_cost_minor or 0 for p in packages_of(db, shipment.id)) > 2
    voided = app.shipping.void(sign_in(app, "manager"), number, "customer cancelled")
    assert "cancelled with the carrier" in voided.message
    assert all(label.voided for label in usps.labels.values())


def test_usps_manifest_records_its_scan_form(seeded_database: Database, usps: USPSStub,
                                             printer: ZplPrinterSimulator) -> None:
    db = seeded_database
    add_karrio_account(db, "usps", usps)
    app = app_at(db, printer)
    packer = sign_in(app)
    shipped = []
    for _ in range(2):
        _number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
        shipped += app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id))).tracking_numbers
    manager = sign_in(app, "manager")
    closed = app.manifests.close(manager, "usps-karrio").info
    assert closed.scan_form_problem is None, closed.scan_form_problem
    assert usps.scan_forms == {closed.scan_form_id: shipped}
    assert closed.scan_form_note == f"Carrier manifest: {closed.scan_form_id}"
    assert document_bytes(closed.scan_form_url) is not None
    assert (document_bytes(closed.scan_form_url) or b"").startswith(b"%PDF")
    again = app.manifests.attach_scan_form(manager, closed.id)  # recorded once: nothing is called again
    assert again.scan_form_id == closed.scan_form_id and usps.count("scan_form") == 1


def test_confirm_no_label_from_the_command_line(seeded_database: Database, ups: UPSStub) -> None:
    db = seeded_database
    add_karrio_account(db, "ups", ups)
    app = app_at(db)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    ups.fail("ship", 503)
    assert not app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id))).printed
    args = ["shipments", "confirm-no-label", number, "--db", plain(db.engine.url)]
    assert cli(*args).returncode == 2  # nobody signed in: nothing changed
    refused = cli(*args, "--user", "packer", env={"FULFIL_PIN": "1111"})
    assert refused.returncode == 1 and refused.stderr.startswith("error: ")
    done = cli(*args, "--manager", "manager", env={"FULFIL_PIN": "2222"})
    assert done.returncode == 0, done.stderr
    assert f"Confirmed: the carrier has no label for {number}" in done.stdout
    again = cli(*args, "--manager", "manager", env={"FULFIL_PIN": "2222"})
    assert again.returncode == 1 and "no label request that went unanswered" in again.stderr
    assert shipment_of(db, number).label_requested_at is None and ups.labels_made == 0


def test_two_stations_reprinting_at_once_buy_one_label(seeded_database: Database, ups: UPSStub) -> None:
    """The purchase is claimed in the database: of two stations asking at once, one calls UPS."""
    db = seeded_database
    add_karrio_account(db, "ups", ups, timeout_s=5)
    app = app_at(db)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    ups.fail("ship", 400, {"response": {"errors": [{"code": "120802", "message": "Ship To address is invalid."}]}})
    assert not app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id))).printed
    ups.delay("ship", 1.0)  # the winner's call takes a second: the other station asks meanwhile
    stations = [app_for(db, station=name) for name in ("PACK-K1", "PACK-K2")]
    actors = [sign_in(station, "packer2" if i else "packer") for i, station in enumerate(stations)]
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda pair: pair[0].shipping.reprint(pair[1], number),
                                 zip(stations, actors, strict=True)))
    assert ups.labels_made == 1 and ups.count("ship") == 2  # the refused one, then exactly one more
    problems = [o.problem for o in outcomes if o is not None and o.problem and "Another station" in o.problem]
    tracking = shipment_of(db, number).tracking_number
    assert tracking is not None and len(problems) <= 1
    assert app.shipping.reprint(packer, number) is not None and ups.labels_made == 1


def test_a_claim_left_by_a_station_that_stopped_is_not_bought_again(seeded_database: Database, ups: UPSStub) -> None:
    db = seeded_database
    add_karrio_account(db, "ups", ups)
    app = app_at(db)
    packer = sign_in(app)
    number, session_id = pack(app, packer, [("MUG-CER-350", 1)])
    ups.fail("ship", 400, {"response": {"errors": [{"code": "120802", "message": "Ship To address is invalid."}]}})
    app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    shipment_id = shipment_of(db, number).id
    for age, words in ((dt.timedelta(seconds=5), "Another station"), (dt.timedelta(minutes=5), "not bought again")):
        with db.unit_of_work() as session:  # a station claimed the purchase, then went quiet
            session.execute(update(Shipment).where(Shipment.id == shipment_id)
                            .values(label_requested_at=utcnow() - age, label_unanswered_at=None))
        outcome = app.shipping.reprint(packer, number)
        assert outcome is not None and outcome.problem and words in outcome.problem, outcome
    assert ups.labels_made == 0 and ups.count("ship") == 1
    app.shipping.confirm_no_label(sign_in(app, "manager"), number)  # an old claim: the manager may release it
    assert app.shipping.reprint(packer, number) is not None and ups.labels_made == 1
