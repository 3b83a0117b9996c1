"""Sync: fetch each shop channel's new and changed orders and write them through the intake.

For a channel, pages are fetched from its adapter (``fetch_orders(state)``) and each page
is written by THE intake door (``services.orders.intake.write.write_incoming``, source
``"<kind>:<name>"``), which commits the orders; only then is the page's bookmark stored
(``sales_channels.sync_state`` and ``last_synced_at``, with a ``channel.synced`` audit
entry), so a crash between the two re-fetches the page — the intake is idempotent per
``(channel, external id)`` — and never skips one. A ``ChannelError`` stops that channel's
sync (what was written stays, the bookmark where the last written page left it) and is
reported; the other channels go on. One computer at a time syncs a channel: the lease
``sync:<name>`` (``lease``), renewed before each page; a sync that finds it held reports the
channel ``busy`` and fetches nothing (two syncs would be harmless — the intake is idempotent —
but the bookmark could step back).

A channel's round that fails keeps its error in words, secrets hidden (``sync_errors``:
``sales_channels.last_error`` and ``last_error_at``); one that succeeds clears them (a
``busy`` channel keeps what it had). Waits between a page's short retries go through the
injected ``sleep`` (``Ports.sleep``; tests pass a fake).

Threading: blocking (database, network); call from a worker thread, the CLI or a job.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import select, update

from fulfilstation.credentials import SecretStore
from fulfilstation.db.database import Database
from fulfilstation.db.models import SalesChannel
from fulfilstation.imports import ImportReport
from fulfilstation.integrations.factory import ChannelFactory
from fulfilstation.integrations.ports import ChannelConfig, ChannelError, IncomingOrder, OrderPage, ShopChannel
from fulfilstation.ports import Clock
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.integrations import lease, sync_errors
from fulfilstation.services.integrations.channels import config_of, find_channel
from fulfilstation.services.integrations.refused import IntegrationsRefused
from fulfilstation.services.integrations.views import ChannelSync
from fulfilstation.services.outbox import SHOP_KINDS

log = logging.getLogger(__name__)
MAX_PAGES = 100  # per channel and sync: the rest comes next time
Writer = Callable[[Database, Actor, list[IncomingOrder], str], ImportReport]
Sleep = Callable[[float], None]


def sync_channels(database: Database, actor: Actor, adapters: ChannelFactory, secrets: SecretStore, clock: Clock,
                  writer: Writer, channel: str | None = None, *,
                  sleep: Sleep = time.sleep) -> tuple[ChannelSync, ...]:
    with database.unit_of_work() as session:
        if channel is not None:
            named = find_channel(session, channel)
            if named.kind not in SHOP_KINDS:
                raise IntegrationsRefused("not-a-shop", f"Channel {named.name} takes CSV files: import them with "
                                          "fulfilstation import orders; there is nothing to sync.")
            if not named.active:
                raise IntegrationsRefused("channel-inactive", f"Channel {named.name} is inactive: reactivate it "
                                          "to sync.")
        query = select(SalesChannel).where(SalesChannel.active.is_(True), SalesChannel.kind.in_(SHOP_KINDS))
        if channel is not None:
            query = query.where(SalesChannel.name == channel.strip())
        configs = [(c.id, config_of(c), dict(c.sync_state or {}))
                   for c in session.scalars(query.order_by(SalesChannel.name))]
    return tuple(_sync_one(database, actor, adapters, secrets, clock, writer, channel_id, config, state, sleep)
                 for channel_id, config, state in configs)


def _sync_one(database: Database, actor: Actor, adapters: ChannelFactory, secrets: SecretStore, clock: Clock,
              writer: Writer, channel_id: int, config: ChannelConfig, state: dict[str, object],
              sleep: Sleep) -> ChannelSync:
    source = f"{config.kind}:{config.name}"
    holder, lease_name = f"sync:{uuid.uuid4().hex[:12]}", f"sync:{config.name}"
    if not lease.take(database, holder, clock.now(), name=lease_name):
        return ChannelSync(config.name, busy=True)  # another computer is syncing this channel now
    try:
        done = _fetch_pages(database, actor, adapters, secrets, clock, writer, channel_id, config, state, source,
                            holder, lease_name, sleep)
    finally:
        lease.release(database, holder, name=lease_name)
    if done.error is None:
        sync_errors.cleared(database, channel_id)
        return done
    error = sync_errors.plain(done.error, sync_errors.channel_secrets(secrets, config.name, config.kind))
    sync_errors.record(database, channel_id, error, clock.now())
    return replace(done, error=error)


def _fetch_pages(database: Database, actor: Actor, adapters: ChannelFactory, secrets: SecretStore, clock: Clock,
                 writer: Writer, channel_id: int, config: ChannelConfig, state: dict[str, object], source: str,
                 holder: str, lease_name: str, sleep: Sleep) -> ChannelSync:
    pages = fetched = imported = updated = rejected = 0
    try:
        adapter = adapters(config, secrets)
        for _page in range(MAX_PAGES):
            if pages and not lease.renew(database, holder, clock.now(), name=lease_name):
                break  # our lease ran out and another computer took over: it goes on from our bookmark
            page = _fetch_page(adapter, state, sleep)
            if page.orders:
                report = writer(database, actor, list(page.orders), source)
                imported, updated, rejected = (imported + report.imported, updated + report.updated,
                                               rejected + report.rejected)
            pages, fetched, state = pages + 1, fetched + len(page.orders), dict(page.state)
            _store_state(database, actor, channel_id, config.name, state, clock, len(page.orders))
            if not page.more:
                break
    except ChannelError as error:
        return ChannelSync(config.name, pages, fetched, imported, updated, rejected, str(error))
    except Exception as exc:  # an adapter's bug: reported, the other channels go on
        log.exception("sync of channel %s failed unexpectedly", config.name)
        return ChannelSync(config.name, pages, fetched, imported, updated, rejected,
                           f"Unexpected error: {type(exc).__name__}: {exc}")
    return ChannelSync(config.name, pages, fetched, imported, updated, rejected)


SHORT_WAITS = 2  # a page throttled or failing for a moment is asked for again this many times
LONGEST_WAIT = 10.0  # seconds: a longer Retry-After ends this round (the next one goes on)


def _fetch_page(adapter: ShopChannel, state: dict[str, object], sleep: Sleep = time.sleep) -> OrderPage:
    """The next page; a throttle (429, GraphQL THROTTLED) or a passing failure is waited out
    (``sleep``: injected, tests pass a fake one) and asked again up to ``SHORT_WAITS`` times
    when the shop's wait is short, so a routine throttle does not fail the round (nor a cron
    job's ``sync --once``)."""
    for attempt in range(SHORT_WAITS + 1):
        try:
            return adapter.fetch_orders(state)
        except ChannelError as error:
            wait = error.retry_after if error.retry_after is not None else 1.0
            if not error.retryable or attempt == SHORT_WAITS or wait > LONGEST_WAIT:
                raise
            sleep(wait)
    raise AssertionError("unreachable")


def _store_state(database: Database, actor: Actor, channel_id: int, name: str, state: dict[str, object],
                 clock: Clock, orders: int) -> None:
    with database.unit_of_work() as session:
        session.execute(update(SalesChannel).where(SalesChannel.id == channel_id)
                        .values(sync_state=state, last_synced_at=clock.now()))
        if orders:  # an empty poll every 30 s would only fill the log
            audit.record(session, actor, "channel.synced", "sales_channel", channel_id,
                         {"name": name, "orders": orders})
