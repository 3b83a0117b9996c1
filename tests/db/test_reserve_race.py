"""Two desks (processes, PostgreSQL) reserve the last units at the same moment: the stock is
never over-reserved, each order is reserved once or stays pending with nothing, and
``reserved`` stays the sum of the allocations. Orders name their two products in opposite
orders, so a reserver that locked stock in line order would deadlock here."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import func, select
from sqlalchemy.engine import URL

from fulfilstation.db.database import Database
from fulfilstation.db.models import StockLevel
from tests.support.kits import (
    allocations_match_reserved,
    level_figures,
    new_product,
    pending_order,
    put_stock,
    reserved_by_bin,
    status_of,
)
from tests.support.reserve_worker import reserve_orders

ORDERS = 8


def test_two_desks_reserving_the_last_units_never_over_reserve(postgres_seeded_url: URL) -> None:
    db = Database.connect(postgres_seeded_url)
    for sku in ("RACE-X", "RACE-Y"):
        new_product(db, sku)
        put_stock(db, sku, "A-01-1", 3)
        put_stock(db, sku, "A-01-2", 2)
    numbers = [pending_order(db, [("RACE-X", 1), ("RACE-Y", 1)] if n % 2 else [("RACE-Y", 1), ("RACE-X", 1)])
               for n in range(ORDERS)]
    url = postgres_seeded_url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(2)
        with context.Pool(2) as pool:
            results = pool.starmap(reserve_orders, [(url, "DESK-1", numbers, barrier, 1),
                                                    (url, "DESK-2", list(reversed(numbers)), barrier, 1)])
    ready = [n for n in numbers if status_of(db, n) == "ready"]
    assert len(ready) == 5, "exactly the five units of each product were reserved"
    for number in numbers:
        outcomes = sorted(results[0][number] + results[1][number])
        if number in ready:
            assert outcomes == ["ready", "skipped"], (number, outcomes)
            assert sum(reserved_by_bin(db, number).values()) == 2
        else:
            assert outcomes == ["short", "short"], (number, outcomes)
            assert reserved_by_bin(db, number) == {}
    for sku in ("RACE-X", "RACE-Y"):
        assert level_figures(db, sku) == {("A-01-1", ""): (3, 3), ("A-01-2", ""): (2, 2)}
    assert allocations_match_reserved(db)
    with db.unit_of_work() as session:
        assert session.scalar(select(func.min(StockLevel.on_hand - StockLevel.reserved))) >= 0
    db.dispose()
