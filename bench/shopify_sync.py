"""Shopify polling and stock pushes against the local stub: what Shopify's query-cost
bucket (1000 points, 50 a second — the documented standard figures) makes a sync take.

    .venv/bin/python bench/shopify_sync.py [--orders 1000] [--lines 3] [--skus 2000]

The adapter's waits for the bucket go to a simulated clock shared with the stub, so the
figures are: wall time spent here (HTTP, JSON, mapping on this machine), and the time
Shopify's rate limit would add (the simulated waits). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keyring  # noqa: E402

from fulfilstation.integrations.ports import StockPush  # noqa: E402
from tests.support.memory_keyring import MemoryKeyring  # noqa: E402
from tests.support.shopify_stub import FakeTime, ShopifyStub, channel_for  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=3)
    parser.add_argument("--skus", type=int, default=2000)
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    fake = FakeTime()
    with ShopifyStub(clock=fake.clock) as stub:
        for n in range(args.orders):
            stub.add_order([(f"SKU-{(n + k) % 97:03d}", 1 + k, "12.50") for k in range(args.lines)])
        channel = channel_for(stub, time_=fake)
        started, state, pages, orders = time.perf_counter(), {}, 0, 0
        while True:
            page = channel.fetch_orders(state)
            pages, orders, state = pages + 1, orders + len(page.orders), dict(page.state)
            if not page.more:
                break
        wall, waited = time.perf_counter() - started, channel.client.waited
        print(f"poll: {orders} orders ({args.lines} lines each) in {pages} pages: {wall:.2f} s here, "
              f"+{waited:.1f} s waiting for Shopify's bucket (throttled {stub.throttled} times) "
              f"= {orders / max(wall + waited, 1e-9):.0f} orders/s against a standard-plan shop")
        for n in range(args.skus):
            stub.add_variant(f"V-{n:05d}", available=10)
        before = channel.client.waited
        started = time.perf_counter()
        result = channel.set_stock([StockPush(f"V-{n:05d}", n % 50) for n in range(args.skus)])
        wall, waited = time.perf_counter() - started, channel.client.waited - before
        print(f"stock: {result['set']} SKUs resolved and set ({stub.count('inventorySetQuantities')} mutations): "
              f"{wall:.2f} s here, +{waited:.1f} s waiting for the bucket")
        listings = [StockPush(sku, 7, external_id=found["external_id"], inventory_item_id=found["inventory_item_id"])
                    for sku, found in result["listings"].items() if found]
        before, started = channel.client.waited, time.perf_counter()
        channel.set_stock(listings)
        wall, waited = time.perf_counter() - started, channel.client.waited - before
        print(f"stock again with known listings: {len(listings)} SKUs: {wall:.2f} s here, +{waited:.1f} s waiting")


if __name__ == "__main__":
    main()
