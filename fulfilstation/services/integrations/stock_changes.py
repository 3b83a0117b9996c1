"""Which products' shop figures may have changed since the watcher's last pass.

A product's shop figure (``stock_watch.shop_figures``) follows its stock levels in
sellable bins (``on_hand``, ``reserved``), its buffer and activity, and, for a kit, its
components. ``read_marks`` reads where each source of change stood; ``changed_products``
lists the products changed since earlier marks, in queries that cost what changed (primary
key range scans from the marks), not what exists:

* ``stock_moves.id`` past the mark: every ``on_hand`` change writes a ledger row
  (receiving, adjusting, moving, shipping, voiding, returns);
* ``allocations.id`` past the mark: a new reservation (``reserved`` up);
* ``outbox`` ``order.cancelled`` rows past the mark: a cancelled order gave its
  reservations back (its lines' products; the deleted allocations leave no id behind);
* ``products.id`` past the mark (a new product) and ``audit_log`` entries about a product
  past the mark (a buffer set, a product edited, deactivated or reactivated); a product
  import since the mark asks for a full pass (``None``);
* every kit, always (a kit's figure follows its components; kits are few).

What these cannot see is in the ``coarse`` mark: the sellable bins (a bin's kind changed),
the site buffer, the active shop channels and the kits' components; when it differs the
watcher makes a full pass. PostgreSQL hands ids out before commit, so a transaction in
flight while the marks are read may commit rows just below them: the watcher asks from the
marks of the pass BEFORE the last one (``stock_watch.StockWatch``), so a row committed up to
one pass late is still seen. Anything else (a transaction open longer than that, a lot
swapped while packing, a writer this list does not know) is caught by the watcher's full
pass every ``stock_watch.FULL_EVERY``.

Threading: runs in the caller's session (blocking, on the caller's thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fulfilstation.db.models import (
    Allocation,
    AuditEntry,
    Bin,
    OrderLine,
    OutboxMessage,
    Product,
    ProductComponent,
    SalesChannel,
    StockLevel,
    StockMove,
)
from fulfilstation.services.integrations.channels import site_buffer
from fulfilstation.services.outbox import ORDER_CANCELLED, SHOP_KINDS
from fulfilstation.services.products.availability import SELLABLE_KINDS

FULL_PASS_ACTIONS = ("products.imported",)  # audited changes of many products at once


@dataclass(frozen=True)
class Marks:
    move_id: int
    allocation_id: int
    product_id: int
    audit_id: int
    outbox_id: int
    coarse: tuple[Any, ...]  # what only a full pass answers for


def read_marks(session: Session) -> Marks:
    """Where every source of change stands now (read BEFORE the figures are computed, so a
    change made meanwhile is past the marks and seen by the next pass)."""
    row = session.execute(select(*(select(func.max(column)).scalar_subquery() for column in (
        StockMove.id, Allocation.id, Product.id, AuditEntry.id, OutboxMessage.id)))).one()
    moves, allocations, products, audits, messages = (int(value or 0) for value in row)
    return Marks(moves, allocations, products, audits, messages, _coarse(session))


def _coarse(session: Session) -> tuple[Any, ...]:
    sellable = session.execute(select(func.count(), func.coalesce(func.sum(Bin.id), 0),
                                      func.coalesce(func.sum(Bin.id * Bin.id), 0))
                               .where(Bin.kind.in_(SELLABLE_KINDS))).one()
    components = session.execute(select(
        func.count(), func.coalesce(func.max(ProductComponent.id), 0),
        func.coalesce(func.sum(ProductComponent.kit_id * 7 + ProductComponent.component_id * 13
                               + ProductComponent.quantity), 0))).one()
    channels = tuple(session.scalars(select(SalesChannel.id).where(
        SalesChannel.active.is_(True), SalesChannel.kind.in_(SHOP_KINDS)).order_by(SalesChannel.id)))
    return (tuple(int(n) for n in sellable), tuple(int(n) for n in components), site_buffer(session), channels)


def changed_products(session: Session, since: Marks) -> set[int] | None:
    """The products whose figure may differ from what it was at ``since``; None when only a
    full pass can say (see the module doc)."""
    audited = session.execute(select(AuditEntry.action, AuditEntry.entity_id).where(
        AuditEntry.id > since.audit_id, AuditEntry.entity_type == "product")).all()
    if any(action in FULL_PASS_ACTIONS for action, _id in audited):
        return None
    ids: set[int] = {int(entity_id) for _action, entity_id in audited if entity_id is not None}
    ids.update(session.scalars(select(StockMove.product_id).where(
        StockMove.id > since.move_id).distinct()))
    ids.update(session.scalars(select(StockLevel.product_id)
                               .join(Allocation, Allocation.stock_level_id == StockLevel.id)
                               .where(Allocation.id > since.allocation_id).distinct()))
    ids.update(session.scalars(select(Product.id).where(Product.id > since.product_id)))
    cancelled = select(OutboxMessage.order_id).where(OutboxMessage.id > since.outbox_id,
                                                     OutboxMessage.topic == ORDER_CANCELLED)
    ids.update(session.scalars(select(OrderLine.product_id).where(OrderLine.order_id.in_(cancelled)).distinct()))
    ids.update(session.scalars(select(ProductComponent.kit_id).distinct()))
    return ids
