"""Adjusting a stock figure (SQLite and PostgreSQL): a manager's, always with a reason; set
to a counted figure or changed by ±N, written as an ``adjust`` stock move (a write-off as
``scrap``) whose note is the reason; never below what orders reserved (the refusal names
them); a new lot's level is made with its expiry. Refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.stock import StockRefused
from tests.db.test_stock_moves import MUG, TEA, empty_bins, figures, level, snapshot
from tests.support.app import app_for, sign_in
from tests.support.warehouse import make_order


def test_a_manager_sets_a_counted_figure_or_changes_it_with_a_reason(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager = sign_in(app, "manager")
    mug = level(app, MUG)
    counted = app.stock.adjust(manager, MUG, mug.bin, "  counted   on Monday ", set_to=mug.on_hand - 4)
    assert (counted.before, counted.after, counted.change, counted.reason, counted.note) == (
        mug.on_hand, mug.on_hand - 4, -4, "adjust", "counted on Monday")
    found = app.stock.adjust(manager, MUG, mug.bin, "found behind the shelf", by=+6)
    assert found.after == mug.on_hand + 2
    assert figures(app, MUG, mug.bin) == (mug.on_hand + 2, mug.reserved)
    up, down = app.stock.moves(sku=MUG, bin=mug.bin)[:2]
    assert (up.reason, up.quantity, up.to_bin, up.from_bin, up.note, up.user) == (
        "adjust", 6, mug.bin, None, "found behind the shelf", "Morgan Manager")
    assert (down.reason, down.quantity, down.from_bin, down.to_bin, down.note) == (
        "adjust", 4, mug.bin, None, "counted on Monday")
    scrapped = app.stock.adjust(manager, MUG, mug.bin, "dropped, broken", by=-1, write_off=True)
    assert scrapped.reason == "scrap" and app.stock.moves(sku=MUG)[0].reason == "scrap"
    with db.unit_of_work() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "stock.adjusted")
                                  .order_by(AuditEntry.id)).all()
        assert [(e.details["before"], e.details["after"], e.details["reason"], e.details["by"]) for e in entries] == [
            (mug.on_hand, mug.on_hand - 4, "counted on Monday", "manager"),
            (mug.on_hand - 4, mug.on_hand + 2, "found behind the shelf", "manager"),
            (mug.on_hand + 2, mug.on_hand + 1, "dropped, broken", "manager")]
    assert app.stock.check().consistent


def test_never_below_reserved_and_every_refusal_changes_nothing(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    make_order(db, [(MUG, 3)])
    mug = level(app, MUG)
    assert mug.reserved >= 3
    before = snapshot(db)
    with pytest.raises(StockRefused) as refused:
        app.stock.adjust(manager, MUG, mug.bin, "counted", set_to=mug.reserved - 1)
    assert refused.value.code == "below-reserved"
    assert f"cannot go below {mug.reserved}" in refused.value.message and "T-" in refused.value.message
    cases = {
        "no-reason": lambda: app.stock.adjust(manager, MUG, mug.bin, "   ", set_to=1),
        "bad-adjustment": lambda: app.stock.adjust(manager, MUG, mug.bin, "x", set_to=1, by=1),
        "no-change": lambda: app.stock.adjust(manager, MUG, mug.bin, "counted", set_to=mug.on_hand),
        "unknown-bin": lambda: app.stock.adjust(manager, MUG, "NOPE", "counted", set_to=1),
        "unknown-sku": lambda: app.stock.adjust(manager, "NOPE", mug.bin, "counted", set_to=1),
    }
    for code, call in cases.items():
        with pytest.raises(StockRefused) as refused:
            call()
        assert refused.value.code == code, refused.value.message
    with pytest.raises(StockRefused, match="cannot go below 0"):
        app.stock.adjust(manager, MUG, empty_bins(db)[0], "counted", by=-1)
    with pytest.raises(StockRefused, match="A write-off takes units away"):
        app.stock.adjust(manager, MUG, mug.bin, "x", by=2, write_off=True)
    with pytest.raises(NotAllowed, match="only a manager or an owner can adjust stock"):
        app.stock.adjust(packer, MUG, mug.bin, "counted", set_to=1)
    assert snapshot(db) == before


def test_a_new_lot_is_counted_into_a_bin_with_its_expiry(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    owner = sign_in(app, "owner")
    (bin_code,) = empty_bins(db)
    with pytest.raises(StockRefused) as refused:
        app.stock.adjust(owner, TEA, bin_code, "found a case", set_to=12)
    assert refused.value.code == "lot-needed"
    added = app.stock.adjust(owner, TEA, bin_code, "found a case", set_to=12, lot="L99X", expiry=dt.date(2030, 5, 1))
    assert (added.before, added.after, added.lot) == (0, 12, "L99X")
    row = level(app, TEA, bin_code)
    assert (row.lot, row.expiry, row.on_hand) == ("L99X", dt.date(2030, 5, 1), 12)
    app.stock.adjust(owner, TEA, bin_code, "counted", by=-2)  # the only lot there: no need to name it
    assert level(app, TEA, bin_code).on_hand == 10
    assert app.stock.check().consistent


def test_a_new_lot_that_no_gs1_128_can_carry_is_refused(seeded_database: Database) -> None:
    """'NEW LOT' (a space) went into stock and then 'labels product --lot' refused it."""
    db = seeded_database
    app = app_for(db)
    owner = sign_in(app, "owner")
    (bin_code,) = empty_bins(db)
    before = snapshot(db)
    for lot in ("NEW LOT", "L" * 21):
        with pytest.raises(StockRefused) as refused:
            app.stock.adjust(owner, TEA, bin_code, "found a case", set_to=12, lot=lot)
        assert refused.value.code == "bad-lot" and "GS1-128" in refused.value.message
    assert snapshot(db) == before
    assert app.stock.adjust(owner, TEA, bin_code, "found a case", set_to=12, lot="NEW-LOT").lot == "NEW-LOT"
