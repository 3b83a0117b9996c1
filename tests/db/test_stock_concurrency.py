"""Stations moving and adjusting the same stock levels at once, each in its own process
(PostgreSQL and SQLite): on hand and available never go negative, the reserved units stay
put, every unit is accounted for (what is on hand now is what was there plus the
adjustments) and the ledger still adds up to every level."""

from __future__ import annotations

import multiprocessing
from typing import Any

from sqlalchemy import func, select

from fulfilstation.db.database import Database
from fulfilstation.db.models import Product, StockLevel
from fulfilstation.services.stock import StockFilter
from tests.db.test_cli import plain
from tests.db.test_stock_moves import MUG, empty_bins, level
from tests.support.app import app_for, sign_in
from tests.support.stock_worker import shuffle_stock
from tests.support.warehouse import make_order

PACKERS, MANAGERS, ROUNDS = 4, 2, 25
ALLOWED = {"not-free", "not-in-bin", "below-reserved", "no-change", "bad-adjustment"}


def test_stations_moving_and_adjusting_the_same_levels_never_drive_stock_negative(
        seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    mug = level(app, MUG)
    bins = [mug.bin, *empty_bins(db, 2)]
    make_order(db, [(MUG, 4)])
    app.stock.adjust(sign_in(app, "manager"), MUG, mug.bin, "start of the test", set_to=level(app, MUG).reserved + 20)
    reserved_before = _reserved(db)
    on_hand_before = _on_hand(db)
    url = plain(db.engine.url)
    context = multiprocessing.get_context("spawn")
    jobs = [("packer", n) for n in range(PACKERS)] + [("manager", PACKERS + n) for n in range(MANAGERS)]
    with context.Manager() as manager:
        barrier = manager.Barrier(len(jobs))
        with context.Pool(len(jobs)) as pool:
            results: list[dict[str, Any]] = pool.starmap(
                shuffle_stock, [(url, f"STOCK-{n}", user, MUG, bins, ROUNDS, barrier, n) for user, n in jobs])
    failures = [failure for result in results for failure in result["failures"]]
    assert failures == []
    refusals = {code for result in results for code in result["refusals"]}
    assert refusals <= ALLOWED, refusals
    assert sum(result["moved"] for result in results) > 0
    assert "not-free" in refusals or "not-in-bin" in refusals, "the stations never ran short: no race was tested"
    with db.unit_of_work() as session:
        assert session.scalar(select(func.min(StockLevel.on_hand))) >= 0
        assert session.scalar(select(func.min(StockLevel.on_hand - StockLevel.reserved))) >= 0
    assert _reserved(db) == reserved_before
    assert _on_hand(db) == on_hand_before + sum(result["adjusted"] for result in results)
    assert all(row.available >= 0 for row in app.stock.levels(StockFilter(sku=MUG, include_empty=True)))
    check = app.stock.check()
    assert check.consistent, check.differences


def _on_hand(database: Database) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.sum(StockLevel.on_hand)).join(Product).where(Product.sku == MUG)) or 0)


def _reserved(database: Database) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.sum(StockLevel.reserved)).join(Product).where(Product.sku == MUG)) or 0)
