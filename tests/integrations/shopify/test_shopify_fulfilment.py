"""Telling Shopify an order shipped: every package's tracking number on one fulfilment,
exactly one fulfilment however often the push is repeated, and voids cancel it."""

from __future__ import annotations

import pytest

from fulfilstation.integrations.ports import ChannelError, TrackingPush
from fulfilstation.integrations.shopify import ShopifyChannel
from tests.support.shopify_stub import ShopifyStub

PACKAGES = (TrackingPush("1Z999AA10123456784", "UPS", "https://www.ups.com/track?tracknum=1Z999AA10123456784"),
            TrackingPush("1Z999AA10123456793", "UPS", "https://www.ups.com/track?tracknum=1Z999AA10123456793"),
            TrackingPush("1Z999AA10123456800", "UPS", "https://www.ups.com/track?tracknum=1Z999AA10123456800"))


@pytest.fixture
def channel_timeout() -> float:
    return 2.0  # far above a local stub's answer on a busy machine; a late answer comes well past it


def ship(channel: ShopifyChannel, order: str, tracking: tuple[TrackingPush, ...] = PACKAGES,
         notify: bool = True) -> str:
    reference = channel.create_fulfilment(order, tracking, notify_customer=notify, idempotency_key="push-1")
    return str(reference["fulfilment_id"])


def test_a_multi_package_shipment_sends_every_tracking_number(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order()
    fulfilment = ship(channel, order)
    [made] = stub.fulfillments_of(order)
    assert made["id"] == fulfilment and made["status"] == "SUCCESS"
    assert [(t["number"], t["company"], t["url"]) for t in made["trackingInfo"]] == [
        (p.number, "UPS", p.url) for p in PACKAGES]
    assert stub.notified == [True]
    assert stub.orders[order]["displayFulfillmentStatus"] == "FULFILLED"
    assert stub.orders[order]["fulfillmentOrders"][0]["status"] == "CLOSED"


def test_the_customer_is_not_notified_when_the_setting_says_so(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order()
    ship(channel, order, (TrackingPush("9400100000000000000001", "USPS"),), notify=False)
    assert stub.notified == [False]
    assert stub.fulfillments_of(order)[0]["trackingInfo"] == [
        {"number": "9400100000000000000001", "company": "USPS", "url": None}]


def test_a_push_repeated_after_its_answer_was_lost_makes_one_fulfilment(
        stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order()
    stub.lose_next("fulfillmentCreate")
    with pytest.raises(ChannelError) as caught:
        ship(channel, order)
    assert caught.value.retryable and "may have done it" in str(caught.value)
    assert len(stub.fulfillments_of(order)) == 1  # Shopify did it
    again = ship(channel, order)
    assert [f["id"] for f in stub.fulfillments_of(order)] == [again]
    assert stub.count("fulfillmentCreate") == 1 and stub.notified == [True]  # the customer was told once


def test_a_push_repeated_after_a_timeout_makes_one_fulfilment(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order()
    stub.delay_next(3.5, "fulfillmentCreate")  # Shopify makes it, the answer comes too late
    with pytest.raises(ChannelError) as caught:
        ship(channel, order)
    assert caught.value.retryable and "did not answer within 2 s" in str(caught.value)
    again = ship(channel, order)
    assert [f["id"] for f in stub.fulfillments_of(order)] == [again]
    assert stub.count("fulfillmentCreate") == 1


def test_a_void_cancels_the_fulfilment_once(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order()
    reference = channel.create_fulfilment(order, PACKAGES, notify_customer=True, idempotency_key="k")
    channel.cancel_fulfilment(order, reference)
    assert stub.fulfillments_of(order)[0]["status"] == "CANCELLED"
    assert stub.orders[order]["fulfillmentOrders"][0]["status"] == "OPEN"
    channel.cancel_fulfilment(order, reference)  # a repeat is done, not an error
    assert stub.count("fulfillmentCancel") == 1


def test_a_cancel_repeated_after_its_answer_was_lost_is_done(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order()
    reference = channel.create_fulfilment(order, PACKAGES, notify_customer=True, idempotency_key="k")
    stub.lose_next("fulfillmentCancel")
    with pytest.raises(ChannelError):
        channel.cancel_fulfilment(order, reference)
    channel.cancel_fulfilment(order, reference)
    assert stub.fulfillments_of(order)[0]["status"] == "CANCELLED" and stub.count("fulfillmentCancel") == 1


def test_a_reshipment_after_a_void_makes_a_new_fulfilment(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order()
    reference = channel.create_fulfilment(order, PACKAGES, notify_customer=True, idempotency_key="k")
    channel.cancel_fulfilment(order, reference)
    again = ship(channel, order, PACKAGES)  # the same numbers on a cancelled fulfilment do not count
    assert again != reference["fulfilment_id"]
    assert [f["status"] for f in stub.fulfillments_of(order)] == ["CANCELLED", "SUCCESS"]


def test_an_order_cancelled_in_the_shop_is_refused_plainly(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order()
    stub.update_order(order, cancelledAt="2025-01-03T00:00:00Z",
                      fulfillmentOrders=[{"id": "gid://shopify/FulfillmentOrder/1", "status": "CLOSED"}])
    with pytest.raises(ChannelError) as caught:
        ship(channel, order)
    assert not caught.value.retryable and "cancelled in the shop" in str(caught.value)
    assert stub.count("fulfillmentCreate") == 0


def test_shopify_user_errors_are_not_retried(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order()
    original = stub._fulfillmentCreate
    stub._fulfillmentCreate = lambda args: {  # type: ignore[method-assign]
        "fulfillment": None, "userErrors": [{"field": ["fulfillment"], "message": "Tracking number is invalid."}]}
    with pytest.raises(ChannelError) as caught:
        ship(channel, order)
    stub._fulfillmentCreate = original  # type: ignore[method-assign]
    assert not caught.value.retryable and str(caught.value).endswith("Shopify said: Tracking number is invalid.")


def test_an_unknown_order_is_named(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    with pytest.raises(ChannelError) as caught:
        ship(channel, "gid://shopify/Order/424242")
    assert not caught.value.retryable and "no order gid://shopify/Order/424242" in str(caught.value)


def test_an_order_on_hold_in_the_shop_says_to_release_it(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order(hold=True)
    with pytest.raises(ChannelError) as caught:
        ship(channel, order)
    assert not caught.value.retryable and "on hold in the shop" in str(caught.value)


def test_a_push_without_tracking_repeated_makes_one_fulfilment(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order()
    first = ship(channel, order, ())
    assert ship(channel, order, ()) == first
    assert len(stub.fulfillments_of(order)) == 1 and stub.fulfillments_of(order)[0]["trackingInfo"] == []


def test_only_the_fulfillment_orders_of_our_location_are_fulfilled(stub: ShopifyStub,
                                                                   channel: ShopifyChannel) -> None:
    order = stub.add_order()
    store = {"id": "gid://shopify/FulfillmentOrder/77", "status": "OPEN",
             "assignedLocation": {"location": {"id": "gid://shopify/Location/2"}}}  # shipped by a shop elsewhere
    stub.orders[order]["fulfillmentOrders"].insert(0, store)
    ship(channel, order)
    assert [fo["status"] for fo in stub.orders[order]["fulfillmentOrders"]] == ["OPEN", "CLOSED"]


def test_with_none_at_our_location_one_locations_fulfillment_orders_are_fulfilled(
        stub: ShopifyStub, channel: ShopifyChannel) -> None:
    order = stub.add_order()
    stub.orders[order]["fulfillmentOrders"] = [
        {"id": f"gid://shopify/FulfillmentOrder/{n}", "status": "OPEN",
         "assignedLocation": {"location": {"id": f"gid://shopify/Location/{place}"}}}
        for n, place in ((1, 7), (2, 8), (3, 7))]
    ship(channel, order)  # Shopify takes one location's fulfillment orders per fulfilment
    assert [fo["status"] for fo in stub.orders[order]["fulfillmentOrders"]] == ["CLOSED", "OPEN", "CLOSED"]
