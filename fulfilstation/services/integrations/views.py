"""What the integrations area returns: frozen dataclasses, safe to hand to any thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fulfilstation.services.tracking.views import TrackingPoll


@dataclass(frozen=True)
class ChannelFields:
    """A sales channel as an owner types it. ``settings``: ``notify_customer`` (bool, default
    true), ``poll_seconds`` (int ≥ 10, default 30) and whatever the adapter reads."""

    name: str
    kind: str  # shopify, woocommerce, file
    base_url: str | None = None
    location_id: str | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ChannelChanges:
    """What to change on a channel: only what is given (not None) changes; ``settings`` are
    merged key by key (a key given as None is removed)."""

    base_url: str | None = None
    location_id: str | None = None
    settings: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class ChannelView:
    id: int
    name: str
    kind: str
    base_url: str | None
    location_id: str | None
    settings: Mapping[str, Any]
    active: bool
    last_synced_at: dt.datetime | None
    pending_pushes: int
    failed_pushes: int
    last_error: str | None = None  # the last sync round's error in words (None: it went through)
    last_error_at: dt.datetime | None = None

    @property
    def poll_seconds(self) -> int:
        return poll_seconds_of(self.settings)


@dataclass(frozen=True)
class FailedPush:
    """An outbox message the worker gave up on: an integration problem until retried."""

    id: int
    channel: str | None
    topic: str
    order: str | None  # the order's number
    attempts: int
    last_error: str | None
    created_at: dt.datetime


@dataclass(frozen=True)
class LateTracking:
    """A shipped order whose tracking has not reached its shop within 24 hours."""

    shipment_id: int
    order: str
    channel: str
    tracking: str | None
    shipped_at: dt.datetime
    push_status: str | None  # the push's status (pending, failed …), None: no push at all
    last_error: str | None


@dataclass(frozen=True)
class SyncTrouble:
    """An active shop channel whose last sync failed (``error``) or that has not synced for
    longer than ``STALE_POLLS`` poll intervals (``error`` None); ``words`` says which."""

    channel: str
    last_synced_at: dt.datetime | None
    error: str | None
    error_at: dt.datetime | None
    words: str


@dataclass(frozen=True)
class Problems:
    failed: tuple[FailedPush, ...]
    late: tuple[LateTracking, ...]
    syncs: tuple[SyncTrouble, ...] = ()

    @property
    def count(self) -> int:
        return len(self.failed) + len(self.late) + len(self.syncs)


@dataclass(frozen=True)
class ChannelSync:
    """One channel's sync: orders fetched and what the intake made of them, or the error."""

    channel: str
    pages: int = 0
    fetched: int = 0
    imported: int = 0
    updated: int = 0
    rejected: int = 0
    error: str | None = None
    busy: bool = False  # another computer was syncing this channel: nothing fetched


@dataclass(frozen=True)
class DeliveryPass:
    """One worker pass: what it queued and delivered. ``lease_held_elsewhere``: another
    worker of the site holds the lease, this pass did nothing."""

    delivered: int = 0  # pushes other than stock (fulfilments, cancels)
    retried: int = 0  # failed for now, tried again later
    failed: int = 0  # gave up (retry limit, or an error that retrying cannot fix)
    cancelled: int = 0
    stock_queued: int = 0
    stock_delivered: int = 0  # stock.level rows delivered (several per set_stock call)
    lease_held_elsewhere: bool = False
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncRound:
    """A scheduled round: every channel's sync, then a worker pass."""

    syncs: tuple[ChannelSync, ...]
    delivery: DeliveryPass
    at: dt.datetime
    tracking: TrackingPoll | None = None  # the tracking poller's pass that ends the round

    @property
    def errors(self) -> tuple[str, ...]:
        tracking = self.tracking.errors if self.tracking is not None else ()
        return tuple(f"{s.channel}: {s.error}" for s in self.syncs if s.error) + self.delivery.errors + tracking


STALE_POLLS = 3  # a channel not synced for longer than this many poll intervals is a problem
DEFAULT_POLL_SECONDS = 30
MIN_POLL_SECONDS = 10


def poll_seconds_of(settings: Mapping[str, Any]) -> int:
    value = settings.get("poll_seconds", DEFAULT_POLL_SECONDS)
    return max(MIN_POLL_SECONDS, int(value)) if isinstance(value, int) and not isinstance(value, bool) \
        else DEFAULT_POLL_SECONDS
