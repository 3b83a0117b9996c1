"""``channel_for``: the shop adapter of a sales channel, by its kind.

The adapters are imported lazily (only the kind asked for), so a site that uses neither
shop never loads their HTTP code. A ``file`` channel (CSV files imported by hand) has no
adapter: asking for one raises ``ChannelError`` (not retryable) saying so.

Threading: pure construction; the adapter it returns does blocking network I/O.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from fulfilstation.credentials import SecretStore
from fulfilstation.domain.enums import ChannelKind
from fulfilstation.integrations.ports import ChannelConfig, ChannelError, ShopChannel

ChannelFactory = Callable[[ChannelConfig, SecretStore], ShopChannel]
"""``make(channel config, secret store)`` → the channel's shop adapter."""

SHOP_KINDS = (ChannelKind.SHOPIFY.value, ChannelKind.WOOCOMMERCE.value)
_ADAPTERS = {
    ChannelKind.SHOPIFY.value: ("fulfilstation.integrations.shopify", "ShopifyChannel"),
    ChannelKind.WOOCOMMERCE.value: ("fulfilstation.integrations.woocommerce", "WooCommerceChannel"),
}


def channel_for(config: ChannelConfig, secrets: SecretStore) -> ShopChannel:
    """The adapter that speaks to ``config``'s shop; ChannelError when its kind has none."""
    if config.kind in _ADAPTERS:
        module_name, class_name = _ADAPTERS[config.kind]
        adapter_class = getattr(importlib.import_module(module_name), class_name)  # lazy: only the kind in use
        adapter: ShopChannel = adapter_class(config, secrets)
        return adapter
    if config.kind == ChannelKind.FILE.value:
        raise ChannelError(f"Channel {config.name} takes orders from CSV files imported by hand: there is no shop "
                           "to sync with or push to.", retryable=False)
    raise ChannelError(f"Channel {config.name} is of an unknown kind ({config.kind!r}).", retryable=False)
