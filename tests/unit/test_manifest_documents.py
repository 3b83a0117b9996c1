"""The manifest PDF and CSV builders on their own (no database): page planning, text that
needs other fonts, values that need quoting, tracking numbers that are never cut."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest

from fulfilstation.documents.fonts import document_fonts
from fulfilstation.documents.manifest_csv import build_manifest_csv
from fulfilstation.documents.manifest_pdf import BLOCK, FOOTER, HEADER, MARGIN, ROW, build_manifest_pdf, page_plan
from fulfilstation.documents.manifest_sheet import ManifestRow, ManifestSheet
from tests.support.pdf import pdf_barcodes, pdf_page_texts

LETTER_HEIGHT = 792.0


def make_sheet(count: int = 3, **changes: Any) -> ManifestSheet:
    rows = tuple(ManifestRow(f"1Z0W1X2303{n:08d}", "UPS Ground", 400 + n, f"{43000 + n}", f"SO-{n:05d}")
                 for n in range(1, count + 1))
    sheet = ManifestSheet("M-UPS-20261202-1", "ups", "UPS", "0W1X23", "UPS demo account", dt.date(2026, 12, 2),
                          dt.datetime(2026, 12, 2, 22, 5, tzinfo=dt.UTC), "Maria Manager",
                          ("Demo Goods Warehouse", "1200 Industrial Pkwy", "Columbus OH 43219", "US"), rows, count,
                          count, sum(r.weight_g for r in rows))
    return dataclasses.replace(sheet, **changes)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_page_plan_keeps_room_for_the_totals_and_signature() -> None:
    per_page = int((LETTER_HEIGHT - 2 * MARGIN - HEADER - FOOTER) // ROW)
    assert [len(p) for p in page_plan(0, LETTER_HEIGHT)] == [0]
    assert [len(p) for p in page_plan(per_page * 2 + 1, LETTER_HEIGHT)] == [per_page, per_page, 1]
    assert [len(p) for p in page_plan(per_page, LETTER_HEIGHT)] == [per_page, 0]  # no room left: a page of its own
    fits = per_page - int(BLOCK // ROW) - 1
    assert [len(p) for p in page_plan(fits, LETTER_HEIGHT)] == [fits]
    rows = [index for page in page_plan(1000, LETTER_HEIGHT) for index in page]
    assert rows == list(range(1000))


def test_a_full_last_page_puts_the_signature_block_on_a_page_of_its_own(tmp_path: Path) -> None:
    per_page = len(page_plan(1000, LETTER_HEIGHT)[0])
    pages = pdf_page_texts(build_manifest_pdf(make_sheet(per_page)), tmp_path)
    assert len(pages) == 2 and "Driver name" not in pages[0]
    assert "Page 2 of 2" in pages[1] and "Driver name" in pages[1] and f"Total: {per_page} packages" in pages[1]


def test_a4_and_letter_and_a_deterministic_document(tmp_path: Path) -> None:
    sheet = make_sheet(60)
    assert build_manifest_pdf(sheet) == build_manifest_pdf(sheet)
    a4 = build_manifest_pdf(sheet, page_size="a4")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in a4
    with pytest.raises(ValueError, match="page size"):
        build_manifest_pdf(sheet, page_size="legal")


def test_names_in_other_scripts_and_long_values(tmp_path: Path) -> None:
    fonts = document_fonts()
    if not any(fonts.covers(font, "東") for font in fonts.fallbacks):
        pytest.skip("no TrueType font for Japanese on this PC (install fonts-droid-fallback)")
    long_tracking = "9400111899223197428490123456789012"
    rows = (ManifestRow(long_tracking, "Express Worldwide Priority Plus Extra Long Service Name", 1200, "100-0001",
                        "Zoë-Łódź"), ManifestRow("00306141410000000017", "Local", 5, "", "注文-7"))
    sheet = make_sheet(pickup=("東京倉庫 (Tokyo)", "1-2-3 Chiyoda", "Tokyo 100-0001", "JP"), rows=rows,
                       package_count=2, total_weight_g=1205, closed_by="Zoë Łukasiewicz")
    pdf = build_manifest_pdf(sheet)
    words = squash(pdf_page_texts(pdf, tmp_path)[0])
    for text in (long_tracking, "東京倉庫", "Zoë-Łódź", "注文-7", "by Zoë Łukasiewicz", "Express Worldwide"):
        assert text in words
    assert "Extra Long Service Name" not in words  # cut with an ellipsis to its column
    assert [[d.text for d in page] for page in pdf_barcodes(pdf, tmp_path)] == [["M-UPS-20261202-1"]]


def test_csv_quotes_per_rfc_4180_and_reads_back_exactly() -> None:
    awkward = (ManifestRow("T1", 'Service "Plus", 2-day', 10, "01234", "Order, with comma"),
               ManifestRow("T2", "Line\r\nbreak", 20, "", 'He said "hi"'),
               ManifestRow("T3", "Ünïcödé 東京", 30, "SW1A 1AA", "=1+1"))
    sheet = make_sheet(rows=awkward, package_count=3, total_weight_g=60)
    data = build_manifest_csv(sheet)
    text = data.decode("utf-8")
    assert text.startswith("manifest,tracking_number,service,weight_g,weight_lb,destination_postal_code,reference\r\n")
    assert '"Service ""Plus"", 2-day"' in text and '"He said ""hi"""' in text and ',01234,' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert [(r[1], r[2], int(r[3]), r[4], r[5], r[6]) for r in rows] == [
        (r.tracking_number, r.service, r.weight_g, f"{r.weight_g / 453.59237:.2f}", r.postal_code, r.reference)
        for r in awkward]
