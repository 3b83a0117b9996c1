"""Webhook signatures: base64 HMAC-SHA256 over the RAW body, compared in constant time.

Shopify (``X-Shopify-Hmac-Sha256``) and WooCommerce (``X-WC-Webhook-Signature``) both sign a
webhook this way with the webhook's secret. The body must be the bytes as received, before
any JSON decoding. Pure; thread-safe.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign(secret: str, raw_body: bytes) -> str:
    """The base64 HMAC-SHA256 of ``raw_body`` with ``secret`` (what the shop sends)."""
    digest = hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(secret: str, raw_body: bytes, header: str | None) -> bool:
    """Whether ``header`` is the signature of ``raw_body`` with ``secret``; False when the
    header or the secret is missing. Constant-time (``hmac.compare_digest``)."""
    if not header or not secret:
        return False
    return hmac.compare_digest(sign(secret, raw_body).encode("ascii"), header.strip().encode("ascii", "replace"))
