"""What a verified webhook says, per shop: its delivery id, topic and order (if any).

* WooCommerce sends ``X-WC-Webhook-Signature``, ``X-WC-Webhook-Delivery-ID``,
  ``X-WC-Webhook-Topic`` (``order.created``, ``order.updated`` …) and the order's JSON as
  ``GET /orders/{id}`` shows it. When a webhook is saved it sends a *ping*: a form body
  ``webhook_id=N`` without a signature, which is answered 200 and otherwise ignored.
* Shopify sends ``X-Shopify-Hmac-Sha256``, ``X-Shopify-Webhook-Id``, ``X-Shopify-Topic``
  (``orders/create``, ``orders/updated``, ``orders/cancelled`` …) and the order's JSON; its
  decoding is the Shopify adapter's (``integrations.shopify.webhooks.incoming_from_webhook``).

Topics that are not about an order (or an order's deletion, which carries only its id) are
accepted with no order: the delivery is remembered, nothing else happens. A body that is
not an order where an order was promised raises ``NotAnOrder`` (a ValueError) saying why,
whatever its JSON holds (``tests/unit/test_fuzz_webhooks.py``). Pure.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from fulfilstation.integrations.ports import IncomingOrder
from fulfilstation.integrations.woocommerce.mapping import NotAnOrder, incoming_order


@dataclass(frozen=True)
class Delivery:
    """One verified webhook delivery. ``delivery_id`` None: the shop sent none (then it cannot
    be recognised when repeated; the intake's (channel, id) key still keeps it single)."""

    source: str  # "shopify" or "woocommerce"
    channel: str
    delivery_id: str | None
    topic: str | None
    orders: tuple[IncomingOrder, ...]


class WebhookReceiver(Protocol):
    """Where verified deliveries go. Blocking; called on the server's request threads."""

    def secret(self, source: str, channel: str) -> str | None:
        """The channel's webhook secret; None: no active channel of that kind and name (404);
        "": the channel exists but no secret is stored (every delivery is refused, 401)."""
        ...

    def receive(self, delivery: Delivery) -> bool:
        """Take the delivery; False when it was taken before (a repeat: nothing done)."""
        ...


@dataclass(frozen=True)
class Source:
    signature_header: str
    delivery_header: str
    topic_header: str
    decode: Callable[[str, str | None, Mapping[str, Any]], tuple[IncomingOrder, ...]]


def _woocommerce(channel: str, topic: str | None, payload: Mapping[str, Any]) -> tuple[IncomingOrder, ...]:
    if not (topic or "").startswith("order.") or topic == "order.deleted":
        return ()
    return (incoming_order(channel, payload),)


def _shopify(channel: str, topic: str | None, payload: Mapping[str, Any]) -> tuple[IncomingOrder, ...]:
    if not (topic or "").startswith("orders/") or topic == "orders/delete":
        return ()
    # The Shopify adapter (integrations.shopify) decodes Shopify's order JSON; looked up by
    # name so that this package does not depend on it being present.
    module = importlib.import_module("fulfilstation.integrations.shopify.webhooks")
    try:
        found = module.incoming_from_webhook(channel, payload)
    except NotAnOrder:
        raise
    except ValueError as error:  # the adapter's "not an order", as this module's one refusal
        raise NotAnOrder(str(error)) from error
    return () if found is None else (found,)


SOURCES: dict[str, Source] = {
    "woocommerce": Source("X-WC-Webhook-Signature", "X-WC-Webhook-Delivery-ID", "X-WC-Webhook-Topic", _woocommerce),
    "shopify": Source("X-Shopify-Hmac-Sha256", "X-Shopify-Webhook-Id", "X-Shopify-Topic", _shopify),
}


def is_woocommerce_ping(source: str, signature: str | None, raw_body: bytes) -> bool:
    return source == "woocommerce" and not signature and raw_body.startswith(b"webhook_id=")


__all__ = ["SOURCES", "Delivery", "NotAnOrder", "Source", "WebhookReceiver", "is_woocommerce_ping"]
