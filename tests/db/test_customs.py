"""International shipments on a real database (both engines): an order leaving the ship-from
country whose products lack an HS code or origin is held at intake and released by the
re-check once the products are fixed; packing such an order is refused with that message
(and the order held, not claimed); shipping abroad prints the CN22 or CN23 — chosen by the
declared value against the site's limit — and the commercial invoice on the station's
document printer (PDF text holds the HS codes, origins and values; the CN23's item barcode
decodes to the tracking number); the carrier's own customs documents are printed instead when
it sent any; insurance per service is recorded on the shipment; the customs settings are the
owner's, checked and audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update

from drivers.sim.printer import SimDocumentPrinter
from fulfilstation.carriers.gateway import CarrierDocument, LabelFormat
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, CarrierService, Order, OrderLine, Product, Shipment
from fulfilstation.integrations.ports import IncomingLine, IncomingOrder
from fulfilstation.services.app import AppServices
from fulfilstation.services.customs.documents import deliver_customs_documents
from fulfilstation.services.customs.lines import order_customs
from fulfilstation.services.orders.intake.write import write_incoming
from fulfilstation.services.packing import PackRefused, Refusal, Weighing
from fulfilstation.services.products import ProductChanges
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.shipping import PrintOutcome, ShipmentRefused
from fulfilstation.services.site import CustomsTerms, SiteSettingRefused
from tests.support.app import app_for, sign_in
from tests.support.kits import new_product, put_stock, status_of
from tests.support.pdf import pdf_barcodes, pdf_text
from tests.support.warehouse import expected_weight, make_order, unit_barcode

BERLIN = {"ship_to_name": "Jonas Müller", "ship_to_line1": "Friedrichstraße 123", "ship_to_city": "Berlin",
          "ship_to_region": None, "ship_to_postal_code": "10117", "ship_to_country": "DE"}
MISSING = "Customs: SKU NOHS-1 has no HS code or country of origin. Add them to the products, then re-check the order."


def incoming(number: str, lines: tuple[IncomingLine, ...], country: str = "DE") -> IncomingOrder:
    abroad = country != "US"
    return IncomingOrder(
        "shopify", number, number, "Jonas Müller" if abroad else "Ada Lovelace",
        "Friedrichstraße 123" if abroad else "1 Main St", "Berlin" if abroad else "Columbus",
        "10117" if abroad else "43215", country, lines, ship_to_region=None if abroad else "OH",
        financial_status="paid", total_minor=sum(line.quantity * line.unit_price_minor for line in lines),
        bill_to_country=country, ship_to_phone="+49 30 1234567" if abroad else "+1 614-466-3455")


def import_orders(app: AppServices, *orders: IncomingOrder) -> None:
    write_incoming(app.orders.database, sign_in(app, "manager"), orders, today=dt.date.today(), source="test")


def order_row(db: Database, number: str) -> tuple[str, bool, str | None]:
    with db.unit_of_work() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        return order.status, order.hold, order.hold_reason


def abroad(db: Database, number: str) -> None:
    """Send order ``number`` to Berlin, each line at its product's price."""
    with db.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == number).values(**BERLIN))
        order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
        for line in session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)):
            line.unit_price_minor = session.get_one(Product, line.product_id).unit_price_minor


def test_intake_holds_an_order_abroad_naming_what_each_sku_lacks_and_recheck_releases_it(app: AppServices) -> None:
    db = app.orders.database
    new_product(db, "NOHS-1")
    put_stock(db, "NOHS-1", "A-01-1", 10)
    import_orders(app, incoming("C-1", (IncomingLine("NOHS-1", 1, 500), IncomingLine("MUG-CER-350", 1, 1490))),
                  incoming("C-2", (IncomingLine("NOHS-1", 1, 500),), country="US"))
    assert order_row(db, "C-1") == ("pending", True, MISSING)
    assert order_row(db, "C-2")[1:] == (False, None)  # domestic: no customs, not held
    packer = sign_in(app)
    with pytest.raises(PackRefused, match="on hold: Customs: SKU NOHS-1 has no HS code") as refused:
        app.packing.start(packer, "C-1")
    assert refused.value.code is Refusal.ORDER_ON_HOLD
    manager = sign_in(app, "manager")
    app.products.edit(manager, "NOHS-1", ProductChanges(hs_code="6912.00"))
    still = app.orders.recheck(manager, "C-1")
    assert still.hold == "kept" and still.hold_reason == (
        "Customs: SKU NOHS-1 has no country of origin. Add them to the products, then re-check the order.")
    app.products.edit(manager, "NOHS-1", ProductChanges(country_of_origin="pt"))
    done = app.orders.recheck(manager, "C-1")
    assert done.hold == "released" and done.problems == ()
    assert order_row(db, "C-1") == ("ready", False, None)


def test_packing_a_ready_order_abroad_with_a_product_lacking_data_is_refused_and_holds_it(app: AppServices) -> None:
    db = app.orders.database
    new_product(db, "NOHS-1")
    put_stock(db, "NOHS-1", "A-01-1", 10)
    number = make_order(db, [("NOHS-1", 1)])  # ready, as if reserved before the data went missing
    abroad(db, number)
    packer = sign_in(app)
    with pytest.raises(PackRefused) as refused:
        app.packing.start(packer, number)
    assert refused.value.code is Refusal.CUSTOMS_INCOMPLETE and refused.value.message == MISSING
    assert order_row(db, number) == ("ready", True, MISSING)  # held for the owner, not claimed
    with db.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "order.customs_held")).one()
        assert entry.details["reason"] == MISSING
    manager = sign_in(app, "manager")
    app.products.edit(manager, "NOHS-1", ProductChanges(hs_code="6912.00", country_of_origin="PT"))
    assert app.orders.recheck(manager, number).hold == "released"
    assert app.packing.start(packer, number).order_number == number


def ship_abroad(db: Database, tmp_path: Path, lines: list[tuple[str, int]],
                document: SimDocumentPrinter | None) -> tuple[int, str, PrintOutcome]:
    app = app_for(db, document=document, documents_dir=tmp_path / "docs")
    packer = sign_in(app)
    number = make_order(db, lines)
    abroad(db, number)
    with db.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == number).values(shipping_charged_minor=1500))
    session_id = app.packing.start(packer, number).session_id
    for sku, quantity in lines:
        for _unit in range(quantity):
            assert app.packing.scan(packer, session_id, unit_barcode(db, sku)).accepted
    outcome = app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id)))
    return outcome.shipment_id, number, outcome


def test_a_shipment_abroad_prints_the_cn22_and_the_invoice_with_codes_origins_and_values(
        seeded_database: Database, tmp_path: Path) -> None:
    db, printer = seeded_database, SimDocumentPrinter()
    shipment_id, number, outcome = ship_abroad(db, tmp_path, [("MUG-CER-350", 2), ("SOAP-LAV-100", 1)], printer)
    names = [name for name, _pdf in printer.documents]
    assert names == [f"packing slip {number}", f"CN22 {number}", f"commercial invoice {number}"]
    assert outcome.customs_note == f"Customs documents printed: CN22 {number}, commercial invoice {number}."
    cn22 = " ".join(pdf_text(printer.documents[1][1], tmp_path).split())
    assert "CUSTOMS DECLARATION CN 22" in cn22 and "[X] Sale of goods" in cn22
    with db.unit_of_work() as session:
        price = {sku: p for sku, p in session.execute(select(Product.sku, Product.unit_price_minor))}
    mug, tea = price["MUG-CER-350"] * 2, price["SOAP-LAV-100"]
    for text in ("6912.00", "PT", "3401.11", "FR", f"${mug / 100:.2f}", f"${(mug + tea) / 100:.2f}"):
        assert text in cn22, text
    with db.unit_of_work() as session:  # what a carrier gateway's request carries
        order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
        customs = order_customs(session, order_id)
        assert customs is not None and customs.invoice_number == number and customs.incoterm == "DDU"
        assert [(line.sku, line.quantity, line.value_minor, line.hs_code, line.origin_country)
                for line in customs.lines] == [("MUG-CER-350", 2, mug, "6912.00", "PT"),
                                               ("SOAP-LAV-100", 1, tea, "3401.11", "FR")]
    invoice = " ".join(pdf_text(printer.documents[2][1], tmp_path).split())
    for text in ("COMMERCIAL INVOICE", "Incoterm DDU", "6912.00", "3401.11", f"${price['MUG-CER-350'] / 100:.2f}",
                 "$15.00", f"${(mug + tea + 1500) / 100:.2f}", "Jonas Müller"):
        assert text in invoice, text
    # domestic: nothing but the slip
    printer.documents.clear()
    app = app_for(db, document=printer)
    packer = sign_in(app)
    home = make_order(db, [("MUG-CER-350", 1)])
    view = app.packing.start(packer, home)
    app.packing.scan(packer, view.session_id, unit_barcode(db, "MUG-CER-350"))
    home_outcome = app.shipping.ship(packer, view.session_id, Weighing(expected_weight(db, view.session_id)))
    assert [name for name, _pdf in printer.documents] == [f"packing slip {home}"]
    assert home_outcome.customs_note is None
    with db.unit_of_work() as session:
        assert order_customs(session, session.scalars(select(Order.id).where(Order.number == home)).one()) is None
    with pytest.raises(ShipmentRefused, match="stays in the ship-from country"):
        app.shipping.print_customs(packer, home)


def test_above_the_sites_limit_it_is_a_cn23_whose_item_barcode_decodes(seeded_database: Database,
                                                                        tmp_path: Path) -> None:
    db, printer = seeded_database, SimDocumentPrinter()
    app = app_for(db)
    owner = sign_in(app, "owner")
    app.site.set_customs(owner, CustomsTerms(contents_type="gift", incoterm="DDP", signer="Olive Owner",
                                             cn22_limit_minor=1000, cn22_currency="usd"))
    shipment_id, number, _outcome = ship_abroad(db, tmp_path, [("MUG-CER-350", 1)], printer)
    assert [name for name, _pdf in printer.documents][1:] == [f"CN23 {number}", f"commercial invoice {number}"]
    cn23 = " ".join(pdf_text(printer.documents[1][1], tmp_path).split())
    for text in ("CUSTOMS DECLARATION CN 23", "[X] Gift", "Olive Owner", "Incoterm DDP", "6912.00", "PT",
                 "Jonas Müller", "10117 DE"):
        assert text in cn23, text
    with db.unit_of_work() as session:
        tracking = session.scalars(select(Shipment.tracking_number).where(Shipment.id == shipment_id)).one()
    assert tracking and tracking in cn23
    decoded = [code.text for page in pdf_barcodes(printer.documents[1][1], tmp_path) for code in page]
    assert tracking in decoded
    # printed again on demand, and saved when the station has no document printer
    packer = sign_in(app)
    again = app.shipping.print_customs(packer, number)
    assert again.saved and all(path.is_file() for path in again.saved) and again.form == "CN23"


def test_the_carriers_own_customs_documents_are_printed_instead_of_ours(seeded_database: Database,
                                                                         tmp_path: Path) -> None:
    db = seeded_database
    shipment_id, number, _outcome = ship_abroad(db, tmp_path, [("MUG-CER-350", 1)], None)
    printer = SimDocumentPrinter()
    theirs = CarrierDocument("commercial_invoice", b"%PDF-1.4 the carrier's own", LabelFormat.PDF)
    zpl = CarrierDocument("cn22", b"^XA^XZ", LabelFormat.ZPL)
    delivery = deliver_customs_documents(db, printer, shipment_id, tmp_path, carrier_documents=(theirs, zpl))
    assert delivery is not None and delivery.form is None
    assert printer.documents == [(f"commercial_invoice {number}", b"%PDF-1.4 the carrier's own")]


def test_insurance_of_the_service_is_recorded_on_the_shipment(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    with db.unit_of_work() as session:
        session.execute(update(CarrierService).values(insurance_allowed=True, insurance_rate_bp=125,
                                                      insurance_fee_minor=50))
        price = session.scalars(select(Product.unit_price_minor).where(Product.sku == "MUG-CER-350")).one()
    shipment_id, _number, _outcome = ship_abroad(db, tmp_path, [("MUG-CER-350", 3)], SimDocumentPrinter())
    value = price * 3
    with db.unit_of_work() as session:
        shipment = session.get_one(Shipment, shipment_id)
        assert (shipment.insured_value_minor, shipment.insurance_cost_minor) == (
            value, -(-value * 125 // 10_000) + 50)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "shipment.created",
                                                         AuditEntry.entity_id == shipment_id)).one()
        assert entry.details["insured_value"] == value
    with db.unit_of_work() as session:  # a service without insurance insures nothing
        session.execute(update(CarrierService).values(insurance_allowed=False))
    uninsured, _n, _o = ship_abroad(db, tmp_path, [("MUG-CER-350", 1)], SimDocumentPrinter())
    with db.unit_of_work() as session:
        shipment = session.get_one(Shipment, uninsured)
        assert (shipment.insured_value_minor, shipment.insurance_cost_minor) == (None, 0)


def test_customs_settings_are_the_owners_checked_and_audited(app: AppServices) -> None:
    assert app.site.customs() == CustomsTerms()  # merchandise, DDU by default
    manager, owner = sign_in(app, "manager"), sign_in(app, "owner")
    with pytest.raises(NotAllowed):
        app.site.set_customs(manager, CustomsTerms(incoterm="DDP"))
    with pytest.raises(SiteSettingRefused, match="The incoterm is one of DDU, DAP, DDP"):
        app.site.set_customs(owner, CustomsTerms(incoterm="FOB"))
    with pytest.raises(SiteSettingRefused, match="contents type is one of merchandise"):
        app.site.set_customs(owner, CustomsTerms(contents_type="stuff"))
    with pytest.raises(SiteSettingRefused, match="ISO 4217"):
        app.site.set_customs(owner, CustomsTerms(cn22_currency="XYZW"))
    assert app.site.customs() == CustomsTerms()
    stored = app.site.set_customs(owner, CustomsTerms(contents_type="Sample", incoterm="dap", signer="  Olive  ",
                                                      cn22_limit_minor=35_000, cn22_currency="eur"))
    assert stored == CustomsTerms("sample", "DAP", "Olive", 35_000, "EUR") == app.site.customs()
    with app.orders.database.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "site.customs_changed")).one()
        assert entry.details["to"]["incoterm"] == "DAP" and entry.details["from"] is None
    assert status_of(app.orders.database, make_order(app.orders.database, [("MUG-CER-350", 1)])) == "ready"
