"""A Shopify order's shipping charged comes in with the orders query (``totalShippingPriceSet``)."""

from __future__ import annotations

from fulfilstation.integrations.shopify import ShopifyChannel
from fulfilstation.integrations.shopify.queries import ORDERS
from tests.support.shopify_stub import ShopifyStub


def test_the_orders_query_brings_what_the_customer_paid_for_shipping(stub: ShopifyStub,
                                                                    channel: ShopifyChannel) -> None:
    paid = stub.add_order([("A", 1, "20.00")], total="26.95",
                          totalShippingPriceSet={"shopMoney": {"amount": "6.95", "currencyCode": "USD"}})
    unsaid = stub.add_order([("A", 1, "20.00")])
    orders = {order.external_id: order for order in channel.fetch_orders({}).orders}
    assert (orders[paid].shipping_charged_minor, orders[unsaid].shipping_charged_minor) == (695, None)
    # the stand-in answers every field it holds; Shopify answers only those asked for
    assert "totalShippingPriceSet { shopMoney { amount currencyCode } }" in ORDERS
