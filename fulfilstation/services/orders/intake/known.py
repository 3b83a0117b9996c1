"""What intake reads before it writes: the catalogue's SKU map and the orders a batch already
knows, loaded in a few queries (never one per order) so 100,000 lines go in within seconds.

Invariants: ``Catalogue.product_id`` matches a SKU exactly, then case-insensitively, then as
a product barcode; ``load_known`` returns, per ``(channel, external_id)``, the stored order
with its top-level lines (kit component lines left out: they are derived) and whether a
pick list or a pack touched it, and the remainders it was split into (partial shipments),
loaded alike. Reads only; runs inside the intake's unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fulfilstation.db.models import Order, OrderLine, PickListLine, Product, ProductBarcode

CHUNK = 500  # ids per IN (…): well under every engine's parameter limit

#: The order's fields intake compares and writes (the incoming order's names).
ADDRESS_FIELDS = ("ship_to_name", "ship_to_company", "ship_to_line1", "ship_to_line2", "ship_to_city",
                  "ship_to_region", "ship_to_postal_code", "ship_to_country", "ship_to_phone", "ship_to_email")
OTHER_FIELDS = ("bill_to_country", "financial_status", "shop_status", "total_minor", "currency", "customer_note",
                "ordered_at", "shipping_charged_minor")


@dataclass
class Catalogue:
    by_sku: dict[str, int]
    by_folded: dict[str, int]
    by_barcode: dict[str, int]

    def product_id(self, sku: str) -> int | None:
        key = sku.strip()
        found = self.by_sku.get(key)
        if found is None:
            found = self.by_folded.get(key.casefold())
        if found is None:
            found = self.by_barcode.get(key)
        return found


def load_catalogue(session: Session) -> Catalogue:
    by_sku: dict[str, int] = {}
    by_folded: dict[str, int] = {}
    for product_id, sku in session.execute(select(Product.id, Product.sku)):
        by_sku[sku] = product_id
        by_folded.setdefault(sku.casefold(), product_id)
    by_barcode = {code: product_id for code, product_id in
                  session.execute(select(ProductBarcode.code, ProductBarcode.product_id))}
    return Catalogue(by_sku, by_folded, by_barcode)


@dataclass
class KnownOrder:
    id: int
    number: str
    status: str
    hold: bool
    hold_reason: str | None
    fields: dict[str, Any]  # ADDRESS_FIELDS + OTHER_FIELDS as stored
    original_ship_to: dict[str, Any] | None
    intake_problems: list[dict[str, Any]] | None
    unmatched_lines: list[dict[str, Any]] | None
    lines: list[tuple[int, int, int, str | None]] = field(default_factory=list)  # product, qty, price, ext id
    picked: bool = False  # on a pick list: its lines can no longer be replaced
    # Partial shipments: the orders this shop order was split into besides this one (its
    # remainders, ``split_from_id``), each known as fully as the order itself.
    remainders: list[KnownOrder] = field(default_factory=list)

    def family_lines(self) -> list[tuple[int, int, int, str | None]]:
        """The lines of the order and its remainders together, as the shop would list them:
        units of the same product, price and shop line added up, in first-seen order."""
        totals: dict[tuple[int, int, str | None], int] = {}
        for member in (self, *self.remainders):
            for product_id, quantity, price, line_id in member.lines:
                key = (product_id, price, line_id)
                totals[key] = totals.get(key, 0) + quantity
        return [(product_id, quantity, price, line_id) for (product_id, price, line_id), quantity in totals.items()]


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def load_known(session: Session, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], KnownOrder]:
    by_channel: dict[str, list[str]] = {}
    for channel, external in sorted(set(keys)):
        by_channel.setdefault(channel, []).append(external)
    known: dict[tuple[str, str], KnownOrder] = {}
    columns = [getattr(Order, name) for name in (*ADDRESS_FIELDS, *OTHER_FIELDS)]
    # channel = :c AND external_id IN (…), not a row-value IN: PostgreSQL hashes a plain IN list,
    # so even a plan made on stale statistics (just after a bulk import) stays linear.
    parts = [(channel, part) for channel, externals in by_channel.items() for part in chunks(externals)]
    selected = (Order.channel, Order.external_id, Order.id, Order.number, Order.status, Order.hold, Order.hold_reason,
                Order.original_ship_to, Order.intake_problems, Order.unmatched_lines, *columns)
    for channel, externals_part in parts:
        rows = session.execute(select(*selected)
                               .where(Order.channel == channel, Order.external_id.in_(list(externals_part))))
        for row in rows:
            known[(row[0], row[1])] = _known(tuple(row))
    by_id = {order.id: order for order in known.values()}
    roots = sorted(by_id)
    for part in chunks(roots):  # the remainders of split orders (partial shipments)
        for row in session.execute(select(*selected, Order.split_from_id)
                                   .where(Order.split_from_id.in_(list(part))).order_by(Order.id)):
            remainder = _known(tuple(row)[:-1])
            by_id[row[-1]].remainders.append(remainder)
            by_id[remainder.id] = remainder
    ids = sorted(by_id)
    for part in chunks(ids):
        for order_id, product_id, quantity, price, line_id in session.execute(
                select(OrderLine.order_id, OrderLine.product_id, OrderLine.quantity, OrderLine.unit_price_minor,
                       OrderLine.external_line_id)
                .where(OrderLine.order_id.in_(list(part)), OrderLine.kit_line_id.is_(None))
                .order_by(OrderLine.order_id, OrderLine.line_no)):
            by_id[order_id].lines.append((product_id, quantity, price, line_id))
        for (order_id,) in session.execute(
                select(OrderLine.order_id).join(PickListLine, PickListLine.order_line_id == OrderLine.id)
                .where(OrderLine.order_id.in_(list(part))).distinct()):
            by_id[order_id].picked = True
    return known


def _known(values: tuple[Any, ...]) -> KnownOrder:
    return KnownOrder(id=values[2], number=values[3], status=values[4], hold=bool(values[5]), hold_reason=values[6],
                      original_ship_to=values[7], intake_problems=values[8], unmatched_lines=values[9],
                      fields=dict(zip((*ADDRESS_FIELDS, *OTHER_FIELDS), values[10:], strict=True)))


def numbers_taken(session: Session, numbers: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Of ``numbers``, those already on an order: number → (channel, external id)."""
    wanted = sorted(set(numbers))
    taken: dict[str, tuple[str, str]] = {}
    for part in chunks(wanted):
        for number, channel, external in session.execute(
                select(Order.number, Order.channel, Order.external_id).where(Order.number.in_(list(part)))):
            taken[number] = (channel, external)
    return taken
