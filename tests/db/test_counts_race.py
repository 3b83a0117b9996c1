"""Counting a bin while stations work it, each in its own process (PostgreSQL): movers, an
adjuster, a picker, a receiver (ad hoc receipts into the bin) and a shipper (orders reserved
in the bin, picked into a tote, packed and shipped) change the bin while a counter counts it
again and again and posts each count. No move is lost: the bin's on hand ends at what it held + every move and
adjustment + the count's real variance (the units lost before the test), every later count
is exact, and the ledger adds up. Two managers posting the same count at once: posted once.
Managers creating counts of the same bin at once: one count gets it, the others are refused."""

from __future__ import annotations

import multiprocessing
from typing import Any

from sqlalchemy import URL, func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import CycleCountLine, StockMove
from tests.db.test_cli import plain
from tests.db.test_stock_moves import empty_bins
from tests.support.app import app_for, sign_in
from tests.support.count_worker import complete_at_once, count_the_bin, create_at_once, reserved_in, work_the_bin
from tests.support.counts import on_hand
from tests.support.warehouse import make_order

MUG = "MUG-CER-350"
LOST, ROUNDS, CYCLES = 3, 20, 5


def test_counting_a_bin_while_stations_work_it_loses_no_move(postgres_seeded_url: URL) -> None:
    db = Database.connect(postgres_seeded_url)
    app = app_for(db)
    manager = sign_in(app, "manager")
    counted_bin, other_bin = empty_bins(db, 2)
    app.stock.adjust(manager, MUG, counted_bin, "start of the test", set_to=300)  # the most free: orders reserve here
    app.stock.adjust(manager, MUG, other_bin, "start of the test", set_to=40)
    orders = [make_order(db, [(MUG, 1)]) for _ in range(ROUNDS + 1)]  # the picker's, then one a round to ship
    assert {reserved_in(db, number) for number in orders} == {counted_bin}
    start = on_hand(db, MUG, counted_bin)[0]
    url = plain(db.engine.url)
    context = multiprocessing.get_context("spawn")
    jobs = [("packer", "move", 1), ("packer2", "move", 2), ("manager", "adjust", 3), ("packer", "pick", 4),
            ("packer2", "receive", 5), ("packer", "ship", 6)]
    with context.Manager() as sync:
        barrier = sync.Barrier(len(jobs) + 1)
        with context.Pool(len(jobs) + 1) as pool:
            workers = [pool.apply_async(work_the_bin, (url, f"BIN-{n}", user, job, MUG, counted_bin, other_bin, orders,
                                                       ROUNDS, barrier, n)) for user, job, n in jobs]
            counter = pool.apply_async(count_the_bin, (url, "COUNTER", MUG, counted_bin, LOST, CYCLES, barrier))
            results: list[dict[str, Any]] = [worker.get(timeout=600) for worker in workers]
            counted: dict[str, Any] = counter.get(timeout=600)
    assert [f for result in results for f in result["failures"]] == [] and counted["failures"] == []
    assert counted["variances"] == [-LOST] + [0] * (CYCLES - 1)
    moved_in = sum(result["into"] for result in results)
    assert sum(result["picked"] for result in results) == ROUNDS
    assert all(result["refusals"] < ROUNDS for result in results), results  # every job did its work
    assert on_hand(db, MUG, counted_bin)[0] == start + moved_in - LOST
    check = app.stock.check()
    assert check.consistent, check.differences
    with db.unit_of_work() as session:
        posted = session.scalars(select(StockMove).where(StockMove.reason == "count")).one()
        first = session.scalars(select(CycleCountLine).where(CycleCountLine.cycle_count_id == posted.cycle_count_id)
                                ).one()
        meanwhile = session.scalar(select(func.count()).select_from(StockMove).where(
            StockMove.id < posted.id, StockMove.created_at > first.counted_at, StockMove.reason != "count"))
        assert meanwhile, "no station moved stock between the count and its posting: no race was tested"
    db.dispose()


def test_two_managers_posting_the_same_count_post_it_once(postgres_seeded_url: URL) -> None:
    db = Database.connect(postgres_seeded_url)
    app = app_for(db)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    (counted_bin,) = empty_bins(db, 1)
    app.stock.adjust(manager, MUG, counted_bin, "start of the test", set_to=30)
    number = app.counts.create(manager, bins=[counted_bin]).number
    app.counts.count_line(packer, number, counted_bin, MUG, 24)
    url = plain(db.engine.url)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as sync:
        barrier = sync.Barrier(4)
        with context.Pool(4) as pool:
            outcomes = pool.starmap(complete_at_once, [(url, f"POST-{n}", number, barrier) for n in range(4)])
    assert sorted(outcomes) == ["not-open", "not-open", "not-open", "posted"]
    assert on_hand(db, MUG, counted_bin)[0] == 24
    with db.unit_of_work() as session:
        moves = session.scalars(select(StockMove).where(StockMove.reason == "count")).all()
        assert [(move.quantity, move.from_bin_id is not None) for move in moves] == [(6, True)]
    db.dispose()


def test_managers_creating_counts_of_the_same_bin_at_once_put_it_on_one_count(postgres_seeded_url: URL) -> None:
    db = Database.connect(postgres_seeded_url)
    app = app_for(db)
    manager = sign_in(app, "manager")
    (counted_bin,) = empty_bins(db, 1)
    app.stock.adjust(manager, MUG, counted_bin, "start of the test", set_to=30)
    url = plain(db.engine.url)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as sync:
        barrier = sync.Barrier(4)
        with context.Pool(4) as pool:
            outcomes = pool.starmap(create_at_once, [(url, f"CREATE-{n}", counted_bin, barrier) for n in range(4)])
    created = [outcome for outcome in outcomes if outcome.startswith("CC-")]
    assert len(created) == 1 and sorted(outcomes).count("already-on-count") == 3, outcomes
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(CycleCountLine)) == 1
    db.dispose()
