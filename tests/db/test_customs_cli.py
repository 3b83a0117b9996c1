"""Customs and insurance from the command line (real processes, SQLite and PostgreSQL): an
owner sets the customs terms (only the options given change; a bad code is refused and nothing
is stored; a manager is refused), ``site show`` says them; an owner sets a service's
insurance and the next shipment records its cost; ``shipments customs`` prints a shipment's
customs documents again on the document printer given."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update

from fulfilstation.db.database import Database
from fulfilstation.db.models import Carrier, CarrierService, Order, OrderLine, Product, Shipment
from fulfilstation.services.packing import Weighing
from fulfilstation.services.site import CustomsTerms
from tests.db.test_cli import cli, plain
from tests.support.app import app_for, sign_in
from tests.support.warehouse import expected_weight, make_order, unit_barcode

OWNER = ("--user", "owner", "--pin", "3333")
MANAGER = ("--user", "manager", "--pin", "2222")


def test_an_owner_sets_the_customs_terms_option_by_option(seeded_database: Database) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    done = cli("site", "set-customs", "--db", url, "--incoterm", "ddp", "--signer", "Olive Owner",
               "--cn22-limit", "350.00", "--currency", "eur", *OWNER)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Customs saved: merchandise, DDP, signed by Olive Owner; CN22 up to €350.00, CN23 above.\n"
    again = cli("site", "set-customs", "--db", url, "--contents", "gift", *OWNER)
    assert again.returncode == 0 and "gift, DDP, signed by Olive Owner" in again.stdout, again.stderr
    assert app_for(db).site.customs() == CustomsTerms("gift", "DDP", "Olive Owner", 35_000, "EUR")
    refused = cli("site", "set-customs", "--db", url, "--currency", "XX1", *OWNER)
    assert refused.returncode == 1 and "ISO 4217" in refused.stderr
    manager = cli("site", "set-customs", "--db", url, "--incoterm", "DAP", *MANAGER)
    assert manager.returncode == 1 and manager.stdout == ""
    assert app_for(db).site.customs().incoterm == "DDP"
    shown = cli("site", "show", "--db", url)
    assert "Customs:    gift, DDP, signed by Olive Owner; CN22 up to €350.00, CN23 above." in shown.stdout


def test_insurance_of_a_service_and_the_customs_documents_again(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    url = plain(db.engine.url)
    with db.unit_of_work() as session:
        services = [f"{c}/{s}" for c, s in session.execute(select(Carrier.code, CarrierService.code).join(
            CarrierService, CarrierService.carrier_id == Carrier.id))]
    for service in services:
        result = cli("carriers", "set-insurance", service, "--db", url, "--percent", "1.5", "--fee", "2.00", *OWNER)
        assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("insured at its declared value for 1.5 % of it plus $2.00.\n")
    bad = cli("carriers", "set-insurance", services[0], "--db", url, "--percent", "1.234", *OWNER)
    assert bad.returncode == 2 and "two decimals at most" in bad.stderr
    app = app_for(db, documents_dir=tmp_path / "docs")
    packer = sign_in(app)
    number = make_order(db, [("MUG-CER-350", 2)])
    with db.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == number).values(
            ship_to_name="Marie Dubois", ship_to_line1="1200 Rue Sainte-Catherine O", ship_to_city="Montréal",
            ship_to_region="QC", ship_to_postal_code="H3B 1K9", ship_to_country="CA"))
        price = session.scalars(select(Product.unit_price_minor).where(Product.sku == "MUG-CER-350")).one()
        session.execute(update(OrderLine).where(OrderLine.order_id == select(Order.id).where(
            Order.number == number).scalar_subquery()).values(unit_price_minor=price))
    view = app.packing.start(packer, number)
    for _unit in range(2):
        app.packing.scan(packer, view.session_id, unit_barcode(db, "MUG-CER-350"))
    outcome = app.shipping.ship(packer, view.session_id, Weighing(expected_weight(db, view.session_id)))
    with db.unit_of_work() as session:
        shipment = session.get_one(Shipment, outcome.shipment_id)
        cost = -(-2 * price * 150 // 10_000) + 200  # 1.5 % rounded up, plus $2.00
        assert (shipment.insured_value_minor, shipment.insurance_cost_minor) == (2 * price, cost)
    out = tmp_path / "printed"
    again = cli("shipments", "customs", number, "--db", url, "--document-printer", f"pdf://{out}",
                "--user", "packer", "--pin", "1111")
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"Customs documents printed: CN22 {number}, commercial invoice {number}.\n"
    assert len(list(out.glob("*.pdf"))) == 2
