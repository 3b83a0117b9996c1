"""A channel's sync errors (both engines): a round that fails keeps its error in words and
when, never a secret; a round that succeeds clears it; a channel failing, or not synced for
three poll intervals, is listed in the problems, by the use cases and the command line.
The waits a shop asks for go through the injected sleep (no test waits for real)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import AuditEntry, OutboxMessage
from fulfilstation.integrations.ports import ChannelConfig, ChannelError, ShopChannel
from fulfilstation.integrations.woocommerce import WooCommerceChannel
from fulfilstation.services.app import build_services
from fulfilstation.services.context import Ports
from fulfilstation.services.integrations import ChannelFields
from fulfilstation.services.integrations.sync_errors import plain
from tests.db.test_cli import cli
from tests.db.test_cli import plain as plain_url
from tests.support.app import STATION, FixedPrinters, sign_in
from tests.support.outbox import add_shop
from tests.support.shop_channel import ManualClock, RecordingShop, shop_app
from tests.support.woocommerce_stub import WooCommerceStub

#: the local stub answers at once; on a loaded machine (two test workers) it may take a few
#: seconds: no test here is about a timeout (those set their own, with a stub told to be late)
STUB_TIMEOUT_S = 30.0

MANAGER = ("--user", "manager", "--pin", "2222")
OWNER = ("--user", "owner", "--pin", "3333")


def test_plain_words_hide_the_channels_secrets_and_anything_shaped_like_one() -> None:
    said = plain("GET https://shop.example/wp-json/wc/v3/orders?consumer_key=ck_0123456789abcdef&consumer_secret="
                 "cs_fedcba9876543210 failed; Authorization: Basic YWJjOmRlZg==; the token s3cret-Tok3n was refused; "
                 "shpat_00aa11bb22cc", ["s3cret-Tok3n"])
    assert said == ("GET https://shop.example/wp-json/wc/v3/orders?consumer_key=[hidden]&consumer_secret=[hidden] "
                    "failed; Authorization: Basic [hidden]; the token [hidden] was refused; [hidden]")
    assert len(plain("x" * 5000)) == 1000
    assert plain("The shop answered 502") == "The shop answered 502"


def test_a_failed_round_keeps_its_error_until_a_round_succeeds(seeded_database: Database) -> None:
    clock, slept = ManualClock(dt.datetime.now(dt.UTC)), []  # the channel's created_at is the real time

    def adapters(config: ChannelConfig, secrets: SecretStore) -> ShopChannel:
        return WooCommerceChannel(config, secrets, timeout=STUB_TIMEOUT_S)

    with WooCommerceStub() as stub:
        app = build_services(seeded_database, Ports(printers=FixedPrinters(), channel_adapters=adapters, clock=clock,
                                                    sleep=slept.append), STATION)
        owner, manager = sign_in(app, "owner"), sign_in(app, "manager")
        app.integrations.add_channel(owner, ChannelFields("woo", "woocommerce", stub.base_url))
        app.integrations.set_secret(owner, "woo", "key", stub.key)
        app.integrations.set_secret(owner, "woo", "secret", stub.secret)
        assert [t.words for t in app.integrations.problems().syncs] == []  # added just now: not late yet

        stub.fail("orders", 401, code="woocommerce_rest_cannot_view",
                  message=f"Sorry, you cannot list resources with {stub.key}.")  # a shop that echoes the key
        (result,) = app.integrations.sync(manager)
        assert result.error is not None and "refused the API key" in result.error
        (view,) = app.integrations.channels()
        assert view.last_error == result.error and view.last_error_at == clock.now()
        assert stub.key not in view.last_error and stub.secret not in view.last_error and "[hidden]" in view.last_error
        (trouble,) = app.integrations.problems().syncs
        assert (trouble.channel, trouble.error) == ("woo", view.last_error)
        assert trouble.words.startswith("the last sync failed: WooCommerce refused the API key")

        clock.advance(30)
        stub.fail("orders", 429, retry_after="2")  # a short throttle is waited out (the fake sleep) and asked again
        round_ = app.integrations.run_round(manager)
        assert round_.syncs[0].error is None and slept == [2.0]
        (view,) = app.integrations.channels()
        assert (view.last_error, view.last_error_at, view.last_synced_at) == (None, None, clock.now())
        assert app.integrations.problems().syncs == ()

        clock.advance(3 * 30 + 1)  # three poll intervals without a sync
        (late,) = app.integrations.problems().syncs
        assert late.error is None and late.words.startswith("no sync for 1 minute (it should sync every 30 s)")
        app.integrations.run_round(manager)
        assert app.integrations.problems().syncs == ()


def test_the_keyrings_secret_never_reaches_the_database(seeded_database: Database) -> None:
    shop, clock = RecordingShop(), ManualClock()
    app = shop_app(seeded_database, shop, clock)
    add_shop(app)
    app.integrations.set_secret(sign_in(app, "owner"), "test", "token", "tok-9f8e7d6c")
    shop.fail_next(ChannelError("Shopify refused the access token tok-9f8e7d6c", retryable=False))
    (result,) = app.integrations.sync(sign_in(app, "manager"))
    (view,) = app.integrations.channels()
    assert result.error == view.last_error == "Shopify refused the access token [hidden]"


def test_the_command_line_shows_sync_errors_and_retries_every_failed_push(seeded_database: Database) -> None:
    url = plain_url(seeded_database.engine.url)
    added = cli("integrations", "add-channel", "web", "--kind", "shopify", "--url", "http://127.0.0.1:9",
                "--location", "gid://shopify/Location/1", "--db", url, *OWNER)
    assert added.returncode == 0, added.stderr
    once = cli("sync", "--once", "--db", url, *MANAGER)  # nothing listens there (and no token is kept)
    assert once.returncode == 1 and "web:" in once.stdout and "error:" in once.stdout
    channels = cli("integrations", "channels", "--db", url)
    assert channels.returncode == 0 and "last sync failed at " in channels.stdout
    listed = json.loads(cli("integrations", "channels", "--json", "--db", url).stdout)
    assert listed[0]["last_error"] and listed[0]["last_error_at"]
    problems = cli("integrations", "problems", "--db", url)
    assert problems.returncode == 1 and "sync  web  the last sync failed: " in problems.stdout
    assert "1 channel not syncing." in problems.stdout
    assert json.loads(cli("integrations", "problems", "--json", "--db", url).stdout)["syncs"][0]["channel"] == "web"

    with seeded_database.unit_of_work() as session:
        for n in range(3):
            session.add(OutboxMessage(topic="shipment.created", dedup_key=f"shipment.created:cli-{n}",
                                      channel="web" if n < 2 else "other", payload={}, status="failed", attempts=8,
                                      last_error="The shop answered 500"))
    neither = cli("integrations", "retry", "--db", url, *MANAGER)
    assert neither.returncode == 2 and "retry --all" in neither.stderr
    with seeded_database.unit_of_work() as session:  # the round's stock pushes failed too: no keyring, no token
        failed = len(session.scalars(select(OutboxMessage.id).where(OutboxMessage.channel == "web",
                                                                    OutboxMessage.status == "failed")).all())
    retried = cli("integrations", "retry", "--all", "--channel", "web", "--db", url, *MANAGER)
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout == f"{failed} failed pushes are queued again for web: the next worker pass sends them.\n"
    rest = cli("integrations", "retry", "--all", "--db", url, *MANAGER)
    assert rest.stdout == "1 failed push is queued again: the next worker pass sends it.\n"
    none = cli("integrations", "retry", "--all", "--db", url, *MANAGER)
    assert none.returncode == 1 and none.stderr == "error: There are no failed pushes: there is nothing to retry.\n"
    with seeded_database.unit_of_work() as session:
        assert [(e.details["channel"], e.details["count"]) for e in session.scalars(select(AuditEntry).where(
            AuditEntry.action == "outbox.retried_all").order_by(AuditEntry.id))] == \
            [("web", failed), (None, 1)]
