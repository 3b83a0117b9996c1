"""16 packing stations against one PostgreSQL while a manager's dashboard refreshes, an order
import runs and the outbox worker delivers to a stub shop (issue #15, point 4).

    .venv/bin/python bench/load_stations.py [--stations 16] [--orders 2000] [--import-lines 2000]
                                            [--postgres URL]

Set-up (not timed): a fresh database on the server (``--postgres``, else
``FULFIL_BENCH_POSTGRES_URL``, ``FULFIL_TEST_POSTGRES_URL`` or 127.0.0.1:5432 as postgres; made
here and dropped after), migrated, the demo warehouse, one packer per station and a
manager, ``--orders`` ready orders (1–2 lines of 1–3 units of plain products, reserved, ship-by
a year ago so they come first in the queue) that a local Shopify stand-in
(``tests/support/shopify_stub.py``, its cost bucket refilled at once: the load is ours, not
Shopify's throttle) also holds, the sales channel ``shop`` pointing at it, and one ZPL
printer simulator on TCP per station.

Run: the stations (``bench/load_workers.station``, one spawned process each), the dashboard
process and the import process start together at a barrier; this process runs the outbox
worker (``app.integrations.deliver``) in a loop meanwhile and afterwards until it is quiet.

Checks printed at the end (``LoadFigures.problems`` lists the broken ones): orders shipped
twice, stock levels negative (on hand, reserved, or reserved above on hand), tracking numbers
used twice, stations that did not finish (an error or a deadlock left unresolved; resolved
deadlocks are the retried statements counted), labels not at the printer, ``shipment.created``
messages not delivered exactly once (fulfilments counted on the stub). Figures: orders/s
(shipped ÷ the stations' wall time) and the scan latency's median and p99. Asserts nothing
about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keyring  # noqa: E402
from sqlalchemy import func, or_, select  # noqa: E402

from bench import load_workers  # noqa: E402
from bench.pack_latency import fresh_database, percentile  # noqa: E402
from drivers.sim.printer import ZplPrinterSimulator  # noqa: E402
from fulfilstation.credentials import SecretStore  # noqa: E402
from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.database import Database  # noqa: E402
from fulfilstation.db.models import (  # noqa: E402
    Allocation,
    Order,
    OrderLine,
    OutboxMessage,
    Package,
    Product,
    ProductBarcode,
    Shipment,
    StockLevel,
)
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.integrations.ports import ChannelConfig, ShopChannel  # noqa: E402
from fulfilstation.integrations.shopify import ShopifyChannel  # noqa: E402
from fulfilstation.services.app import AppServices, build_services  # noqa: E402
from fulfilstation.services.context import Ports  # noqa: E402
from fulfilstation.services.integrations import ChannelFields  # noqa: E402
from fulfilstation.services.outbox import SHIPMENT_CREATED  # noqa: E402
from fulfilstation.services.users.accounts import NewUser  # noqa: E402
from tests.support.app import FixedPrinters, sign_in  # noqa: E402
from tests.support.memory_keyring import MemoryKeyring  # noqa: E402
from tests.support.shopify_stub import LOCATION, ShopifyStub  # noqa: E402

CHANNEL = "shop"
MANAGER = ("loadmgr", "Load Manager", "8642")


def default_server() -> str:
    return (os.environ.get("FULFIL_BENCH_POSTGRES_URL") or os.environ.get("FULFIL_TEST_POSTGRES_URL")
            or "postgresql://postgres@127.0.0.1:5432/postgres")


@dataclass
class LoadFigures:
    stations: int
    orders: int
    shipped: int
    seconds: float
    scans: list[float]
    retried_deadlocks: int
    unfinished: list[str]
    shipped_twice: int
    negative_stock: int
    duplicate_tracking: int
    not_printed: int
    labels_at_printers: int
    shipped_messages: Counter[str]
    fulfilments_once: int
    fulfilments_more: int
    fulfilments_none: int
    dashboard_refreshes: list[float]
    import_summary: str
    import_seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def orders_per_s(self) -> float:
        return self.shipped / self.seconds if self.seconds else 0.0

    def problems(self) -> list[str]:
        """The invariants that do not hold (empty: all hold)."""
        found = []
        if self.shipped_twice:
            found.append(f"{self.shipped_twice} orders shipped twice")
        if self.negative_stock:
            found.append(f"{self.negative_stock} stock levels negative")
        if self.duplicate_tracking:
            found.append(f"{self.duplicate_tracking} tracking numbers used twice")
        if self.unfinished:
            found.append("unfinished: " + "; ".join(self.unfinished))
        if self.shipped != self.orders:
            found.append(f"{self.shipped} of {self.orders} orders shipped")
        if self.not_printed or self.labels_at_printers != self.shipped:
            found.append(f"{self.labels_at_printers} labels at the printers for {self.shipped} shipments "
                         f"({self.not_printed} said not printed)")
        if self.fulfilments_more or self.fulfilments_none:
            found.append(f"shop: {self.fulfilments_more} orders with more than one fulfilment, "
                         f"{self.fulfilments_none} shipped without one")
        if set(self.shipped_messages) - {"delivered"} or sum(self.shipped_messages.values()) != self.shipped:
            found.append(f"shipment.created messages for {self.shipped} shipments: {dict(self.shipped_messages)}")
        return found


def _say(text: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _owner_app(database: Database) -> AppServices:
    def adapters(config: ChannelConfig, secrets: SecretStore) -> ShopChannel:
        return ShopifyChannel(config, secrets, timeout=30.0)

    return build_services(database, Ports(printers=FixedPrinters(), channel_adapters=adapters), "LOAD-OFFICE")


def _packers(app: AppServices, count: int) -> list[tuple[str, str]]:
    owner = sign_in(app, "owner")
    made = []
    for number in range(1, count + 1):
        username, pin = f"load{number:02d}", f"{7000 + number * 37}"
        app.users.add(owner, NewUser(username, f"Load Packer {number}", "packer", pin=pin))
        made.append((username, pin))
    app.users.add(owner, NewUser(MANAGER[0], MANAGER[1], "manager", pin=MANAGER[2]))
    return made


def _orders(database: Database, shop: ShopifyStub, count: int) -> dict[str, str]:
    """``count`` ready, reserved orders ``L-00001``…, each also an order of the shop; returns
    the barcode a packer scans for each SKU used. Stock is added for what they take."""
    rng = random.Random(15)
    overdue = dt.date.today() - dt.timedelta(days=365)  # before any imported order's: first in the queue
    with database.unit_of_work() as session:
        stocked = select(StockLevel.product_id).where(StockLevel.lot_code == "")
        rows = session.execute(select(Product, ProductBarcode.code).join(ProductBarcode).where(
            Product.serial_tracked.is_(False), Product.lot_tracked.is_(False), Product.id.in_(stocked),
            Product.active.is_(True), ProductBarcode.pack_quantity == 1).order_by(Product.sku)).all()
        products: dict[str, tuple[Product, str]] = {}
        for product, code in rows:
            products.setdefault(product.sku, (product, code[2:] if code.startswith("00") else code))
        choices = list(products.values())
        levels = {product.id: session.scalars(select(StockLevel).where(
            StockLevel.product_id == product.id, StockLevel.lot_code == "").order_by(StockLevel.id)).first()
            for product, _code in choices}
        for index in range(1, count + 1):
            lines = [(product, rng.randint(1, 3)) for product, _code in rng.sample(choices, rng.choice((1, 1, 2)))]
            gid = shop.add_order(tuple((product.sku, quantity, "9.99") for product, quantity in lines))
            order = Order(channel=CHANNEL, external_id=gid, number=f"{load_workers.ORDER_PREFIX}{index:05d}",
                          status="ready", ship_by=overdue, ship_to_name="Load Test",
                          ship_to_line1="1 Main St", ship_to_city="Columbus", ship_to_postal_code="43215",
                          ship_to_country="US")
            session.add(order)
            session.flush()
            for line_no, (product, quantity) in enumerate(lines, start=1):
                line = OrderLine(order_id=order.id, line_no=line_no, product_id=product.id, quantity=quantity)
                session.add(line)
                session.flush()
                level = levels[product.id]
                assert level is not None
                level.on_hand += quantity
                level.reserved += quantity
                session.add(Allocation(order_line_id=line.id, stock_level_id=level.id, quantity=quantity))
    for sku in products:
        shop.add_variant(sku, available=0)
    return {sku: code for sku, (_product, code) in products.items()}


def _deliver_loop(app: AppServices, stop: threading.Event, passes: list[int]) -> None:
    manager = app.users.sign_in_with_pin(MANAGER[0], MANAGER[2])
    while not stop.is_set():
        done = app.integrations.deliver(manager)
        passes.append(done.delivered)
        stop.wait(0.2)


def _deliver_until_quiet(app: AppServices, limit_s: float = 300.0) -> None:
    manager = app.users.sign_in_with_pin(MANAGER[0], MANAGER[2])
    deadline = time.monotonic() + limit_s
    quiet = 0
    while time.monotonic() < deadline and quiet < 3:
        done = app.integrations.deliver(manager)
        busy = done.delivered or done.retried or done.stock_delivered or done.stock_queued
        quiet = 0 if busy else quiet + 1
        if not busy:
            time.sleep(0.3)


def measure(server: str, stations: int = 16, orders: int = 2000, import_lines: int = 2000) -> LoadFigures:
    """Run the load on a fresh database of ``server``; the figures and the checks' counts."""
    previous_keyring = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # the channel's token, for this process's outbox worker only
    try:
        with fresh_database("postgresql", server) as database, tempfile.TemporaryDirectory() as slips, \
                ShopifyStub() as shop:
            return _run(database, shop, Path(slips), stations, orders, import_lines)
    finally:
        keyring.set_keyring(previous_keyring)


def _run(database: Database, shop: ShopifyStub, slips: Path, stations: int, orders: int,
         import_lines: int) -> LoadFigures:
    shop.restore_rate = 1e9  # a stand-in, not Shopify's throttle: the bucket is full at every request
    migrate.upgrade(database.engine, backup_dir=Path(tempfile.gettempdir()) / "fulfil-bench-backups")
    seed_demo(database)
    app = _owner_app(database)
    owner = sign_in(app, "owner")
    app.integrations.add_channel(owner, ChannelFields(CHANNEL, "shopify", shop.base_url, LOCATION, {}))
    app.integrations.set_secret(owner, CHANNEL, "token", shop.token)
    packers = _packers(app, stations)
    barcodes = _orders(database, shop, orders)
    _say(f"set-up: {orders} orders, {stations} packers")
    _deliver_until_quiet(app)  # the stock watcher's first full pass, before the clock starts
    _say("outbox quiet; starting the stations")
    url = database.engine.url.render_as_string(hide_password=False)
    printers = [ZplPrinterSimulator() for _ in range(stations)]
    spawn = multiprocessing.get_context("spawn")
    shared = spawn.Manager()  # a barrier and an event a pool's workers can be given (proxies)
    barrier = shared.Barrier(stations + 2)
    stop_dashboard = shared.Event()
    stop_deliver = threading.Event()
    passes: list[int] = []
    deliverer = threading.Thread(target=_deliver_loop, args=(app, stop_deliver, passes), daemon=True)
    unfinished: list[str] = []
    try:
        with spawn.Pool(stations + 2) as pool:
            dashboard = pool.apply_async(load_workers.dashboard, (url, "LOAD-MANAGER", MANAGER[0], MANAGER[2],
                                                                  barrier, stop_dashboard))
            importing = pool.apply_async(load_workers.order_import, (url, "LOAD-IMPORT", MANAGER[0], MANAGER[2],
                                                                     import_lines, barrier))
            packing = [pool.apply_async(load_workers.station, (url, f"LOAD-{n + 1:02d}", username, pin,
                                                               printers[n].uri, str(slips / f"s{n}"), barcodes,
                                                               barrier))
                       for n, (username, pin) in enumerate(packers)]
            deliverer.start()
            results: list[dict[str, Any]] = []
            for n, job in enumerate(packing):
                try:
                    results.append(job.get(timeout=3600))
                except Exception as exc:  # a station process that died: unresolved
                    unfinished.append(f"LOAD-{n + 1:02d}: {type(exc).__name__}: {exc}")
            imported = importing.get(timeout=3600)
            stop_dashboard.set()
            refreshed = dashboard.get(timeout=120)
    finally:
        stop_deliver.set()
        deliverer.join(timeout=120)
        labels = sum(len(printer.jobs) for printer in printers)
        for printer in printers:
            printer.stop()
        shared.shutdown()
    _say("stations done; delivering what is left")
    _deliver_until_quiet(app)
    unfinished += [f"{r['station']}: {r['error']}" for r in results if r["error"]]
    for name, result in (("dashboard", refreshed), ("import", imported)):
        if result["error"]:
            unfinished.append(f"{name}: {result['error']}")
    shipped = [entry for r in results for entry in r["shipped"]]
    return LoadFigures(
        stations=stations, orders=orders, shipped=len(shipped),
        seconds=max((r["seconds"] for r in results), default=0.0),
        scans=[sample for r in results for sample in r["scans"]],
        retried_deadlocks=sum(r["retries"] for r in results), unfinished=unfinished,
        **_checks(database, shop), not_printed=sum(len(r["not_printed"]) for r in results),
        labels_at_printers=labels, dashboard_refreshes=refreshed["refreshes"],
        import_summary=imported["summary"], import_seconds=imported["seconds"])


def _checks(database: Database, shop: ShopifyStub) -> dict[str, Any]:
    """The invariants, counted in the database and on the stub shop."""
    with database.unit_of_work() as session:
        live = Shipment.voided_at.is_(None)
        twice = session.scalar(select(func.count()).select_from(
            select(Shipment.order_id).where(live).group_by(Shipment.order_id)
            .having(func.count() > 1).subquery())) or 0
        negative = session.scalar(select(func.count()).select_from(StockLevel).where(or_(
            StockLevel.on_hand < 0, StockLevel.reserved < 0, StockLevel.reserved > StockLevel.on_hand))) or 0
        duplicate = 0
        for column in (Shipment.tracking_number, Package.tracking_number):
            duplicate += session.scalar(select(func.count()).select_from(
                select(column).where(column.is_not(None)).group_by(column).having(func.count() > 1).subquery())) or 0
        messages = Counter(session.scalars(select(OutboxMessage.status).where(
            OutboxMessage.topic == SHIPMENT_CREATED, OutboxMessage.channel == CHANNEL)))
        shipped_gids = list(session.scalars(select(Order.external_id).join(Shipment, Shipment.order_id == Order.id)
                                            .where(Order.channel == CHANNEL, live)))
    counts = Counter(len(shop.fulfillments_of(gid)) for gid in shipped_gids)
    return {"shipped_twice": int(twice), "negative_stock": int(negative), "duplicate_tracking": int(duplicate),
            "shipped_messages": messages, "fulfilments_once": counts[1],
            "fulfilments_more": sum(n for k, n in counts.items() if k > 1), "fulfilments_none": counts[0]}


def report(figures: LoadFigures) -> None:
    ms = sorted(sample * 1000 for sample in figures.scans)
    print(f"\n{figures.stations} stations, {figures.orders} orders on PostgreSQL")
    print(f"  shipped                       {figures.shipped} in {figures.seconds:.1f} s = "
          f"{figures.orders_per_s:.1f} orders/s")
    if ms:
        print(f"  scan latency                  median {percentile(ms, 0.5):.1f} ms   p99 "
              f"{percentile(ms, 0.99):.1f} ms   (n={len(ms)})")
    print(f"  orders shipped twice          {figures.shipped_twice}")
    print(f"  negative stock levels         {figures.negative_stock}")
    print(f"  duplicate tracking numbers    {figures.duplicate_tracking}")
    print(f"  deadlocks retried / left      {figures.retried_deadlocks} / {len(figures.unfinished)} unfinished")
    print(f"  labels at the printers        {figures.labels_at_printers}")
    print(f"  shipment.created messages        {dict(figures.shipped_messages)}; on the shop: "
          f"{figures.fulfilments_once} fulfilled once, {figures.fulfilments_more} more than once, "
          f"{figures.fulfilments_none} never")
    refreshes = figures.dashboard_refreshes
    if refreshes:
        print(f"  dashboard refreshes           {len(refreshes)}, p99 {percentile(refreshes, 0.99) * 1000:.0f} ms")
    print(f"  import alongside              {figures.import_seconds:.1f} s: {figures.import_summary}")
    problems = figures.problems()
    print("  checks                        " + ("all hold" if not problems else "BROKEN: " + "; ".join(problems)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stations", type=int, default=16)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--import-lines", type=int, default=2000)
    parser.add_argument("--postgres", default=default_server())
    args = parser.parse_args()
    report(measure(args.postgres, args.stations, args.orders, args.import_lines))


if __name__ == "__main__":
    main()
