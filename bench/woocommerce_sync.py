"""WooCommerce and webhooks: how fast orders come in and stock goes out.

    .venv/bin/python bench/woocommerce_sync.py [--orders 5000] [--skus 2000] [--deliveries 400] [--postgres URL]

1. ``fetch_orders`` pages through ``--orders`` orders on the local WooCommerce stub (100 a
   page, HTTP on 127.0.0.1, mapping to ``IncomingOrder`` included): orders/s.
2. ``set_stock`` for ``--skus`` SKUs never seen before (looked up 50 a request, written 100
   a batch): SKUs/s, and the requests it took.
3. ``serve-webhooks``: ``--deliveries`` signed WooCommerce order webhooks sent by 8 clients at
   once (each id twice: the repeat is answered as such), through the signature check, the
   claim in ``webhook_deliveries`` and the use case (the intake door replaced by a
   counter, as it is not merged yet): deliveries/s and the slowest answer, on SQLite and, with
   ``--postgres`` or ``FULFIL_TEST_POSTGRES_URL``, PostgreSQL. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import keyring  # noqa: E402
from pack_latency import fresh_database  # noqa: E402

from fulfilstation.cli.webhooks_command import AppReceiver  # noqa: E402
from fulfilstation.credentials import SecretStore  # noqa: E402
from fulfilstation.db import migrate  # noqa: E402
from fulfilstation.db.models import SalesChannel  # noqa: E402
from fulfilstation.demo.seed import seed_demo  # noqa: E402
from fulfilstation.integrations.ports import IncomingOrder, StockPush  # noqa: E402
from fulfilstation.integrations.signatures import sign  # noqa: E402
from fulfilstation.integrations.webhooks import WebhookServer  # noqa: E402
from fulfilstation.services.actor import Actor  # noqa: E402
from tests.support.app import app_for, sign_in  # noqa: E402
from tests.support.memory_keyring import MemoryKeyring  # noqa: E402
from tests.support.woocommerce_stub import WooCommerceStub, channel_for  # noqa: E402

SECRET = "bench-webhook-secret"


def bench_orders(count: int) -> None:
    with WooCommerceStub() as stub:
        for n in range(count):
            stub.add_order(lines=[(f"SKU-{n % 97}", 1 + n % 3, "9.99"), (f"SKU-{n % 89}", 1, "4.50")])
        channel = channel_for(stub)
        started = time.perf_counter()
        state: dict[str, object] = {}
        seen: set[str] = set()
        pages = 0
        while True:
            page = channel.fetch_orders(state)
            pages += 1
            seen |= {o.external_id for o in page.orders}
            state = dict(page.state)
            if not page.more:
                break
        took = time.perf_counter() - started
    print(f"fetch_orders: {len(seen)} orders in {pages} pages, {took:.2f} s ({len(seen) / took:,.0f} orders/s)")


def bench_stock(count: int) -> None:
    with WooCommerceStub() as stub:
        for n in range(count):
            stub.add_product(f"SKU-{n:05d}", stock=0)
        channel = channel_for(stub)
        started = time.perf_counter()
        result = channel.set_stock([StockPush(f"SKU-{n:05d}", n % 40) for n in range(count)])
        took = time.perf_counter() - started
        found = sum(1 for v in result["listings"].values() if v)
        print(f"set_stock: {found} SKUs in {took:.2f} s ({count / took:,.0f} SKUs/s), {len(stub.requests)} requests")


def bench_webhooks(backend: str, server_url: str | None, deliveries: int) -> None:
    with fresh_database(backend, server_url) as database:
        migrate.upgrade(database.engine, backup_dir=Path(tempfile.gettempdir()) / "fulfil-bench-backups")
        seed_demo(database)
        with database.unit_of_work() as session:
            session.add(SalesChannel(name="woo", kind="woocommerce"))
        SecretStore().set("channel:woo:webhook", SECRET)
        app = app_for(database)
        taken: list[int] = []
        lock = threading.Lock()

        def deliver(actor: Actor, orders: Sequence[IncomingOrder], source: str) -> None:
            with lock:
                taken.append(len(orders))

        with WebhookServer("127.0.0.1", 0, AppReceiver(app, sign_in(app, "manager"), deliver=deliver)) as server:
            host, port = server.address
            bodies = [json.dumps({"id": 9000 + n, "status": "processing", "line_items": [
                {"id": 1, "sku": "MUG-CER-350", "quantity": 1, "price": 12.5}]}).encode() for n in range(deliveries)]

            def send(n: int) -> float:
                body = bodies[n % deliveries]
                started = time.perf_counter()
                connection = http.client.HTTPConnection(host, port, timeout=30)
                connection.request("POST", "/webhooks/woocommerce/woo", body, {
                    "X-WC-Webhook-Signature": sign(SECRET, body), "X-WC-Webhook-Delivery-ID": f"d-{n % deliveries}",
                    "X-WC-Webhook-Topic": "order.created"})
                status = connection.getresponse().status
                connection.close()
                assert status == 200, status
                return time.perf_counter() - started

            started = time.perf_counter()
            with ThreadPoolExecutor(8) as pool:
                latencies = sorted(pool.map(send, range(2 * deliveries)))
            took = time.perf_counter() - started
        print(f"webhooks ({backend}): {2 * deliveries} deliveries ({deliveries} repeats) in {took:.2f} s "
              f"({2 * deliveries / took:,.0f}/s), median {latencies[len(latencies) // 2] * 1000:.0f} ms, "
              f"slowest {latencies[-1] * 1000:.0f} ms; taken once each: {len(taken) == deliveries}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--skus", type=int, default=2000)
    parser.add_argument("--deliveries", type=int, default=400)
    parser.add_argument("--postgres", default=os.environ.get("FULFIL_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    bench_orders(args.orders)
    bench_stock(args.skus)
    bench_webhooks("sqlite", None, args.deliveries)
    if args.postgres:
        bench_webhooks("postgresql", args.postgres, args.deliveries)


if __name__ == "__main__":
    main()
