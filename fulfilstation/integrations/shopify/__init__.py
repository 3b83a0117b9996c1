"""The Shopify adapter: ``ShopifyChannel`` (GraphQL Admin API 2025-01) and the webhook
signature check (``webhooks``). See ``channel`` for what each call promises."""

from fulfilstation.integrations.shopify.channel import ShopifyChannel, token_name

__all__ = ["ShopifyChannel", "token_name"]
