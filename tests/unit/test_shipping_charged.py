"""What the customer paid for shipping, read at intake from every source: Shopify (GraphQL
``totalShippingPriceSet``; a webhook's ``total_shipping_price_set`` or its ``shipping_lines``),
WooCommerce (``shipping_total``), Shopify's order export (``Shipping``) and the generic order
file (``shipping_charged`` or a header such as "Shipping Charged"); not said → None."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fulfilstation.imports import read_csv_bytes
from fulfilstation.integrations.shopify.mapping import from_graphql, from_rest
from fulfilstation.integrations.woocommerce.mapping import incoming_order
from fulfilstation.services.order_files import generic, shopify

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
ADDRESS = {"name": "Ada", "address1": "1 Main St", "city": "Springfield", "zip": "62701", "countryCodeV2": "US"}


def graphql_node(**fields: Any) -> dict[str, Any]:
    return {"id": "gid://shopify/Order/1", "name": "#1", "currencyCode": "USD", "shippingAddress": ADDRESS,
            "totalPriceSet": {"shopMoney": {"amount": "24.95", "currencyCode": "USD"}}, **fields}


LINES = [{"sku": "A", "quantity": 1, "originalUnitPriceSet": {"shopMoney": {"amount": "20.00"}}}]


def test_shopify_graphql_gives_the_total_shipping_price() -> None:
    charged = graphql_node(totalShippingPriceSet={"shopMoney": {"amount": "4.95", "currencyCode": "USD"}})
    assert from_graphql("shop", charged, LINES).shipping_charged_minor == 495
    free = graphql_node(totalShippingPriceSet={"shopMoney": {"amount": "0.0", "currencyCode": "USD"}})
    assert from_graphql("shop", free, LINES).shipping_charged_minor == 0
    assert from_graphql("shop", graphql_node(), LINES).shipping_charged_minor is None
    yen = graphql_node(currencyCode="JPY", totalPriceSet={"shopMoney": {"amount": "2000", "currencyCode": "JPY"}},
                       totalShippingPriceSet={"shopMoney": {"amount": "600", "currencyCode": "JPY"}})
    assert from_graphql("shop", yen, LINES).shipping_charged_minor == 600


def rest(**fields: Any) -> dict[str, Any]:
    return {"id": 7, "name": "#7", "currency": "USD", "total_price": "30.00",
            "shipping_address": {"name": "Ada", "address1": "1 Main St", "city": "Springfield", "zip": "62701",
                                 "country_code": "US"},
            "line_items": [{"id": 1, "sku": "A", "quantity": 1, "price": "20.00"}], **fields}


def test_a_shopify_webhook_gives_the_shipping_set_or_the_sum_of_its_shipping_lines() -> None:
    both = rest(total_shipping_price_set={"shop_money": {"amount": "10.00", "currency_code": "USD"}},
                shipping_lines=[{"price": "7.00"}, {"price": "5.00"}])
    assert from_rest("shop", both).shipping_charged_minor == 1000  # the set wins
    lines = rest(shipping_lines=[{"title": "Standard", "price": "7.00"}, {"title": "Insurance", "price": "2.50"}])
    assert from_rest("shop", lines).shipping_charged_minor == 950
    assert from_rest("shop", rest()).shipping_charged_minor is None
    assert from_rest("shop", rest(shipping_lines=[])).shipping_charged_minor is None


def woo(**fields: Any) -> dict[str, Any]:
    return {"id": 41, "status": "processing", "currency": "EUR", "total": "30.00",
            "shipping": {"first_name": "Ada", "address_1": "1 Main St", "city": "Köln", "postcode": "50667",
                         "country": "DE"},
            "line_items": [{"id": 1, "sku": "A", "quantity": 1, "price": "25.10"}], **fields}


@pytest.mark.parametrize(("given", "minor"), [({"shipping_total": "4.90"}, 490), ({"shipping_total": "0.00"}, 0),
                                              ({"shipping_total": ""}, None), ({}, None)])
def test_woocommerce_gives_its_shipping_total(given: dict[str, Any], minor: int | None) -> None:
    assert incoming_order("woo", woo(**given)).shipping_charged_minor == minor


def test_shopifys_order_export_gives_its_shipping_column() -> None:
    parsed = shopify.parse(read_csv_bytes((DATA / "shopify_orders.csv").read_bytes()), "shopify-csv")
    assert {order.shipping_charged_minor for order in parsed.orders} == {0}  # every order there shipped free
    text = (b"Name,Currency,Shipping,Total,Lineitem quantity,Lineitem sku,Shipping Name,Shipping Address1,"
            b"Shipping City,Shipping Zip,Shipping Country\n"
            b"#1,USD,6.50,26.50,1,A,Ada,1 Main St,Springfield,62701,US\n"
            b"#2,USD,,20.00,1,A,Ada,1 Main St,Springfield,62701,US\n")
    orders = {o.number: o for o in shopify.parse(read_csv_bytes(text), "shopify-csv").orders}
    assert (orders["#1"].shipping_charged_minor, orders["#2"].shipping_charged_minor) == (650, None)


@pytest.mark.parametrize("header", ["shipping_charged", "Shipping Charged", "Shipping", "Shipping Price"])
def test_the_generic_file_reads_the_shipping_charged_under_its_usual_headers(header: str) -> None:
    text = (f"order_id,sku,quantity,{header}\nA,X-1,1,4.95\nA,X-2,1,\nB,Y-1,1,\n").encode()
    orders = {o.external_id: o for o in generic.parse(read_csv_bytes(text), "csv").orders}
    assert (orders["A"].shipping_charged_minor, orders["B"].shipping_charged_minor) == (495, None)


def test_the_generic_file_without_the_column_says_nothing_and_a_bad_amount_rejects_the_order() -> None:
    [order] = generic.parse(read_csv_bytes(b"order_id,sku,quantity\nA,X-1,1\n"), "csv").orders
    assert order.shipping_charged_minor is None
    parsed = generic.parse(read_csv_bytes(b"order_id,sku,quantity,shipping\nA,X-1,1,free\nB,X-1,1,3\n"), "csv")
    assert [o.external_id for o in parsed.orders] == ["B"] and parsed.orders[0].shipping_charged_minor == 300
    assert [p.describe() for p in parsed.problems] == [
        "line 2 (A): order A was not imported: the shipping charged 'free' is not an amount"]
    assert "shipping_charged" in generic.COLUMNS
