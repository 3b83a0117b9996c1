"""Webhooks in: an HTTP server that verifies Shopify and WooCommerce signatures and hands
each verified order to a ``WebhookReceiver`` (``services.webhooks`` writes it through the
intake door)."""

from fulfilstation.integrations.webhooks.payloads import SOURCES, Delivery, WebhookReceiver
from fulfilstation.integrations.webhooks.server import WebhookServer, parse_listen

__all__ = ["SOURCES", "Delivery", "WebhookReceiver", "WebhookServer", "parse_listen"]
