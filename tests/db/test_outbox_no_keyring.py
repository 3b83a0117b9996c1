"""A computer with no usable keyring (both engines): the shop's secret cannot be read, which
is a setup problem — the pushes wait and are tried again later, none is given up after one
try, and the pass says the error once however many pushes it held back."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring
from sqlalchemy import select

from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import OutboxMessage
from fulfilstation.integrations.ports import SETUP_RETRY_SECONDS, ChannelConfig, ChannelError
from fulfilstation.integrations.shopify import ShopifyChannel
from fulfilstation.integrations.woocommerce import WooCommerceChannel
from fulfilstation.services.integrations import ChannelFields
from tests.support.app import app_for, sign_in


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.mark.parametrize(("adapter", "kind", "url", "secret"), [
    (WooCommerceChannel, "woocommerce", "https://shop.example", "API key"),
    (ShopifyChannel, "shopify", "https://test.myshopify.com", "access token")])
def test_the_adapter_says_so_as_a_setup_problem_to_try_again(no_keyring: None, adapter: type, kind: str, url: str,
                                                            secret: str) -> None:
    channel = adapter(ChannelConfig("web", kind, base_url=url, location_id="gid://loc/1"), SecretStore())
    with pytest.raises(ChannelError) as raised:
        channel.fetch_orders({})
    error = raised.value
    assert (error.retryable, error.retry_after) == (True, SETUP_RETRY_SECONDS)
    assert f"the {secret} of channel web cannot be read" in str(error)
    assert "set-secret" in str(error) and "database" not in str(error)


def test_a_pass_without_a_keyring_keeps_every_push_waiting_and_says_the_error_once(
        seeded_database: Database, no_keyring: None) -> None:
    app = app_for(seeded_database)
    owner, manager = sign_in(app, "owner"), sign_in(app, "manager")
    app.integrations.add_channel(owner, ChannelFields("web", "woocommerce", "https://shop.example", None, {}))
    done = app.integrations.deliver(manager)
    assert done.stock_queued > 10
    with seeded_database.unit_of_work() as session:
        statuses = {status for status in session.scalars(select(OutboxMessage.status)
                                                         .where(OutboxMessage.channel == "web"))}
        tried = session.scalars(select(OutboxMessage.last_error).where(OutboxMessage.channel == "web",
                                                                       OutboxMessage.attempts > 0)).all()
    assert statuses == {"pending"}
    assert tried and all("no usable keyring" in error for error in tried)
    assert done.failed == 0
    assert sum("no usable keyring" in error for error in done.errors) == 1, done.errors
