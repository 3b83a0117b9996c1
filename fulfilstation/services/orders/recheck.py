"""Re-checking a stored order (``orders.recheck``, ``IMPORT_ORDERS``): after a product was
added, or the address or the site's review rules changed, the intake checks run again.

What it does, in one transaction: the order's unmatched lines whose SKU is now in the
catalogue (an active product) become order lines; the checks (``intake.checks.check_order``
with the site's ``AddressCheck``) run on the order as stored; the findings replace
``intake_problems``; a corrected address replaces the ship-to (the one as sent is kept in
``original_ship_to``). Then the hold:

* an intake hold (its reason is exactly the holding findings' reason stored with it) whose
  problems are gone is released; one whose problems changed gets the new reason;
* an order not on hold that now has a holding finding is held with it;
* a manager's own hold (any other reason) is never touched.

After the commit a pending, not held order is reserved (``arrival.reserve_waiting``).

Invariants: refused (nothing changed) for an order being packed, shipped or cancelled. The
first statement is a conditional UPDATE on the order (still pending or ready), which takes
its row lock, so a station claiming it or another re-check waits or loses; the audit entry
``order.rechecked`` has the findings before and after, the lines matched and the hold change.

Threading: blocking (database); call from worker threads or the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fulfilstation.db.base import utcnow
from fulfilstation.db.database import Database, rows_changed
from fulfilstation.db.models import Order, OrderLine, Product
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.domain.unmatched_lines import unmatched_items
from fulfilstation.integrations.ports import AddressCheck, IncomingLine, IncomingOrder
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.orders.arrival import reserve_waiting
from fulfilstation.services.orders.intake.checks import CheckOutcome, check_order
from fulfilstation.services.orders.intake.findings import IntakeProblem
from fulfilstation.services.orders.lookup import OrderRefused, find_order
from fulfilstation.services.orders.reserve import ReserveOutcome
from fulfilstation.services.orders.views import to_json

_RECHECKABLE = (OrderStatus.PENDING.value, OrderStatus.READY.value)
_ADDRESS_COLUMNS = {"name": "ship_to_name", "company": "ship_to_company", "line1": "ship_to_line1",
                    "line2": "ship_to_line2", "city": "ship_to_city", "region": "ship_to_region",
                    "postal_code": "ship_to_postal_code", "country": "ship_to_country", "phone": "ship_to_phone",
                    "email": "ship_to_email"}


@dataclass(frozen=True)
class Rechecked:
    """What a re-check found and did. ``hold``: ``released``, ``held``, ``kept`` (a manager's
    hold, or the intake hold with its reason brought up to date) or ``none``."""

    number: str
    problems: tuple[IntakeProblem, ...]
    matched: tuple[str, ...]  # SKUs of unmatched lines that became order lines
    still_unknown: tuple[str, ...]
    hold: str
    hold_reason: str | None
    address_corrected: bool
    reservation: ReserveOutcome | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        data["message"] = self.message
        return data

    @property
    def message(self) -> str:
        parts = [f"Order {self.number} re-checked"]
        if self.matched:
            parts.append(f"lines now in the catalogue: {', '.join(self.matched)}")
        if self.address_corrected:
            parts.append("the address was corrected")
        words = {"released": "its intake hold is released", "held": f"held: {self.hold_reason}",
                 "kept": f"still on hold: {self.hold_reason}", "none": "no problems" if not self.problems else
                 "only warnings: " + "; ".join(p.message for p in self.problems)}
        parts.append(words[self.hold])
        if self.reservation is not None and self.reservation.message:
            parts.append(self.reservation.message)
        return "; ".join(parts) + ("" if parts[-1].endswith(".") else ".")


def stored_problems(order: Order) -> tuple[IntakeProblem, ...]:
    return tuple(IntakeProblem.from_json(item) for item in order.intake_problems or [] if isinstance(item, dict))


def recheck_order(database: Database, actor: Actor, number: str, today: dt.date, *,
                  address_check: AddressCheck | None = None) -> Rechecked:
    with database.unit_of_work() as session:
        order = find_order(session, number)
        claimed = rows_changed(session, update(Order).where(Order.id == order.id, Order.status.in_(_RECHECKABLE))
                               .values(updated_at=utcnow()))
        session.refresh(order)
        if not claimed:
            raise OrderRefused("order-not-open", f"Order {order.number} is {order.status}: only a pending or ready "
                               "order is re-checked.")
        before = stored_problems(order)
        intake_reason = CheckOutcome(before).hold_reason()
        matched, unknown = _match_lines(session, order)
        outcome = check_order(session, _incoming(session, order, unknown), tuple(sorted({u["sku"] for u in unknown})),
                              address_check=address_check)
        before_address = {key: getattr(order, column) for key, column in _ADDRESS_COLUMNS.items()}
        corrected = _correct_address(order, outcome.corrected_address)
        order.intake_problems = [problem.as_json() for problem in outcome.problems]
        reason = outcome.hold_reason()
        hold = _settle_hold(order, intake_reason, reason)
        session.flush()
        audit.record(session, actor, "order.rechecked", "order", order.id, {
            "order": order.number, "before": [p.as_json() for p in before],
            "after": order.intake_problems, "matched": list(matched), "hold": hold,
            "address_corrected": corrected,
            **({"address_from": {k: v for k, v in before_address.items() if v},
                "address_to": {k: getattr(order, c) for k, c in _ADDRESS_COLUMNS.items() if getattr(order, c)}}
               if corrected else {})})
        order_id, pending = order.id, order.status == OrderStatus.PENDING.value and not order.hold
        result = Rechecked(order.number, outcome.problems, matched, tuple(u["sku"] for u in unknown), hold,
                           order.hold_reason if order.hold else None, corrected)
    if pending:
        reservation = reserve_waiting(database, actor, order_id, result.number, today)
        return replace(result, reservation=reservation)
    return result


def _match_lines(session: Session, order: Order) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """Turn the unmatched lines whose SKU is now an active product into order lines."""
    waiting = unmatched_items(order.unmatched_lines)
    if not waiting:
        return (), []
    skus = {str(item.get("sku") or "").strip() for item in waiting}
    products = dict(session.execute(select(Product.sku, Product.id).where(Product.sku.in_(skus),
                                                                          Product.active.is_(True))).all())
    taken = set(session.scalars(select(OrderLine.line_no).where(OrderLine.order_id == order.id)))
    next_no = max(taken | {0}) + 1
    matched, unknown = [], []
    for item in waiting:
        sku = str(item.get("sku") or "").strip()
        quantity = int(item.get("quantity") or 0)
        if sku not in products or quantity <= 0:
            unknown.append(item)
            continue
        line_no = int(item.get("line_no") or 0)
        if line_no <= 0 or line_no in taken:
            line_no, next_no = next_no, next_no + 1
        taken.add(line_no)
        next_no = max(next_no, line_no + 1)
        session.add(OrderLine(order_id=order.id, line_no=line_no, product_id=products[sku], quantity=quantity,
                              unit_price_minor=max(0, int(item.get("unit_price_minor") or 0)),
                              external_line_id=item.get("external_line_id")))
        matched.append(sku)
    order.unmatched_lines = unknown or None
    if matched and order.status == OrderStatus.READY.value:
        order.status = OrderStatus.PENDING.value  # its new lines are not reserved yet
    session.flush()
    return tuple(matched), unknown


def _incoming(session: Session, order: Order, unknown: list[dict[str, Any]]) -> IncomingOrder:
    rows = session.execute(select(Product.sku, OrderLine.quantity, OrderLine.unit_price_minor)
                           .join(Product, Product.id == OrderLine.product_id)
                           .where(OrderLine.order_id == order.id, OrderLine.kit_line_id.is_(None))
                           .order_by(OrderLine.line_no)).all()
    lines = [IncomingLine(str(sku), int(quantity), int(price)) for sku, quantity, price in rows]
    lines += [IncomingLine(str(item.get("sku") or ""), int(item.get("quantity") or 0)) for item in unknown]
    return IncomingOrder(order.channel, order.external_id, order.number, order.ship_to_name, order.ship_to_line1,
                         order.ship_to_city, order.ship_to_postal_code, order.ship_to_country, tuple(lines),
                         ship_to_company=order.ship_to_company, ship_to_line2=order.ship_to_line2,
                         ship_to_region=order.ship_to_region, ship_to_phone=order.ship_to_phone,
                         ship_to_email=order.ship_to_email, bill_to_country=order.bill_to_country,
                         financial_status=order.financial_status, shop_status=order.shop_status or "open",
                         total_minor=order.total_minor, currency=order.currency, ordered_at=order.ordered_at,
                         shipping_charged_minor=order.shipping_charged_minor)


def _correct_address(order: Order, corrected: Mapping[str, str] | None) -> bool:
    """Apply ``corrected`` (keeping the address as sent in ``original_ship_to``); True if it changed."""
    if not corrected:
        return False
    before = {key: getattr(order, column) for key, column in _ADDRESS_COLUMNS.items()}
    after = {key: (corrected.get(key) or None) for key in _ADDRESS_COLUMNS}
    after = {key: value if value is not None or key in ("company", "line2", "region", "phone", "email")
             else before[key] for key, value in after.items()}
    if after["postal_code"] is None:
        after["postal_code"] = ""
    if all((before[key] or None) == (after[key] or None) for key in _ADDRESS_COLUMNS):
        return False
    if order.original_ship_to is None:
        order.original_ship_to = {key: value for key, value in before.items() if value}
    for key, column in _ADDRESS_COLUMNS.items():
        if key == "country" and len(str(after[key] or "")) != 2:
            continue
        setattr(order, column, after[key])
    return True


def _settle_hold(order: Order, intake_reason: str | None, reason: str | None) -> str:
    if order.hold:
        if intake_reason is None or order.hold_reason != intake_reason:
            return "kept"  # a manager's own hold
        if reason is None:
            order.hold, order.hold_reason = False, None
            return "released"
        order.hold_reason = reason
        return "kept"
    if reason is None:
        return "none"
    order.hold, order.hold_reason = True, reason
    return "held"
