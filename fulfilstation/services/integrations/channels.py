"""Sales channels: adding, editing and deactivating them, their API secrets, stock buffers.

Invariants: a channel's name is unique (the constraint decides a race: the loser is
refused naming the channel); its secrets go to the OS keyring under
``channel:NAME:KEY`` and never to the database, the audit log or a log file (the audit
entry names the key only); every change is one transaction with its audit entry
``channel.*`` / ``stock_buffer.*``. Validation happens before anything is written.

Threading: blocking (database, keyring); call from worker threads or the CLI.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fulfilstation.credentials import KeyringUnavailable, SecretStore
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import OutboxMessage, Product, SalesChannel, SiteSetting
from fulfilstation.domain.enums import ChannelKind, OutboxStatus
from fulfilstation.integrations.ports import ChannelConfig
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.integrations.refused import IntegrationsRefused
from fulfilstation.services.integrations.views import (
    MIN_POLL_SECONDS,
    ChannelChanges,
    ChannelFields,
    ChannelView,
)
from fulfilstation.services.site.settings import store_setting

STOCK_BUFFER_SETTING = "stock_buffer"  # site setting: the units held back from every shop (int ≥ 0)
RETRY_LIMIT_SETTING = "outbox_retry_limit"  # site setting: attempts before a push fails (default 8)
DEFAULT_RETRY_LIMIT = 8
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
#: The keyring entries each kind's adapter reads (``channel:NAME:KEY``): Shopify's Admin API
#: access token; WooCommerce's REST consumer key and secret; the webhook signing secret.
SECRET_KEYS = {ChannelKind.SHOPIFY.value: ("token", "webhook"),
               ChannelKind.WOOCOMMERCE.value: ("key", "secret", "webhook")}


def secret_name(channel: str, key: str) -> str:
    """The keyring entry of a channel's secret (``ChannelConfig``'s convention)."""
    return f"channel:{channel}:{key}"


def config_of(channel: SalesChannel) -> ChannelConfig:
    return ChannelConfig(channel.name, channel.kind, channel.base_url, channel.location_id,
                         dict(channel.settings or {}))


def find_channel(session: Session, name: str) -> SalesChannel:
    channel = session.scalar(select(SalesChannel).where(SalesChannel.name == name.strip()))
    if channel is None:
        known = session.scalars(select(SalesChannel.name).order_by(SalesChannel.name)).all()
        raise IntegrationsRefused("unknown-channel", f"There is no sales channel {name.strip()!r}"
                                  f"{' (channels: ' + ', '.join(known) + ')' if known else ''}.")
    return channel


def add_channel(database: Database, actor: Actor, fields: ChannelFields) -> ChannelView:
    name = fields.name.strip()
    if not _NAME.match(name):
        raise IntegrationsRefused("channel-name", "A channel's name is 1 to 32 letters, digits, '.', '_' or '-' "
                                  f"(it is what orders are filed under): {fields.name!r} is not.")
    kinds = [kind.value for kind in ChannelKind]
    if fields.kind not in kinds:
        raise IntegrationsRefused("channel-kind", f"A channel's kind is one of {', '.join(kinds)}: "
                                  f"{fields.kind!r} is not.")
    base_url = _url(fields.base_url, fields.kind)
    settings = _settings({}, fields.settings)
    try:
        with database.unit_of_work() as session:
            channel = SalesChannel(name=name, kind=fields.kind, base_url=base_url,
                                   location_id=_text(fields.location_id), settings=settings, sync_state={})
            session.add(channel)
            session.flush()
            audit.record(session, actor, "channel.added", "sales_channel", channel.id,
                         {"name": name, "kind": fields.kind, "base_url": base_url,
                          "location_id": channel.location_id, "settings": settings})
            channel_id = channel.id
    except IntegrityError as exc:
        raise IntegrationsRefused("channel-exists", f"There is already a sales channel named {name}.") from exc
    return channel_view(database, channel_id)


def edit_channel(database: Database, actor: Actor, name: str, changes: ChannelChanges) -> ChannelView:
    with database.unit_of_work() as session:
        channel = find_channel(session, name)
        before = {"base_url": channel.base_url, "location_id": channel.location_id,
                  "settings": dict(channel.settings or {})}
        if changes.base_url is not None:
            channel.base_url = _url(changes.base_url, channel.kind)
        if changes.location_id is not None:
            channel.location_id = _text(changes.location_id)
        if changes.settings is not None:
            channel.settings = _settings(dict(channel.settings or {}), changes.settings)
        after = {"base_url": channel.base_url, "location_id": channel.location_id,
                 "settings": dict(channel.settings or {})}
        audit.record(session, actor, "channel.edited", "sales_channel", channel.id,
                     {"name": channel.name, "from": before, "to": after})
        channel_id = channel.id
    return channel_view(database, channel_id)


def set_active(database: Database, actor: Actor, name: str, active: bool) -> ChannelView:
    with database.unit_of_work() as session:
        channel = find_channel(session, name)
        if not rows_changed(session, update(SalesChannel).where(SalesChannel.id == channel.id,
                                                               SalesChannel.active.is_(not active))
                            .values(active=active)):
            raise IntegrationsRefused("channel-unchanged", f"Channel {channel.name} is already "
                                      f"{'active' if active else 'inactive'}.")
        audit.record(session, actor, "channel.reactivated" if active else "channel.deactivated", "sales_channel",
                     channel.id, {"name": channel.name})
        channel_id = channel.id
    return channel_view(database, channel_id)


def set_secret(database: Database, secrets: SecretStore, actor: Actor, name: str, key: str, secret: str) -> None:
    """Keep ``secret`` in the keyring; the audit entry says which key was set, never its value."""
    if not secret.strip():
        raise IntegrationsRefused("secret-empty", "The secret is empty: nothing was stored.")
    with database.unit_of_work() as session:
        channel = find_channel(session, name)
        wanted = SECRET_KEYS.get(channel.kind, ())
        if key not in wanted:
            raise IntegrationsRefused("secret-key", f"A {channel.kind} channel keeps "
                                      + (f"these secrets: {', '.join(wanted)}" if wanted else "no secrets")
                                      + f"; {key!r} is not one of them.")
        try:
            secrets.set(secret_name(channel.name, key), secret.strip())
        except KeyringUnavailable as exc:
            raise IntegrationsRefused("keyring", f"The secret could not be kept: {exc}") from exc
        audit.record(session, actor, "channel.secret_set", "sales_channel", channel.id,
                     {"name": channel.name, "key": key})


def set_site_buffer(database: Database, actor: Actor, units: int) -> int:
    _buffer_ok(units)
    stored: int = store_setting(database, actor, STOCK_BUFFER_SETTING, units, action="stock_buffer.site_changed")
    return stored


def set_product_buffer(database: Database, actor: Actor, sku: str, units: int | None) -> int | None:
    """The product's own buffer (None: the site default applies again)."""
    if units is not None:
        _buffer_ok(units)
    with database.unit_of_work() as session:
        product = session.scalar(select(Product).where(Product.sku == sku.strip()))
        if product is None:
            raise IntegrationsRefused("unknown-product", f"There is no product with SKU {sku.strip()!r}.")
        before = product.stock_buffer
        product.stock_buffer = units
        audit.record(session, actor, "stock_buffer.product_changed", "product", product.id,
                     {"sku": product.sku, "from": before, "to": units})
    return units


def set_retry_limit(database: Database, actor: Actor, attempts: int) -> int:
    if isinstance(attempts, bool) or not isinstance(attempts, int) or not 1 <= attempts <= 100:
        raise IntegrationsRefused("retry-limit", f"The retry limit is a whole number of attempts from 1 to 100: "
                                  f"{attempts!r} is not.")
    stored: int = store_setting(database, actor, RETRY_LIMIT_SETTING, attempts,
                                action="outbox.retry_limit_changed")
    return stored


def site_buffer(session: Session) -> int:
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == STOCK_BUFFER_SETTING))
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def retry_limit(session: Session) -> int:
    value = session.scalar(select(SiteSetting.value).where(SiteSetting.key == RETRY_LIMIT_SETTING))
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else DEFAULT_RETRY_LIMIT


def channel_views(database: Database) -> tuple[ChannelView, ...]:
    with database.unit_of_work() as session:
        counts: dict[tuple[str, str], int] = {
            (channel or "", status): int(n) for channel, status, n in session.execute(
                select(OutboxMessage.channel, OutboxMessage.status, func.count())
                .where(OutboxMessage.channel.is_not(None),
                       OutboxMessage.status.in_((OutboxStatus.PENDING.value, OutboxStatus.FAILED.value)))
                .group_by(OutboxMessage.channel, OutboxMessage.status))}
        return tuple(_view(channel, counts) for channel in session.scalars(
            select(SalesChannel).order_by(SalesChannel.name)))


def channel_view(database: Database, channel_id: int) -> ChannelView:
    return next(view for view in channel_views(database) if view.id == channel_id)


def _view(channel: SalesChannel, counts: Mapping[tuple[str, str], int]) -> ChannelView:
    return ChannelView(channel.id, channel.name, channel.kind, channel.base_url, channel.location_id,
                       dict(channel.settings or {}), channel.active, channel.last_synced_at,
                       counts.get((channel.name, OutboxStatus.PENDING.value), 0),
                       counts.get((channel.name, OutboxStatus.FAILED.value), 0),
                       channel.last_error, channel.last_error_at)


def _buffer_ok(units: int) -> None:
    if isinstance(units, bool) or not isinstance(units, int) or units < 0 or units > 1_000_000:
        raise IntegrationsRefused("stock-buffer", f"A stock buffer is a whole number of units, 0 or more: "
                                  f"{units!r} is not.")


def _url(value: str | None, kind: str) -> str | None:
    text = _text(value)
    if text is None:
        if kind in (ChannelKind.SHOPIFY.value, ChannelKind.WOOCOMMERCE.value):
            raise IntegrationsRefused("channel-url", "A shop channel needs its address (base URL), e.g. "
                                      "https://example.myshopify.com.")
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise IntegrationsRefused("channel-url", f"The shop's address must be a web address such as "
                                  f"https://example.myshopify.com: {text!r} is not.")
    return text.rstrip("/")


def _text(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _settings(current: dict[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(current)
    for key, value in given.items():
        if value is None:
            merged.pop(key, None)
            continue
        if key == "poll_seconds" and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < MIN_POLL_SECONDS):
            raise IntegrationsRefused("channel-setting", f"poll_seconds is a whole number of seconds, at least "
                                      f"{MIN_POLL_SECONDS}: {value!r} is not.")
        if key == "notify_customer" and not isinstance(value, bool):
            raise IntegrationsRefused("channel-setting", f"notify_customer is true or false: {value!r} is not.")
        merged[key] = value
    return merged
