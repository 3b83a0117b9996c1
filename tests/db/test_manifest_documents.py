"""Manifests closed in the database, read back the way the driver and a scanner would:
pdftotext for the words, pdftoppm + zxing-cpp for the barcode, the csv module for the CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from fulfilstation.db.database import Database
from fulfilstation.documents.manifest_pdf import page_count
from fulfilstation.services.manifests.queries import manifest_rows, manifest_sheet
from tests.db.test_manifests import office, pack_at, packages_of
from tests.support.bulk_shipments import bulk_shipments
from tests.support.pdf import pdf_barcodes, pdf_page_texts


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_pdf_shows_every_package_the_totals_and_a_barcode_of_the_number(seeded_database: Database,
                                                                        tmp_path: Path) -> None:
    db = seeded_database
    packed = [pack_at(db, "PACK-A"), pack_at(db, "PACK-B")]
    bulk = bulk_shipments(db, 3, carrier="courier", packages=2)
    app, manager = office(db)
    result = app.manifests.close(manager, "courier")
    closed, pdf = result.info, result.pdf
    tracking, weight = packages_of(db, packed + bulk.shipment_ids)
    assert (closed.package_count, closed.total_weight_g) == (8, weight)
    pages = pdf_page_texts(pdf, tmp_path)
    assert len(pages) == 1
    words = squash(pages[0])
    assert all(number in words for number in tracking)
    assert f"Total: 8 packages · {weight / 453.59237:.2f} lb ({weight} g) · 5 shipments" in words
    assert "Account 0614141 (Own Delivery demo account)" in words
    assert "Pickup: Demo Goods Warehouse" in words and "Columbus OH 43219" in words
    assert "Driver name" in words and "Signature" in words and "Date and time" in words
    assert f"by {manager.full_name}" in words
    found = [(d.format, d.text, d.symbology) for d in pdf_barcodes(pdf, tmp_path)[0]]
    assert found == [("Code128", closed.number, "]C0")]


def test_300_packages_span_pages_each_with_the_header(seeded_database: Database, tmp_path: Path) -> None:
    db = seeded_database
    bulk = bulk_shipments(db, 300, carrier="ups", service="ground")
    app, manager = office(db)
    result = app.manifests.close(manager, "ups")
    closed, pdf = result.info, result.pdf
    pages = pdf_page_texts(pdf, tmp_path)
    total = page_count(manifest_sheet(db, closed.id))
    assert len(pages) == total >= 7
    for number, page in enumerate(pages, start=1):
        words = squash(page)
        assert "End-of-day manifest — UPS" in words and closed.number in words
        assert "# Tracking number Service Weight lb Weight g Postal code Reference" in words
        assert f"Page {number} of {total}" in words
        assert ("Total: 300 packages" in words) == (number == total)
    everything = squash(" ".join(pages))
    assert all(everything.count(t) == 1 for t in bulk.tracking_numbers)
    assert [[d.text for d in page] for page in pdf_barcodes(pdf, tmp_path, dpi=150)] == [[closed.number]] * total
    assert app.manifests.pdf(closed.id) == pdf  # a reprint is the same document


def test_csv_parses_back_to_the_same_rows(seeded_database: Database) -> None:
    db = seeded_database
    pack_at(db, "PACK-A", "usps/priority")
    bulk_shipments(db, 4, carrier="usps", packages=3)
    app, manager = office(db)
    closed = app.manifests.close(manager, "usps").info
    data = app.manifests.csv(closed.id)
    assert data.count(b"\r\n") == 1 + 13 and not data.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert header == ["manifest", "tracking_number", "service", "weight_g", "weight_lb", "destination_postal_code",
                      "reference"]
    expected = manifest_rows(db, closed.id)
    assert [(r[1], r[2], int(r[3]), r[5], r[6]) for r in rows] == [
        (e.tracking_number, e.service, e.weight_g, e.postal_code, e.reference) for e in expected]
    assert {r[0] for r in rows} == {closed.number}
    assert sum(int(r[3]) for r in rows) == closed.total_weight_g
