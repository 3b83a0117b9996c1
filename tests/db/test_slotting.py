"""Slotting (SQLite and PostgreSQL): the fastest movers' free units are proposed to the
nearest empty pickable bins — never into a bin holding another product, never farther
from the packing stations, never the reserved units, at most the limit —; proposing again
marks what waited stale; a manager's accept is one ``move`` stock move (twice: once, also
from two processes at once on PostgreSQL), a proposal whose stock or bin changed turns
stale with a reason, a reject is only a reject; a packer may do none of it."""

from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, SlottingMove, StockMove
from fulfilstation.services.app import AppServices
from fulfilstation.services.refused import NotAllowed
from fulfilstation.services.slotting import SlottingProposal, SlottingRefused
from fulfilstation.services.stock import StockFilter
from tests.support.app import app_for, sign_in
from tests.support.shipped_history import ship_history
from tests.support.slotting_worker import accept_proposal

CANDLE, MUG, PEN, TEA, SOAP = "CNDL-CED-200", "MUG-CER-350", "PEN-FTN-NAV", "TEA-EARL-100", "SOAP-LAV-100"


def movers(database: Database, today: dt.date) -> None:
    """In the last 30 days: CANDLE 200 units (already in the nearest bin), MUG 100, PEN 80,
    TEA 50; SOAP shipped 300 units, but 40 to 50 days ago."""
    ship_history(database, CANDLE, [10] * 20, end=today)
    ship_history(database, MUG, [5] * 20, end=today)
    ship_history(database, PEN, [4] * 20, end=today)
    ship_history(database, TEA, [5] * 10, end=today)
    ship_history(database, SOAP, [30] * 10, end=today - dt.timedelta(days=40))


def summary(proposals: tuple[SlottingProposal, ...] | list[SlottingProposal]) -> list[tuple[object, ...]]:
    return [(p.sku, p.from_bin, p.to_bin, p.quantity, p.units_shipped) for p in proposals]


def figures(app: AppServices, sku: str) -> dict[str, tuple[int, int]]:
    return {row.bin: (row.on_hand, row.reserved) for row in app.stock.levels(StockFilter(sku=sku))}


def test_the_fastest_movers_are_proposed_to_the_nearest_empty_bins(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    movers(db, app.replenishment.today())
    manager = sign_in(app, "manager")
    with pytest.raises(NotAllowed):
        app.slotting.propose(sign_in(app, "packer"))
    assert figures(app, MUG) == {"A-08-2": (105, 3)}  # a storage bin at sequence 160; 3 units reserved
    proposed = app.slotting.propose(manager, days=30, limit=20)
    assert proposed.replaced == 0
    # CANDLE is already in A-01-1 (sequence 10): no empty bin is nearer, so it stays. The next
    # movers get A-02-1 (30), A-03-1 (50), A-04-1 (70) — the nearest empty pickable bins — with
    # their free units only (MUG: 105 on hand less 3 reserved). SOAP's sales are too old.
    assert summary(proposed.proposals) == [(MUG, "A-08-2", "A-02-1", 102, 100), (PEN, "E-10-1", "A-03-1", 61, 80),
                                           (TEA, "B-05-1", "A-04-1", 154, 50)]
    assert all(p.to_sequence < p.from_sequence and p.status == "proposed" for p in proposed.proposals)
    assert summary(app.slotting.proposals()) == summary(proposed.proposals)

    again = app.slotting.propose(manager, days=60, limit=2)  # SOAP's 300 units count now: it leads
    assert again.replaced == 3
    assert summary(again.proposals) == [(SOAP, "C-09-1", "A-02-1", 70, 300), (MUG, "A-08-2", "A-03-1", 102, 100)]
    assert [p.status for p in app.slotting.proposals(open_only=False)][2:] == ["stale"] * 3
    with pytest.raises(SlottingRefused) as refused:
        app.slotting.propose(manager, days=0)
    assert refused.value.code == "bad-setting"


def test_an_accepted_proposal_is_one_stock_move_once(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    movers(db, app.replenishment.today())
    manager = sign_in(app, "manager")
    mug = app.slotting.propose(manager).proposals[0]
    with pytest.raises(NotAllowed):
        app.slotting.accept(sign_in(app, "packer"), mug.id)
    accepted = app.slotting.accept(manager, mug.id)
    assert accepted.status == "accepted" and accepted.decided_by == "Morgan Manager"
    assert figures(app, MUG) == {"A-02-1": (102, 0), "A-08-2": (3, 3)}
    with pytest.raises(SlottingRefused) as twice:
        app.slotting.accept(manager, mug.id)
    assert twice.value.code == "decided" and "was accepted already" in twice.value.message
    assert figures(app, MUG) == {"A-02-1": (102, 0), "A-08-2": (3, 3)}
    with db.unit_of_work() as session:
        row = session.get(SlottingMove, mug.id)
        assert row is not None and row.stock_move_id is not None and row.decided_at is not None
        move = session.get(StockMove, row.stock_move_id)
        assert move is not None and (move.reason, move.quantity) == ("move", 102)
        actions = set(session.scalars(select(AuditEntry.action)))
        assert {"slotting.proposed", "slotting.accepted", "stock.moved"} <= actions
    assert app.stock.check().consistent
    assert mug.id not in [p.id for p in app.slotting.proposals()]


def test_a_proposal_whose_stock_or_bin_changed_turns_stale(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    movers(db, app.replenishment.today())
    manager = sign_in(app, "manager")
    _mug, pen, tea = app.slotting.propose(manager).proposals
    app.stock.move(manager, PEN, "E-10-1", "E-10-2", 10)  # the units proposed are no longer all there
    with pytest.raises(SlottingRefused) as gone:
        app.slotting.accept(manager, pen.id)
    assert gone.value.code == "stale" and "Only 51 units of PEN-FTN-NAV in bin E-10-1" in gone.value.message
    assert "now marked stale" in gone.value.message
    app.stock.move(manager, SOAP, "C-09-1", tea.to_bin, 1)  # someone filled the bin meant for TEA
    with pytest.raises(SlottingRefused) as taken:
        app.slotting.accept(manager, tea.id)
    assert f"bin {tea.to_bin} now holds {SOAP}" in taken.value.message
    statuses = {p.id: p.status for p in app.slotting.proposals(open_only=False)}
    assert statuses[pen.id] == statuses[tea.id] == "stale"
    assert figures(app, TEA)["B-05-1"] == (154, 0) and figures(app, PEN) == {"E-10-1": (54, 3), "E-10-2": (10, 0)}


def test_reject_and_accept_all(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    movers(db, app.replenishment.today())
    manager = sign_in(app, "manager")
    mug, pen, tea = app.slotting.propose(manager).proposals
    rejected = app.slotting.reject(manager, pen.id)
    assert rejected.status == "rejected" and figures(app, PEN) == {"E-10-1": (64, 3)}
    with pytest.raises(SlottingRefused) as decided:
        app.slotting.accept(manager, pen.id)
    assert decided.value.code == "decided"
    with pytest.raises(SlottingRefused) as unknown:
        app.slotting.reject(manager, 999_999)
    assert unknown.value.code == "unknown"
    app.stock.move(manager, TEA, "B-05-1", "B-05-2", 1)
    done = app.slotting.accept_all(manager)
    assert [p.id for p in done.accepted] == [mug.id] and [moved_id for moved_id, _why in done.stale] == [tea.id]
    assert figures(app, MUG)["A-02-1"] == (102, 0) and app.slotting.proposals() == []
    assert app.stock.check().consistent


def test_two_managers_accepting_the_same_proposal_at_once_move_it_once(postgres_seeded_url: URL) -> None:
    db = Database.connect(postgres_seeded_url)
    try:
        app = app_for(db)
        movers(db, app.replenishment.today())
        mug = app.slotting.propose(sign_in(app, "manager")).proposals[0]
        url = postgres_seeded_url.render_as_string(hide_password=False)
        context = multiprocessing.get_context("spawn")
        with context.Manager() as manager, context.Pool(4) as pool:
            barrier = manager.Barrier(4)
            outcomes = pool.starmap(accept_proposal, [(url, f"SLOT-{n}", mug.id, barrier) for n in range(4)])
        assert sorted(outcomes) == ["accepted", "decided", "decided", "decided"], outcomes
        assert figures(app, MUG) == {"A-02-1": (102, 0), "A-08-2": (3, 3)}
        with db.unit_of_work() as session:
            moves = session.scalars(select(StockMove).where(StockMove.reason == "move")).all()
            assert len(moves) == 1 and moves[0].quantity == 102
        assert app.stock.check().consistent
    finally:
        db.dispose()
