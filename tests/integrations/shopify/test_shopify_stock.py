"""Setting the shop's stock: SKUs resolved to inventory items (and reported back as listings
to keep), absolute quantities at the configured location, in batches Shopify accepts."""

from __future__ import annotations

import pytest

from fulfilstation.integrations.ports import SETUP_RETRY_SECONDS, ChannelError, StockPush
from fulfilstation.integrations.shopify import ShopifyChannel
from tests.support.shopify_stub import FakeTime, ShopifyStub, channel_for


def test_stock_is_set_and_listings_are_reported(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    tee = stub.add_variant("TEE-M", available=40)
    mug = stub.add_variant('MUG "XL" 12oz', available=3)
    stub.add_variant("TEE-MM", available=9)  # a longer SKU that a loose search would also find
    result = channel.set_stock([StockPush("TEE-M", 12), StockPush('MUG "XL" 12oz', 0), StockPush("NOT-IN-SHOP", 5)])
    assert result["listings"] == {
        "TEE-M": {"external_id": tee[0], "inventory_item_id": tee[1]},
        'MUG "XL" 12oz': {"external_id": mug[0], "inventory_item_id": mug[1]},
        "NOT-IN-SHOP": None}
    assert (stub.available("TEE-M"), stub.available('MUG "XL" 12oz'), stub.available("TEE-MM")) == (12, 0, 9)
    assert stub.count("productVariants") == 1 and stub.count("inventorySetQuantities") == 1
    assert len(stub.requests) == 2  # one look-up query (three aliased look-ups) and one mutation


def test_known_listings_skip_the_look_up(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    variant, item = stub.add_variant("TEE-M", available=40)
    result = channel.set_stock([StockPush("TEE-M", 7, external_id=variant, inventory_item_id=item)])
    assert result["listings"] == {"TEE-M": {"external_id": variant, "inventory_item_id": item}}
    assert stub.available("TEE-M") == 7 and stub.count("productVariants") == 0


def test_setting_the_same_levels_again_changes_nothing(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    stub.add_variant("A", available=1)
    channel.set_stock([StockPush("A", 4)])
    channel.set_stock([StockPush("A", 4)])
    assert stub.available("A") == 4


def test_many_skus_go_in_batches_shopify_accepts(stub: ShopifyStub, channel: ShopifyChannel,
                                                 fake_time: FakeTime) -> None:
    for n in range(300):
        stub.add_variant(f"SKU-{n:03d}", available=1000)
    result = channel.set_stock([StockPush(f"SKU-{n:03d}", n) for n in range(300)])
    assert all(result["listings"][f"SKU-{n:03d}"] for n in range(300))
    assert [stub.available(f"SKU-{n:03d}") for n in range(300)] == list(range(300))
    assert stub.count("inventorySetQuantities") == 2  # 250 + 50
    assert len(stub.requests) == 6 + 2 and stub.throttled == 0  # 50 look-ups a query, paced by the bucket


def test_no_location_says_what_to_set(stub: ShopifyStub) -> None:
    stub.add_variant("A")
    with pytest.raises(ChannelError) as caught:
        channel_for(stub, location=None).set_stock([StockPush("A", 1)])
    assert caught.value.retry_after == SETUP_RETRY_SECONDS and "no Shopify location" in str(caught.value)
    assert stub.requests == []


def test_a_numeric_location_id_is_accepted(stub: ShopifyStub) -> None:
    stub.add_variant("A")
    channel_for(stub, location="1").set_stock([StockPush("A", 6)])
    assert stub.available("A") == 6


def test_a_location_the_shop_does_not_have_is_refused_with_shopifys_words(stub: ShopifyStub) -> None:
    stub.add_variant("A", available=2)
    with pytest.raises(ChannelError) as caught:
        channel_for(stub, location="gid://shopify/Location/99").set_stock([StockPush("A", 1)])
    assert not caught.value.retryable
    assert "The specified location could not be found." in str(caught.value)
    assert stub.available("A") == 2


def test_items_shopify_refuses_one_by_one_do_not_block_the_rest(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    stub.add_variant("A", available=1)
    stub.add_variant("ONLINE-ONLY", available=None)  # not stocked at this warehouse's location
    stub.add_variant("C", available=1)
    result = channel.set_stock([StockPush("A", 5), StockPush("ONLINE-ONLY", 2), StockPush("C", 0),
                                StockPush("GONE", 4, external_id="gid://shopify/ProductVariant/1",
                                          inventory_item_id="gid://shopify/InventoryItem/1")])
    assert (stub.available("A"), stub.available("C"), stub.available("ONLINE-ONLY")) == (5, 0, None)
    assert result["set"] == 2 and result["refused"] == {
        "ONLINE-ONLY": "The specified inventory item is not stocked at the location.",
        "GONE": "The specified inventory item could not be found."}
    assert stub.count("inventorySetQuantities") == 2  # refused whole once, then the rest
