"""The fixtures the Shopify adapter tests share: a fake clock, the stand-in shop on it, and
a ``ShopifyChannel`` talking to it whose waits go by the fake clock.

A module whose tests need a shorter client timeout overrides ``channel_timeout``. They live
in this folder's conftest, not the tests' one, because other test modules use a fixture
named ``stub`` for other stand-ins (WooCommerce, EasyPost).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fulfilstation.integrations.shopify import ShopifyChannel
from tests.support.shopify_stub import FakeTime, ShopifyStub, channel_for


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def stub(fake_time: FakeTime) -> Iterator[ShopifyStub]:
    with ShopifyStub(clock=fake_time.clock) as shop:
        yield shop


@pytest.fixture
def channel_timeout() -> float:
    """Seconds the channel's client waits for an answer (``channel_for``'s default)."""
    return 5.0


@pytest.fixture
def channel(stub: ShopifyStub, fake_time: FakeTime, channel_timeout: float) -> ShopifyChannel:
    return channel_for(stub, time_=fake_time, timeout=channel_timeout)  # type: ignore[no-any-return]
