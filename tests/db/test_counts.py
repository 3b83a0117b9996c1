"""Cycle counts (SQLite and PostgreSQL): a blind count of chosen bins, counting by scanning
bin then items (a case counts its pack), "bin done" zeroing what was not found and adding
what was not expected, a recount overwriting; completing posts each variance AS A
DIFFERENCE with a ``count`` move (moves made after the count are kept), units in totes are
not on the shelf, a variance over a threshold waits for a manager, never below reserved;
accuracy recorded and summed over a period."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, CycleCount, CycleCountLine, Product, StockMove
from fulfilstation.services.counts import CountsRefused
from fulfilstation.services.refused import NotAllowed
from tests.db.test_stock_moves import empty_bins
from tests.support.app import app_for, sign_in
from tests.support.counts import bin_holding, on_hand, pick_into_tote
from tests.support.warehouse import case_barcode, make_order, unit_barcode

MUG, SOAP = "MUG-CER-350", "MUG-ENA-300"


def test_a_blind_count_scanned_and_posted_as_differences(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    bin_code, before = bin_holding(db, MUG)
    reserved = on_hand(db, MUG, bin_code)[1]
    created = app.counts.create(manager, bins=[bin_code])
    assert (created.bins, created.lines, created.skipped) == (1, 1, ())
    blind = app.counts.show(created.number, packer)
    assert blind.blind and blind.lines[0].expected is None and blind.lines[0].system is None
    assert blind.lines[0].barcode == unit_barcode(db, MUG)
    assert app.counts.show(created.number, manager).lines[0].expected == before

    case, per_case = case_barcode(db, MUG)
    cases, loose = divmod(before - 2, per_case)  # two units missing from the shelf
    scans = [case] * cases + [unit_barcode(db, MUG)] * loose
    counted = app.counts.count_bin(packer, created.number, bin_code, scans)
    assert [(line.sku, line.counted, line.added) for line in counted.lines] == [(MUG, before - 2, False)]

    other, _ = empty_bins(db, 1)[0], None
    app.stock.move(packer, MUG, bin_code, other, 5)  # moved after the count, before the posting
    done = app.counts.complete(packer, created.number)
    assert done.status == "completed" and not done.needs_approval
    assert [(line.variance, line.system, line.counted) for line in done.lines] == [(-2, before, before - 2)]
    assert on_hand(db, MUG, bin_code) == (before - 5 - 2, reserved)  # the move is kept: not "set to counted"
    with db.unit_of_work() as session:  # a unit is worth its cost (the price when no cost is set)
        cost = session.scalars(select(Product.cost_minor).where(Product.sku == MUG)).one()
    assert cost > 0  # the demo's products have costs
    assert (done.lines_counted, done.lines_exact, done.units_variance, done.value_variance_minor) == (1, 0, 2, 2 * cost)
    with db.unit_of_work() as session:
        move = session.scalars(select(StockMove).where(StockMove.reason == "count")).one()
        count = session.scalars(select(CycleCount).where(CycleCount.number == created.number)).one()
        assert (move.quantity, move.from_bin_id is not None, move.cycle_count_id) == (2, True, count.id)
        assert (count.status, count.lines_counted, count.units_variance) == ("completed", 1, 2)
        line = session.scalars(select(CycleCountLine).where(CycleCountLine.cycle_count_id == count.id)).one()
        assert line.posted_quantity == -2
    assert app.stock.check().consistent
    shown = app.counts.show(created.number, packer)  # completed: the variance is everyone's to see
    assert not shown.blind and shown.lines[0].variance == -2
    with pytest.raises(CountsRefused, match="already completed"):
        app.counts.count_bin(packer, created.number, bin_code, [])
    with pytest.raises(CountsRefused, match="already completed"):
        app.counts.complete(packer, created.number)


def test_bin_done_zeroes_what_was_not_found_adds_what_was_not_expected_and_a_recount_overwrites(
        seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    bin_code, before = bin_holding(db, MUG)
    number = app.counts.create(manager, skus=[MUG]).number
    with pytest.raises(CountsRefused, match="is not on count"):
        app.counts.count_bin(packer, number, "RET-01", [])
    with pytest.raises(CountsRefused, match="is a bin"):
        app.counts.count_bin(packer, number, bin_code, ["RET-01"])
    found = app.counts.count_bin(packer, number, bin_code, [unit_barcode(db, SOAP)] * 2)
    assert sorted((line.sku, line.counted, line.added) for line in found.lines) == [(MUG, 0, False),
                                                                                   (SOAP, 2, True)]
    app.counts.count_line(packer, number, bin_code, MUG, before)  # typed: the recount overwrites that line
    view = app.counts.show(number, manager)
    assert {(line.sku, line.counted) for line in view.lines if line.bin == bin_code} == {(MUG, before), (SOAP, 2)}
    with db.unit_of_work() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "counts.bin_counted")
                                  .order_by(AuditEntry.id)).all()
        assert entries[-1].details["lines"] == [{"sku": MUG, "lot": "", "from": 0, "to": before}]
    if len(view.bins) > 1:
        with pytest.raises(CountsRefused, match="still to count"):
            app.counts.complete(packer, number)
        for code in view.bins[1:]:
            app.counts.count_line(packer, number, code, MUG, on_hand(db, MUG, code)[0])
    done = app.counts.complete(packer, number)
    assert done.status == "completed"
    assert on_hand(db, SOAP, bin_code) == (2, 0) and on_hand(db, MUG, bin_code)[0] == before
    assert app.stock.check().consistent


def test_units_picked_into_totes_are_not_on_the_shelf(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    bin_code, before = bin_holding(db, MUG)
    reserved = on_hand(db, MUG, bin_code)[1]
    order = make_order(db, [(MUG, 4)])
    pick_into_tote(db, order, MUG, bin_code, 4)
    number = app.counts.create(manager, bins=[bin_code]).number
    assert app.counts.show(number, manager).lines[0].expected == before - 4
    app.counts.count_line(packer, number, bin_code, MUG, before - 4)  # what is on the shelf
    done = app.counts.complete(packer, number)
    assert [line.variance for line in done.lines] == [0] and done.lines_exact == 1
    assert on_hand(db, MUG, bin_code) == (before, reserved + 4)  # nothing posted: the 4 are in a tote, still on hand


def test_a_variance_over_the_threshold_waits_for_a_manager(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    bin_code, before = bin_holding(db, MUG)
    number = app.counts.create(manager, bins=[bin_code]).number
    app.counts.count_line(packer, number, bin_code, MUG, before + 5)
    assert app.counts.complete(packer, number).blind  # a counter hears no figure (test_counts_blind)
    waiting = app.counts.complete(manager, number)
    assert waiting.needs_approval and waiting.status == "counting"
    assert "over the 2-unit threshold" in waiting.reasons[0]
    assert on_hand(db, MUG, bin_code)[0] == before
    assert app.counts.list(open_only=True)[0].needs_approval
    with pytest.raises(NotAllowed):
        app.counts.approve(packer, number)
    approved = app.counts.approve(manager, number)
    assert approved.status == "completed" and on_hand(db, MUG, bin_code)[0] == before + 5
    view = app.counts.show(number, packer)
    assert view.approved_by == manager.full_name 
    assert app.stock.check().consistent


def test_a_count_never_takes_a_level_below_its_reserved_units(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    bin_code, before = bin_holding(db, MUG)
    order = make_order(db, [(MUG, before - on_hand(db, MUG, bin_code)[1] - 1)])  # all but one unit reserved
    number = app.counts.create(manager, bins=[bin_code]).number
    app.counts.count_line(packer, number, bin_code, MUG, before - 2)  # -2: within the thresholds
    waiting = app.counts.complete(manager, number)
    assert waiting.needs_approval and "below the" in waiting.reasons[0] and order in waiting.reasons[0]
    with pytest.raises(CountsRefused, match="Re-allocate or cancel"):
        app.counts.approve(manager, number)
    app.orders.cancel(manager, order, "Customer cancelled")
    assert app.counts.approve(manager, number).status == "completed"
    assert on_hand(db, MUG, bin_code)[0] == before - 2


def test_accuracy_over_a_period_and_cancelling(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    bin_code, before = bin_holding(db, MUG)
    soap_bin, soap = bin_holding(db, SOAP)
    number = app.counts.create(manager, bins=[bin_code, soap_bin]).number
    app.counts.count_line(packer, number, bin_code, MUG, before)
    app.counts.count_line(packer, number, soap_bin, SOAP, soap + 1)
    app.counts.complete(packer, number)
    today = dt.datetime.now(dt.UTC).date()
    accuracy = app.counts.accuracy(today - dt.timedelta(days=7), today)  # until: that day included
    assert (accuracy.counts, accuracy.lines_counted, accuracy.lines_exact, accuracy.units_variance) == (1, 2, 1, 1)
    assert accuracy.percent == 50.0
    assert app.counts.accuracy(until=today).counts == 1 and app.counts.accuracy(today, today).counts == 1
    default = app.counts.accuracy()
    assert (default.since, default.until, default.counts) == (today - dt.timedelta(days=30), today, 1)
    with pytest.raises(CountsRefused, match="after its last day"):
        app.counts.accuracy(today + dt.timedelta(days=4), today)
    assert app.counts.accuracy(today - dt.timedelta(days=30), today - dt.timedelta(days=1)).counts == 0
    other = app.counts.create(manager, bins=[bin_code]).number
    with pytest.raises(NotAllowed):
        app.counts.cancel(packer, other)
    assert app.counts.cancel(manager, other) == other
    with pytest.raises(CountsRefused, match="was cancelled"):
        app.counts.count_line(packer, other, bin_code, MUG, 1)
    with pytest.raises(CountsRefused, match="no stock"):
        app.counts.create(manager, bins=[empty_bins(db, 1)[0]])
