"""``serve-webhooks``: real HTTP requests against the server on a random port, on both
databases — signatures verified over the raw body, repeats taken once (settled by the
database), a failed delivery taken again when the shop repeats it, and the HTTP edges."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select

from fulfilstation.cli.webhooks_command import AppReceiver
from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, SalesChannel, WebhookDelivery
from fulfilstation.integrations.ports import IncomingOrder
from fulfilstation.integrations.signatures import sign
from fulfilstation.integrations.webhooks import WebhookServer
from fulfilstation.services.actor import Actor
from tests.support.app import app_for, sign_in

WOO_SECRET = "woo-webhook-secret"
SHOPIFY_SECRET = "shpss_webhook_secret"


@dataclass
class Recorder:
    """A stand-in for the intake door: remembers what it was given; fails when told to."""

    taken: list[tuple[str, tuple[IncomingOrder, ...]]] = field(default_factory=list)
    fail_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, actor: Actor, orders: Sequence[IncomingOrder], source: str) -> object:
        with self.lock:
            if self.fail_next:
                self.fail_next -= 1
                raise RuntimeError("the intake failed")
            self.taken.append((source, tuple(orders)))
        return None


@dataclass
class Running:
    server: WebhookServer
    recorder: Recorder
    database: Database

    def post(self, path: str, body: bytes, headers: dict[str, str] | None = None,
             method: str = "POST") -> tuple[int, dict[str, Any]]:
        host, port = self.server.address
        connection = http.client.HTTPConnection(host, port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            connection.close()

    def deliveries(self) -> list[tuple[str, str]]:
        with self.database.unit_of_work() as session:
            return [(r.source, r.delivery_id) for r in session.scalars(select(WebhookDelivery))]

    def audits(self) -> int:
        with self.database.unit_of_work() as session:
            return int(session.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.action == "webhook.received")) or 0)


@pytest.fixture
def running(seeded_database: Database) -> Iterator[Running]:
    with seeded_database.unit_of_work() as session:
        session.add_all([SalesChannel(name="woo", kind="woocommerce", base_url="https://shop.example"),
                         SalesChannel(name="shop", kind="shopify", base_url="https://shop.myshopify.com"),
                         SalesChannel(name="nosecret", kind="woocommerce")])
    SecretStore().set("channel:woo:webhook", WOO_SECRET)
    SecretStore().set("channel:shop:webhook", SHOPIFY_SECRET)
    app = app_for(seeded_database)
    recorder = Recorder()
    with WebhookServer("127.0.0.1", 0, AppReceiver(app, sign_in(app, "manager"), deliver=recorder),
                       max_body=64 * 1024) as server:
        yield Running(server, recorder, seeded_database)


def woo_order(order_id: int = 5001, status: str = "processing") -> bytes:
    return json.dumps({
        "id": order_id, "number": str(order_id), "status": status, "currency": "USD", "total": "12.50",
        "date_created_gmt": "2026-12-05T10:00:00", "date_paid_gmt": "2026-12-05T10:00:00",
        "billing": {"country": "US", "email": "a@example.com"},
        "shipping": {"first_name": "Ana", "last_name": "Lima", "address_1": "1 Main St", "city": "Springfield",
                     "state": "IL", "postcode": "62701", "country": "US"},
        "line_items": [{"id": 1, "sku": "MUG-CER-350", "quantity": 1, "price": 12.5, "name": "Mug"}],
        "shipping_lines": [{"method_title": "Flat rate"}]}, ensure_ascii=False).encode("utf-8")


def woo_headers(body: bytes, delivery: str = "d-1", topic: str = "order.created",
                secret: str = WOO_SECRET) -> dict[str, str]:
    return {"X-WC-Webhook-Signature": sign(secret, body), "X-WC-Webhook-Delivery-ID": delivery,
            "X-WC-Webhook-Topic": topic, "Content-Type": "application/json"}


def test_a_signed_woocommerce_order_is_taken_as_an_incoming_order(running: Running) -> None:
    body = woo_order()
    status, answer = running.post("/webhooks/woocommerce/woo", body, woo_headers(body))

    assert (status, answer["message"]) == (200, "taken")
    [(source, orders)] = running.recorder.taken
    assert source == "webhook:woo"
    [order] = orders
    assert (order.channel, order.external_id, order.ship_to_city, order.financial_status) == (
        "woo", "5001", "Springfield", "paid")
    assert [(ln.sku, ln.quantity) for ln in order.lines] == [("MUG-CER-350", 1)]
    assert running.deliveries() == [("woo", "d-1")]
    assert running.audits() == 1


def test_a_repeated_delivery_is_answered_200_and_does_nothing(running: Running) -> None:
    body = woo_order()
    first = running.post("/webhooks/woocommerce/woo", body, woo_headers(body))
    again = running.post("/webhooks/woocommerce/woo", body, woo_headers(body))

    assert (first[0], again[0]) == (200, 200) and again[1]["message"] == "already taken"
    assert len(running.recorder.taken) == 1
    assert running.deliveries() == [("woo", "d-1")] and running.audits() == 1


def test_copies_arriving_at_once_are_taken_once(running: Running) -> None:
    body = woo_order()
    results: list[int] = []
    barrier = threading.Barrier(6)

    def send() -> None:
        barrier.wait()
        results.append(running.post("/webhooks/woocommerce/woo", body, woo_headers(body, delivery="same"))[0])

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * 6
    assert len(running.recorder.taken) == 1 and running.deliveries() == [("woo", "same")]


@pytest.mark.parametrize("headers", [
    {"X-WC-Webhook-Signature": "bm90IHRoZSBzaWduYXR1cmU=", "X-WC-Webhook-Delivery-ID": "d-1"},
    {"X-WC-Webhook-Delivery-ID": "d-1"},
    "other secret",
    "body changed",
])
def test_a_bad_or_missing_signature_gets_401_and_writes_nothing(running: Running, headers: Any) -> None:
    body = woo_order()
    if headers == "other secret":
        headers = woo_headers(body, secret="guessed")
    elif headers == "body changed":
        headers = woo_headers(body)
        body = body.replace(b"12.50", b"0.01")
    status, _answer = running.post("/webhooks/woocommerce/woo", body, headers)
    assert status == 401
    assert running.recorder.taken == [] and running.deliveries() == [] and running.audits() == 0


def test_a_channel_without_a_webhook_secret_refuses_every_delivery(running: Running) -> None:
    body = woo_order()
    assert running.post("/webhooks/woocommerce/nosecret", body, woo_headers(body, secret=""))[0] == 401
    assert running.recorder.taken == []


def test_a_woocommerce_ping_is_answered_and_ignored(running: Running) -> None:
    status, answer = running.post("/webhooks/woocommerce/woo", b"webhook_id=12",
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    assert (status, answer["message"]) == (200, "pong")
    assert running.recorder.taken == [] and running.deliveries() == []


def test_a_failed_delivery_is_taken_when_the_shop_sends_it_again(running: Running) -> None:
    body = woo_order()
    running.recorder.fail_next = 1
    assert running.post("/webhooks/woocommerce/woo", body, woo_headers(body))[0] == 500
    assert running.deliveries() == []  # the claim was given back
    assert running.post("/webhooks/woocommerce/woo", body, woo_headers(body))[0] == 200
    assert len(running.recorder.taken) == 1 and running.deliveries() == [("woo", "d-1")]


def test_the_real_intake_door_until_merged_answers_500_and_keeps_nothing(seeded_database: Database) -> None:
    """Without a stand-in the delivery goes to ``write_incoming``; whatever it does, a failure
    there leaves the delivery unclaimed so the shop's retry is taken."""
    with seeded_database.unit_of_work() as session:
        session.add(SalesChannel(name="woo", kind="woocommerce"))
    SecretStore().set("channel:woo:webhook", WOO_SECRET)
    app = app_for(seeded_database)
    with WebhookServer("127.0.0.1", 0, AppReceiver(app, sign_in(app, "manager"))) as server:
        running = Running(server, Recorder(), seeded_database)
        body = woo_order()
        status, _answer = running.post("/webhooks/woocommerce/woo", body, woo_headers(body))
    assert status in (200, 500)
    assert running.deliveries() == ([("woo", "d-1")] if status == 200 else [])


def test_topics_without_an_order_are_remembered_and_nothing_else(running: Running) -> None:
    body = json.dumps({"id": 5001}).encode()
    status, _ = running.post("/webhooks/woocommerce/woo", body, woo_headers(body, topic="order.deleted"))
    assert status == 200 and running.recorder.taken == [] and running.deliveries() == [("woo", "d-1")]


def test_shopify_signatures_are_verified_over_the_raw_body(running: Running) -> None:
    body = json.dumps({"id": 123, "domain": "shop.myshopify.com"}).encode()
    good = {"X-Shopify-Hmac-Sha256": sign(SHOPIFY_SECRET, body), "X-Shopify-Webhook-Id": "b54557e4",
            "X-Shopify-Topic": "app/uninstalled"}
    assert running.post("/webhooks/shopify/shop", body, good)[0] == 200
    bad = {**good, "X-Shopify-Hmac-Sha256": sign("guessed", body), "X-Shopify-Webhook-Id": "other"}
    assert running.post("/webhooks/shopify/shop", body, bad)[0] == 401
    assert running.deliveries() == [("shop", "b54557e4")]


def test_a_shopify_order_becomes_an_incoming_order(running: Running) -> None:
    webhooks = pytest.importorskip("fulfilstation.integrations.shopify.webhooks")
    assert webhooks.verify(SHOPIFY_SECRET, b"{}", sign(SHOPIFY_SECRET, b"{}"))
    body = json.dumps({"id": 820982911946154508, "name": "#1001", "financial_status": "paid",
                       "line_items": [{"id": 1, "sku": "MUG-CER-350", "quantity": 1, "price": "12.50"}],
                       "shipping_address": {"name": "Ana Lima", "address1": "1 Main St", "city": "Springfield",
                                            "zip": "62701", "country_code": "US", "province_code": "IL"}}).encode()
    headers = {"X-Shopify-Hmac-Sha256": sign(SHOPIFY_SECRET, body), "X-Shopify-Webhook-Id": "w-1",
               "X-Shopify-Topic": "orders/create"}
    assert running.post("/webhooks/shopify/shop", body, headers)[0] == 200
    [(_source, [order])] = running.recorder.taken
    assert order.external_id.endswith("820982911946154508")


@pytest.mark.parametrize(("path", "status"), [
    ("/webhooks/woocommerce/unknown", 404),
    ("/webhooks/shopify/woo", 404),  # a WooCommerce channel is not a Shopify one
    ("/webhooks/magento/woo", 404),
    ("/elsewhere", 404),
])
def test_unknown_places_get_404(running: Running, path: str, status: int) -> None:
    body = woo_order()
    assert running.post(path, body, woo_headers(body))[0] == status
    assert running.deliveries() == []


def test_only_post_is_taken(running: Running) -> None:
    assert running.post("/webhooks/woocommerce/woo", b"", method="GET")[0] == 405


def test_a_body_over_the_limit_gets_413_unread(running: Running) -> None:
    body = b"{" + b" " * (64 * 1024) + b"}"
    assert running.post("/webhooks/woocommerce/woo", body, woo_headers(body))[0] == 413
    assert running.recorder.taken == []


def test_a_signed_body_that_is_not_an_order_gets_400(running: Running) -> None:
    for body in (b"not json", b"[1, 2]", json.dumps({"status": "processing"}).encode()):
        assert running.post("/webhooks/woocommerce/woo", body, woo_headers(body))[0] == 400
    assert running.recorder.taken == [] and running.deliveries() == []
