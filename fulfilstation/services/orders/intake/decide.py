"""Deciding, for each tidied incoming order, what intake does with it — in Python, against
the preloaded catalogue and known orders, before anything is written.

* unknown ``(channel, external_id)``: a new order (``NewOrder``), checked by ``check_order``;
  cancelled in the shop: not imported (a warning);
* known, pending or ready and not on a pick list: unchanged (counted, not re-checked), or a
  ``Change`` (re-checked; its lines replaced when they differ, which puts it back to pending);
  an address a manager changed here (``order.address_changed``) is kept over the shop's;
  cancelled in the shop: cancelled; on hold in the shop: held "On hold in the shop";
* known and being picked, packed or shipped: never changed — a warning says the shop's
  changes were not applied; a shop's cancel or hold of an order being packed holds it
  ("Cancelled in the shop: stop packing"), so the packer is told;
* known and split for a partial shipment (it has remainders): a cancel in the shop reaches
  every part (each as above); the shop's lines never replace the parts' (a warning when they
  differ from the parts' lines together); other changes reach each part as its own order.

Numbers: the shop's name (``#1001``) unless another order has it, then the channel's name
before it (``web-#1001``), then a counter; never a failure. Pure apart from
``check_order`` and the number look-ups (reads).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Order
from fulfilstation.domain.enums import OrderStatus
from fulfilstation.imports import RowProblem
from fulfilstation.integrations.ports import IncomingOrder
from fulfilstation.services import audit
from fulfilstation.services.orders.intake.checks import CheckOutcome, check_order
from fulfilstation.services.orders.intake.findings import hold_codes
from fulfilstation.services.orders.intake.known import ADDRESS_FIELDS, Catalogue, KnownOrder, numbers_taken

SHOP_HOLD = "On hold in the shop"
STOP_PACKING = "Cancelled in the shop: stop packing"
OPEN = (OrderStatus.PENDING.value, OrderStatus.READY.value)


@dataclass
class NewOrder:
    row: dict[str, Any]  # Order columns
    lines: list[dict[str, Any]]  # OrderLine columns but order_id
    first_line: int
    corrected: dict[str, Any] | None = None  # the audit details of a corrected address
    id: int | None = None  # once inserted
    held_for: tuple[str, ...] = ()  # the codes of the reasons intake holds it for (``findings.hold_codes``)


@dataclass
class Change:
    known: KnownOrder
    kind: str  # update, cancel, hold
    first_line: int
    values: dict[str, Any] = field(default_factory=dict)
    lines: list[dict[str, Any]] | None = None  # replace the lines (None: keep them)
    changed: tuple[str, ...] = ()
    corrected: dict[str, Any] | None = None
    lost: bool = False  # a station took the order between the read and the UPDATE
    reserve_again: bool = False
    freed: tuple[str, ...] = ()  # SKUs whose reserved units the change gave back (set by ``apply``)
    held_for: tuple[str, ...] = ()  # the codes of the reasons intake holds it for, when it does


@dataclass
class Plan:
    new: list[NewOrder] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[RowProblem] = field(default_factory=list)


def wanted_number(order: IncomingOrder) -> str:
    return (order.number or order.external_id)[:32]


class Numbers:
    """Order numbers taken so far (the database's, preloaded per chunk, and this batch's).
    ``bind``/``preload`` give it the chunk's session; the fallback names are looked up one
    by one (a clash is rare)."""

    def __init__(self, taken: dict[str, tuple[str, str]]) -> None:
        self._session: Session | None = None
        self._taken = set(taken)

    def preload(self, session: Session, wanted: list[str]) -> None:
        self._session = session
        self._taken |= set(numbers_taken(session, wanted))

    def snapshot(self) -> set[str]:
        return set(self._taken)

    def restore(self, taken: set[str]) -> None:
        self._taken = set(taken)

    def take(self, order: IncomingOrder) -> str:
        wanted = wanted_number(order)
        if wanted not in self._taken:  # the usual case: the shop's own name
            self._taken.add(wanted)
            return wanted
        prefixed = f"{order.channel}-{wanted}"
        candidates = itertools.chain([prefixed[:32]], (f"{prefixed[:28]}-{count}" for count in range(2, 1000)))
        for candidate in candidates:
            if candidate in self._taken:
                continue
            self._taken.add(candidate)
            if self._session is not None and self._session.scalar(
                    select(Order.id).where(Order.number == candidate)):
                continue
            return candidate
        raise AssertionError("no free order number")  # pragma: no cover - 998 clashes


def first_line(order: IncomingOrder) -> int:
    lines = [*order.source_lines, *(line.source_line for line in order.lines if line.source_line)]
    return min(lines) if lines else 0


def intake_reason(shop_status: str | None, problems: Any) -> str | None:
    """The hold reason intake gives: the shop's hold, then each holding finding."""
    parts = [SHOP_HOLD] if shop_status == "on-hold" else []
    for problem in problems or ():
        found = problem if isinstance(problem, dict) else problem.as_json()
        if found.get("holds", True):
            parts.append(str(found.get("message", "")))
    return "; ".join(parts)[:300] if parts else None


def _lines(order: IncomingOrder, catalogue: Catalogue) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    matched: list[dict[str, Any]] = []
    unmatched: list[dict[str, Any]] = []
    for line_no, line in enumerate(order.lines, 1):
        product_id = catalogue.product_id(line.sku)
        if product_id is None:
            unmatched.append({"line_no": line_no, "sku": line.sku, "name": line.name, "quantity": line.quantity,
                              "unit_price_minor": line.unit_price_minor})
        else:
            matched.append({"line_no": line_no, "product_id": product_id, "quantity": line.quantity,
                            "unit_price_minor": line.unit_price_minor, "external_line_id": line.external_line_id})
    return matched, unmatched


def _address(order: IncomingOrder) -> dict[str, Any]:
    return {name: getattr(order, name) for name in ADDRESS_FIELDS}


def _values(order: IncomingOrder, outcome: CheckOutcome, unmatched: list[dict[str, Any]]) -> dict[str, Any]:
    address = _address(order)
    original: dict[str, Any] | None = None
    if outcome.corrected_address:
        corrected = {f"ship_to_{key}": value for key, value in outcome.corrected_address.items()
                     if f"ship_to_{key}" in ADDRESS_FIELDS}
        if any(address.get(key) != value for key, value in corrected.items()):
            original, address = address, {**address, **corrected}
    return {**address, "bill_to_country": order.bill_to_country, "financial_status": order.financial_status,
            "shop_status": order.shop_status, "total_minor": order.total_minor, "currency": order.currency,
            "customer_note": order.note, "ordered_at": order.ordered_at, "original_ship_to": original,
            "shipping_charged_minor": order.shipping_charged_minor,
            "intake_problems": [problem.as_json() for problem in outcome.problems] or None,
            "unmatched_lines": unmatched or None}


def _corrected(values: dict[str, Any]) -> dict[str, Any] | None:
    if values["original_ship_to"] is None:
        return None
    return {"was": values["original_ship_to"], "now": {key: values[key] for key in ADDRESS_FIELDS}}


def _differs(order: IncomingOrder, known: KnownOrder, matched: list[dict[str, Any]],
             unmatched: list[dict[str, Any]]) -> tuple[str, ...]:
    """What the shop changed, in words of the order's fields (empty: nothing)."""
    changed: list[str] = []
    sent_before = known.original_ship_to or {name: known.fields[name] for name in ADDRESS_FIELDS}
    if any((sent_before.get(name) or None) != (value or None) for name, value in _address(order).items()):
        changed.append("address")
    now: dict[str, Any] = {"bill_to_country": order.bill_to_country, "financial_status": order.financial_status,
           "shop_status": order.shop_status, "total_minor": order.total_minor, "currency": order.currency,
           "customer_note": order.note}
    if order.ordered_at is not None:
        now["ordered_at"] = order.ordered_at
    if order.shipping_charged_minor is not None:  # a source that does not say never clears it
        now["shipping_charged_minor"] = order.shipping_charged_minor
    changed += [name for name, value in now.items() if known.fields.get(name) != value]
    lines = [(line["product_id"], line["quantity"], line["unit_price_minor"], line["external_line_id"])
             for line in matched]
    if lines != known.lines or (unmatched or None) != (known.unmatched_lines or None):
        changed.append("lines")
    return tuple(changed)


#: ``check_order`` with the run's address check and review rules bound (read once per chunk).
Check = Callable[[Session, IncomingOrder, tuple[str, ...]], CheckOutcome]


def decide(session: Session, order: IncomingOrder, known: KnownOrder | None, catalogue: Catalogue,
           numbers: Numbers, plan: Plan, check: Check = check_order) -> None:
    matched, unmatched = _lines(order, catalogue)
    line = first_line(order)
    if known is None:
        name = wanted_number(order)
        if order.shop_status == "cancelled":
            plan.warnings.append(RowProblem(line, f"order {name} is cancelled in the shop: not imported", name,
                                            rejects=False))
            return
        outcome = check(session, order, tuple(sorted({row["sku"] for row in unmatched})))
        values = _values(order, outcome, unmatched)
        reason = intake_reason(order.shop_status, outcome.problems)
        number = numbers.take(order)
        row = {"channel": order.channel, "external_id": order.external_id, "number": number,
               "status": OrderStatus.PENDING.value, "hold": reason is not None, "hold_reason": reason, **values}
        plan.new.append(NewOrder(row, matched, line, _corrected(values),
                                 held_for=hold_codes(order.shop_status, outcome.problems)))
        if reason is not None:
            plan.warnings.append(RowProblem(line, f"order {number} is on hold: {reason}", number, rejects=False))
        return
    _decide_known(session, order, known, matched, unmatched, line, plan, check)


def _decide_split(session: Session, order: IncomingOrder, known: KnownOrder, matched: list[dict[str, Any]],
                  unmatched: list[dict[str, Any]], line: int, plan: Plan, check: Check) -> None:
    """A shop order split for a partial shipment: a cancel reaches every part; the shop's
    lines are compared with the parts' lines together and never replace them (a warning when
    they differ); its other changes (address, status …) reach each part as its own order."""
    members = [known, *known.remainders]
    if order.shop_status == "cancelled":
        for member in members:
            _decide_cancel(member, line, plan)
        return
    lines = [(row["product_id"], row["quantity"], row["unit_price_minor"], row["external_line_id"]) for row in matched]
    if sorted(lines, key=repr) != sorted(known.family_lines(), key=repr) or unmatched:
        numbers = ", ".join(member.number for member in members)
        plan.warnings.append(RowProblem(line, f"order {known.number} was split for a partial shipment ({numbers}): "
                                        "the shop's line changes were not applied", known.number, rejects=False))
    for member in members:
        own = [{"product_id": product_id, "quantity": quantity, "unit_price_minor": price, "external_line_id": ext}
               for product_id, quantity, price, ext in member.lines]
        _decide_one(session, replace(order, total_minor=member.fields.get("total_minor") or 0,
                                     shipping_charged_minor=member.fields.get("shipping_charged_minor")), member, own,
                    list(member.unmatched_lines or []), line, plan, check)


def _decide_cancel(known: KnownOrder, line: int, plan: Plan) -> None:
    status, name = known.status, known.number
    if status in OPEN:
        plan.changes.append(Change(known, "cancel", line))
    elif status == OrderStatus.PACKING.value and known.hold_reason != STOP_PACKING:
        plan.changes.append(Change(known, "hold", line, {"hold": True, "hold_reason": STOP_PACKING,
                                                         "shop_status": "cancelled"}, held_for=("shop-cancelled",)))
    elif status == OrderStatus.SHIPPED.value:
        plan.warnings.append(RowProblem(line, f"order {name} is cancelled in the shop but has already shipped: "
                                        "start a return if the customer sends it back", name, rejects=False))
    else:
        plan.unchanged += 1


def _decide_known(session: Session, order: IncomingOrder, known: KnownOrder, matched: list[dict[str, Any]],
                  unmatched: list[dict[str, Any]], line: int, plan: Plan, check: Check) -> None:
    if known.remainders:
        _decide_split(session, order, known, matched, unmatched, line, plan, check)
    else:
        _decide_one(session, order, known, matched, unmatched, line, plan, check)


def _decide_one(session: Session, order: IncomingOrder, known: KnownOrder, matched: list[dict[str, Any]],
                unmatched: list[dict[str, Any]], line: int, plan: Plan, check: Check) -> None:
    status, name = known.status, known.number
    if order.shop_status == "cancelled":
        _decide_cancel(known, line, plan)
        return
    changed = _differs(order, known, matched, unmatched)
    if status == OrderStatus.CANCELLED.value:
        if changed:
            plan.warnings.append(RowProblem(line, f"order {name} was cancelled here: the shop's changes were not "
                                            "applied", name, rejects=False))
        else:
            plan.unchanged += 1
        return
    if status not in OPEN or known.picked:
        doing = {OrderStatus.PACKING.value: "is being packed", OrderStatus.SHIPPED.value: "has shipped"}.get(
            status, "is on a pick list")
        if order.shop_status == "on-hold" and status != OrderStatus.SHIPPED.value and not known.hold:
            plan.changes.append(Change(known, "hold", line, {"hold": True, "hold_reason": SHOP_HOLD,
                                                             "shop_status": "on-hold"}, held_for=("shop-hold",)))
        elif changed:
            plan.warnings.append(RowProblem(line, f"order {name} {doing}: the shop's changes ({', '.join(changed)}) "
                                            "were not applied", name, rejects=False))
        else:
            plan.unchanged += 1
        return
    if "address" in changed and audit.last_done(session, "order.address_changed", "order", known.id) is not None:
        order = replace(order, **{field_name: known.fields[field_name] for field_name in ADDRESS_FIELDS})
        changed = tuple(part for part in changed if part != "address")
        plan.warnings.append(RowProblem(line, f"order {name}: its address was changed here, so the shop's address "
                                        "was not applied", name, rejects=False))
    if not changed:
        plan.unchanged += 1
        return
    outcome = check(session, order, tuple(sorted({row["sku"] for row in unmatched})))
    values = _values(order, outcome, unmatched)
    before = intake_reason(known.fields.get("shop_status"), known.intake_problems)
    held_for: tuple[str, ...] = ()
    if not known.hold or known.hold_reason in {before, STOP_PACKING}:  # intake's own hold (or none)
        reason = intake_reason(order.shop_status, outcome.problems)
        values.update(hold=reason is not None, hold_reason=reason)
        held_for = hold_codes(order.shop_status, outcome.problems) if reason is not None else ()
    corrected = _corrected(values) if values["original_ship_to"] != known.original_ship_to else None
    plan.changes.append(Change(known, "update", line, values, matched if "lines" in changed else None, changed,
                               corrected, reserve_again=True, held_for=held_for))
