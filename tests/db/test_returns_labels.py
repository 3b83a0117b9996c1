"""Return labels and the RMA slip on SQLite and PostgreSQL: a local carrier's label from its
number range (printed only once recorded, its barcode decoding back with zxing-cpp after an
independent ZPL renderer), an API carrier's EasyPost ``is_return`` shipment on the stub, a
carrier without return labels, and the RMA slip's Code 128."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select

from drivers.sim.printer import SimLabelPrinter
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, CarrierAccount, NumberRange, Order, Rma
from fulfilstation.ports import PrinterStatus
from fulfilstation.services.returns import NewRmaLine
from tests.support.app import app_for, sign_in
from tests.support.easypost_account import SERVICE, add_easypost_account
from tests.support.easypost_stub import EasyPostStub
from tests.support.pdf import pdf_barcodes, pdf_text
from tests.support.returns import shipped_order
from tests.support.zpl import decode_barcodes, render_zpl


def decoded(zpl: bytes, tmp_path: Path) -> list[tuple[str, str, str]]:
    return [(d.format, d.text, d.symbology) for png in render_zpl(zpl, tmp_path / "label")
            for d in decode_barcodes(png)]


@dataclass
class CheckingPrinter:
    """A label printer that, when sent a return label, checks the database already holds it."""

    database: Database
    uri: str = "check:"
    seen_in_database: list[bool] = field(default_factory=list)
    jobs: list[bytes] = field(default_factory=list)

    def status(self) -> PrinterStatus:
        return SimLabelPrinter().status()

    def send(self, data: bytes, job_name: str = "label") -> None:
        with self.database.unit_of_work() as session:
            stored = session.scalars(select(Rma.return_label).where(Rma.return_label.is_not(None))).all()
        self.seen_in_database.append(data.decode() in stored)
        self.jobs.append(data)


def test_a_local_carrier_prints_a_return_label_whose_barcode_decodes(seeded_database: Database,
                                                                     tmp_path: Path) -> None:
    db = seeded_database
    printer = CheckingPrinter(db)
    app = app_for(db, label=printer)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 1)], service="ups/ground")
    printer.jobs.clear()
    printer.seen_in_database.clear()  # the shipping label went out first
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "defective")])
    assert made.tracking_number and made.tracking_number.startswith("1Z") and made.label_printed
    assert made.label_note == f"Return label UPS {made.tracking_number}: printed on check:."
    assert printer.seen_in_database == [True] and len(printer.jobs) == 1
    assert decoded(printer.jobs[0], tmp_path) == [("Code128", made.tracking_number, "]C0")]
    label = printer.jobs[0].decode()
    assert "RETURN" in label and made.number in label
    assert app.returns.find(made.tracking_number).number == made.number  # the label opens the RMA


def test_a_usps_return_label_carries_our_zip_and_its_scan_opens_the_rma(seeded_database: Database,
                                                                        tmp_path: Path) -> None:
    db = seeded_database
    app = app_for(db)  # no label printer here: the label is kept, the words say so
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 1)], service="usps/priority")
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "defective")])
    assert made.tracking_number and not made.label_printed and "no label printer" in made.label_note
    zpl = app.returns.label_zpl(made.number)
    assert zpl is not None
    [(symbology, text, aim)] = decoded(zpl, tmp_path)
    assert (symbology, aim) == ("Code128", "]C1") and text.startswith("420")
    assert text.endswith(made.tracking_number)
    assert app.returns.find(f"]C1{text}").number == made.number


def test_a_carrier_without_return_labels_makes_the_rma_without_one(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db, label=SimLabelPrinter())
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 1)], service="ups/ground")
    with db.unit_of_work() as session:
        account_id = session.scalars(select(CarrierAccount.id).where(CarrierAccount.name == "UPS demo account")).one()
        session.execute(delete(NumberRange).where(NumberRange.carrier_account_id == account_id))
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "defective")])
    assert made.tracking_number is None and not made.label_printed
    assert "offers no return label" in made.label_note
    assert app.returns.find(made.number).status == "open" and app.returns.label_zpl(made.number) is None


def test_an_api_carrier_buys_an_easypost_return_shipment(seeded_database: Database, stub: EasyPostStub,
                                                         tmp_path: Path) -> None:
    db = seeded_database
    add_easypost_account(db, stub, price_minor=500, default=True)
    printer = SimLabelPrinter()
    app = app_for(db, label=printer)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 1)], service=SERVICE)
    assert stub.purchases == 1 and len(printer.jobs) == 1
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "not-as-described")])
    assert stub.purchases == 2 and made.tracking_number and made.label_printed
    created = [body["shipment"] for route, _path, body in stub.requests if route == "create"]
    assert [bool(s.get("is_return")) for s in created] == [False, True]
    returned = next(s for s in stub.shipments.values() if s["is_return"])
    assert returned["to_address"]["zip"] == "43219" and returned["from_address"]["zip"] == "62704"
    assert returned["tracking_code"] == made.tracking_number
    assert len(printer.jobs) == 2
    assert decoded(printer.jobs[-1], tmp_path) == [("Code128", made.tracking_number, "]C0")]
    with db.unit_of_work() as session:
        bought = session.scalars(select(AuditEntry.details).where(AuditEntry.action == "rma.label_bought")).one()
    assert bought["tracking"] == made.tracking_number and bought["rma"] == made.number


def test_easypost_down_still_makes_the_rma_and_says_so(seeded_database: Database, stub: EasyPostStub) -> None:
    db = seeded_database
    add_easypost_account(db, stub, price_minor=500, default=True)
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 1)], service=SERVICE)
    stub.fail("create", 503, "SERVICE.UNAVAILABLE", "Service unavailable")
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 1, "defective")])
    assert made.tracking_number is None and "could not be bought" in made.label_note
    assert app.returns.find(made.number).status == "open"


def test_the_rma_slip_carries_a_decodable_rma_number(seeded_database: Database, tmp_path: Path) -> None:
    app = app_for(seeded_database)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    order = shipped_order(app, packer, [("MUG-CER-350", 2), ("NB-A5-DOT", 1)], service="ups/ground")
    made = app.returns.create(manager, order, [NewRmaLine("MUG-CER-350", 2, "damaged-in-transit"),
                                               NewRmaLine("NB-A5-DOT", 1, "wrong-item")])
    pdf = app.returns.slip_pdf(made.number)
    assert [[(d.format, d.text) for d in page] for page in pdf_barcodes(pdf, tmp_path)] == [
        [("Code128", made.number)]]
    text = " ".join(pdf_text(pdf, tmp_path / "text").split())
    for words in (made.number, order, "Damaged in transit", "Wrong item sent", "MUG-CER-350", "NB-A5-DOT",
                  "SEND THE PARCEL TO", "43219", str(made.tracking_number), "Put this slip in the parcel",
                  f"(UPS {made.tracking_number})"):  # the carrier as people write it
        assert words in text, words


def test_a_long_customer_address_keeps_its_city_and_zip_on_the_return_label(seeded_database: Database) -> None:
    """The label's from block holds four lines: a customer with a company and a second street
    line still shows the city, state and ZIP the carrier needs (they used to be cut)."""
    db = seeded_database
    printer = CheckingPrinter(db)
    app = app_for(db, label=printer)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    number = shipped_order(app, packer, [("MUG-CER-350", 1)], service="ups/ground")
    with db.unit_of_work() as session:
        order = session.scalars(select(Order).where(Order.number == number)).one()
        order.ship_to_company, order.ship_to_line2 = "Northwind Trading Co.", "Suite 1200, Building C"
        city_line = " ".join(p for p in (order.ship_to_city, order.ship_to_region, order.ship_to_postal_code) if p)
    printer.jobs.clear()
    made = app.returns.create(manager, number, [NewRmaLine("MUG-CER-350", 1, "defective")])
    assert made.label_printed and len(printer.jobs) == 1
    label = printer.jobs[0].decode()
    assert city_line in label and "Northwind Trading Co." in label and "Suite 1200, Building C" in label
