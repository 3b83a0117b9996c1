"""Blind counting holds after completing, one open count per level (SQLite and PostgreSQL): a counter told that a count
waits for a manager hears how many lines, never a system figure, variance or value; a count
waiting for approval is not recorded into by a counter; a manager sends it back for a recount
(the lines over the threshold cleared, the cleared figure kept in the audit), and a recount
keeps the earlier figure in its audit entry (from/to)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry
from fulfilstation.services.counts import CountsRefused
from fulfilstation.services.refused import NotAllowed
from tests.support.app import app_for, sign_in
from tests.support.counts import bin_holding, on_hand

MUG = "MUG-CER-350"


def test_a_counter_is_told_how_many_lines_wait_never_the_figures(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    bin_code, before = bin_holding(db, MUG)
    number = app.counts.create(manager, bins=[bin_code]).number
    app.counts.count_line(packer, number, bin_code, MUG, before - 3)
    waiting = app.counts.complete(packer, number)
    assert waiting.needs_approval and waiting.blind and waiting.lines == ()
    assert waiting.reasons == (f"{number} waits for a manager's approval: 1 line differs by more than the site "
                               "allows.",)
    assert str(before) not in waiting.reasons[0] and "system" not in waiting.reasons[0]

    with pytest.raises(CountsRefused, match=f"{number} is waiting for a manager: ask them to approve it or to "
                       "send it back for a recount"):
        app.counts.count_line(packer, number, bin_code, MUG, before)
    with pytest.raises(CountsRefused, match="is waiting for a manager"):
        app.counts.count_bin(packer, number, bin_code, [])
    assert app.counts.show(number, manager).lines[0].counted == before - 3  # the first figure stays

    told = app.counts.complete(manager, number)  # a manager hears the figures
    assert not told.blind and "counted" in told.reasons[0] and str(before) in told.reasons[0]
    assert on_hand(db, MUG, bin_code)[0] == before


def test_a_manager_sends_a_count_back_for_a_recount(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    bin_code, before = bin_holding(db, MUG)
    number = app.counts.create(manager, bins=[bin_code]).number
    with pytest.raises(CountsRefused, match="not waiting for a manager"):
        app.counts.recount(manager, number)
    app.counts.count_line(packer, number, bin_code, MUG, before - 3)
    assert app.counts.complete(packer, number).needs_approval
    with pytest.raises(NotAllowed):
        app.counts.recount(packer, number)
    assert app.counts.recount(manager, number) == (bin_code,)
    view = app.counts.show(number, manager)
    assert not view.needs_approval and view.lines[0].counted is None
    with pytest.raises(CountsRefused, match="still to count"):
        app.counts.complete(packer, number)
    app.counts.count_line(packer, number, bin_code, MUG, before - 1)  # the recount: within the threshold
    done = app.counts.complete(packer, number)
    assert done.status == "completed" and on_hand(db, MUG, bin_code)[0] == before - 1
    with db.unit_of_work() as session:
        sent = session.scalars(select(AuditEntry).where(AuditEntry.action == "counts.recount_asked")).one()
        assert sent.details["lines"] == [{"bin": bin_code, "sku": MUG, "lot": "", "from": before - 3,
                                          "system": before}]


def test_a_recount_keeps_the_earlier_figure_in_the_audit(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    bin_code, before = bin_holding(db, MUG)
    number = app.counts.create(manager, bins=[bin_code]).number
    app.counts.count_line(packer, number, bin_code, MUG, before - 1)
    app.counts.count_line(packer, number, bin_code, MUG, before)
    with db.unit_of_work() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "counts.bin_counted")
                                  .order_by(AuditEntry.id)).all()
        assert [entry.details["lines"][0]["from"] for entry in entries] == [None, before - 1]
        assert [entry.details["lines"][0]["to"] for entry in entries] == [before - 1, before]


def test_a_level_already_on_an_open_count_is_refused_on_another(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    bin_code, before = bin_holding(db, MUG)
    first = app.counts.create(manager, bins=[bin_code]).number
    with pytest.raises(CountsRefused, match=f"{bin_code} is already on {first}"):
        app.counts.create(manager, bins=[bin_code])
    with pytest.raises(CountsRefused, match=f"{bin_code} is already on {first}"):
        app.counts.create(manager, skus=[MUG])
    app.counts.count_line(packer, first, bin_code, MUG, before - 1)
    app.counts.complete(packer, first)
    second = app.counts.create(manager, bins=[bin_code]).number  # completed: the bin may be counted again
    app.counts.cancel(manager, second)
    assert app.counts.create(manager, bins=[bin_code]).number not in (first, second)


def test_the_bins_own_label_is_no_item_and_show_says_how_many_lines_are_counted(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    bin_code, before = bin_holding(db, MUG)
    number = app.counts.create(manager, bins=[bin_code]).number
    assert app.counts.show(number, packer).lines_counted == 0
    done = app.counts.count_bin(packer, number, bin_code, [bin_code.lower()])  # the sheet: scan the bin first
    assert [(line.sku, line.counted) for line in done.lines] == [(MUG, 0)]
    view = app.counts.show(number, packer)
    assert (view.lines_counted, view.lines_exact, view.units_variance) == (1, None, None)
    assert view.lines_counted == app.counts.list(open_only=True)[0].lines_counted
    app.counts.count_line(packer, number, bin_code, MUG, before)
    app.counts.complete(packer, number)
    view = app.counts.show(number, packer)
    assert (view.lines_counted, view.lines_exact, view.units_variance) == (1, 1, 0)
