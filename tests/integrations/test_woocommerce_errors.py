"""Every way a WooCommerce call fails is a ChannelError that says whether to try again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fulfilstation.integrations.ports import ChannelError, StockPush, TrackingPush
from tests.support.woocommerce_stub import WooCommerceStub, channel_for


@pytest.fixture
def stub() -> Iterator[WooCommerceStub]:
    with WooCommerceStub() as running:
        yield running


def test_429_is_retryable_and_carries_retry_after(stub: WooCommerceStub) -> None:
    stub.fail("orders", 429, retry_after="17", code="woocommerce_rest_too_many_requests",
              message="Too many requests.")
    with pytest.raises(ChannelError) as failed:
        channel_for(stub).fetch_orders({})
    assert failed.value.retryable and failed.value.retry_after == 17 and failed.value.status == 429


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_retryable_and_shows_woos_message(stub: WooCommerceStub, status: int) -> None:
    stub.fail("orders", status, code="internal_server_error", message="There has been a critical error.")
    with pytest.raises(ChannelError) as failed:
        channel_for(stub).fetch_orders({})
    assert failed.value.retryable and failed.value.status == status
    assert "There has been a critical error. [internal_server_error]" in str(failed.value)


def test_a_refusal_shows_woos_message_and_is_not_retryable(stub: WooCommerceStub) -> None:
    with pytest.raises(ChannelError) as failed:
        channel_for(stub).create_fulfilment("999", [TrackingPush("1Z1", "UPS")], notify_customer=False,
                                            idempotency_key="k")
    assert not failed.value.retryable and failed.value.status == 404
    assert "Invalid ID. [woocommerce_rest_shop_order_invalid_id]" in str(failed.value)


def test_a_timeout_is_retryable(stub: WooCommerceStub) -> None:
    stub.delay("orders", 3.0)
    with pytest.raises(ChannelError) as failed:
        channel_for(stub, timeout=1.0).fetch_orders({})
    assert failed.value.retryable and "did not answer within 1 s" in str(failed.value)


def test_an_answer_that_is_not_json_is_retryable(stub: WooCommerceStub) -> None:
    stub.malformed("products")
    with pytest.raises(ChannelError) as failed:
        channel_for(stub).set_stock([StockPush("MUG-1", 3)])
    assert failed.value.retryable and "not JSON" in str(failed.value)


def test_a_dropped_connection_is_retryable(stub: WooCommerceStub) -> None:
    stub.lose_response("orders")
    with pytest.raises(ChannelError) as failed:
        channel_for(stub).fetch_orders({})
    assert failed.value.retryable


def test_a_shop_that_is_not_there_is_retryable() -> None:
    with WooCommerceStub() as gone:
        channel = channel_for(gone)
    with pytest.raises(ChannelError) as failed:
        channel.fetch_orders({})
    assert failed.value.retryable and "Could not reach WooCommerce" in str(failed.value)
