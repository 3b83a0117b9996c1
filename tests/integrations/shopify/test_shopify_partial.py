"""A split order's parts told to Shopify (the real adapter over HTTP, a local stub in
Shopify's documented shapes): each part fulfils only the line items and quantities it
carries (``lineItemsByFulfillmentOrder`` with ``fulfillmentOrderLineItems``), the order is
partially fulfilled until the last part, a repeat creates nothing twice, and a part that
the shop has fewer units left of is refused in words."""

from __future__ import annotations

import pytest

from fulfilstation.integrations.ports import ChannelError, ShippedLine, TrackingPush
from fulfilstation.integrations.shopify import ShopifyChannel
from tests.support.shopify_stub import ShopifyStub

FIRST = (TrackingPush("1Z999AA10123456784", "UPS"),)
SECOND = (TrackingPush("1Z999AA10123456793", "UPS"),)


@pytest.fixture
def channel_timeout() -> float:
    return 2.0


def line_ids(stub: ShopifyStub, order: str) -> list[str]:
    return [item["id"] for item in stub.orders[order]["lineItems"]]


def remaining(stub: ShopifyStub, order: str) -> list[int]:
    return [item["remainingQuantity"] for item in stub.orders[order]["fulfillmentOrders"][0]["lineItems"]]


def sent_line_items(stub: ShopifyStub) -> list[object]:
    (_roots, variables), = [(roots, v) for roots, v in stub.requests if "fulfillmentCreate" in roots][-1:]
    return [entry.get("fulfillmentOrderLineItems") for entry in variables["fulfillment"]["lineItemsByFulfillmentOrder"]]


def test_each_part_fulfils_only_the_line_items_it_carries(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order([("MUG-1", 3, "10.00"), ("TEE-M", 1, "20.00")])
    mug, tee = line_ids(stub, order)
    part = channel.create_fulfilment(order, FIRST, notify_customer=True, idempotency_key="part-1",
                                     lines=(ShippedLine(mug, 2, "MUG-1"),), last_part=False)
    fo_items = [item["id"] for item in stub.orders[order]["fulfillmentOrders"][0]["lineItems"]]
    assert sent_line_items(stub) == [[{"id": fo_items[0], "quantity": 2}]]
    assert remaining(stub, order) == [1, 1]
    assert stub.orders[order]["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"
    assert stub.orders[order]["fulfillmentOrders"][0]["status"] == "IN_PROGRESS"
    again = channel.create_fulfilment(order, FIRST, notify_customer=True, idempotency_key="part-1",
                                      lines=(ShippedLine(mug, 2, "MUG-1"),), last_part=False)
    assert again == {"fulfilment_id": part["fulfilment_id"], "already_there": True}
    assert stub.count("fulfillmentCreate") == 1
    channel.create_fulfilment(order, SECOND, notify_customer=True, idempotency_key="part-2",
                              lines=(ShippedLine(mug, 1, "MUG-1"), ShippedLine(tee, 1, "TEE-M")), last_part=True)
    assert sent_line_items(stub) == [[{"id": fo_items[0], "quantity": 1}, {"id": fo_items[1], "quantity": 1}]]
    assert remaining(stub, order) == [0, 0]
    assert stub.orders[order]["displayFulfillmentStatus"] == "FULFILLED"
    assert [[t["number"] for t in f["trackingInfo"]] for f in stub.fulfillments_of(order)] == [
        [FIRST[0].number], [SECOND[0].number]]


def test_an_unsplit_order_still_fulfils_its_fulfillment_orders_whole(stub: ShopifyStub,
                                                                      channel: ShopifyChannel) -> None:
    order = stub.add_order([("MUG-1", 3, "10.00"), ("TEE-M", 1, "20.00")])
    channel.create_fulfilment(order, FIRST, notify_customer=False, idempotency_key="whole")
    assert sent_line_items(stub) == [None]
    assert remaining(stub, order) == [0, 0]
    assert stub.orders[order]["displayFulfillmentStatus"] == "FULFILLED"


def test_a_part_the_shop_has_fewer_units_left_of_is_refused_in_words(stub: ShopifyStub,
                                                                    channel: ShopifyChannel) -> None:
    order = stub.add_order([("MUG-1", 1, "10.00")])
    (mug,) = line_ids(stub, order)
    with pytest.raises(ChannelError) as refused:
        channel.create_fulfilment(order, FIRST, notify_customer=True, idempotency_key="too-many",
                                  lines=(ShippedLine(mug, 2, "MUG-1"),), last_part=False)
    assert not refused.value.retryable
    assert str(refused.value) == (f"Shopify cannot record this part of order {stub.orders[order]['name']}: it has "
                                  "fewer units of MUG-1 left to fulfil than the parcel carries (2). Check the order "
                                  "in Shopify (fulfilled there already, or edited?).")
    assert stub.count("fulfillmentCreate") == 0 and remaining(stub, order) == [1]


def test_cancelling_a_part_gives_its_units_back_to_fulfil(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order([("MUG-1", 3, "10.00")])
    (mug,) = line_ids(stub, order)
    reference = channel.create_fulfilment(order, FIRST, notify_customer=True, idempotency_key="part-1",
                                          lines=(ShippedLine(mug, 2, "MUG-1"),), last_part=False)
    channel.cancel_fulfilment(order, reference)
    assert remaining(stub, order) == [3]
    assert stub.orders[order]["fulfillmentOrders"][0]["status"] == "OPEN"
