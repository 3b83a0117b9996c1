"""Shopify webhooks: the signature check and the order payload.

Shopify signs each delivery with ``X-Shopify-Hmac-Sha256``: base64 of HMAC-SHA256 over the
*raw* request body, keyed with the app's client secret (or the webhook signing secret).
``verify`` compares in constant time and is False for a missing or malformed header; it
must be given the body bytes exactly as received (before any JSON parsing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fulfilstation.integrations.ports import IncomingOrder
from fulfilstation.integrations.shopify.mapping import from_rest
from fulfilstation.integrations.signatures import sign, verify

HEADER = "X-Shopify-Hmac-Sha256"
TOPIC_HEADER = "X-Shopify-Topic"
WEBHOOK_ID_HEADER = "X-Shopify-Webhook-Id"  # the same for every retry of one delivery
ORDER_TOPICS = ("orders/create", "orders/updated", "orders/cancelled")

__all__ = ["HEADER", "ORDER_TOPICS", "TOPIC_HEADER", "WEBHOOK_ID_HEADER", "incoming_from_webhook", "sign", "verify"]


def incoming_from_webhook(channel: str, payload: Mapping[str, Any]) -> IncomingOrder:
    """The order of an ``orders/create``, ``orders/updated`` or ``orders/cancelled`` delivery.
    Raises ``ValueError`` saying why when the payload is not an order (no ``id``, an amount
    beyond any order's)."""
    return from_rest(channel, payload)
