"""Kits in orders: a kit's order line gets one component line per component.

A kit (a product with ``ProductComponent`` rows) holds no stock of its own. When stock is
reserved for a pending order, each of its kit lines is given its component lines: an
``OrderLine`` per component with ``kit_line_id`` = the kit line, ``quantity`` = kit
quantity × component quantity, unit price 0 (the kit line keeps the price), numbered after
the order's existing lines (kit lines in line order, components by SKU). From then on the
components are reserved, picked, packed and shipped; the kit line is what the shop ordered
and what the packing slip and ``orders show`` head its components with
(``db/kit_lines``).

Invariants: idempotent — a kit line that already has component lines gets none again (the
pending order's row is updated first, so two stations expanding the same order take turns
on its row lock, and the second finds the lines there). A component line is never itself
expanded (a component is never a kit; were one, it is reserved as a product of its own).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Order, OrderLine, Product, ProductComponent
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor


@dataclass(frozen=True)
class KitComponent:
    sku: str
    quantity: int  # units in the order (kit quantity × per kit)


@dataclass(frozen=True)
class ExpandedKit:
    """A kit line of an order and the component lines it was given."""

    sku: str
    quantity: int
    components: tuple[KitComponent, ...]


def expand_kits(database: Database, actor: Actor, order_id: int) -> tuple[ExpandedKit, ...]:
    """Give the pending order's kit lines their component lines, in one transaction (audited
    as ``order.kits_expanded``); nothing when it is not pending or has nothing to expand."""
    with database.unit_of_work() as session:
        pending = rows_changed(session, update(Order).where(
            Order.id == order_id, Order.status == OrderStatus.PENDING.value).values(updated_at=utcnow()))
        if not pending:
            return ()
        return expand_kits_in(session, actor, order_id)


def expand_kits_in(session: Session, actor: Actor, order_id: int) -> tuple[ExpandedKit, ...]:
    """``expand_kits`` inside the caller's transaction (the order known to be pending)."""
    expanded = add_component_lines(session, order_id)
    if expanded:
        number = session.scalar(select(Order.number).where(Order.id == order_id))
        audit.record(session, actor, "order.kits_expanded", "order", order_id, {
            "order": number, "kits": [{"sku": kit.sku, "quantity": kit.quantity,
                                       "components": {c.sku: c.quantity for c in kit.components}}
                                      for kit in expanded]})
    return expanded


def add_component_lines(session: Session, order_id: int) -> tuple[ExpandedKit, ...]:
    """Add the component lines of every kit line that has none yet (inside the caller's
    transaction); what was added."""
    component = aliased(OrderLine)
    kit_lines = session.execute(
        select(OrderLine.id, OrderLine.quantity, Product.id, Product.sku)
        .join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order_id, OrderLine.kit_line_id.is_(None),
               select(ProductComponent.id).where(ProductComponent.kit_id == Product.id).exists(),
               ~select(component.id).where(component.kit_line_id == OrderLine.id).exists())
        .order_by(OrderLine.line_no)).all()
    if not kit_lines:
        return ()
    parts: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for kit_id, component_id, sku, per_kit in session.execute(
            select(ProductComponent.kit_id, ProductComponent.component_id, Product.sku, ProductComponent.quantity)
            .join(Product, Product.id == ProductComponent.component_id)
            .where(ProductComponent.kit_id.in_({row[2] for row in kit_lines})).order_by(Product.sku)):
        parts[kit_id].append((component_id, sku, per_kit))
    line_no = session.scalar(select(func.max(OrderLine.line_no)).where(OrderLine.order_id == order_id)) or 0
    expanded = []
    for line_id, quantity, kit_id, kit_sku in kit_lines:
        added = []
        for component_id, sku, per_kit in parts[kit_id]:
            line_no += 1
            session.add(OrderLine(order_id=order_id, line_no=line_no, product_id=component_id,
                                  quantity=quantity * per_kit, unit_price_minor=0, kit_line_id=line_id))
            added.append(KitComponent(sku, quantity * per_kit))
        expanded.append(ExpandedKit(kit_sku, quantity, tuple(added)))
    session.flush()
    return tuple(expanded)
