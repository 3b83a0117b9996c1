"""Product and bin label rules without a database: which barcode a product's label carries,
lots as GS1's AI 10 takes them, labels too small for their barcode refused, and the grid of
a label sheet on A4 and Letter (its barcodes read back with zxing-cpp)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image

from fulfilstation.documents.bin_label_sheet import bin_label_sheet, grid_for
from fulfilstation.documents.labels import Ean13, LabelTooSmall, bin_label, product_label
from fulfilstation.documents.labels.code128 import Code128Data
from fulfilstation.documents.labels.product_label import check_lot, gtin_of, product_symbol
from fulfilstation.documents.product_label_pdf import product_label_pdf
from tests.support.pdf import pdf_barcodes, pdf_pages_to_png
from tests.support.zpl import decode_barcodes


def test_the_barcode_a_product_label_carries() -> None:
    assert product_symbol("MUG", "04006381333931") == "4006381333931"  # EAN-13
    assert product_symbol("NB", "00036000291452") == "0036000291452"  # UPC-A: the EAN-13 with its leading 0
    assert product_symbol("NB", "036000291452") == "0036000291452"  # as typed (12 digits) too
    assert product_symbol("CASE", "10614141000019") == Code128Data.gs1(("01", "10614141000019"))
    assert product_symbol("PEN", "96385074") == Code128Data.gs1(("01", "00000096385074"))  # GTIN-8
    assert product_symbol("SHELF", "SHELF-CODE-7") == Code128Data.plain("SHELF-CODE-7")
    assert product_symbol("SOAP", None) == Code128Data.plain("SOAP")
    assert product_symbol("TEA", "04006381333931", "L1", dt.date(2027, 3, 31)) == Code128Data.gs1(
        ("01", "04006381333931"), ("17", "270331"), ("10", "L1"))
    assert product_symbol("TEA", "04006381333931", "L1").scanned() == "0104006381333931" + "10L1"
    assert product_symbol("TEA", None, "L1") == Code128Data.plain("TEA")  # no GTIN: the lot in words only
    assert gtin_of("4006381333932") is None  # a wrong check digit is an internal code, not a GTIN


def test_lots_and_sizes_that_cannot_print_are_refused() -> None:
    assert check_lot(" L26/0042 ") == "L26/0042"
    for lot in ("", "L 1", "Ä1", "L" * 21):
        with pytest.raises(ValueError, match="cannot go in a GS1-128 barcode"):
            check_lot(lot)
    with pytest.raises(LabelTooSmall, match="print the 4x4 label"):
        product_label("TEA", "Tea", "04006381333931", lot="L2026-11A", expiry=dt.date(2027, 1, 1), size="2x1")
    with pytest.raises(LabelTooSmall, match="too long for the barcode of a 2 x 1 in label"):
        bin_label("AISLE-ONE-BAY-TWO-LEVEL-3")
    with pytest.raises(ValueError, match="not an EAN-13"):
        Ean13(0, 0, 40, 10, "4006381333932")
    label = product_label("TEA", "Tea", "04006381333931", lot="L1", expiry=dt.date(2027, 1, 1), size="4x4")
    assert any(text.text == "LOT L1   EXP 2027-01-01" for text in label.texts())


def test_a_label_sheet_is_a_grid_of_true_size_labels(tmp_path: Path) -> None:
    for paper in ("a4", "letter"):
        grid = grid_for(paper, 50.8, 25.4)
        assert (grid.columns, grid.rows) == (3, 9) and grid.left >= 10 and grid.top >= 10
    labels = [bin_label(f"T-{n:02d}") for n in range(30)]
    pages = pdf_barcodes(bin_label_sheet(labels, "a4"), tmp_path)
    assert [len(page) for page in pages] == [27, 3]
    assert sorted(d.text for page in pages for d in page) == [f"T-{n:02d}" for n in range(30)]


def test_product_labels_on_a_sheet_and_page_by_page(tmp_path: Path) -> None:
    small = product_label("NB-A5", "Notebook A5", "00036000291452", size="2x1")
    (page,) = pdf_pages_to_png(product_label_pdf([small], copies=4, sheet="letter"), tmp_path / "sheet", dpi=300)
    grid, image = grid_for("letter", small.width, small.height), Image.open(page)
    cells = []
    for slot in range(5):  # each copy read on its own (zxing-cpp reports identical symbols once per row)
        column, row = slot % grid.columns, slot // grid.columns
        left, top = (grid.left + column * grid.pitch_x) / 25.4 * 300, (grid.top + row * grid.pitch_y) / 25.4 * 300
        cell = tmp_path / f"cell{slot}.png"
        image.crop((int(left), int(top), int(left + small.width / 25.4 * 300), int(top + small.height / 25.4 * 300))
                   ).save(cell)
        cells.append([(d.format, d.text) for d in decode_barcodes(cell)])
    assert cells == [[("EAN-13", "0036000291452")]] * 4 + [[]]
    pages = pdf_barcodes(product_label_pdf([small], copies=2), tmp_path / "pages", dpi=300)
    assert [[d.text for d in page] for page in pages] == [["0036000291452"], ["0036000291452"]]
    with pytest.raises(ValueError, match="copies must be at least 1"):
        product_label_pdf([small], copies=0)
