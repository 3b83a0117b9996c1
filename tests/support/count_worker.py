"""Stations in their own processes working one bin while a counter counts it, for the
cycle-count race test (importable by spawn).

Movers (packers) move units of a product between the counted bin and another, the adjuster
(a manager) finds or loses units in it, the picker picks units from it into totes (a pick
list line, as the picking area records it: still on hand until shipped). Every one of them
works through the use cases. The physical act — a unit leaving or reaching the shelf — and
the counter's look at the shelf are made instantaneous by a PostgreSQL advisory lock each
takes around its action, so the test knows what a counter standing there would find: the
system's figure less the units lost before the test began. Posting a count is NOT under the
lock: it races with every move, which is what the test is about.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from multiprocessing.synchronize import Barrier

from sqlalchemy import Connection, func, select, text

from fulfilstation.db.database import Database
from fulfilstation.db.models import (
    Allocation,
    Bin,
    Order,
    OrderLine,
    PickListLine,
    Product,
    StockLevel,
    StockMove,
)
from fulfilstation.db.url import parse_url
from fulfilstation.services.actor import Actor
from fulfilstation.services.app import AppServices
from fulfilstation.services.packing import Weighing
from fulfilstation.services.refused import Refused
from tests.support.app import app_for, sign_in
from tests.support.counts import pick_into_tote
from tests.support.warehouse import unit_barcode

SHELF_LOCK = 1313


@contextmanager
def at_the_shelf(connection: Connection) -> Iterator[None]:
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SHELF_LOCK})
    try:
        yield
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SHELF_LOCK})


def work_the_bin(url: str, station: str, username: str, job: str, sku: str, counted_bin: str, other_bin: str,
                 orders: list[str], rounds: int, barrier: Barrier, seed: int) -> dict[str, object]:
    """``job`` is move, adjust, pick, receive or ship; returns the net units it put into
    ``counted_bin``'s on hand (and the units it picked). ``orders``: ready orders of one unit
    reserved in ``counted_bin`` — the picker picks for the first, the shipper ships one a round."""
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station)
    actor = sign_in(app, username)
    rng = random.Random(seed)
    into, picked, refusals, failures = 0, 0, 0, []
    barrier.wait(timeout=60)
    with database.engine.connect() as lock:
        lock.execution_options(isolation_level="AUTOCOMMIT")
        for round_ in range(rounds):
            try:
                with at_the_shelf(lock) if job in ("move", "adjust", "pick") else nullcontext():
                    if job == "move":
                        quantity = rng.randint(1, 4)
                        if rng.random() < 0.5:
                            into -= app.stock.move(actor, sku, counted_bin, other_bin, quantity).quantity
                        else:
                            into += app.stock.move(actor, sku, other_bin, counted_bin, quantity).quantity
                    elif job == "adjust":
                        into += app.stock.adjust(actor, sku, counted_bin, "found", by=rng.choice([-1, 1, 2, 3])).change
                    elif job == "pick":
                        pick_into_tote(database, orders[0], sku, counted_bin, 1)
                        picked += 1
                if job == "receive":
                    into += _receive(app, actor, lock, sku, counted_bin, rng.randint(1, 3))
                elif job == "ship":
                    into -= _pick_and_ship(app, actor, lock, orders[1 + round_], sku, counted_bin)
            except Refused:
                refusals += 1
            except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
                failures.append(f"{type(exc).__name__}: {exc}")
    database.dispose()
    return {"into": into, "picked": picked, "refusals": refusals, "failures": failures}


def _receive(app: AppServices, actor: Actor, lock: Connection, sku: str, bin_code: str, units: int) -> int:
    """An ad hoc receipt of ``units`` into the bin, scanned unit by unit; the units reach the
    shelf when it is closed (posted). Returns the units received."""
    receipt = app.receiving.start(actor, supplier="Race Supplies", bin=bin_code).summary.number
    barcode, cursor = unit_barcode(app.receiving.database, sku), None
    for _unit in range(units):
        outcome = app.receiving.scan(actor, receipt, barcode, cursor)
        assert outcome.accepted, outcome.message
        cursor = outcome.cursor
    with at_the_shelf(lock):
        app.receiving.close(actor, receipt)
    return units


def _pick_and_ship(app: AppServices, actor: Actor, lock: Connection, number: str, sku: str, bin_code: str) -> int:
    """Order ``number`` (one unit reserved in the bin) picked from the bin into a tote (the
    unit leaves the shelf), then packed and shipped (on hand goes down, the tote empties:
    the shelf does not change). Returns 1."""
    database = app.packing.database
    with at_the_shelf(lock):
        pick_into_tote(database, number, sku, bin_code, 1)
    view = app.packing.start(actor, number)
    scanned = app.packing.scan(actor, view.session_id, unit_barcode(database, sku))
    assert scanned.accepted, scanned.message
    assert scanned.view.expected_g is not None
    app.shipping.ship(actor, view.session_id, Weighing(scanned.view.expected_g))
    return 1


def reserved_in(database: Database, number: str) -> str | None:
    """The bin holding order ``number``'s reservation."""
    with database.unit_of_work() as session:
        return session.scalar(select(Bin.code).join(StockLevel, StockLevel.bin_id == Bin.id)
                              .join(Allocation, Allocation.stock_level_id == StockLevel.id)
                              .join(OrderLine, OrderLine.id == Allocation.order_line_id)
                              .join(Order, Order.id == OrderLine.order_id).where(Order.number == number))


def shelf_figure(connection: Connection, sku: str, bin_code: str) -> int:
    """What the system holds on the shelf: on hand less the units picked from it for orders
    not shipped yet — computed here on its own, not by the counts area."""
    product = select(Product.id).where(Product.sku == sku).scalar_subquery()
    bin_ = select(Bin.id).where(Bin.code == bin_code).scalar_subquery()
    on_hand = connection.scalar(select(StockLevel.on_hand).where(StockLevel.product_id == product,
                                                                 StockLevel.bin_id == bin_)) or 0
    picked = connection.scalar(select(func.coalesce(func.sum(PickListLine.picked_quantity), 0))
                               .join(OrderLine, OrderLine.id == PickListLine.order_line_id)
                               .join(Order, Order.id == OrderLine.order_id)
                               .where(PickListLine.product_id == product, PickListLine.bin_id == bin_,
                                      Order.status != "shipped")) or 0
    return int(on_hand) - int(picked)


def count_the_bin(url: str, station: str, sku: str, counted_bin: str, lost: int, cycles: int,
                  barrier: Barrier) -> dict[str, object]:
    """Count ``counted_bin`` ``cycles`` times: create (manager), look at the shelf and record
    what is there (packer: the system's figure less the ``lost`` units not yet posted), then
    complete (or approve) while the others keep working. Returns each count's posted variance."""
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station)
    manager, packer = sign_in(app, "manager"), sign_in(app, "packer")
    variances: list[int] = []
    failures: list[str] = []
    missing = lost
    barrier.wait(timeout=60)
    with database.engine.connect() as lock:
        lock.execution_options(isolation_level="AUTOCOMMIT")
        for _cycle in range(cycles):
            try:
                number = app.counts.create(manager, bins=[counted_bin]).number
                with at_the_shelf(lock):
                    app.counts.count_line(packer, number, counted_bin, sku, shelf_figure(lock, sku, counted_bin)
                                          - missing)
                    last = lock.scalar(select(func.max(StockMove.id))) or 0
                _a_move_after(lock, last)  # the bin changes between the count and its posting
                done = app.counts.complete(packer, number)
                if done.needs_approval:
                    done = app.counts.approve(manager, number)
                variances.append(sum(line.variance for line in done.lines))
                missing = 0
            except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
                failures.append(f"{type(exc).__name__}: {exc}")
    database.dispose()
    return {"variances": variances, "failures": failures}


def _a_move_after(connection: Connection, last: int, patience: float = 10.0) -> None:
    """Wait (at most ``patience`` seconds) until another station has made a stock move."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline and not connection.scalar(select(StockMove.id).where(StockMove.id > last)
                                                                 .limit(1)):
        time.sleep(0.01)


def complete_at_once(url: str, station: str, number: str, barrier: Barrier) -> str:
    """Complete count ``number`` when every process is ready: 'posted' or the refusal's code."""
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station)
    actor = sign_in(app, "manager")
    barrier.wait(timeout=60)
    try:
        app.counts.approve(actor, number)
        return "posted"
    except Refused as refused:
        return str(refused.code)
    finally:
        database.dispose()


def create_at_once(url: str, station: str, bin_code: str, barrier: Barrier) -> str:
    """Create a count of ``bin_code`` when every process is ready: its number or the refusal's code."""
    database = Database.connect(parse_url(url))
    app = app_for(database, station=station)
    actor = sign_in(app, "manager")
    barrier.wait(timeout=60)
    try:
        return app.counts.create(actor, bins=[bin_code]).number
    except Refused as refused:
        return str(refused.code)
    finally:
        database.dispose()
