"""Shopify webhooks: the signature check and the order payload.

Shopify signs each delivery with ``X-Shopify-Hmac-Sha256``: base64 of HMAC-SHA256 over the
*raw* request body, keyed with the app's client secret (or the webhook signing secret).
``verify`` compares in constant time and is False for a missing or malformed header; it
must be given the body bytes exactly as received (before any JSON parsing).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from fulfilstation.integrations.ports import IncomingOrder
from fulfilstation.integrations.shopify.mapping import from_rest

HEADER = "X-Shopify-Hmac-Sha256"
TOPIC_HEADER = "X-Shopify-Topic"
WEBHOOK_ID_HEADER = "X-Shopify-Webhook-Id"  # the same for every retry of one delivery
ORDER_TOPICS = ("orders/create", "orders/updated", "orders/cancelled")


def sign(secret: str, raw_body: bytes) -> str:
    """The header value Shopify would send for ``raw_body``."""
    digest = hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(secret: str, raw_body: bytes, header: str | None) -> bool:
    """True only when ``header`` is Shopify's signature of ``raw_body`` with ``secret``."""
    if not header or not secret:
        return False
    return hmac.compare_digest(sign(secret, raw_body).encode("ascii"), header.strip().encode("utf-8", "replace"))


def incoming_from_webhook(channel: str, payload: Mapping[str, Any]) -> IncomingOrder:
    """The order of an ``orders/create``, ``orders/updated`` or ``orders/cancelled`` delivery.
    Raises ``KeyError`` when the payload has no ``id`` (not an order)."""
    return from_rest(channel, payload)
