"""Packing slips and command sheets from the database (SQLite and PostgreSQL), printed after
the shipment commit through a real ``sim:`` document printer — by the ship use case, which
prints the slip, or saves it as a PDF when the station has no document printer — and read
back with poppler and zxing-cpp."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select, update

from drivers.printer import open_document_printer
from drivers.sim.printer import SimDocumentPrinter
from fulfilstation.db.database import Database
from fulfilstation.db.models import BoxType, Carrier, CarrierService, Order, Shipment, SiteSetting
from fulfilstation.documents.fonts import document_fonts
from fulfilstation.domain.commands import StationCommand
from fulfilstation.ports import DeviceFault, DocumentPrinter
from fulfilstation.services.packing import Weighing
from fulfilstation.services.shipping import PrintOutcome
from fulfilstation.services.shipping.slip import ShipmentNotFound, deliver_packing_slip, packing_slip_for
from tests.support.app import STATION, app_for, sign_in
from tests.support.pdf import pdf_barcodes, pdf_pages_to_png, pdf_text
from tests.support.warehouse import expected_weight, make_order, stock_lot, unit_barcode

FAR_EXPIRY = "17401231"  # GS1 (17) YYMMDD: 2040-12-31


def ship_order(db: Database, lines: list[tuple[str, int]], *, scans: dict[str, list[str]] | None = None,
               split_after: int | None = None, document: DocumentPrinter | None = None,
               documents_dir: Path | None = None, **order: object) -> tuple[PrintOutcome, str]:
    """Make, pack and ship an order through the use cases, at a station whose document printer
    is ``document`` (None: the slip is saved in ``documents_dir``); ``scans`` gives the raw
    scans of a SKU (serials, lots), ``split_after`` closes a package after that many items,
    ``order`` sets Order columns. Returns the ship's outcome and the order number."""
    app = app_for(db, document=document, documents_dir=documents_dir)
    packer = sign_in(app)
    number = make_order(db, lines)
    if order:
        with db.unit_of_work() as session:
            session.execute(update(Order).where(Order.number == number).values(**order))
    session_id = app.packing.start(packer, number).session_id
    done = 0
    for sku, quantity in lines:
        for raw in (scans or {}).get(sku) or [unit_barcode(db, sku)] * quantity:
            assert app.packing.scan(packer, session_id, raw).accepted, raw
            done += 1
            if done == split_after:
                app.packing.close_package(packer, session_id, Weighing(expected_weight(db, session_id)))
    return app.shipping.ship(packer, session_id, Weighing(expected_weight(db, session_id))), number


def shipped(db: Database, lines: list[tuple[str, int]], **kwargs: object) -> tuple[int, str]:
    """``ship_order``'s shipment id and order number."""
    outcome, number = ship_order(db, lines, **kwargs)  # type: ignore[arg-type]
    return outcome.shipment_id, number


class BrokenPrinter:
    uri = "cups://Office"

    def print_pdf(self, pdf: bytes, job_name: str = "document") -> None:
        raise DeviceFault("cups: printer 'Office' stopped",
                          user_message="The office printer is out of paper: load paper, then print the slip again.")


def test_slip_holds_order_lines_and_tracking_of_the_shipment(seeded_database: Database) -> None:
    db = seeded_database
    shipment_id, number = shipped(db, [("MUG-CER-350", 2), ("NB-A5-DOT", 1)])
    slip = packing_slip_for(db, shipment_id)
    with db.unit_of_work() as session:
        shipment = session.get_one(Shipment, shipment_id)
        order = session.get_one(Order, shipment.order_id)
        service = session.get_one(CarrierService, shipment.service_id)
        carrier = session.get_one(Carrier, service.carrier_id)
    assert slip.order_number == number and slip.ship_by == order.ship_by and slip.ship_by is not None
    assert slip.service == f"{carrier.name} — {service.name}"
    assert slip.ship_from[0] == "Demo Goods Warehouse" and slip.ship_to[0] == "Test Person"
    assert slip.tracking_numbers == (shipment.tracking_number,)
    assert [(x.sku, x.ordered, x.shipped, x.lots, x.serials) for x in slip.lines] == [
        ("MUG-CER-350", 2, 2, (), ()), ("NB-A5-DOT", 1, 1, (), ())]
    assert slip.lines[0].name == "Ceramic Mug 350 ml, Slate" and slip.gift_message is None


def test_lots_serials_and_packages_are_on_the_slip(seeded_database: Database) -> None:
    db = seeded_database
    tea, speaker = unit_barcode(db, "TEA-EARL-100"), unit_barcode(db, "SPK-BT-MINI")
    stock_lot(db, "TEA-EARL-100", "LOT-A", 5)
    stock_lot(db, "TEA-EARL-100", "LOT-B", 5)
    scans = {"TEA-EARL-100": [f"]C101{tea}{FAR_EXPIRY}10LOT-A", f"]C101{tea}{FAR_EXPIRY}10LOT-B",
                              f"]C101{tea}{FAR_EXPIRY}10LOT-A"],
             "SPK-BT-MINI": [f"]C101{speaker}21SN-P1", f"]C101{speaker}21SN-P2"]}
    shipment_id, _number = shipped(db, [("TEA-EARL-100", 3), ("SPK-BT-MINI", 2)], scans=scans, split_after=3)
    slip = packing_slip_for(db, shipment_id)
    assert [(x.sku, x.shipped, x.lots, x.serials) for x in slip.lines] == [
        ("TEA-EARL-100", 3, ("LOT-A", "LOT-B"), ()), ("SPK-BT-MINI", 2, (), ("SN-P1", "SN-P2"))]
    assert len(slip.tracking_numbers) == 2 and len(set(slip.tracking_numbers)) == 2


def test_print_stores_the_pdf_and_its_barcode_decodes(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    printer = SimDocumentPrinter(out_dir=tmp_path / "printed")
    outcome, number = ship_order(db, [("MUG-CER-350", 1)], document=printer, gift_message="Happy birthday, Zoë!",
                                 ship_to_name="Zoë Łukasiewicz")
    assert (outcome.slip_problem, outcome.slip_saved_to) == (None, None)  # printed by the ship use case
    [(job_name, pdf)] = printer.documents
    assert job_name == f"packing slip {number}"
    assert [p.read_bytes() for p in (tmp_path / "printed").glob("*.pdf")] == [pdf]
    assert [[(d.format, d.text, d.symbology) for d in page] for page in pdf_barcodes(pdf, tmp_path)] == [
        [("Code128", number, "]C0")]]
    text = pdf_text(pdf, tmp_path)
    assert "GIFT MESSAGE" in text and "Happy birthday, Zoë!" in text and "Ship to: Zoë Łukasiewicz" in text
    assert not re.search(r"\$|price|14\.90", text, re.IGNORECASE)  # the mug costs $14.90: never on a slip
    assert Image.open(pdf_pages_to_png(pdf, tmp_path)[0]).size == (1700, 2200)  # Letter unless the site says


def test_japanese_name_prints(seeded_database: Database, tmp_path: Path) -> None:
    if not document_fonts().fallbacks:
        pytest.skip("no TrueType font for Japanese on this PC (install fonts-droid-fallback)")
    db = seeded_database
    printer = SimDocumentPrinter()
    outcome, _number = ship_order(db, [("NB-A5-DOT", 1)], document=printer, ship_to_name="佐藤 花子",
                                  ship_to_city="渋谷区")
    assert outcome.slip_problem is None
    text = pdf_text(printer.documents[0][1], tmp_path)
    assert "Ship to: 佐藤 花子" in text and "渋谷区" in text


def test_site_paper_size_a4(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    with db.unit_of_work() as session:
        session.add(SiteSetting(key="paper_size", value="A4"))
    printer = SimDocumentPrinter()
    outcome, _number = ship_order(db, [("NB-A5-DOT", 1)], document=printer)
    assert outcome.slip_problem is None
    assert Image.open(pdf_pages_to_png(printer.documents[0][1], tmp_path)[0]).size == (1654, 2339)


def test_printer_failure_is_returned_in_words_and_changes_nothing(seeded_database: Database,
                                                                 tmp_path: Path) -> None:
    db = seeded_database
    outcome, number = ship_order(db, [("MUG-CER-350", 1)], document=BrokenPrinter())
    problem = outcome.slip_problem
    assert problem is not None and number in problem and outcome.slip_saved_to is None
    assert "The office printer is out of paper: load paper, then print the slip again." in problem
    with db.unit_of_work() as session:
        assert session.get_one(Shipment, outcome.shipment_id).status == "label-pending"
    # Simply print it again (there is no use case for a slip alone: the delivery step itself).
    again = deliver_packing_slip(db, SimDocumentPrinter(), outcome.shipment_id, tmp_path / "unused")
    assert (again.printed, again.problem, again.saved_to) == (True, None, None)
    assert not (tmp_path / "unused").exists()


def test_without_a_document_printer_the_slip_is_saved_as_a_pdf(seeded_database: Database, tmp_path: Path) -> None:
    """Changed on purpose: without a document printer the ship use case saves the slip as a
    PDF (it used to be reported as not printed: "choose one in Station settings"), in the
    station's own folder of the person's documents."""
    db = seeded_database
    outcome, number = ship_order(db, [("MUG-CER-350", 1)], documents_dir=tmp_path / "documents")
    assert outcome.slip_problem is None and outcome.slip_saved_to is not None
    saved = Path(outcome.slip_saved_to)
    assert saved.parent == tmp_path / "documents" / STATION and saved.name == f"packing-slip-{number}.pdf"
    assert [[d.text for d in page] for page in pdf_barcodes(saved.read_bytes(), tmp_path)] == [[number]]


def test_a_slip_that_cannot_be_saved_is_said_in_words(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the documents folder should be")
    outcome, number = ship_order(db, [("MUG-CER-350", 1)], documents_dir=blocked)
    assert outcome.slip_saved_to is None and outcome.slip_problem is not None
    assert f"packing slip of order {number} could not be saved" in outcome.slip_problem
    assert "Choose a document printer in Device settings" in outcome.slip_problem
    with db.unit_of_work() as session:  # the shipment stands
        assert session.get_one(Shipment, outcome.shipment_id).status == "label-pending"


def test_unknown_or_void_shipment(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    shipment_id, number = shipped(db, [("MUG-CER-350", 1)])
    unknown = deliver_packing_slip(db, SimDocumentPrinter(), 999999, tmp_path)
    assert not unknown.printed and "no shipment 999999" in (unknown.problem or "")
    with pytest.raises(ShipmentNotFound):
        packing_slip_for(db, 999999)
    app = app_for(db)
    app.shipping.void(sign_in(app, "manager"), number, "customer cancelled")
    printer = SimDocumentPrinter()
    void = deliver_packing_slip(db, printer, shipment_id, tmp_path)
    assert not void.printed and f"order {number} is void" in (void.problem or "")
    assert printer.documents == [] and list(tmp_path.glob("*.pdf")) == []


def test_command_sheet_has_every_command_and_each_active_box(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    with db.unit_of_work() as session:
        session.execute(update(BoxType).where(BoxType.code == "BOX-XL").values(active=False))
        active = list(session.scalars(select(BoxType.code).where(BoxType.active.is_(True))))
    pdf = app_for(db).packing.command_sheet("PACK-01")
    pages = pdf_barcodes(pdf, tmp_path)
    assert len(pages) == 1
    assert sorted(d.text for d in pages[0]) == sorted([c.value for c in StationCommand] + active)
    assert "BOX-XL" not in [d.text for d in pages[0]] and len(active) >= 5
    text = pdf_text(pdf, tmp_path)
    assert "Station PACK-01" in text and "Poly mailer S" in text
    assert text.index("Poly mailer S") < text.index("Box L 40x30x20")  # smallest box first


def test_a_pdf_document_printer_says_where_it_filed_the_slip(seeded_database: Database, tmp_path: Path) -> None:
    """The demo's ``pdf://`` document printer files each slip: the outcome names the file."""
    folder = tmp_path / "slips"
    printer = open_document_printer("pdf:///" + folder.as_posix().lstrip("/"))
    outcome, number = ship_order(seeded_database, [("MUG-CER-350", 1)], document=printer)
    assert (outcome.slip_problem, outcome.slip_saved_to) == (None, None)
    [filed] = folder.glob("*.pdf")
    assert outcome.slip_filed_to == str(filed) and filed.read_bytes().startswith(b"%PDF")
    assert number in filed.name or filed.stat().st_size > 0
