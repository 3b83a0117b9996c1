"""Packing slips and command sheets from the database (SQLite and PostgreSQL), printed after
the shipment commit through a real ``sim:`` document printer and read back with poppler and
zxing-cpp."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select, update

from drivers.sim.printer import SimDocumentPrinter
from fulfilstation.db.database import Database
from fulfilstation.db.models import BoxType, Carrier, CarrierService, Order, Shipment, SiteSetting
from fulfilstation.documents.fonts import document_fonts
from fulfilstation.domain.commands import StationCommand
from fulfilstation.ports import DeviceFault
from fulfilstation.services.packing import Weighing, close_package, scan_item, ship, start_pack, void_shipment
from fulfilstation.services.packing.command_sheet import command_sheet_pdf
from fulfilstation.services.shipping.slip import ShipmentNotFound, packing_slip_for, print_packing_slip
from tests.db.test_packing import expected_weight
from tests.support.pdf import pdf_barcodes, pdf_pages_to_png, pdf_text
from tests.support.warehouse import make_order, station_id, unit_barcode, user_id

FAR_EXPIRY = "17401231"  # GS1 (17) YYMMDD: 2040-12-31


def ship_order(db: Database, lines: list[tuple[str, int]], *, scans: dict[str, list[str]] | None = None,
               split_after: int | None = None, **order: object) -> tuple[int, str]:
    """Make, pack and ship an order; ``scans`` gives the raw scans of a SKU (serials, lots),
    ``split_after`` closes a package after that many items, ``order`` sets Order columns."""
    number = make_order(db, lines)
    if order:
        with db.unit_of_work() as session:
            session.execute(update(Order).where(Order.number == number).values(**order))
    session_id = start_pack(db, number, station_id(db), user_id(db)).session_id
    done = 0
    for sku, quantity in lines:
        for raw in (scans or {}).get(sku) or [unit_barcode(db, sku)] * quantity:
            assert scan_item(db, session_id, raw).accepted, raw
            done += 1
            if done == split_after:
                close_package(db, session_id, Weighing(expected_weight(db, session_id)))
    shipment_id, _labels = ship(db, session_id, Weighing(expected_weight(db, session_id)))
    return shipment_id, number


class BrokenPrinter:
    uri = "cups://Office"

    def print_pdf(self, pdf: bytes, job_name: str = "document") -> None:
        raise DeviceFault("cups: printer 'Office' stopped",
                          user_message="The office printer is out of paper: load paper, then print the slip again.")


def test_slip_holds_order_lines_and_tracking_of_the_shipment(seeded_database: Database) -> None:
    db = seeded_database
    shipment_id, number = ship_order(db, [("MUG-CER-350", 2), ("NB-A5-DOT", 1)])
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
    scans = {"TEA-EARL-100": [f"]C101{tea}{FAR_EXPIRY}10LOT-A", f"]C101{tea}{FAR_EXPIRY}10LOT-B",
                              f"]C101{tea}{FAR_EXPIRY}10LOT-A"],
             "SPK-BT-MINI": [f"]C101{speaker}21SN-P1", f"]C101{speaker}21SN-P2"]}
    shipment_id, _number = ship_order(db, [("TEA-EARL-100", 3), ("SPK-BT-MINI", 2)], scans=scans, split_after=3)
    slip = packing_slip_for(db, shipment_id)
    assert [(x.sku, x.shipped, x.lots, x.serials) for x in slip.lines] == [
        ("TEA-EARL-100", 3, ("LOT-A", "LOT-B"), ()), ("SPK-BT-MINI", 2, (), ("SN-P1", "SN-P2"))]
    assert len(slip.tracking_numbers) == 2 and len(set(slip.tracking_numbers)) == 2


def test_print_stores_the_pdf_and_its_barcode_decodes(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    shipment_id, number = ship_order(db, [("MUG-CER-350", 1)], gift_message="Happy birthday, Zoë!",
                                     ship_to_name="Zoë Łukasiewicz")
    printer = SimDocumentPrinter(out_dir=tmp_path / "printed")
    assert print_packing_slip(db, printer, shipment_id) is None
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
    shipment_id, _number = ship_order(db, [("NB-A5-DOT", 1)], ship_to_name="佐藤 花子", ship_to_city="渋谷区")
    printer = SimDocumentPrinter()
    assert print_packing_slip(db, printer, shipment_id) is None
    text = pdf_text(printer.documents[0][1], tmp_path)
    assert "Ship to: 佐藤 花子" in text and "渋谷区" in text


def test_site_paper_size_a4(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    with db.unit_of_work() as session:
        session.add(SiteSetting(key="paper_size", value="A4"))
    shipment_id, _number = ship_order(db, [("NB-A5-DOT", 1)])
    printer = SimDocumentPrinter()
    assert print_packing_slip(db, printer, shipment_id) is None
    assert Image.open(pdf_pages_to_png(printer.documents[0][1], tmp_path)[0]).size == (1654, 2339)


def test_printer_failure_is_returned_in_words_and_changes_nothing(seeded_database: Database) -> None:
    db = seeded_database
    shipment_id, number = ship_order(db, [("MUG-CER-350", 1)])
    problem = print_packing_slip(db, BrokenPrinter(), shipment_id)
    assert problem is not None and number in problem
    assert "The office printer is out of paper: load paper, then print the slip again." in problem
    with db.unit_of_work() as session:
        assert session.get_one(Shipment, shipment_id).status == "label-pending"
    assert print_packing_slip(db, SimDocumentPrinter(), shipment_id) is None  # simply print it again


def test_no_printer_unknown_or_void_shipment(seeded_database: Database) -> None:
    db = seeded_database
    shipment_id, number = ship_order(db, [("MUG-CER-350", 1)])
    assert "Station settings" in (print_packing_slip(db, None, shipment_id) or "")
    assert "no shipment 999999" in (print_packing_slip(db, SimDocumentPrinter(), 999999) or "")
    with pytest.raises(ShipmentNotFound):
        packing_slip_for(db, 999999)
    void_shipment(db, shipment_id, user_id(db, "manager"))
    printer = SimDocumentPrinter()
    assert f"order {number} is void" in (print_packing_slip(db, printer, shipment_id) or "")
    assert printer.documents == []


def test_command_sheet_has_every_command_and_each_active_box(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    with db.unit_of_work() as session:
        session.execute(update(BoxType).where(BoxType.code == "BOX-XL").values(active=False))
        active = list(session.scalars(select(BoxType.code).where(BoxType.active.is_(True))))
    pdf = command_sheet_pdf(db, "PACK-01")
    pages = pdf_barcodes(pdf, tmp_path)
    assert len(pages) == 1
    assert sorted(d.text for d in pages[0]) == sorted([c.value for c in StationCommand] + active)
    assert "BOX-XL" not in [d.text for d in pages[0]] and len(active) >= 5
    text = pdf_text(pdf, tmp_path)
    assert "Station PACK-01" in text and "Poly mailer S" in text
    assert text.index("Poly mailer S") < text.index("Box L 40x30x20")  # smallest box first
