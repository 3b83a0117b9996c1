"""``fulfilstation shipments list|weight-overrides|reprint|void`` as scripts and support staff run them: real
processes on both engines, the TCP printer simulator, the local EasyPost stub."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from drivers.sim.printer import ZplPrinterSimulator
from fulfilstation.db.database import Database
from fulfilstation.db.models import Order, Package, Shipment
from fulfilstation.services.app import AppServices
from tests.db.test_cli import cli, plain
from tests.support.app import app_for, sign_in
from tests.support.easypost_account import KEY, KEYRING_NAME, SERVICE, add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.report_history import ready, ship
from tests.support.shipped import ship_order, shipment_status

JSON_KEYS = {"id", "order_number", "tracking_numbers", "carrier", "carrier_name", "service", "service_name",
             "status", "station", "created_at", "created_by", "packages", "weight_g", "on_manifest", "manifest",
             "cost_minor", "currency", "printed_at", "voided_at", "void_reason"}
PACKER = {"FULFIL_PIN": "1111"}
MANAGER = {"FULFIL_PIN": "2222"}
STUB_KEYRING = {"PYTHON_KEYRING_BACKEND": "tests.support.easypost_stub.StubKeyring",
                "FULFIL_STUB_KEYRING": json.dumps({KEYRING_NAME: KEY})}


@pytest.fixture
def printer() -> Iterator[ZplPrinterSimulator]:
    with ZplPrinterSimulator() as simulator:
        yield simulator


@pytest.fixture
def app(seeded_database: Database, tmp_path: Path) -> AppServices:
    """Stations without a label printer: every shipment made here waits as label pending."""
    return app_for(seeded_database, documents_dir=tmp_path)


def stored_label(db: Database, number: str) -> bytes:
    with db.unit_of_work() as session:
        label = session.scalars(select(Package.label_data).join(Shipment, Shipment.id == Package.shipment_id)
                                .join(Order, Order.id == Shipment.order_id).where(Order.number == number)).one()
    return (label or "").encode()


def test_list_json_has_the_documented_keys(app: AppServices, seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    pending, outcome = ship_order(app, sign_in(app, "packer", "PACK-A"), [("MUG-CER-350", 2)], box_per_unit=True)
    other, _ = ship_order(app, sign_in(app, "packer2", "PACK-B"), [("SOAP-LAV-100", 1)])
    listing = cli("shipments", "list", "--json", "--db", url)
    assert listing.returncode == 0, listing.stderr
    rows = json.loads(listing.stdout)
    assert [row["order_number"] for row in rows] == [other, pending] and all(set(row) == JSON_KEYS for row in rows)
    row = rows[1]
    assert (row["status"], row["station"], row["packages"], row["on_manifest"]) == ("label-pending", "PACK-A", 2,
                                                                                     False)
    assert row["tracking_numbers"] == list(outcome.tracking_numbers) and row["created_at"].endswith("+00:00")
    assert isinstance(row["weight_g"], int) and isinstance(row["cost_minor"], int) and row["currency"] == "USD"
    found = json.loads(cli("shipments", "list", "--search", outcome.tracking_numbers[1], "--json", "--db", url).stdout)
    assert [r["order_number"] for r in found] == [pending]
    waiting = json.loads(cli("shipments", "list", "--label-pending", "--json", "--db", url).stdout)
    assert [(r["order_number"], r["station"]) for r in waiting] == [(pending, "PACK-A"), (other, "PACK-B")]
    text = cli("shipments", "list", "--label-pending", "--db", url)
    assert text.returncode == 0 and pending in text.stdout and "label-pending" in text.stdout
    nothing = cli("shipments", "list", "--search", "NO-SUCH", "--db", url)
    assert nothing.returncode == 0 and "No shipment matches." in nothing.stdout
    at_b = cli("shipments", "list", "--label-pending", "--station", "PACK-B", "--db", url)
    assert other in at_b.stdout and pending not in at_b.stdout
    pending_id = waiting[0]["id"]
    assert re.search(rf"^ +{pending_id}  {pending} ", text.stdout, re.MULTILINE)  # the id to reprint it by
    none_at = cli("shipments", "list", "--label-pending", "--station", "PACK-Z", "--db", url)
    assert none_at.stdout.strip() == "No shipment is waiting for its label at PACK-Z."
    both = cli("shipments", "list", "--label-pending", "--status", "printed", "--db", url)
    assert both.returncode == 2 and "cannot go with --status printed" in both.stderr


def test_reprint_prints_at_the_tcp_printer_and_says_why_when_it_cannot(
        app: AppServices, seeded_database: Database, printer: ZplPrinterSimulator) -> None:
    db, url = seeded_database, plain(seeded_database.engine.url)
    number, _ = ship_order(app, sign_in(app, "packer", "PACK-A"), [("MUG-CER-350", 1)])
    args = ["shipments", "reprint", number, "--station", "DESK", "--label-printer", printer.uri, "--db", url]
    unsigned = cli(*args)
    assert unsigned.returncode == 2 and "sign in" in unsigned.stderr
    printer.state = "paper-out"
    jammed = cli(*args, "--user", "packer", env=PACKER)
    assert jammed.returncode == 3 and "NOT printed" in jammed.stdout and "out of labels" in jammed.stdout
    assert printer.jobs == [] and shipment_status(app, number) == "label-pending"
    printer.state = "ok"
    printed = cli(*args, "--user", "packer", env=PACKER)
    assert printed.returncode == 0, printed.stdout + printed.stderr
    assert f"label 1 of 1 for {number} (tracking " in printed.stdout and f"label printed on {printer.uri}" in \
        printed.stdout
    by_id = cli("shipments", "reprint", str(app.shipping.search(number)[0].id), "--station", "DESK", "--label-printer",
                printer.uri, "--user", "packer", "--db", url, env=PACKER)
    assert by_id.returncode == 0 and printer.wait_for_jobs(2, timeout=5)
    assert printer.wait_for_jobs(1, timeout=5) and printer.jobs[0] == stored_label(db, number).strip()
    assert shipment_status(app, number) == "printed"
    unknown = cli("shipments", "reprint", "NOPE-1", "--user", "packer", "--db", url, env=PACKER)
    assert unknown.returncode == 1 and unknown.stderr.startswith("error: There is no live shipment")
    # a voided shipment is refused with the reason
    manager = sign_in(app, "manager", "DESK")
    app.shipping.void(manager, number, "Customer cancelled")
    voided = cli(*args, "--user", "packer", env=PACKER)
    assert voided.returncode == 1 and "was voided on" in voided.stderr and "(Customer cancelled)" in voided.stderr


def test_void_needs_a_manager(app: AppServices, seeded_database: Database) -> None:
    url = plain(seeded_database.engine.url)
    number, outcome = ship_order(app, sign_in(app, "packer", "PACK-A"), [("MUG-CER-350", 1)])
    tracking = outcome.tracking_numbers[0]
    args = ["shipments", "void", tracking, "--reason", "customer cancelled", "--db", url]
    assert cli(*args).returncode == 2
    refused = cli(*args, "--user", "packer", env=PACKER)
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: ") and "only a manager or an owner can void" in refused.stderr
    assert shipment_status(app, number) == "label-pending"
    voided = cli(*args, "--manager", "manager", env=MANAGER)
    assert voided.returncode == 0, voided.stderr
    assert voided.stdout.strip() == (f"Shipment {tracking} is void: its items are back on the shelf, reserved for "
                                     "the order again.")
    assert shipment_status(app, number) == "voided"
    again = cli(*args, "--user", "manager", env=MANAGER)
    assert again.returncode == 1 and "no live shipment" in again.stderr


def test_an_easypost_shipment_is_bought_once_by_reprint_and_refunded_by_void(
        seeded_database: Database, stub: EasyPostStub, printer: ZplPrinterSimulator, tmp_path: Path) -> None:
    db, url = seeded_database, plain(seeded_database.engine.url)
    add_easypost_account(db, stub, price_minor=1)
    app = app_for(db, documents_dir=tmp_path)
    stub.fail("create", 503, "SERVICE.UNAVAILABLE", "Service unavailable")
    number, shipped = ship_order(app, sign_in(app, "packer", "PACK-A"), [("MUG-CER-350", 1)], service=SERVICE)
    assert not shipped.printed and stub.purchases == 0
    waiting = json.loads(cli("shipments", "list", "--label-pending", "--json", "--db", url).stdout)
    assert [(r["order_number"], r["tracking_numbers"]) for r in waiting] == [(number, [])]
    reprint = ["shipments", "reprint", number, "--user", "packer", "--label-printer", printer.uri, "--db", url]
    printed = cli(*reprint, env={**PACKER, **STUB_KEYRING})
    assert printed.returncode == 0, printed.stdout + printed.stderr
    assert printer.wait_for_jobs(1, timeout=5) and stub.purchases == 1
    assert cli(*reprint, env={**PACKER, **STUB_KEYRING}).returncode == 0
    assert printer.wait_for_jobs(2, timeout=5) and stub.purchases == 1  # the same label, not bought again
    voided = cli("shipments", "void", number, "--reason", "wrong address", "--user", "manager", "--db", url,
                 env={**MANAGER, **STUB_KEYRING})
    assert voided.returncode == 0, voided.stderr
    assert "is void" in voided.stdout and "EasyPost refund submitted." in voided.stdout
    assert stub.count("refund") == 1


def test_weight_overrides_lists_the_weights_a_manager_accepted(seeded_database: Database, app: AppServices) -> None:
    url = plain(seeded_database.engine.url)
    accepted, plain_order = ready(app, None), ready(app, None)
    ship(app, accepted, override=sign_in(app, "manager"))  # 5 kg over: "Scale test"
    ship(app, plain_order)
    listed = json.loads(cli("shipments", "weight-overrides", "--json", "--db", url).stdout)
    assert [(o["order_number"], o["package"], o["accepted_by"], o["reason"], o["measured_g"] - o["expected_g"])
            for o in listed] == [(accepted, 1, "Morgan Manager", "Scale test", 5000)]
    text = cli("shipments", "weight-overrides", "--days", "7", "--db", url)
    assert text.returncode == 0 and "Weights accepted out of range in " in text.stdout
    assert re.search(rf"^{accepted}\s+package 1 .* by Morgan Manager .* Scale test$", text.stdout, re.MULTILINE)
    assert plain_order not in text.stdout
    assert cli("shipments", "weight-overrides", "--days", "0", "--db", url).returncode == 2
