"""Authorising a return (``returns.create``, a manager's): an RMA from a shipped order.

Rules: the order exists and has shipped; each line names a product the order shipped (a kit
the order shipped stands for its component lines, the units that physically come back), a
whole quantity above 0 and a reason from ``domain.return_reasons``; per order line, the
units on this RMA plus those already on the order's other RMAs (not cancelled; a closed one
counts what came back on it) never exceed what was shipped on it (live shipments' package
items).

Invariants: one transaction. Its first write is a no-op ``UPDATE orders … WHERE id`` that
holds the order's row (PostgreSQL row lock; SQLite's write lock), so two managers
authorising returns of the same order are taken one after the other and the second reads
the first one's lines: together they never authorise more than was shipped. The RMA is
numbered ``RMA-<id, 6 digits>`` (unique); a local carrier's return label (``return_labels``)
is made in the same transaction; the audit entry ``rma.created`` lists every line.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from fulfilstation.db.database import rows_changed
from fulfilstation.db.models import Order, OrderLine, Package, PackageItem, Product, Rma, RmaLine, Shipment
from fulfilstation.domain.enums import OrderStatus, RmaStatus, ShipmentStatus
from fulfilstation.domain.return_reasons import REASONS, reason_code
from fulfilstation.domain.words import plural
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.returns.views import NewRmaLine, ReturnsRefused

MAX_NOTE = 300


@dataclass(frozen=True)
class Authorised:
    """What the create transaction wrote: the RMA's id and number, its order and units."""

    rma_id: int
    number: str
    order_id: int
    order_number: str
    units: int


def create_rma(session: Session, actor: Actor, order_number: str, lines: Sequence[NewRmaLine],
               note: str | None = None) -> Authorised:
    """Write the RMA in ``session`` (the caller's transaction); ReturnsRefused when it cannot."""
    if not lines:
        raise ReturnsRefused("bad-line", "Name at least one line to return: SKU, quantity and reason.")
    wanted = [_checked(line) for line in lines]
    named = [sku.upper() for sku, _quantity, _reason in wanted]
    twice = sorted({sku for sku in named if named.count(sku) > 1})
    if twice:
        raise ReturnsRefused("bad-line", f"{', '.join(twice)} is named on more than one line: give one line per "
                             "product, with all its units and one reason.")
    order = _shipped_order(session, order_number)
    if not rows_changed(session, update(Order).where(Order.id == order.id, Order.status == OrderStatus.SHIPPED.value)
                        .values(refund_due=Order.refund_due)):  # hold the order, still shipped (a void waits)
        raise ReturnsRefused("not-shipped", f"Order {order.number} is no longer shipped (its shipment was voided): "
                             "only what has shipped can come back.")
    plan = _plan(session, order, wanted)
    rma = Rma(number=f"RMA-NEW-{uuid.uuid4().hex[:20]}", order_id=order.id, status=RmaStatus.OPEN.value,
              reason="; ".join(sorted({REASONS[reason] for _line, _p, _q, reason in plan})),
              notes=(" ".join(note.split())[:MAX_NOTE] or None) if note else None, created_by_id=actor.user_id)
    session.add(rma)
    session.flush()
    rma.number = f"RMA-{rma.id:06d}"
    for line, product, quantity, reason in plan:
        session.add(RmaLine(rma_id=rma.id, order_line_id=line.id, product_id=product.id, quantity_expected=quantity,
                            reason_code=reason))
    session.flush()
    units = sum(quantity for _line, _product, quantity, _reason in plan)
    audit.record(session, actor, "rma.created", "rma", rma.id, {
        "rma": rma.number, "order": order.number,
        "lines": [{"sku": product.sku, "quantity": quantity, "reason": reason}
                  for _line, product, quantity, reason in plan]})
    return Authorised(rma.id, rma.number, order.id, order.number, units)


def _checked(line: NewRmaLine) -> tuple[str, int, str]:
    sku = line.sku.strip()
    if not sku:
        raise ReturnsRefused("bad-line", "Each line needs the SKU of the product coming back.")
    if isinstance(line.quantity, bool) or not isinstance(line.quantity, int) or line.quantity <= 0:
        raise ReturnsRefused("bad-line", f"{line.quantity!r} is not a quantity to return for {sku}: give a whole "
                             "number of units above 0.")
    code = reason_code(line.reason or "")
    if code is None:
        raise ReturnsRefused("bad-reason", f"{line.reason!r} is not a return reason: choose one of "
                             f"{', '.join(REASONS)}.")
    return sku, line.quantity, code


def _shipped_order(session: Session, number: str) -> Order:
    text = number.strip()
    order = session.scalars(select(Order).where(Order.number == text)).first() or session.scalars(
        select(Order).where(func.upper(Order.number) == text.upper())).first()
    if order is None:
        raise ReturnsRefused("unknown-order", f"There is no order {text!r}: check the number on the packing slip.")
    if order.status != OrderStatus.SHIPPED.value:
        raise ReturnsRefused("not-shipped", f"Order {order.number} is {order.status}, not shipped: only what has "
                             "shipped can come back. Cancel or change the order instead.")
    return order


def _plan(session: Session, order: Order,
          wanted: list[tuple[str, int, str]]) -> list[tuple[OrderLine, Product, int, str]]:
    """Each wanted line on the order lines that shipped its product, within what is returnable."""
    shipped = _shipped_per_line(session, order.id)
    taken = _authorised_per_line(session, order.id)
    lines = session.execute(select(OrderLine, Product).join(Product, Product.id == OrderLine.product_id)
                            .where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)).all()
    plan: list[tuple[OrderLine, Product, int, str]] = []
    for sku, quantity, reason in wanted:
        kit = next(((line, product) for line, product in lines if product.sku.upper() == sku.upper()
                    and any(part.kit_line_id == line.id for part, _p in lines)), None)
        if kit is not None:
            plan.extend(_kit_parts(order, kit, [(ln, p) for ln, p in lines if ln.kit_line_id == kit[0].id],
                                   quantity, reason, shipped, taken))
            continue
        matching = [(line, product) for line, product in lines
                    if product.sku.upper() == sku.upper() and shipped.get(line.id, 0) > 0]
        if not matching:
            raise ReturnsRefused("bad-line", f"Order {order.number} shipped no {sku}: return only what it shipped "
                                 f"({_shipped_words(lines, shipped)}).")
        left = quantity
        for line, product in matching:
            free = shipped.get(line.id, 0) - taken[line.id]
            share = min(free, left)
            if share > 0:
                plan.append((line, product, share, reason))
                taken[line.id] += share
                left -= share
        if left:
            product = matching[0][1]
            sent = sum(shipped.get(line.id, 0) for line, _p in matching)
            before = sum(taken[line.id] for line, _p in matching) - (quantity - left)
            raise ReturnsRefused("too-many", f"Order {order.number} shipped {plural(sent, 'unit')} of {product.sku}"
                                 f" and {before} {'is' if before == 1 else 'are'} already on its returns: at most "
                                 f"{max(sent - before, 0)} more can be authorised, not {quantity}.")
    return plan


def _kit_parts(order: Order, kit: tuple[OrderLine, Product], parts: list[tuple[OrderLine, Product]], kits: int,
               reason: str, shipped: dict[int, int],
               taken: defaultdict[int, int]) -> list[tuple[OrderLine, Product, int, str]]:
    """``kits`` of the kit line as its component lines (what physically comes back)."""
    kit_line, kit_product = kit
    planned: list[tuple[OrderLine, Product, int, str]] = []
    for line, product in parts:
        need = kits * (line.quantity // max(kit_line.quantity, 1))
        free = shipped.get(line.id, 0) - taken[line.id]
        if need > free:
            per_kit = max(line.quantity // max(kit_line.quantity, 1), 1)
            raise ReturnsRefused("too-many", f"Order {order.number} has {plural(max(free, 0) // per_kit, 'kit')} of "
                                 f"{kit_product.sku} left to return ({product.sku}: {max(free, 0)} shipped and not "
                                 f"on a return), not {kits}.")
        taken[line.id] += need
        planned.append((line, product, need, reason))
    return planned


def _shipped_per_line(session: Session, order_id: int) -> dict[int, int]:
    rows = session.execute(select(PackageItem.order_line_id, func.sum(PackageItem.quantity))
                           .join(Package, Package.id == PackageItem.package_id)
                           .join(Shipment, Shipment.id == Package.shipment_id)
                           .where(Shipment.order_id == order_id, Shipment.status != ShipmentStatus.VOIDED.value)
                           .group_by(PackageItem.order_line_id)).all()
    return {int(line_id): int(quantity or 0) for line_id, quantity in rows}


def _authorised_per_line(session: Session, order_id: int) -> defaultdict[int, int]:
    closed = Rma.status == RmaStatus.CLOSED.value  # a closed RMA holds only what came back on it
    rows = session.execute(select(RmaLine.order_line_id, func.sum(
        case((closed, RmaLine.quantity_received), else_=RmaLine.quantity_expected)))
                           .join(Rma, Rma.id == RmaLine.rma_id)
                           .where(Rma.order_id == order_id, Rma.status != RmaStatus.CANCELLED.value,
                                  RmaLine.order_line_id.is_not(None))
                           .group_by(RmaLine.order_line_id)).all()
    taken: defaultdict[int, int] = defaultdict(int)
    for line_id, quantity in rows:
        taken[int(line_id)] = int(quantity or 0)
    return taken


def _shipped_words(lines: Sequence[Any], shipped: dict[int, int]) -> str:
    words = [f"{product.sku} ×{shipped[line.id]}" for line, product in lines if shipped.get(line.id, 0) > 0]
    return ", ".join(words) or "nothing"
