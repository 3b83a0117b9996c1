"""Every way a Shopify call can fail becomes the right ``ChannelError``: retryable (with the
shop's wait) or not, in words a manager can act on."""

from __future__ import annotations

import socket

import pytest

from fulfilstation.credentials import SecretStore
from fulfilstation.integrations.ports import SETUP_RETRY_SECONDS, ChannelConfig, ChannelError
from fulfilstation.integrations.shopify import ShopifyChannel
from fulfilstation.integrations.shopify.graphql import Bucket, endpoint_for
from fulfilstation.integrations.shopify.queries import ORDERS_COST
from tests.support.shopify_stub import FakeTime, ShopifyStub, channel_for


@pytest.fixture
def channel_timeout() -> float:
    return 2.0  # far above a local stub's answer on a busy machine; a late answer comes well past it


@pytest.fixture(autouse=True)
def an_order(stub: ShopifyStub) -> None:
    stub.add_order()


def failure(channel: ShopifyChannel) -> ChannelError:
    with pytest.raises(ChannelError) as caught:
        channel.fetch_orders({})
    return caught.value


def test_http_429_is_retryable_after_the_wait_shopify_asks(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    stub.fail_next(429, retry_after="2.0")
    error = failure(channel)
    assert (error.retryable, error.retry_after, error.status) == (True, 2.0, 429)
    assert len(channel.fetch_orders({}).orders) == 1  # the next try goes through


def test_a_server_error_is_retryable(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    stub.fail_next(503)
    error = failure(channel)
    assert error.retryable and error.status == 503 and "HTTP 503" in str(error)


def test_no_answer_within_the_timeout_is_retryable(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    stub.delay_next(3.5)
    error = failure(channel)
    assert error.retryable and "did not answer within 2 s" in str(error)


def test_a_refused_connection_is_retryable(stub: ShopifyStub) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = failure(channel_for(stub, base_url=f"http://127.0.0.1:{port}"))
    assert error.retryable and "cannot reach Shopify at 127.0.0.1" in str(error)


def test_an_answer_that_is_not_json_is_retryable(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    stub.malformed_next()
    error = failure(channel)
    assert error.retryable and "not JSON" in str(error)


def test_a_wrong_token_is_refused_plainly_and_waits_for_the_fix(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    stub.token = "shpat_rotated"
    error = failure(channel)
    # Tried again only after a person had time to fix the token (SETUP_RETRY_SECONDS), not at once.
    assert error.retryable and error.retry_after == SETUP_RETRY_SECONDS and error.status == 401
    assert str(error).startswith("Shopify refused the access token: [API] Invalid API key or access token")
    assert "shpat_stub_token" not in str(error) and "shpat_stub_token" not in repr(channel.client)


def test_a_wrong_shop_address_is_not_retried(stub: ShopifyStub) -> None:
    error = failure(channel_for(stub, base_url=stub.base_url + "/elsewhere"))
    assert error.retryable and error.retry_after == SETUP_RETRY_SECONDS and error.status == 404
    assert "no shop at 127.0.0.1" in str(error)


def test_a_missing_token_says_how_to_store_it(stub: ShopifyStub) -> None:
    channel = ShopifyChannel(ChannelConfig(name="outlet", kind="shopify", base_url=stub.base_url), SecretStore())
    error = failure(channel)
    assert error.retryable and error.retry_after == SETUP_RETRY_SECONDS
    assert "fulfilstation integrations set-secret outlet token" in str(error) and "python -m" not in str(error)
    assert stub.requests == []


def test_a_missing_shop_address_is_named(stub: ShopifyStub) -> None:
    error = failure(ShopifyChannel(ChannelConfig(name="outlet", kind="shopify"), SecretStore()))
    assert error.retryable and error.retry_after == SETUP_RETRY_SECONDS and "no shop address" in str(error)


def test_a_throttled_query_waits_as_shopify_says_and_goes_through(
        stub: ShopifyStub, channel: ShopifyChannel, fake_time: FakeTime) -> None:
    stub.bucket_available = 100.0  # another thread of ours used the bucket
    assert len(channel.fetch_orders({}).orders) == 1
    assert stub.throttled == 1
    assert fake_time.slept == [pytest.approx((ORDERS_COST + 2 - 100) / 50)]  # (requested − available) / restore rate


def test_throttled_again_is_a_retryable_error_with_shopifys_wait(stub: ShopifyStub, fake_time: FakeTime) -> None:
    frozen = fake_time.now
    stub.clock = lambda: frozen  # Shopify's bucket does not refill while we wait
    stub.bucket_available = 100.0
    channel = channel_for(stub, time_=fake_time)
    error = failure(channel)
    assert error.retryable and "throttling" in str(error)
    assert error.retry_after == pytest.approx((ORDERS_COST - 100) / 50)
    assert stub.throttled == 2


def test_the_client_waits_for_the_bucket_instead_of_being_throttled(
        stub: ShopifyStub, channel: ShopifyChannel, fake_time: FakeTime) -> None:
    channel.fetch_orders({})  # learns the query's cost and the bucket
    stub.bucket_available = 52.0
    channel.client.bucket = Bucket(available=52.0, maximum=1000.0, restore_rate=50.0, seen_at=fake_time.now)
    assert len(channel.fetch_orders({}).orders) == 1
    assert fake_time.slept == [pytest.approx((ORDERS_COST + 2 - 52) / 50)] and stub.throttled == 0


def test_a_query_over_the_single_query_limit_is_not_retried(stub: ShopifyStub, channel: ShopifyChannel) -> None:
    with pytest.raises(ChannelError) as caught:
        channel.client.execute("{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }")
    assert not caught.value.retryable and "exceeds the single query max cost limit (1000)" in str(caught.value)


def test_bucket_wait_arithmetic() -> None:
    bucket = Bucket(available=100.0, maximum=1000.0, restore_rate=50.0, seen_at=10.0)
    assert bucket.wait_for(300, at=10.0) == pytest.approx(4.0)
    assert bucket.wait_for(300, at=12.0) == pytest.approx(2.0)
    assert bucket.wait_for(300, at=20.0) == 0.0
    assert bucket.wait_for(2000, at=10.0) == 0.0  # can never fit: let Shopify say so
    assert bucket.now(at=1000.0) == 1000.0


@pytest.mark.parametrize(("base", "endpoint"), [
    ("https://acme.myshopify.com/", "https://acme.myshopify.com/admin/api/2025-01/graphql.json"),
    ("acme.myshopify.com", "https://acme.myshopify.com/admin/api/2025-01/graphql.json"),
    ("acme", "https://acme.myshopify.com/admin/api/2025-01/graphql.json"),
    ("http://127.0.0.1:8123", "http://127.0.0.1:8123/admin/api/2025-01/graphql.json")])
def test_the_endpoint_carries_the_api_version(base: str, endpoint: str) -> None:
    assert endpoint_for(base) == endpoint


def test_every_query_fits_shopifys_single_query_limit_and_its_cost_constant() -> None:
    from fulfilstation.integrations.shopify import queries
    from tests.support.shopify_stub import MAX_QUERY_COST, parse, requested_cost

    for document, constant in ((queries.ORDERS, queries.ORDERS_COST), (queries.ORDER_LINES, queries.ORDER_LINES_COST),
                               (queries.ORDER_FULFILMENTS, queries.ORDER_FULFILMENTS_COST),
                               (queries.variants_by_sku(queries.VARIANTS_PER_QUERY),
                                queries.VARIANT_COST * queries.VARIANTS_PER_QUERY)):
        cost = requested_cost(parse(document)[1], {"first": queries.ORDERS_PER_PAGE})
        assert cost == constant and cost <= MAX_QUERY_COST
