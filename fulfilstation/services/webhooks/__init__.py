"""Webhooks in: the channel's webhook secret, and taking a verified delivery once."""

from fulfilstation.services.webhooks.service import Deliver, WebhooksService, webhook_secret_name

__all__ = ["Deliver", "WebhooksService", "webhook_secret_name"]
