"""Bad input (issue #15 point 5): webhook bodies. Whatever a shop — or anyone who found the
port — POSTs, ``WebhookServer.answer`` gives a status and a message and never raises:

* a body without the channel's signature, or with a wrong one: 401, and nothing is handed on;
* a signed body that is not JSON, not an object, or not an order where an order was
  promised: 400 naming why;
* a signed order: decoded into ``IncomingOrder``s and handed on (200).

The decoders themselves (WooCommerce's ``incoming_order``, Shopify's
``incoming_from_webhook``, through ``payloads.SOURCES``) turn any JSON object into orders or
refuse it with ``NotAnOrder`` (a ValueError) saying why — never KeyError, TypeError,
AttributeError, OverflowError or decimal's InvalidOperation, and never a hang on an amount
like ``1e999999999``. The database half (the decoded orders through the intake door on
both engines) is ``tests/db/test_fuzz_webhooks_db.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fulfilstation.integrations.ports import IncomingOrder
from fulfilstation.integrations.signatures import sign
from fulfilstation.integrations.webhooks.payloads import SOURCES, Delivery, NotAnOrder
from fulfilstation.integrations.webhooks.server import WebhookServer

FUZZ = settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
SECRET = "whsec-fuzz-7c1d"
TOPICS = {"woocommerce": ["order.created", "order.updated", "order.deleted", "product.updated", None, ""],
          "shopify": ["orders/create", "orders/updated", "orders/cancelled", "orders/delete", "products/update",
                      None]}

_NASTY = st.one_of(
    st.sampled_from([None, True, False, 0, -1, 1, 2**63, -(2**70), 1e308, -1e308, float("inf"), float("-inf"),
                     "", " ", "NaN", "Infinity", "-Infinity", "sNaN", "1e999999999", "-1e999999999", "1e27",
                     "12.50", "-3", "abc", "0x10", "١٢", "2026-13-40T99:99:99", "2026-12-05T10:00:00Z",
                     "gid://shopify/Order/1", "x" * 300, "🙂", "\u0000"]),
    st.integers(), st.floats(allow_nan=False), st.text(max_size=12))
json_values = st.recursive(_NASTY, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)


def _object(keys: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A JSON object with some of ``keys`` (each a drawn value or a nasty one) and strangers."""
    return st.fixed_dictionaries({}, optional={key: st.one_of(strategy, json_values)
                                               for key, strategy in keys.items()}) | st.dictionaries(
        st.text(max_size=10), json_values, max_size=4)


_ADDRESS = _object({"first_name": st.just("Ada"), "last_name": st.just("L"), "name": st.just("Ada L"),
                    "address_1": st.just("1 Main St"), "address1": st.just("1 Main St"), "city": st.just("X"),
                    "postcode": st.just("62701"), "zip": st.just("62701"), "country": st.just("US"),
                    "country_code": st.just("US"), "phone": st.just("+1 555 0100"), "company": st.just("ACME")})
_LINE = _object({"id": st.integers(1, 10**6), "sku": st.just("SKU-1"), "quantity": st.integers(-2, 5),
                 "current_quantity": st.integers(0, 5), "price": st.just("9.99"), "name": st.just("Widget"),
                 "requires_shipping": st.booleans(), "admin_graphql_api_id": st.just("gid://shopify/LineItem/1")})
orders_json = _object({
    "id": st.integers(1, 10**9), "admin_graphql_api_id": st.just("gid://shopify/Order/9"), "number": st.just("1001"),
    "name": st.just("#1001"), "status": st.sampled_from(["processing", "cancelled", "on-hold", "refunded"]),
    "currency": st.sampled_from(["USD", "JPY", "usd", "X"]), "total": st.just("19.98"),
    "total_price": st.just("19.98"), "shipping_total": st.just("4.00"),
    "date_created_gmt": st.just("2026-12-05T10:00:00"),
    "created_at": st.just("2026-12-05T10:00:00-05:00"), "date_paid": st.just("2026-12-05T10:00:00"),
    "billing": _ADDRESS, "shipping": _ADDRESS, "shipping_address": _ADDRESS, "billing_address": _ADDRESS,
    "line_items": st.lists(_LINE, max_size=3), "shipping_lines": st.lists(_object({"method_title": st.just("Flat"),
                                                                                   "title": st.just("Flat"),
                                                                                   "price": st.just("4.00")}),
                                                                          max_size=2),
    "total_shipping_price_set": _object({"shop_money": _object({"amount": st.just("4.00")})}),
    "cancelled_at": st.just("2026-12-05T11:00:00Z"), "fulfillment_status": st.just("on_hold"),
    "note": st.just("leave at door"), "customer_note": st.just("leave at door"), "email": st.just("a@example.com"),
})
any_object = orders_json | st.dictionaries(st.text(max_size=10), json_values, max_size=6)


def decode(source: str, topic: str | None, payload: dict[str, Any]) -> tuple[IncomingOrder, ...]:
    return SOURCES[source].decode("web", topic, payload)


@FUZZ
@given(st.sampled_from(sorted(SOURCES)), st.sampled_from([0, 0, 0, 1, 2, 3, 4]), any_object)
@example("woocommerce", 0, {"id": 1, "total": "1e999999999"})
@example("woocommerce", 0, {"id": 1, "line_items": [{"sku": "A", "quantity": float("inf")}]})
@example("shopify", 0, {"line_items": []})
@example("shopify", 0, {"id": 1, "total_price": "Infinity"})
@example("shopify", 0, {"id": 1, "line_items": ["a"]})
def test_decoders_give_orders_or_say_why_not(source: str, topic_index: int, payload: dict[str, Any]) -> None:
    topic = TOPICS[source][topic_index]
    try:
        orders = decode(source, topic, payload)
    except NotAnOrder as refused:
        assert str(refused).strip()
        return
    for order in orders:
        assert isinstance(order, IncomingOrder) and order.external_id
        assert isinstance(order.total_minor, int) and abs(order.total_minor) < 10**18
        assert all(isinstance(line.quantity, int) and abs(line.quantity) < 10**18 for line in order.lines)
        assert all(abs(line.unit_price_minor) < 10**18 for line in order.lines)


@dataclass
class Recorder:
    """A ``WebhookReceiver`` over one channel called ``web`` of each kind, holding ``SECRET``."""

    taken: list[Delivery] = field(default_factory=list)

    def secret(self, source: str, channel: str) -> str | None:
        return SECRET if channel == "web" else None

    def receive(self, delivery: Delivery) -> bool:
        self.taken.append(delivery)
        return True


MAX_BODY = 4096


def answer(body: bytes, headers: dict[str, str], source: str = "woocommerce") -> tuple[int, str, Recorder]:
    recorder = Recorder()
    server = WebhookServer.__new__(WebhookServer)  # no socket: ``answer`` is the whole of one request
    server.receiver, server.max_body = recorder, MAX_BODY
    reader: Callable[[int], bytes] = lambda n: body[:n]  # noqa: E731
    status, message = server.answer("POST", f"/webhooks/{source}/web", headers, reader)
    return status, message, recorder


def headers_for(source: str, body: bytes, signature: str | None, topic: str | None) -> dict[str, str]:
    names = SOURCES[source]
    headers = {"Content-Length": str(len(body)), names.delivery_header: "d-1"}
    if signature is not None:
        headers[names.signature_header] = signature
    if topic is not None:
        headers[names.topic_header] = topic
    return headers


bodies = st.one_of(st.binary(max_size=200), any_object.map(lambda o: json.dumps(o).encode()),
                   json_values.map(lambda v: json.dumps(v).encode()),
                   st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")))


@FUZZ
@given(st.sampled_from(sorted(SOURCES)), bodies, st.sampled_from(["signed", "wrong", "missing", "other-secret",
                                                                  "garbage"]), st.data())
def test_any_body_gets_an_answer_and_only_signed_ones_are_handed_on(source: str, body: bytes, how: str,
                                                                    data: st.DataObject) -> None:
    signature = {"signed": sign(SECRET, body), "wrong": sign(SECRET, body + b" "), "missing": None,
                 "other-secret": sign("not-" + SECRET, body), "garbage": "é\u0000 not base64"}[how]
    topic = data.draw(st.sampled_from(TOPICS[source]))
    status, message, recorder = answer(body, headers_for(source, body, signature, topic), source)
    assert message.strip()
    if len(body) > MAX_BODY:  # refused unread, whatever it holds (the generated objects can be that long)
        assert (status, message) == (413, f"a webhook body may hold at most {MAX_BODY} bytes")
        assert recorder.taken == []
        return
    if how != "signed":
        ping = source == "woocommerce" and signature is None and body.startswith(b"webhook_id=")
        assert (status, message) == ((200, "pong") if ping else (401, "signature not verified"))
        assert recorder.taken == []
        return
    assert status in (200, 400), (status, message)
    if status == 400:
        assert message.startswith(f"the body is not a {source} order: ") and recorder.taken == []
    else:
        assert len(recorder.taken) == 1 and recorder.taken[0].channel == "web"


@FUZZ
@given(st.dictionaries(st.sampled_from(["Content-Length", "X-WC-Webhook-Signature", "X-WC-Webhook-Topic",
                                        "X-WC-Webhook-Delivery-ID"]),
                       st.text(max_size=12) | st.sampled_from(["-1", "99999999999", "1e3", " 5", "٣"])),
       st.binary(max_size=40), st.sampled_from(["/webhooks/woocommerce/web", "/webhooks/woocommerce/nope",
                                                 "/webhooks/x/web", "/%ZZ", "/webhooks//", "/" * 5]))
def test_broken_requests_get_a_plain_status(headers: dict[str, str], body: bytes, path: str) -> None:
    server = WebhookServer.__new__(WebhookServer)
    server.receiver, server.max_body = Recorder(), 4096
    status, message = server.answer("POST", path, headers, lambda n: body[:n])
    assert status in (200, 400, 401, 404, 411, 413) and message.strip()
