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

Threading: runs in the caller's session (blocking, on the caller's thread).
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Collection
from typing import Any

from sqlalchemy import String, Table, cast, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fulfilstation.db.models import ChannelListing, OutboxMessage, Product, SalesChannel
from fulfilstation.domain.enums import OutboxStatus
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


def queue_changes(session: Session, now: dt.datetime, *, channel: str | None = None, force: bool = False) -> int:
    """Queue a ``stock.level`` push for every (shop channel, product) whose figure differs
    from what the shop was last told (``force``: every product, the full reconciliation).
    Returns how many rows were queued (rows already waiting are not counted)."""
    query = select(SalesChannel.id, SalesChannel.name).where(SalesChannel.active.is_(True),
                                                             SalesChannel.kind.in_(SHOP_KINDS))
    if channel is not None:
        query = query.where(SalesChannel.name == channel)
    channels = session.execute(query.order_by(SalesChannel.id)).all()
    if not channels:
        return 0
    products = dict(session.execute(select(Product.id, Product.sku).where(Product.active.is_(True))).all())
    figures = shop_figures(session, products)
    pushed = {(channel_id, product_id): units for channel_id, product_id, units in session.execute(
        select(ChannelListing.channel_id, ChannelListing.product_id, ChannelListing.pushed_available)
        .where(ChannelListing.channel_id.in_([c.id for c in channels])))}
    waiting: dict[str, tuple[int, str, Any]] = {key: (message_id, status, result) for key, message_id, status, result
                                                in session.execute(select(
        OutboxMessage.dedup_key, OutboxMessage.id, OutboxMessage.status, OutboxMessage.result).where(
        OutboxMessage.topic == STOCK_LEVEL, OutboxMessage.channel.in_([name for _id, name in channels]),
        OutboxMessage.status.in_((OutboxStatus.PENDING.value, OutboxStatus.FAILED.value))))}
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
