"""Stock to WooCommerce: SKUs found (products and variations), batches of at most 100."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from fulfilstation.integrations.ports import StockPush
from tests.support.woocommerce_stub import WooCommerceStub, channel_for


@pytest.fixture
def stub() -> Iterator[WooCommerceStub]:
    with WooCommerceStub() as running:
        yield running


def test_products_and_variations_get_their_quantity_and_unknown_skus_say_so(stub: WooCommerceStub) -> None:
    mug = stub.add_product("MUG-1", stock=40)
    shirt = stub.add_product("SHIRT")
    shirt_m = stub.add_product("SHIRT-M", parent=shirt, stock=3)

    result = channel_for(stub).set_stock([StockPush("MUG-1", 12), StockPush("SHIRT-M", 0),
                                          StockPush("GONE", 5)])

    assert stub.products[mug]["stock_quantity"] == 12 and stub.products[mug]["manage_stock"] is True
    assert stub.products[shirt_m]["stock_quantity"] == 0
    assert result["listings"] == {"MUG-1": {"external_id": str(mug)},
                                  "SHIRT-M": {"external_id": f"{shirt}:{shirt_m}"}, "GONE": None}
    assert stub.count("products") == 1  # one look-up for all the SKUs
    assert stub.count("products_batch") == 1 and stub.count("variations_batch") == 1


def test_known_listings_skip_the_lookup(stub: WooCommerceStub) -> None:
    mug = stub.add_product("MUG-1", stock=40)
    shirt = stub.add_product("SHIRT")
    shirt_m = stub.add_product("SHIRT-M", parent=shirt, stock=3)
    channel_for(stub).set_stock([StockPush("MUG-1", 7, external_id=str(mug)),
                                 StockPush("SHIRT-M", 2, external_id=f"{shirt}:{shirt_m}")])
    assert stub.count("products") == 0
    assert (stub.products[mug]["stock_quantity"], stub.products[shirt_m]["stock_quantity"]) == (7, 2)


def test_a_listing_deleted_in_the_shop_comes_back_as_none(stub: WooCommerceStub) -> None:
    result = channel_for(stub).set_stock([StockPush("MUG-1", 7, external_id="424242")])
    assert result["listings"] == {"MUG-1": None}
    assert "Invalid ID." in result["errors"]["MUG-1"]


def test_batches_hold_at_most_100(stub: WooCommerceStub) -> None:
    ids = {f"SKU-{n:03d}": stub.add_product(f"SKU-{n:03d}", stock=0) for n in range(250)}
    result = channel_for(stub).set_stock([StockPush(sku, n) for n, sku in enumerate(ids)])

    batches = [body for route, _m, _p, body in stub.requests if route == "products_batch"]
    assert [len(b["update"]) for b in batches] == [100, 100, 50]
    assert all(stub.products[pid]["stock_quantity"] == n for n, pid in enumerate(ids.values()))
    assert all(result["listings"][sku] == {"external_id": str(pid)} for sku, pid in ids.items())
    assert json.dumps(result)  # the outbox stores it as JSON
