"""A count sheet running over several pages names the count and "Page n of m" on every page
(a loose page is matched to its count); its barcodes still decode."""

from __future__ import annotations

from pathlib import Path

from fulfilstation.documents.count_sheet import SheetBin, SheetLine, build_count_sheet
from tests.support.pdf import pdf_barcodes, pdf_page_texts, require_poppler


def test_every_page_of_a_long_sheet_names_the_count_and_its_page(tmp_path: Path) -> None:
    require_poppler()
    bins = [SheetBin(f"A-{n:02d}-1", (SheetLine(f"SKU-{n}", f"Product {n}", "", f"SKU-{n}"),)) for n in range(12)]
    pdf = build_count_sheet("CC-9", "bins A-00-1 …", bins)
    pages = pdf_page_texts(pdf, tmp_path)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "Cycle count CC-9" in text and f"Page {number} of {len(pages)}" in text
    decoded = {code.text for page in pdf_barcodes(pdf, tmp_path) for code in page}
    assert {"CC-9", "A-11-1", "SKU-11"} <= decoded
