"""Stock to the shops: the figure each shop should show, and coalesced ``stock.level`` pushes.

* ``shop_figures``: for each product, available units (``products.availability``: on hand
  less reserved in pickable and storage bins, a kit by its components) less its buffer (the
  product's own, else the site default), never below zero.
* ``queue_changes`` (the watcher step of every worker pass): for each active shop channel
  and active product whose figure differs from the listing's ``pushed_available`` (or that
  has no listing yet), ONE pending ``stock.level`` row per (channel, product): the dedup key
  ``stock.level:<channel>:<product id>`` with ``INSERT … ON CONFLICT DO NOTHING`` (both
  engines), so however many changes come while a push waits, and however many workers
  queue at once, one row waits (settled by the unique key). The row carries no figure: the
  delivery computes the CURRENT one at send time (``shop_figures`` again), and on success
  the row's key is renamed to end in its id so the next change can queue again.
* A FAILED row (the retry limit reached; ``result["tried"]`` is the figure it last tried)
  does not hold its product back for good: when the product's figure is no longer the one
  it tried (or ``force``), the watcher cancels it (conditional UPDATE: still failed) and
  queues a new row in the same transaction. One that failed with the current figure waits
  in the problems for a Retry (sending it again would fail again). Other products never
  wait for it.

* ``StockWatch``: the watcher step as the worker runs it, costing what changed (the
  products ``stock_changes`` names since its last passes), with a full pass at start,
  when something coarse changed, and every ``FULL_EVERY``.

Threading: the functions run in the caller's session (blocking, on the caller's thread);
``StockWatch`` opens its own transaction.
"""

from __future__ import annotations

import datetime as dt
import threading
import typing
from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import String, Table, cast, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fulfilstation.db.database import Database
from fulfilstation.db.models import ChannelListing, OutboxMessage, Product, SalesChannel
from fulfilstation.domain.enums import OutboxStatus
from fulfilstation.services.integrations import stock_changes
from fulfilstation.services.integrations.channels import site_buffer
from fulfilstation.services.outbox import SHOP_KINDS, STOCK_LEVEL
from fulfilstation.services.products.availability import available_units


def stock_key(channel: str, product_id: int) -> str:
    return f"{STOCK_LEVEL}:{channel}:{product_id}"


def shop_figures(session: Session, product_ids: Collection[int]) -> dict[int, int]:
    """``{product id: units the shops should show}`` (available less buffer, ≥ 0)."""
    if not product_ids:
        return {}
    available = available_units(session, product_ids)
    default = site_buffer(session)
    buffers: dict[int, int | None] = {}
    ids = list(product_ids)
    for start in range(0, len(ids), 1000):
        buffers.update(session.execute(select(Product.id, Product.stock_buffer)
                                       .where(Product.id.in_(ids[start:start + 1000]))).all())
    figures = {}
    for product_id, units in available.items():
        own = buffers.get(product_id)
        figures[product_id] = max(0, units - (own if own is not None else default))
    return figures


def queue_changes(session: Session, now: dt.datetime, *, channel: str | None = None, force: bool = False,
                  product_ids: Collection[int] | None = None) -> int:
    """Queue a ``stock.level`` push for every (shop channel, product) whose figure differs
    from what the shop was last told (``force``: every product, the full reconciliation;
    ``product_ids``: only these products, the incremental pass of ``StockWatch``).
    Returns how many rows were queued (rows already waiting are not counted)."""
    query = select(SalesChannel.id, SalesChannel.name).where(SalesChannel.active.is_(True),
                                                             SalesChannel.kind.in_(SHOP_KINDS))
    if channel is not None:
        query = query.where(SalesChannel.name == channel)
    channels = session.execute(query.order_by(SalesChannel.id)).all()
    if not channels:
        return 0
    products = _active_products(session, product_ids)
    figures = shop_figures(session, products)
    channel_ids, names = [c.id for c in channels], [name for _id, name in channels]
    pushed: dict[tuple[int, int], int | None] = {}
    waiting: dict[str, tuple[int, str, Any]] = {}
    for chunk in _chunks(products if product_ids is not None else None):
        listed = select(ChannelListing.channel_id, ChannelListing.product_id, ChannelListing.pushed_available).where(
            ChannelListing.channel_id.in_(channel_ids))
        rows_waiting = select(OutboxMessage.dedup_key, OutboxMessage.id, OutboxMessage.status,
                              OutboxMessage.result).where(
            OutboxMessage.topic == STOCK_LEVEL, OutboxMessage.channel.in_(names),
            OutboxMessage.status.in_((OutboxStatus.PENDING.value, OutboxStatus.FAILED.value)))
        if chunk is not None:
            listed = listed.where(ChannelListing.product_id.in_(chunk))
            rows_waiting = rows_waiting.where(OutboxMessage.dedup_key.in_(
                [stock_key(name, product_id) for name in names for product_id in chunk]))
        pushed.update(((channel_id, product_id), units) for channel_id, product_id, units in session.execute(listed))
        waiting.update((key, (message_id, status, result))
                       for key, message_id, status, result in session.execute(rows_waiting))
    rows: list[dict[str, Any]] = []
    superseded: list[int] = []
    for channel_id, name in channels:
        for product_id, figure in figures.items():
            key = stock_key(name, product_id)
            if key in waiting:
                message_id, status, result = waiting[key]
                if status == OutboxStatus.PENDING.value:
                    continue  # it sends the figure of its send time: it already carries this change
                if not force and (result or {}).get("tried") == figure:
                    continue  # failed with this very figure: it waits in the problems for a Retry
                superseded.append(message_id)  # a newer figure: the failed push gives way to a new one
            if force or pushed.get((channel_id, product_id)) != figure:
                rows.append({"topic": STOCK_LEVEL, "dedup_key": key, "channel": name,
                             "payload": {"product_id": product_id, "sku": products[product_id]},
                             "status": OutboxStatus.PENDING.value, "attempts": 0,
                             "next_attempt_at": now, "created_at": now})
    _cancel_failed(session, superseded)
    return _insert_missing(session, rows)


def _active_products(session: Session, product_ids: Collection[int] | None) -> dict[int, str]:
    """``{id: sku}`` of the active products (of ``product_ids``, when given)."""
    if product_ids is None:
        return dict(session.execute(select(Product.id, Product.sku).where(Product.active.is_(True))).all())
    found: dict[int, str] = {}
    for chunk in _chunks(product_ids):
        assert chunk is not None
        found.update(session.execute(select(Product.id, Product.sku).where(
            Product.active.is_(True), Product.id.in_(chunk))).all())
    return found


def _chunks(ids: Collection[int] | None, size: int = 500) -> Iterator[list[int] | None]:
    """``ids`` in sorted chunks of ``size`` (for ``IN`` lists); None: one pass over everything."""
    if ids is None:
        yield None
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start:start + size]


def _cancel_failed(session: Session, message_ids: list[int]) -> None:
    """Cancel failed stock pushes a newer figure supersedes (conditional: still failed; one
    retried meanwhile stays, and its key then refuses the new row), their keys renamed to end
    in their ids so the new row can take the key, in the caller's transaction."""
    for start in range(0, len(message_ids), 1000):
        session.execute(update(OutboxMessage).where(
            OutboxMessage.id.in_(message_ids[start:start + 1000]), OutboxMessage.status == OutboxStatus.FAILED.value)
            .values(status=OutboxStatus.CANCELLED.value,
                    dedup_key=OutboxMessage.dedup_key + ":" + cast(OutboxMessage.id, String))
            .execution_options(synchronize_session=False))


def _insert_missing(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert the rows whose dedup key is free (``ON CONFLICT DO NOTHING``, one executemany);
    how many went in."""
    if not rows:
        return 0
    insert: Any = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = typing.cast(Table, OutboxMessage.__table__)  # Core executemany: one compiled statement
    statement = insert(table).on_conflict_do_nothing(index_elements=[table.c.dedup_key]).returning(table.c.id)
    return len(session.connection().execute(statement, rows).all())


FULL_EVERY = dt.timedelta(minutes=10)  # a full pass at least this often, whatever the marks say


class StockWatch:
    """The watcher step of every worker pass, costing what changed.

    The first pass of a process is a full one (every active product), and so is a pass when
    the coarse mark moved (sellable bins, the site buffer, the shop channels, kits'
    components: ``stock_changes``), when a product import happened, or ``FULL_EVERY`` after
    the last full one. Any other pass looks only at the products ``stock_changes`` names as
    changed since the marks of the pass BEFORE the last one (so a PostgreSQL row committed
    up to a pass late is still seen). ``integrations reconcile`` queues every product
    itself (``queue_changes(force=True)``).

    The marks live in this object (one per ``IntegrationsService``, so per process): they
    are only a shortcut, the database stays the truth. ``last_full`` and ``last_examined``
    say what the last pass did (benches and tests read them).

    Threading: passes run one at a time (the caller holds the outbox lease); a lock keeps
    the marks consistent anyway. Blocking (database).
    """

    def __init__(self, full_every: dt.timedelta = FULL_EVERY) -> None:
        self.full_every = full_every
        self._lock = threading.Lock()
        self._last: stock_changes.Marks | None = None
        self._before: stock_changes.Marks | None = None
        self._full_at: dt.datetime | None = None
        self.last_full = False
        self.last_examined = 0

    def queue(self, database: Database, now: dt.datetime) -> int:
        """One watcher step in its own transaction; how many rows it queued."""
        with self._lock:
            last, before, full_at = self._last, self._before, self._full_at
        with database.unit_of_work() as session:
            marks = stock_changes.read_marks(session)
            since = before or last
            ids: set[int] | None = None
            if since is not None and last is not None and marks.coarse == last.coarse and full_at is not None \
                    and now - full_at < self.full_every:
                ids = stock_changes.changed_products(session, since)
            queued = queue_changes(session, now, product_ids=ids)
        with self._lock:
            self._before, self._last = last or marks, marks
            if ids is None:
                self._full_at = now
            self.last_full, self.last_examined = ids is None, -1 if ids is None else len(ids)
        return queued
