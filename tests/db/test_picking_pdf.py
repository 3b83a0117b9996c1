"""The printed pick list (both engines): every barcode on it — the list number, each tote,
each bin, each product — decodes back with zxing-cpp (poppler rasterises the pages), the
text says the walk, a list split by zone prints a section per zone, and the site's paper
size is used; "1 unit", "1 order", and no CJK font warning for a list that needs none."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PIL import Image

from fulfilstation.db.database import Database
from fulfilstation.db.models import SiteSetting
from tests.support.app import app_for, sign_in
from tests.support.pdf import pdf_barcodes, pdf_pages_to_png, pdf_text
from tests.support.picking import ready_order


def test_every_barcode_on_the_pick_list_decodes(seeded_database: Database, tmp_path: Path) -> None:
    app = app_for(seeded_database)
    packer = sign_in(app, "packer")
    created = app.picking.create(packer, next=6, by_zone=True)
    pdf = app.picking.pdf(created.number)
    found = [code for page in pdf_barcodes(pdf, tmp_path) for code in page]
    assert {code.format for code in found} == {"Code128"}
    texts = [code.text for code in found]
    view = created.view
    expected = ({view.number} | {tote.tote for tote in view.totes} | {row.bin for row in view.rows}
                | {row.barcode for row in view.rows})
    assert expected <= set(texts)
    assert texts.count(view.number) == len(pdf_barcodes(pdf, tmp_path))  # the list's barcode heads every page
    text = pdf_text(pdf, tmp_path)
    assert f"Pick list {view.number}" in text and "next 6" in text
    for zone in view.zones():
        assert f"Zone {zone}" in text
    for row in view.rows:
        assert row.sku in text and row.tote_words in text


def test_the_pick_list_prints_on_the_sites_paper(seeded_database: Database, tmp_path: Path) -> None:
    app = app_for(seeded_database)
    packer = sign_in(app, "packer")
    number = app.picking.create(packer, next=1).number
    assert Image.open(pdf_pages_to_png(app.picking.pdf(number), tmp_path)[0]).size == (1700, 2200)
    with seeded_database.unit_of_work() as session:
        session.add(SiteSetting(key="paper_size", value="A4"))
    assert Image.open(pdf_pages_to_png(app.picking.pdf(number), tmp_path)[0]).size == (1654, 2339)


def test_one_unit_and_one_order_read_well_and_no_font_warning_is_logged(seeded_database: Database, tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    app = app_for(seeded_database)
    manager = sign_in(app, "manager")
    created = app.picking.create(sign_in(app, "packer"), [ready_order(app, manager, [("NB-A5-LIN", 1)])])
    with caplog.at_level(logging.WARNING):
        text = pdf_text(app.picking.pdf(created.number), tmp_path)
    assert "1 order ·" in text and "unit" in text and "units" not in text.replace("The walk: bin, item, units", "")
    assert not [record for record in caplog.records if "No font for" in record.getMessage()]
