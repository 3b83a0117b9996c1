"""The WooCommerce adapter: REST API v3 (``{base_url}/wp-json/wc/v3``) behind ``ShopChannel``."""

from fulfilstation.integrations.woocommerce.channel import WooCommerceChannel

__all__ = ["WooCommerceChannel"]
