"""Shopify webhook deliveries: the HMAC signature over the raw body, and the REST-shaped
order payload mapped to the same ``IncomingOrder`` the GraphQL poll gives."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from fulfilstation.integrations.shopify.webhooks import incoming_from_webhook, sign, verify

SECRET = "whsec_0123456789abcdef"

PAYLOAD = {
    "id": 820982911946154508, "admin_graphql_api_id": "gid://shopify/Order/820982911946154508", "name": "#9999",
    "email": "jon@example.com", "created_at": "2025-01-10T09:15:00-05:00", "cancelled_at": None,
    "financial_status": "paid", "fulfillment_status": None, "currency": "CAD", "total_price": "403.00",
    "note": "Leave at the back door", "phone": None,
    "shipping_address": {"first_name": "Steve", "last_name": "Shipper", "name": "Steve Shipper",
                         "company": "Shipping Company", "address1": "123 Shipping Street", "address2": None,
                         "city": "Shippington", "province_code": "KY", "zip": "40003", "country_code": "US",
                         "phone": "555-555-SHIP"},
    "billing_address": {"country_code": "CA"},
    "shipping_lines": [{"title": "Generic Shipping", "price": "10.00"}],
    "line_items": [
        {"id": 866550311766439020, "admin_graphql_api_id": "gid://shopify/LineItem/866550311766439020",
         "sku": "IPOD-342-N", "quantity": 1, "current_quantity": 1, "price": "199.00", "name": "IPod Nano - 8GB",
         "requires_shipping": True},
        {"id": 141249953214522974, "sku": "IPOD-343-N", "quantity": 2, "price": "97.00", "name": "IPod Nano - 8GB",
         "requires_shipping": True},
        {"id": 141249953214522975, "sku": "GIFT", "quantity": 1, "price": "10.00", "name": "Gift card",
         "requires_shipping": False}],
}


def shopify_signature(body: bytes) -> str:
    return base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()


def test_a_good_signature_verifies() -> None:
    body = json.dumps(PAYLOAD).encode()
    assert sign(SECRET, body) == shopify_signature(body)
    assert verify(SECRET, body, shopify_signature(body))


def test_a_bad_or_missing_signature_does_not() -> None:
    body = json.dumps(PAYLOAD).encode()
    good = shopify_signature(body)
    assert not verify(SECRET, body + b" ", good)  # the body was changed
    assert not verify("another secret", body, good)
    assert not verify(SECRET, body, good[:-4] + "AAA=")
    assert not verify(SECRET, body, None)
    assert not verify(SECRET, body, "")
    assert not verify(SECRET, body, "not base64 at all ✗")
    assert not verify("", body, shopify_signature(body))  # no secret configured: nothing verifies


def test_an_order_payload_becomes_an_incoming_order() -> None:
    order = incoming_from_webhook("shop", PAYLOAD)
    assert order.channel == "shop" and order.external_id == "gid://shopify/Order/820982911946154508"
    assert order.number == "#9999" and order.financial_status == "paid" and order.shop_status == "open"
    assert (order.ship_to_name, order.ship_to_company, order.ship_to_line1, order.ship_to_city,
            order.ship_to_region, order.ship_to_postal_code, order.ship_to_country, order.ship_to_phone) == (
        "Steve Shipper", "Shipping Company", "123 Shipping Street", "Shippington", "KY", "40003", "US",
        "555-555-SHIP")
    assert order.bill_to_country == "CA" and order.currency == "CAD" and order.total_minor == 40300
    assert order.note == "Leave at the back door" and order.shipping_method == "Generic Shipping"
    assert order.ship_to_email == "jon@example.com" and order.ordered_at is not None
    assert order.ordered_at.utcoffset() is not None and order.ordered_at.hour == 9
    assert [(line.sku, line.quantity, line.unit_price_minor, line.external_line_id) for line in order.lines] == [
        ("IPOD-342-N", 1, 19900, "gid://shopify/LineItem/866550311766439020"),
        ("IPOD-343-N", 2, 9700, "gid://shopify/LineItem/141249953214522974")]


def test_a_cancellation_and_a_bare_numeric_id() -> None:
    payload = {**PAYLOAD, "cancelled_at": "2025-01-11T10:00:00-05:00", "financial_status": "refunded"}
    del payload["admin_graphql_api_id"]
    order = incoming_from_webhook("shop", payload)
    assert order.external_id == "gid://shopify/Order/820982911946154508"  # the same order the poll names
    assert order.shop_status == "cancelled" and order.financial_status == "refunded"


def test_a_name_made_of_first_and_last_when_the_address_has_no_name() -> None:
    address = {**PAYLOAD["shipping_address"], "name": None, "first_name": "Zoë", "last_name": "Ørsted"}  # type: ignore[dict-item]
    order = incoming_from_webhook("shop", {**PAYLOAD, "shipping_address": address})
    assert order.ship_to_name == "Zoë Ørsted"
