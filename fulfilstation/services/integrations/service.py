"""``IntegrationsService``: sales channels, syncing their orders in, and the outbox out.

Use cases: an owner configures channels (``CONFIGURE_CHANNELS``: add, edit, deactivate,
reactivate, API secrets into the keyring, stock buffers, the retry limit); a manager — or a job signed in
with a manager's job secret — syncs and delivers (``SYNC_CHANNELS``: ``sync``, ``deliver``
one worker pass, ``retry`` a failed push, ``retry_all`` every one, ``reconcile_stock`` a full stock push,
``run_round`` sync, deliver, then track shipments, as the schedule does). Queries: ``channels``, ``problems``.

Threading: blocking (database, keyring, network); call from worker threads, the CLI or a
job, never the GUI thread.
"""

from __future__ import annotations

import random

from fulfilstation.domain.roles import Permission
from fulfilstation.imports import ImportReport
from fulfilstation.integrations.ports import IncomingOrder
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor, use_case
from fulfilstation.services.area import AreaService
from fulfilstation.services.context import ServiceContext
from fulfilstation.services.integrations import channels, problems, stock_watch, sync, worker
from fulfilstation.services.integrations.channels import find_channel
from fulfilstation.services.integrations.refused import IntegrationsRefused
from fulfilstation.services.integrations.views import (
    ChannelChanges,
    ChannelFields,
    ChannelSync,
    ChannelView,
    DeliveryPass,
    Problems,
    SyncRound,
)
from fulfilstation.services.orders.intake.write import write_incoming
from fulfilstation.services.outbox import SHOP_KINDS
from fulfilstation.services.tracking.run import run_poll


class IntegrationsService(AreaService):
    def __init__(self, context: ServiceContext, *, jitter: random.Random | None = None) -> None:
        super().__init__(context)
        self._jitter = jitter or random.Random()
        self._watch = stock_watch.StockWatch()  # this process's stock watcher (its marks)

    # -- channels (an owner's)

    @use_case(Permission.CONFIGURE_CHANNELS, "add a sales channel")
    def add_channel(self, actor: Actor, fields: ChannelFields) -> ChannelView:
        """IntegrationsRefused for a bad name, kind, address or setting, or a name in use."""
        return channels.add_channel(self.database, actor, fields)

    @use_case(Permission.CONFIGURE_CHANNELS, "edit a sales channel")
    def edit_channel(self, actor: Actor, name: str, changes: ChannelChanges) -> ChannelView:
        return channels.edit_channel(self.database, actor, name, changes)

    @use_case(Permission.CONFIGURE_CHANNELS, "deactivate a sales channel")
    def deactivate_channel(self, actor: Actor, name: str) -> ChannelView:
        """An inactive channel is neither synced nor pushed to; its pushes wait."""
        return channels.set_active(self.database, actor, name, False)

    @use_case(Permission.CONFIGURE_CHANNELS, "reactivate a sales channel")
    def reactivate_channel(self, actor: Actor, name: str) -> ChannelView:
        return channels.set_active(self.database, actor, name, True)

    @use_case(Permission.CONFIGURE_CHANNELS, "set a sales channel's API secret")
    def set_secret(self, actor: Actor, name: str, key: str, secret: str) -> None:
        """Keep the channel's secret ``key`` (``channels.SECRET_KEYS``: token, key, secret,
        webhook) in the OS keyring only."""
        channels.set_secret(self.database, self._context.ports.secrets, actor, name, key, secret)

    @use_case(Permission.CONFIGURE_CHANNELS, "set the site's stock buffer")
    def set_site_buffer(self, actor: Actor, units: int) -> int:
        """The units held back from every shop for a product without its own buffer."""
        return channels.set_site_buffer(self.database, actor, units)

    @use_case(Permission.CONFIGURE_CHANNELS, "set a product's stock buffer")
    def set_product_buffer(self, actor: Actor, sku: str, units: int | None) -> int | None:
        """The product's own buffer (None: the site default again)."""
        return channels.set_product_buffer(self.database, actor, sku, units)

    @use_case(Permission.CONFIGURE_CHANNELS, "set the outbox's retry limit")
    def set_retry_limit(self, actor: Actor, attempts: int) -> int:
        """Attempts before a push that keeps failing is given up (``failed``; default 8)."""
        return channels.set_retry_limit(self.database, actor, attempts)

    # -- syncing and pushing (a manager's, or a job's)

    @use_case(Permission.SYNC_CHANNELS, "sync orders from the shops")
    def sync(self, actor: Actor, channel: str | None = None) -> tuple[ChannelSync, ...]:
        """Fetch every active shop channel's new and changed orders (``channel``: only that one)."""
        return self._sync(actor, channel)

    @use_case(Permission.SYNC_CHANNELS, "deliver the outbox to the shops")
    def deliver(self, actor: Actor, limit: int = worker.DEFAULT_LIMIT) -> DeliveryPass:
        """One worker pass (``worker.deliver_pass``); audited when it changed something."""
        return self._deliver(actor, limit)

    @use_case(Permission.SYNC_CHANNELS, "sync and deliver")
    def run_round(self, actor: Actor, channel: str | None = None) -> SyncRound:
        """What the schedule runs every ``poll_seconds``: ``sync``, ``deliver``, then a pass of
        the tracking poller (``tracking.run.run_poll``: only shipments not asked within
        the last hour are asked, so most rounds' pass is one query)."""
        syncs = self._sync(actor, channel)
        delivery = self._deliver(actor, worker.DEFAULT_LIMIT)
        at = self._context.ports.clock.now()
        return SyncRound(syncs, delivery, at, run_poll(self._context, actor))

    @use_case(Permission.SYNC_CHANNELS, "retry a failed push")
    def retry(self, actor: Actor, message_id: int) -> None:
        """Put a failed push back in the queue (sent at the next pass, attempts from zero)."""
        problems.retry(self.database, actor, message_id, self._context.ports.clock.now())

    @use_case(Permission.SYNC_CHANNELS, "retry every failed push")
    def retry_all(self, actor: Actor, channel: str | None = None) -> int:
        """Put every failed push (``channel``: only that channel's) back in the queue; how
        many. Audited once with the count; refused when there is none."""
        return problems.retry_all(self.database, actor, self._context.ports.clock.now(), channel)

    @use_case(Permission.SYNC_CHANNELS, "push every product's stock to a shop")
    def reconcile_stock(self, actor: Actor, channel: str) -> int:
        """Queue a stock push of every active product to ``channel`` (the next pass sends
        them); returns how many were queued (a product already waiting is not counted)."""
        with self.database.unit_of_work() as session:
            found = find_channel(session, channel)
            if found.kind not in SHOP_KINDS or not found.active:
                raise IntegrationsRefused("not-a-shop", f"Channel {found.name} is not an active shop channel: "
                                          "there is no shop to push stock to.")
            queued = stock_watch.queue_changes(session, self._context.ports.clock.now(), channel=found.name,
                                               force=True)
            audit.record(session, actor, "channel.stock_reconciled", "sales_channel", found.id,
                         {"name": found.name, "queued": queued})
        return queued

    # -- queries

    def channels(self) -> tuple[ChannelView, ...]:
        return channels.channel_views(self.database)

    def problems(self) -> Problems:
        """Failed pushes and shipped orders whose tracking has not reached the shop in 24 h."""
        return problems.problems(self.database, self._context.ports.clock.now())

    def may_sync(self, actor: Actor) -> bool:
        return actor.may(Permission.SYNC_CHANNELS)

    # -- internals (the use cases above are the doors; a use case never calls another one)

    def _sync(self, actor: Actor, channel: str | None) -> tuple[ChannelSync, ...]:
        ports = self._context.ports
        return sync.sync_channels(self.database, actor, ports.channel_adapters, ports.secrets, ports.clock,
                                  self._write, channel, sleep=ports.sleep)

    def _deliver(self, actor: Actor, limit: int) -> DeliveryPass:
        done = worker.deliver_pass(self._worker_ports(), limit=limit)
        if done.delivered or done.failed or done.retried or done.stock_queued or done.stock_delivered:
            with self.database.unit_of_work() as session:
                audit.record(session, actor, "outbox.delivered", "outbox", None,
                             {"delivered": done.delivered, "retried": done.retried, "failed": done.failed,
                              "stock_queued": done.stock_queued, "stock_delivered": done.stock_delivered})
        return done

    def _write(self, database: object, actor: Actor, orders: list[IncomingOrder], source: str) -> ImportReport:
        today = self._context.ports.clock.now().date()
        return write_incoming(self.database, actor, orders, today=today, source=source,
                              address_check=self._context.ports.address_check)

    def _worker_ports(self) -> worker.WorkerPorts:
        ports = self._context.ports
        return worker.WorkerPorts(self.database, ports.channel_adapters, ports.secrets, ports.clock,
                                  holder_prefix=self._context.station_name, jitter=self._jitter.random,
                                  watch=self._watch)
