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
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, aliased

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.in_lists import in_batches
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
    return expand_kits_many(session, actor, {order_id: ""}).get(order_id, ())


def expand_kits_many(session: Session, actor: Actor, orders: dict[int, str]) -> dict[int, tuple[ExpandedKit, ...]]:
    """``expand_kits_in`` for many pending orders ({id: number}; a number may be "" to be
    read) with a fixed number of statements: what each order's kit lines were given (only the
    orders that had something to expand)."""
    expanded = add_component_lines_many(session, list(orders))
    if expanded:
        missing = [order_id for order_id in expanded if not orders.get(order_id)]
        numbers = {**orders, **dict(session.execute(select(Order.id, Order.number).where(Order.id.in_(missing))
                                                    ).all())} if missing else orders
        audit.record_many(session, actor, "order.kits_expanded", "order", [
            (order_id, {"order": numbers[order_id], "kits": [
                {"sku": kit.sku, "quantity": kit.quantity, "components": {c.sku: c.quantity for c in kit.components}}
                for kit in kits]}) for order_id, kits in expanded.items()])
    return expanded


def add_component_lines(session: Session, order_id: int) -> tuple[ExpandedKit, ...]:
    """Add the component lines of every kit line that has none yet (inside the caller's
    transaction); what was added."""
    return add_component_lines_many(session, [order_id]).get(order_id, ())


def add_component_lines_many(session: Session, order_ids: list[int]) -> dict[int, tuple[ExpandedKit, ...]]:
    """``add_component_lines`` for many orders: one read of their kit lines, one of the kits'
    components, one of their last line numbers and one bulk INSERT."""
    component = aliased(OrderLine)
    kit_lines: list[Any] = []  # (order id, line id, quantity, kit product id, kit SKU)
    for part in in_batches(order_ids):
        kit_lines += session.execute(
            select(OrderLine.order_id, OrderLine.id, OrderLine.quantity, Product.id, Product.sku)
            .join(Product, Product.id == OrderLine.product_id)
            .where(OrderLine.order_id.in_(part), OrderLine.kit_line_id.is_(None),
                   select(ProductComponent.id).where(ProductComponent.kit_id == Product.id).exists(),
                   ~select(component.id).where(component.kit_line_id == OrderLine.id).exists())
            .order_by(OrderLine.order_id, OrderLine.line_no)).all()
    if not kit_lines:
        return {}
    parts: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for kit_id, component_id, sku, per_kit in session.execute(
            select(ProductComponent.kit_id, ProductComponent.component_id, Product.sku, ProductComponent.quantity)
            .join(Product, Product.id == ProductComponent.component_id)
            .where(ProductComponent.kit_id.in_({row[3] for row in kit_lines})).order_by(Product.sku)):
        parts[kit_id].append((component_id, sku, per_kit))
    with_kits = sorted({int(row[0]) for row in kit_lines})
    last_line: dict[int, int] = {}
    for part in in_batches(with_kits):
        last_line.update((int(order_id), int(line_no or 0)) for order_id, line_no in session.execute(
            select(OrderLine.order_id, func.max(OrderLine.line_no))
            .where(OrderLine.order_id.in_(part)).group_by(OrderLine.order_id)))
    new_lines: list[dict[str, int]] = []
    expanded: dict[int, list[ExpandedKit]] = defaultdict(list)
    for order_id, line_id, quantity, kit_id, kit_sku in kit_lines:
        added = []
        for component_id, sku, per_kit in parts[kit_id]:
            last_line[order_id] += 1
            new_lines.append({"order_id": order_id, "line_no": last_line[order_id], "product_id": component_id,
                              "quantity": quantity * per_kit, "unit_price_minor": 0, "kit_line_id": line_id})
            added.append(KitComponent(sku, quantity * per_kit))
        expanded[int(order_id)].append(ExpandedKit(kit_sku, quantity, tuple(added)))
    if new_lines:
        session.execute(insert(OrderLine), new_lines)
    return {order_id: tuple(kits) for order_id, kits in expanded.items()}
