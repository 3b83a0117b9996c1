"""The ledger invariant (SQLite and PostgreSQL): every stock level's on hand is the sum of
its stock moves. The demo seed obeys it; so does a day of moves, adjustments, packs,
shipments, voids and cancels; ``rebuild_levels`` adds the ledger up and ``check`` lists
every level that differs — and every level whose reserved figure is not what the orders'
allocations in it add up to."""

from __future__ import annotations

import datetime as dt
import threading
import time

from sqlalchemy import URL, insert, select, text, update
from sqlalchemy.engine import Connection

from fulfilstation.db.database import Database
from fulfilstation.db.models import Bin, Order, Product, StockLevel, StockMove
from fulfilstation.services.stock import MoveItem
from fulfilstation.services.stock.ledger import rebuild_levels
from tests.db.test_stock_moves import MUG, TEA, empty_bins, level
from tests.support.app import app_for, sign_in
from tests.support.orders import pack_all, ship_packed
from tests.support.warehouse import make_order


def levels_and_ledger(database: Database) -> tuple[dict[tuple[int, int, str], int], dict[tuple[int, int, str], int]]:
    with database.unit_of_work() as session:
        levels = {(p, b, lot): on_hand for p, b, lot, on_hand in session.execute(
            select(StockLevel.product_id, StockLevel.bin_id, StockLevel.lot_code, StockLevel.on_hand)) if on_hand}
        return levels, rebuild_levels(session)


def test_the_demo_seed_obeys_the_ledger(seeded_database: Database) -> None:
    levels, ledger = levels_and_ledger(seeded_database)
    assert levels == ledger and len(levels) > 40
    check = app_for(seeded_database).stock.check()
    assert check.consistent and check.levels == len(levels) and check.moves == len(levels)


def test_a_day_of_moves_adjustments_packs_ships_voids_and_cancels_adds_up(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
    first, second = empty_bins(db, 2)
    mug, tea = level(app, MUG), level(app, TEA)
    app.stock.move(packer, MUG, mug.bin, first, 10)
    app.stock.move_many(packer, tea.bin, first, [MoveItem(TEA, 3), MoveItem(TEA, 2)])
    app.stock.adjust(manager, MUG, first, "counted", set_to=12)
    app.stock.adjust(manager, TEA, first, "found damaged", by=-1, write_off=True)
    app.stock.adjust(manager, MUG, second, "found on the floor", set_to=2)
    shipped = []
    for lines in ([(MUG, 2), ("SOAP-LAV-100", 1)], [("BTL-GL-500", 1)], [("MUG-ENA-300", 3)]):
        number = make_order(db, lines)
        shipped.append(ship_packed(app, packer, pack_all(app, packer, number, lines)))
    app.shipping.void(manager, shipped[1], "label smudged")
    cancelled = make_order(db, [(MUG, 1)])
    app.orders.cancel(manager, cancelled, "customer changed their mind")
    app.stock.move(packer, MUG, first, mug.bin, 12)
    levels, ledger = levels_and_ledger(db)
    assert levels == ledger
    check = app.stock.check()
    assert check.consistent and check.differences == () and check.reservations == ()
    reasons = {entry.reason for entry in app.stock.moves(limit=1000)}
    assert reasons == {"receive", "move", "adjust", "scrap", "ship", "void"}


def test_check_lists_each_level_that_differs(seeded_database: Database) -> None:
    db = seeded_database
    app = app_for(db)
    mug = level(app, MUG)
    with db.unit_of_work() as session:  # a figure changed behind the ledger's back
        session.execute(update(StockLevel).where(
            StockLevel.product_id == select(Product.id).where(Product.sku == MUG).scalar_subquery(),
            StockLevel.bin_id == select(Bin.id).where(Bin.code == mug.bin).scalar_subquery())
            .values(on_hand=mug.on_hand + 5))
    check = app.stock.check()
    assert not check.consistent and check.reservations == ()
    (difference,) = check.differences
    assert (difference.sku, difference.bin, difference.lot, difference.on_hand, difference.from_moves) == (
        MUG, mug.bin, "", mug.on_hand + 5, mug.on_hand)
    with db.unit_of_work() as session:  # and a reserved figure no order's allocation explains
        session.execute(update(StockLevel).where(
            StockLevel.product_id == select(Product.id).where(Product.sku == MUG).scalar_subquery())
            .values(reserved=StockLevel.reserved + 1))
    (held,) = app.stock.check().reservations
    assert (held.sku, held.bin, held.reserved, held.allocated) == (MUG, mug.bin, mug.reserved + 1, mug.reserved)


def _waiting_for_a_lock(watcher: Connection) -> int:
    """Sessions of this database waiting for a lock, now. pg_stat_activity is read once per
    transaction and kept until it ends, so each look ends its transaction: a watcher that
    first looked before the void got to the row saw that moment until the void timed out."""
    waiting = watcher.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                  "AND datname = current_database()"))
    watcher.rollback()
    return int(waiting or 0)


def test_a_void_keeps_a_change_committed_while_it_waited(postgres_seeded_url: URL) -> None:
    """A void adds the shipped units back in the database (``on_hand = on_hand + q``), not a
    figure it read earlier: an adjustment of the same level that commits while the void waits
    for the row is kept, and the levels still add up (PostgreSQL: SQLite has one writer)."""
    db = Database.connect(postgres_seeded_url)
    try:
        app = app_for(db)
        packer, manager = sign_in(app, "packer"), sign_in(app, "manager")
        number = make_order(db, [(MUG, 2)])
        tracking = ship_packed(app, packer, pack_all(app, packer, number, [(MUG, 2)]))
        with db.unit_of_work() as session:
            move = session.scalars(select(StockMove).where(StockMove.order_id == select(Order.id).where(
                Order.number == number).scalar_subquery(), StockMove.reason == "ship")).one()
            level_id = session.scalar(select(StockLevel.id).where(
                StockLevel.product_id == move.product_id, StockLevel.bin_id == move.from_bin_id))
            product_id, bin_id = move.product_id, move.from_bin_id
        errors: list[BaseException] = []
        with db.engine.connect() as other:
            other.execute(update(StockLevel).where(StockLevel.id == level_id).values(on_hand=StockLevel.on_hand + 5))
            other.execute(insert(StockMove).values(product_id=product_id, to_bin_id=bin_id, lot_code="", quantity=5,
                                                   reason="adjust", note="found", created_at=dt.datetime.now(dt.UTC)))

            def void() -> None:
                try:
                    app.shipping.void(manager, tracking, "label smudged")
                except BaseException as error:  # noqa: BLE001 - reported by the test
                    errors.append(error)

            worker = threading.Thread(target=void)
            worker.start()
            with db.engine.connect() as watcher:
                # until the void waits for the row the other transaction holds (in this database:
                # other tests' waits on the same server do not count); a loaded machine may take a
                # while to get the void there, so the bound is generous and only ends a stuck run
                deadline = time.monotonic() + 90
                while not _waiting_for_a_lock(watcher):
                    assert worker.is_alive(), f"the void ended without waiting for the stock level: {errors}"
                    assert time.monotonic() < deadline, "the void never waited for the stock level"
                    time.sleep(0.05)
            other.commit()
            worker.join(timeout=30)
        assert not errors and not worker.is_alive()
        levels, ledger = levels_and_ledger(db)
        assert levels == ledger and app.stock.check().consistent
    finally:
        db.dispose()
