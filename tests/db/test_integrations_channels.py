"""Sales channels (both engines): an owner adds and edits them, secrets go to the keyring
only, a sync stores each page's bookmark only after the page is written."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from fulfilstation.credentials import SERVICE
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, SalesChannel
from fulfilstation.integrations.factory import channel_for
from fulfilstation.integrations.ports import ChannelConfig, ChannelError, IncomingLine, IncomingOrder, OrderPage
from fulfilstation.services.integrations import ChannelChanges, ChannelFields, IntegrationsRefused, lease
from tests.support.app import app_for, sign_in
from tests.support.memory_keyring import MemoryKeyring
from tests.support.outbox import add_shop
from tests.support.shop_channel import ManualClock, RecordingShop, shop_app


def _channel(database: Database, name: str) -> SalesChannel:
    with database.unit_of_work() as session:
        channel = session.scalars(select(SalesChannel).where(SalesChannel.name == name)).one()
        session.expunge(channel)
    return channel


def test_an_owner_adds_edits_and_deactivates_a_channel(seeded_database: Database) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    view = app.integrations.add_channel(owner, ChannelFields("eu-shop", "woocommerce", "https://shop.example/",
                                                             settings={"poll_seconds": 60}))
    assert (view.name, view.kind, view.base_url, view.poll_seconds, view.active) == \
        ("eu-shop", "woocommerce", "https://shop.example", 60, True)
    with pytest.raises(IntegrationsRefused, match="already a sales channel"):
        app.integrations.add_channel(owner, ChannelFields("eu-shop", "shopify", "https://x.myshopify.com"))
    with pytest.raises(IntegrationsRefused, match="needs its address"):
        app.integrations.add_channel(owner, ChannelFields("no-url", "shopify"))
    with pytest.raises(IntegrationsRefused, match="poll_seconds"):
        app.integrations.edit_channel(owner, "eu-shop", ChannelChanges(settings={"poll_seconds": 2}))
    view = app.integrations.edit_channel(owner, "eu-shop", ChannelChanges(location_id="7",
                                                                          settings={"notify_customer": False}))
    assert view.location_id == "7" and view.settings == {"poll_seconds": 60, "notify_customer": False}
    assert not app.integrations.deactivate_channel(owner, "eu-shop").active
    with pytest.raises(IntegrationsRefused, match="already inactive"):
        app.integrations.deactivate_channel(owner, "eu-shop")
    assert [c.name for c in app.integrations.channels()] == ["eu-shop"]


def test_a_secret_goes_to_the_keyring_never_the_database(seeded_database: Database,
                                                         isolated_environment: MemoryKeyring) -> None:
    app = app_for(seeded_database)
    owner = sign_in(app, "owner")
    add_shop(app, "web")
    app.integrations.set_secret(owner, "web", "token", "shpat_very_secret_42")
    assert isolated_environment.get_password(SERVICE, "channel:web:token") == "shpat_very_secret_42"
    with seeded_database.unit_of_work() as session:
        everything = json.dumps([entry.details for entry in session.scalars(select(AuditEntry))])
        channel = json.dumps([c.settings for c in session.scalars(select(SalesChannel))])
    assert "shpat_very_secret_42" not in everything + channel
    with pytest.raises(IntegrationsRefused, match="these secrets: token, webhook; 'key' is not"):
        app.integrations.set_secret(owner, "web", "key", "x")


def test_a_file_channel_has_no_adapter() -> None:
    with pytest.raises(ChannelError, match="CSV files") as error:
        channel_for(ChannelConfig("csv", "file"), None)  # type: ignore[arg-type]
    assert not error.value.retryable


def test_sync_stores_the_bookmark_page_by_page_and_keeps_it_on_an_error(seeded_database: Database) -> None:
    shop, clock = RecordingShop(), ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    manager = sign_in(app, "manager")
    shop.pages = [OrderPage((), {"cursor": "p1"}, True), OrderPage((), {"cursor": "p2"}, False)]
    (result,) = app.integrations.sync(manager)
    assert (result.channel, result.pages, result.error) == ("test", 2, None)
    assert shop.states_asked == [{}, {"cursor": "p1"}]
    channel = _channel(seeded_database, "test")
    assert channel.sync_state == {"cursor": "p2"} and channel.last_synced_at == clock.now()

    shop.pages = [OrderPage((), {"cursor": "p3"}, True)]  # the first page comes, the second call fails
    original = shop.fetch_orders
    asked = []

    def flaky(state):  # type: ignore[no-untyped-def]
        asked.append(dict(state))
        if len(asked) == 2:
            # a wait longer than a round waits out (sync.LONGEST_WAIT): the round ends here
            raise ChannelError("The shop answered 502", retryable=True, retry_after=60, status=502)
        return original(state)

    shop.fetch_orders = flaky  # type: ignore[method-assign]
    (result,) = app.integrations.sync(manager)
    assert result.error == "The shop answered 502" and result.pages == 1
    assert _channel(seeded_database, "test").sync_state == {"cursor": "p3"}
    with pytest.raises(IntegrationsRefused, match="no sales channel"):
        app.integrations.sync(manager, "nope")


def test_a_page_of_orders_goes_through_the_intake_before_its_bookmark(seeded_database: Database) -> None:
    shop, clock = RecordingShop(), ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    order = IncomingOrder("test", "gid://Order/1", "#1001", "Ana Lima", "1 Main St", "Springfield", "62704", "US",
                          (IncomingLine("MUG-CER-350", 1),), ship_to_region="IL", financial_status="paid")
    shop.pages = [OrderPage((order,), {"cursor": "after-1001"}, False)]
    (result,) = app.integrations.sync(sign_in(app, "manager"))
    assert result.error is None and result.imported + result.updated == 1
    assert _channel(seeded_database, "test").sync_state == {"cursor": "after-1001"}


def test_one_computer_at_a_time_syncs_a_channel(seeded_database: Database) -> None:
    shop, clock = RecordingShop(), ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    manager = sign_in(app, "manager")
    assert lease.take(seeded_database, "other-pc", clock.now(), name="sync:test")
    (result,) = app.integrations.sync(manager)
    assert result.busy and result.pages == 0 and shop.calls == []
    clock.advance(lease.LEASE_SECONDS + 1)  # the other computer went silent
    (result,) = app.integrations.sync(manager)
    assert not result.busy and result.pages == 1
