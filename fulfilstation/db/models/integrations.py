"""Sales channels and what integrating with them needs (issue #12).

* ``sales_channels``: a shop (Shopify, WooCommerce) or a source of CSV files. ``name`` is
  what ``orders.channel`` holds. Its API credentials are NOT here: they live in the OS
  keyring under the channel's name (``fulfilstation.credentials``). ``sync_state`` is the
  adapter's bookmark (a cursor, ``modified_after``), written in the same transaction as the
  orders it fetched, so a crash re-fetches rather than skips.
* ``channel_listings``: how a product is known in a channel (variant id, inventory item id)
  and the available quantity last pushed to it; one per product and channel.
* ``column_mappings``: a saved mapping of some other system's CSV columns onto the generic
  order file's columns, made in the window, used by ``import orders --mapping NAME``.
* ``integration_locks``: leases; the outbox worker of a site holds ``outbox`` so that one
  worker at a time delivers (taken by a conditional UPDATE/INSERT, never in Python alone).
* ``webhook_deliveries``: the webhook ids already handled, unique per source, so a
  repeated delivery does nothing twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fulfilstation.db.base import Base, UtcDateTime, one_of, utcnow
from fulfilstation.domain.enums import ChannelKind


class SalesChannel(Base):
    __tablename__ = "sales_channels"
    __table_args__ = (one_of("kind", ChannelKind, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    base_url: Mapped[str | None] = mapped_column(String(300))  # https://shop.myshopify.com, https://shop.example
    location_id: Mapped[str | None] = mapped_column(String(100))  # the shop's location for this warehouse
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # notify_customer, poll seconds …
    sync_state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_synced_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # The last sync round's failure, in plain words, and when (None: the last round went
    # through); cleared by a round that succeeds (migration 0010).
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ChannelListing(Base):
    __tablename__ = "channel_listings"
    __table_args__ = (UniqueConstraint("channel_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("sales_channels.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    # variant id (Shopify) / product or variation id (WooCommerce); None: not found in the shop
    external_id: Mapped[str | None] = mapped_column(String(100))
    inventory_item_id: Mapped[str | None] = mapped_column(String(100))
    # The available quantity last told to the shop and when (None: never): the stock watcher
    # queues a push when today's figure differs.
    pushed_available: Mapped[int | None] = mapped_column(Integer)
    pushed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class ColumnMapping(Base):
    __tablename__ = "column_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    # {generic column: the file's column}, e.g. {"order_id": "Order Ref", "sku": "Item Code"}
    columns: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class IntegrationLock(Base):
    __tablename__ = "integration_locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("source", "delivery_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))  # the channel's name
    delivery_id: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


__all__ = ["ChannelListing", "ColumnMapping", "IntegrationLock", "SalesChannel", "WebhookDelivery"]
