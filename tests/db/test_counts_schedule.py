"""ABC classes, the schedule and the blind count sheet (SQLite and PostgreSQL): classes by
shipped value (units × the order line's price) over the window, nothing sold is C; the
schedule proposes what is due by class interval since its last completed count; the sheet
prints no expected figure and every barcode on it decodes (zxing-cpp) to what a scan must give."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database
from fulfilstation.db.models import CycleCountLine, Order, OrderLine, Product, Shipment
from fulfilstation.services.counts import CountRules, CountsRefused
from fulfilstation.services.refused import NotAllowed
from tests.support.app import app_for, sign_in
from tests.support.counts import bin_holding
from tests.support.pdf import pdf_barcodes, pdf_text
from tests.support.shipped import ship_order
from tests.support.warehouse import unit_barcode

MUG, SOAP, NOTEBOOK, PEN = "MUG-CER-350", "SOAP-LAV-100", "NB-A5-DOT", "PEN-GEL-BLK"


def _priced(database: Database, number: str, days_ago: int = 0) -> None:
    """Give the order's lines their product's price (test orders have none); age its shipment."""
    with database.unit_of_work() as session:
        order_id = session.scalars(select(Order.id).where(Order.number == number)).one()
        for line in session.scalars(select(OrderLine).where(OrderLine.order_id == order_id)):
            line.unit_price_minor = session.get(Product, line.product_id).unit_price_minor  # type: ignore[union-attr]
        if days_ago:
            session.execute(update(Shipment).where(Shipment.order_id == order_id)
                            .values(created_at=utcnow() - dt.timedelta(days=days_ago)))


def test_abc_classes_by_shipped_value_over_the_window(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    owner, manager, packer = sign_in(app, "owner"), sign_in(app, "manager"), sign_in(app, "packer")
    with pytest.raises(NotAllowed):
        app.counts.set_rules(manager, CountRules(a_percent=50, b_percent=30))
    with pytest.raises(CountsRefused, match="at most 100"):
        app.counts.set_rules(owner, CountRules(a_percent=90, b_percent=30))
    assert app.counts.set_rules(owner, CountRules(a_percent=50, b_percent=30)).a_percent == 50
    for lines, days_ago in (([(MUG, 3)], 0), ([(SOAP, 1)], 0), ([(NOTEBOOK, 1)], 0), ([(PEN, 20)], 100)):
        number, _ = ship_order(app, packer, lines)
        _priced(db, number, days_ago)
    with pytest.raises(NotAllowed):
        app.counts.classify(packer)
    classes = app.counts.classify(manager)
    with db.unit_of_work() as session:
        stored = dict(session.execute(select(Product.sku, Product.abc_class)).all())
    # 4470 + 1490 + 690 = 6650: the mug starts at 0 % (A), the notebook at 67 % (B), the soap at 90 % (C)
    assert (stored[MUG], stored[NOTEBOOK], stored[SOAP], stored[PEN]) == ("A", "B", "C", "C")
    assert all(value == "C" for sku, value in stored.items() if sku not in (MUG, NOTEBOOK))
    shares = {share.abc_class: share for share in classes.shares}
    assert (shares["A"].products, shares["A"].shipped_value_minor, shares["A"].share_percent) == (1, 4470, 67.2)
    assert (shares["B"].products, shares["B"].shipped_value_minor) == (1, 1490)
    assert shares["C"].shipped_value_minor == 690 and classes.window_days == 90
    assert app.counts.abc_classes() == classes.__class__(90, classes.shares)


def test_the_schedule_proposes_what_is_due_by_class(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    with db.unit_of_work() as session:
        session.execute(update(Product).where(Product.sku == MUG).values(abc_class="A"))
    proposed = app.counts.proposal()
    assert {line.sku for line in proposed} >= {MUG, SOAP}  # never counted: due
    assert [line.bin for line in proposed] == [line.bin for line in sorted(proposed, key=lambda p: (
        p.pick_sequence, p.bin))]
    number = app.counts.create(manager, skus=[MUG, SOAP]).number
    assert not {line.sku for line in app.counts.proposal()} & {MUG, SOAP}  # on an open count: not proposed again
    for line in app.counts.show(number, manager).lines:
        assert line.expected is not None  # a manager sees it
        app.counts.count_line(packer, number, line.bin, line.sku, line.expected, line.lot or None)
    assert app.counts.complete(packer, number).status == "completed"
    due = {line.sku for line in app.counts.proposal()}
    assert MUG not in due and SOAP not in due
    with db.unit_of_work() as session:
        session.execute(update(CycleCountLine).values(counted_at=utcnow() - dt.timedelta(days=8)))
    due = {line.sku for line in app.counts.proposal()}
    assert MUG in due and SOAP not in due  # A: weekly; C: quarterly
    due_now = app.counts.proposal()
    today = app.counts.create(manager, today=True)
    assert today.lines == len(due_now) and app.counts.show(today.number).description.startswith("scheduled")
    assert app.counts.proposal() == []  # all of it is on today's count


def test_the_blind_sheet_prints_no_expected_figure_and_every_barcode_decodes(seeded_database: Database,
                                                                           tmp_path: Path) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    mug_bin, mug_units = bin_holding(db, MUG)
    soap_bin, soap_units = bin_holding(db, SOAP)
    number = app.counts.create(manager, bins=[mug_bin, soap_bin]).number
    pdf = app.counts.sheet_pdf(number)
    decoded = {code.text for page in pdf_barcodes(pdf, tmp_path) for code in page}
    assert {number, mug_bin, soap_bin, unit_barcode(db, MUG), unit_barcode(db, SOAP)} <= decoded
    assert {app.counts.identify(unit_barcode(db, MUG)).sku, app.counts.identify(unit_barcode(db, SOAP)).sku} == {
        MUG, SOAP}
    words = set(re.findall(r"\b\d+\b", pdf_text(pdf, tmp_path)))
    assert str(mug_units) not in words and str(soap_units) not in words
    assert "Units found" in pdf_text(pdf, tmp_path)
