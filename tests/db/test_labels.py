"""Bin and product labels through ``app.labels`` on SQLite and PostgreSQL: printed on the
station's label printer or written as ZPL and PDF, and every barcode read back by zxing-cpp
(ZPL rendered by zpl-renderer-js, PDF rasterised by poppler) to exactly what a scanner must
type: bin codes, the product's own EAN-13 / UPC-A, a case GTIN as GS1-128 (01), an internal
code, the SKU, and a lot's GS1-128 with (01), (17) and (10)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from drivers.sim.printer import SimLabelPrinter
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, Product, ProductBarcode
from fulfilstation.demo.catalogue import unit_gtin
from fulfilstation.domain.gs1 import with_check_digit
from fulfilstation.domain.scan_codes import interpret
from fulfilstation.services.labels import LabelsRefused
from tests.support.app import app_for, sign_in
from tests.support.pdf import pdf_barcodes
from tests.support.zpl import Decoded, decode_barcodes, render_zpl

MUG_GTIN = unit_gtin(0)  # MUG-CER-350's unit GTIN (14 digits, indicator 0)
CASE_GTIN = with_check_digit("5061414199999")  # a case GTIN-14 (indicator 5) no demo product has


def add_product(database: Database, sku: str, *codes: tuple[str, int], lot_tracked: bool = False) -> None:
    with database.unit_of_work() as session:
        product = Product(sku=sku, name=f"Test product {sku}", lot_tracked=lot_tracked)
        for code, pack in codes:
            product.barcodes.append(ProductBarcode(code=code, pack_quantity=pack))
        session.add(product)


def zpl_read(zpl: bytes, tmp_path: Path, width_in: float, height_in: float) -> list[list[Decoded]]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    return [decode_barcodes(png) for png in render_zpl(zpl, tmp_path / "zpl", width_in=width_in, height_in=height_in)]


def texts(found: list[list[Decoded]]) -> list[list[tuple[str, str]]]:
    return [[(d.format, d.text) for d in page] for page in found]


def test_bin_labels_print_on_the_station_printer_and_decode(seeded_database: Database, tmp_path: Path) -> None:
    printer = SimLabelPrinter()
    app = app_for(seeded_database, label=printer)
    packer = sign_in(app, "packer")
    printed = app.labels.print_bin_labels(packer, ["A-01-1", "recv-01"])
    assert printed.count == 2 and printed.printer == "sim:"
    assert printed.message == "Printed 2 labels (bins A-01-1, RECV-01) on sim:."
    jobs = printer.jobs
    assert len(jobs) == 2
    found = [zpl_read(job, tmp_path / f"job{i}", 2, 1)[0] for i, job in enumerate(jobs)]
    assert [[(d.format, d.text, d.symbology) for d in page] for page in found] == [
        [("Code128", "A-01-1", "]C0")], [("Code128", "RECV-01", "]C0")]]
    with seeded_database.unit_of_work() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "labels.printed")).one()
    assert entry.details["bins"] == ["A-01-1", "RECV-01"] and entry.details["by"] == "packer"


def test_a_zone_of_bin_labels_as_zpl_and_as_a_pdf_sheet(seeded_database: Database, tmp_path: Path) -> None:
    app = app_for(seeded_database, documents_dir=tmp_path / "documents")
    zone_b = [b.code for b in app.bins.list(zone="B", active=True)]
    zpl = app.labels.bin_labels_zpl(zone="B")
    assert zpl.count(b"^XA") == len(zone_b) == 20
    assert sorted(d.text for page in zpl_read(zpl, tmp_path, 2, 1) for d in page) == sorted(zone_b)
    codes = [b.code for b in app.bins.list(active=True) if b.zone in ("A", "B")]
    assert len(codes) == 40  # more than one sheet of 27
    for paper in ("a4", "letter"):
        pages = pdf_barcodes(app.labels.bin_label_sheet(codes, paper=paper), tmp_path / paper)
        assert len(pages) == 2 and len(pages[0]) == 27
        assert sorted(d.text for page in pages for d in page) == sorted(codes)
        assert {d.format for page in pages for d in page} == {"Code128"}
    saved = app.labels.save_bin_label_sheet(["A-01-1"], paper="a4")
    assert saved == tmp_path / "documents" / "PACK-T" / "bin-labels-A-01-1.pdf"
    assert [[d.text for d in page] for page in pdf_barcodes(saved.read_bytes(), tmp_path / "saved")] == [["A-01-1"]]


@pytest.mark.parametrize("size", ["2x1", "4x4"])
def test_product_labels_carry_the_barcode_the_product_has(seeded_database: Database, tmp_path: Path,
                                                          size: str) -> None:
    add_product(seeded_database, "UPC-ITEM", ("00036000291452", 1))
    add_product(seeded_database, "CASE-ONLY", (CASE_GTIN, 6))
    add_product(seeded_database, "INTERNAL", ("SHELF-CODE-7", 1))
    add_product(seeded_database, "NO-CODE")
    app = app_for(seeded_database)
    expected = {"MUG-CER-350": ("EAN-13", MUG_GTIN[1:]), "UPC-ITEM": ("EAN-13", "0036000291452"),
                "CASE-ONLY": ("Code128", f"01{CASE_GTIN}"), "INTERNAL": ("Code128", "SHELF-CODE-7"),
                "NO-CODE": ("Code128", "NO-CODE")}
    inches = (2, 1) if size == "2x1" else (4, 4)
    for sku, (symbology, text) in expected.items():
        zpl = app.labels.product_labels_zpl(sku, copies=2, size=size)
        assert texts(zpl_read(zpl, tmp_path / sku, *inches)) == [[(symbology, text)]] * 2, sku
        pdf = app.labels.product_label_pdf(sku, copies=1, size=size)
        assert texts(pdf_barcodes(pdf, tmp_path / f"{sku}-pdf", dpi=300)) == [[(symbology, text)]], sku


def test_a_lot_label_is_a_gs1_128_with_gtin_expiry_and_lot(seeded_database: Database, tmp_path: Path) -> None:
    printer = SimLabelPrinter()
    app = app_for(seeded_database, label=printer)
    packer = sign_in(app, "packer")
    with seeded_database.unit_of_work() as session:
        tea = session.scalar(select(ProductBarcode.code).join(Product).where(Product.sku == "TEA-EARL-100",
                                                                             ProductBarcode.pack_quantity == 1))
    printed = app.labels.print_product_labels(packer, "TEA-EARL-100", 3, lot="L26-0042", expiry=dt.date(2027, 3, 31),
                                              size="4x4")
    assert printed.count == 3 and len(printer.jobs) == 3
    wanted = ("Code128", f"01{tea}17270331\x1d10L26-0042".replace("\x1d", ""), "]C1")
    for index, job in enumerate(printer.jobs):
        decoded = zpl_read(job, tmp_path / f"lot{index}", 4, 4)[0]
        assert [(d.format, d.text, d.symbology) for d in decoded] == [wanted]
        scanned = interpret(f"]C1{decoded[0].text}")
        assert (scanned.gtin14, scanned.lot, scanned.expiry) == (tea, "L26-0042", dt.date(2027, 3, 31))
    pdf = app.labels.product_label_pdf("TEA-EARL-100", lot="L26-0042", expiry=dt.date(2027, 3, 31), size="4x4")
    assert [[(d.format, d.text, d.symbology) for d in page] for page in pdf_barcodes(pdf, tmp_path)] == [[wanted]]


def test_labels_that_cannot_be_made_are_refused_in_words(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    packer = sign_in(app, "packer")
    with pytest.raises(LabelsRefused, match="Station PACK-T has no label printer: choose one in Device settings"):
        app.labels.print_bin_labels(packer, ["A-01-1"])
    cases = {
        "does not fit a 2 x 1 in label: print the 4x4 label": dict(sku="TEA-EARL-100", lot="L26-0042", size="2x1"),
        "MUG-CER-350 is not lot-tracked": dict(sku="MUG-CER-350", lot="L1", size="4x4"),
        "give the lot of TEA-EARL-100 too": dict(sku="TEA-EARL-100", expiry=dt.date(2027, 1, 1)),
        "cannot go in a GS1-128 barcode": dict(sku="TEA-EARL-100", lot="LOT WITH SPACE", size="4x4"),
        "There is no product 'NOPE'": dict(sku="NOPE"),
        "2x1 or 4x4 in, not '3x2'": dict(sku="MUG-CER-350", size="3x2"),
        "Print 1 to 500 copies": dict(sku="MUG-CER-350", copies=0),
    }
    for words, arguments in cases.items():
        with pytest.raises(LabelsRefused, match=words):
            app.labels.product_labels_zpl(**arguments)  # type: ignore[arg-type]
    with pytest.raises(LabelsRefused, match="There is no bin 'NOPE'"):
        app.labels.bin_labels_zpl(["A-01-1", "NOPE"])
    with pytest.raises(LabelsRefused, match="Zone 'NOWHERE' has no active bin"):
        app.labels.bin_labels_zpl(zone="NOWHERE")


def test_a_product_is_found_by_a_barcode_too(seeded_database: Database, tmp_path: Path) -> None:
    app = app_for(seeded_database)
    zpl = app.labels.product_labels_zpl(MUG_GTIN[1:], size="4x4")
    assert b"MUG-CER-350" in zpl
    assert texts(zpl_read(zpl, tmp_path, 4, 4)) == [[("EAN-13", MUG_GTIN[1:])]]
